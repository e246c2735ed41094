/*
 * usercopy.c - checking user ranges, then copying with a safety net.
 */
#include "mm/usercopy.h"

#include "arch/x86_64/layout.h"
#include "lib/compiler.h"
#include "lib/errno.h"
#include "mm/paging.h"
#include "mm/region.h"

/* usercopy.S: memcpy that returns -EFAULT instead of faulting. */
int user_memcpy(void *dst, const void *src, size_t n);

bool user_range_ok(vaddr_t va, size_t n, unsigned perms)
{
#if SOL >= 4
	vaddr_t end;

	if (n == 0 || va > UINT64_MAX - n)
		return false;
	end = va + n;
	if (va < REGION_LOW_LIMIT || end > REGION_HIGH_LIMIT)
		return false;
	/* Region by region: the range may span several adjacent ones. */
	while (va < end) {
		const struct region *r = region_find(va);

		if (!r || (region_user_rights(r) & perms) != perms)
			return false;
		va = r->start + r->pages * PAGE_SIZE;
	}
	return true;
#else
	/*
	 * LAB 4: your code here (contract in usercopy.h).
	 *  1. Refuse n == 0 and a range that wraps around.
	 *  2. Refuse anything outside [REGION_LOW_LIMIT, REGION_HIGH_LIMIT).
	 *  3. Walk the range region by region (region_find): user mode must
	 *     have the permissions asked for on each (region_user_rights:
	 *     0 for a kernel region; from lab 6, what the running domain's
	 *     capabilities allow); a gap fails.
	 * Tests: usercopy_rejects_bad_ranges, usercopy_roundtrip.
	 */
	(void)va;
	(void)n;
	(void)perms;
	return false;
#endif
}

int copy_from_user(void *dst, vaddr_t src, size_t n)
{
#if SOL >= 4
	if (n == 0)
		return 0;
	if (!user_range_ok(src, n, REGION_R))
		return -EFAULT;
	return user_memcpy(dst, (const void *)src, n);
#else
	/*
	 * LAB 4: your code here. n == 0: nothing to do. Check the range
	 * (user_range_ok with REGION_R), then copy with user_memcpy, which
	 * returns -EFAULT instead of faulting. Never touch the user address
	 * with a plain memcpy. Tests: usercopy_roundtrip,
	 * usercopy_fault_midway_recovers.
	 */
	(void)dst;
	(void)src;
	(void)n;
	(void)user_memcpy;
	return -ENOSYS;
#endif
}

int copy_to_user(vaddr_t dst, const void *src, size_t n)
{
#if SOL >= 4
	if (n == 0)
		return 0;
	if (!user_range_ok(dst, n, REGION_R | REGION_W))
		return -EFAULT;
	return user_memcpy((void *)dst, src, n);
#else
	/* LAB 4: your code here: as copy_from_user, towards user memory
	 * (REGION_W). */
	(void)dst;
	(void)src;
	(void)n;
	return -ENOSYS;
#endif
}

int user_prefault(vaddr_t dst, size_t n)
{
	static const uint8_t zero;

	if (!user_range_ok(dst, n, REGION_R | REGION_W))
		return -EFAULT;
	for (vaddr_t page = ALIGN_DOWN(dst, PAGE_SIZE); page < dst + n;
	     page += PAGE_SIZE) {
		vaddr_t at = MAX(page, dst);

		/* Mapped, or parked (brought back without a frame): fine. */
		if (paging_next_used(paging_root(), page, page + PAGE_SIZE) ==
		    page)
			continue;
		if (user_memcpy((void *)at, &zero, 1) < 0)
			return -EFAULT;
	}
	return 0;
}

long copy_string_from_user(char *dst, vaddr_t src, size_t size)
{
#if SOL >= 4
	size_t done = 0;

	if (size == 0)
		return -EINVAL;
	while (done < size) {
		vaddr_t va = src + done;
		/* Piece by piece, never past a page: regions end on one. */
		size_t n = MIN(size - done, PAGE_SIZE - va % PAGE_SIZE);

		if (!user_range_ok(va, n, REGION_R) ||
		    user_memcpy(dst + done, (const void *)va, n) < 0)
			return -EFAULT;
		for (size_t i = done; i < done + n; i++)
			if (dst[i] == '\0')
				return (long)i;
		done += n;
	}
	dst[size - 1] = '\0';
	return -E2BIG;
#else
	/*
	 * LAB 4: your code here (contract in usercopy.h). Copy in pieces
	 * that never cross a page boundary (a page is all in a region or
	 * all out of it): check each piece with user_range_ok, copy it with
	 * user_memcpy, and look for the NUL in what you copied.
	 * Test: usercopy_string.
	 */
	(void)dst;
	(void)src;
	(void)size;
	return -ENOSYS;
#endif
}
