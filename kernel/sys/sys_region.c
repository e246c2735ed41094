/*
 * sys_region.c - memory for user programs: regions of their own.
 */
#include "lib/errno.h"
#include "mm/region.h"
#include "sys/syscall.h"
#include "user/domain.h"

#define USER_PERMS (REGION_R | REGION_W | REGION_X)

/*
 * A new region of pages pages with perms (REGION_R, _W, _X: 1, 2, 4),
 * guard pages around it, owned by the caller. Returns its address, or
 * -EINVAL (no pages, too many, unknown bits, no R, W with X), -ENOSPC (the
 * domain owns DOMAIN_MAX_REGIONS) or -ENOMEM.
 */
long sys_region_alloc(size_t pages, unsigned perms)
{
	struct region *r;
	int err;

	if (pages == 0 || pages > SYS_REGION_MAX_PAGES || (perms & ~USER_PERMS))
		return -EINVAL;
	err = region_create(pages, perms | REGION_U, REGION_GUARDS, &r);
	if (err < 0)
		return err;
	err = domain_add_region(domain_current(), r);
	if (err < 0) {
		region_destroy(r);
		return err;
	}
	return (long)r->start;
}

/*
 * Frees the caller's region that starts at addr, with its pages. Returns
 * 0, or -EINVAL if the caller owns no region starting there.
 */
long sys_region_free(vaddr_t addr)
{
	struct domain *d = domain_current();

	for (int i = 0; i < DOMAIN_MAX_REGIONS; i++) {
		if (d->regions[i] && d->regions[i]->start == addr) {
			region_destroy(d->regions[i]);
			d->regions[i] = NULL;
			return 0;
		}
	}
	return -EINVAL;
}
