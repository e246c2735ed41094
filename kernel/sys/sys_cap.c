/*
 * sys_cap.c - what user code can do with its capabilities (cap/cap.h).
 */
#include "arch/x86_64/layout.h"
#include "cap/cap.h"
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "sys/syscall.h"
#include "user/abi.h"
#include "user/domain.h"

static struct cap_table *caller_caps(void)
{
	return &domain_current()->caps;
}

/*
 * Derives a copy of capability cap with rights (no more than its own)
 * and badge (0: keep its badge). Returns the copy's slot, or an error of
 * cap_derive.
 */
long sys_cap_derive(long cap, unsigned rights, uint64_t badge)
{
	return cap_derive(caller_caps(), cap, rights, badge);
}

/* Deletes every copy derived from cap, in every domain. 0 or an error. */
long sys_cap_revoke(long cap)
{
	return cap_revoke(caller_caps(), cap);
}

/*
 * Deletes capability cap (its copies stay, under its parent). Deleting
 * the original of a region frees the region; of a domain, lets it go (it
 * lives on). Returns 0, -ERANGE or -EBADF.
 */
long sys_close(long cap)
{
	return cap_delete(caller_caps(), cap);
}

/* What capability cap is, for user code (user/abi.h). */
static void describe(const struct cap *c, struct cap_info *info)
{
	*info = (struct cap_info){
		.type = c->type, .rights = c->rights, .badge = c->badge};
	if (c->type == CAP_REGION) {
		const struct region *r = c->object;

		info->addr = r->start;
		info->size = r->pages * PAGE_SIZE;
	} else if (c->type == CAP_DOMAIN) {
		const struct domain *d = c->object;

		info->addr = d ? (uint64_t)d->id : 0;
		info->size = d ? 0 : c->info;
	}
}

/*
 * Writes what capability cap is to *info. Returns 0, -ERANGE, -EBADF or
 * -EFAULT.
 */
long sys_cap_info(long cap, vaddr_t info)
{
	struct cap_info out;
	int err;
	const struct cap *c = cap_lookup(caller_caps(), cap, CAP_NONE, 0, &err);

	if (!c)
		return err;
	describe(c, &out);
	return copy_to_user(info, &out, sizeof(out));
}
