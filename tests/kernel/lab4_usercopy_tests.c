/*
 * lab4_usercopy_tests.c - lab 4: checked copies from and to user memory.
 *
 * No user program runs here: the tests make user regions (REGION_U) and
 * copy from the kernel, as a system call would with its arguments.
 */
#include "kern/ktest.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "mm/region.h"
#include "mm/usercopy.h"

#define PAGE FRAME_SIZE

static struct region *user_region(size_t pages, unsigned perms)
{
	struct region *r = NULL;

	KT_ASSERT_OK(region_create(pages, perms | REGION_U, 0, &r));
	return r;
}

/* There and back, across a page boundary, through untouched pages. */
KTEST(usercopy_roundtrip, 4, 2)
{
	struct region *r = user_region(2, REGION_R | REGION_W);
	vaddr_t across = r->start + PAGE - 50;
	char out[100], in[100];

	for (int i = 0; i < 100; i++)
		out[i] = (char)(i * 7);
	KT_ASSERT_OK(copy_to_user(across, out, sizeof(out)));
	memset(in, 0, sizeof(in));
	KT_ASSERT_OK(copy_from_user(in, across, sizeof(in)));
	KT_ASSERT(memcmp(in, out, sizeof(in)) == 0);
	KT_ASSERT_OK(copy_from_user(in, across, 0));
	region_destroy(r);
}

/* Every range that is not all user memory is refused before copying. */
KTEST(usercopy_rejects_bad_ranges, 4, 2)
{
	struct region *r = user_region(2, REGION_R);
	struct region *kernel_only = NULL;
	char buf[64];

	KT_ASSERT_OK(region_create(1, REGION_R | REGION_W, 0, &kernel_only));
	KT_ASSERT_OK(copy_from_user(buf, r->start, sizeof(buf)));
	KT_ASSERT_EQ(copy_from_user(buf, 0, 8), -EFAULT);
	KT_ASSERT_EQ(copy_from_user(buf, (vaddr_t)buf, 8), -EFAULT);
	KT_ASSERT_EQ(copy_from_user(buf, 0x0000800000000000, 8), -EFAULT);
	KT_ASSERT_EQ(copy_from_user(buf, ~(vaddr_t)0 - 3, 8), -EFAULT);
	KT_ASSERT_EQ(copy_from_user(buf, r->start + 2 * PAGE - 4, 8),
		     -EFAULT); /* runs off the region's end */
	KT_ASSERT_EQ(copy_from_user(buf, kernel_only->start, 8), -EFAULT);
	KT_ASSERT_EQ(copy_to_user(r->start, buf, 8), -EFAULT); /* read-only */
	KT_ASSERT(!user_range_ok(r->start, 0, REGION_R));
	/* Wraps around: the copy's fault would be caught, but the check
	 * itself must say no. */
	KT_ASSERT(!user_range_ok(~(vaddr_t)0 - 3, 8, REGION_R));
	KT_ASSERT(user_range_ok(r->start, 2 * PAGE, REGION_R));
	region_destroy(kernel_only);
	region_destroy(r);
}

/*
 * A fault in the middle of a copy (a page the region allows, but whose
 * mapping was made read-only behind its back) is recovered through the
 * exception table: -EFAULT, and the kernel goes on.
 */
KTEST(usercopy_fault_midway_recovers, 4, 2)
{
	struct region *r = user_region(2, REGION_R | REGION_W);
	char buf[256] = {1};

	*(volatile char *)(r->start + PAGE) = 0; /* map the second page */
	KT_ASSERT_OK(
		paging_protect(paging_root(), r->start + PAGE, PTE_U | PTE_NX));
	KT_ASSERT_EQ(copy_to_user(r->start + PAGE - 128, buf, sizeof(buf)),
		     -EFAULT);
	/* The bytes before the fault were copied. */
	KT_ASSERT_EQ(*(volatile char *)(r->start + PAGE - 128), 1);
	region_destroy(r);
}

/* Strings: up to the NUL and no further, and never past the buffer. */
KTEST(usercopy_string, 4, 1)
{
	struct region *r = user_region(1, REGION_R | REGION_W);
	vaddr_t end = r->start + PAGE;
	char buf[16];

	KT_ASSERT_OK(copy_to_user(r->start, "hello", 6));
	KT_ASSERT_EQ(copy_string_from_user(buf, r->start, sizeof(buf)), 5);
	KT_ASSERT(strcmp(buf, "hello") == 0);
	/* Ends on the region's last byte: fine. Runs off it: -EFAULT. */
	KT_ASSERT_OK(copy_to_user(end - 3, "ok", 3));
	KT_ASSERT_EQ(copy_string_from_user(buf, end - 3, sizeof(buf)), 2);
	KT_ASSERT_OK(copy_to_user(end - 3, "abc", 3));
	KT_ASSERT_EQ(copy_string_from_user(buf, end - 3, sizeof(buf)), -EFAULT);
	/* Too long for the buffer: cut, terminated, and said so. */
	KT_ASSERT_OK(copy_to_user(r->start, "0123456789abcdefghij", 21));
	KT_ASSERT_EQ(copy_string_from_user(buf, r->start, sizeof(buf)), -E2BIG);
	KT_ASSERT(strcmp(buf, "0123456789abcde") == 0);
	KT_ASSERT_EQ(copy_string_from_user(buf, r->start, 0), -EINVAL);
	KT_ASSERT_EQ(copy_string_from_user(buf, 0xffffffff80100000, 8),
		     -EFAULT);
	region_destroy(r);
}
