/*
 * sys_region.c - memory for user programs: regions, reached by capability.
 */
#include "cap/cap.h"
#include "lib/errno.h"
#include "mm/region.h"
#include "mm/usercopy.h"
#include "sys/syscall.h"
#include "user/domain.h"

#define USER_PERMS (REGION_R | REGION_W | REGION_X)

/*
 * A new region of pages pages with perms (REGION_R, _W, _X: 1, 2, 4),
 * guard pages around it. The caller gets the original capability to it,
 * with rights perms; close() on that frees the region. Its address goes
 * to *addr (unless addr is NULL). Returns the capability's slot, or
 * -EINVAL (no pages, too many, unknown bits, no R, W with X), -ENOSPC
 * (the caller's table is full), -EFAULT (addr) or -ENOMEM.
 */
long sys_region_alloc(size_t pages, unsigned perms, vaddr_t addr)
{
	struct domain *d = domain_current();
	struct region *r;
	long slot;
	int err;

	if (pages == 0 || pages > SYS_REGION_MAX_PAGES || (perms & ~USER_PERMS))
		return -EINVAL;
	err = region_create(pages, perms | REGION_U, REGION_GUARDS, &r);
	if (err < 0)
		return err;
	slot = cap_create(&d->caps, CAP_REGION, r, perms);
	if (slot < 0) {
		region_destroy(r);
		return slot;
	}
	err = addr ? copy_to_user(addr, &r->start, sizeof(r->start)) : 0;
	if (err < 0) {
		cap_delete(&d->caps, slot); /* and the region with it */
		return err;
	}
	return slot;
}
