/*
 * view.c - installing a domain's view of the address space (view.h).
 */
#include "user/view.h"

#include "cap/cap.h"
#include "user/domain.h"

static struct domain *installed;

struct domain *view_installed(void)
{
	return installed;
}

unsigned view_rights(const struct domain *d, const struct region *r)
{
#if SOL >= 6
	unsigned rights = 0;

	/* A domain's own region: everything the region allows, and no
	 * capability can add to it; nobody else's, ever (no capability
	 * names one). r->owner says at once which domain's it is. */
	if (r->owner)
		return r->owner == d
			       ? r->perms & (REGION_R | REGION_W | REGION_X)
			       : 0;
	for (int s = 0; s < CAP_SLOTS; s++) {
		const struct cap *c = d->caps.slots[s];

		if (c && c->type == CAP_REGION && c->object == r)
			rights |= c->rights;
	}
	return rights & (REGION_R | REGION_W | REGION_X);
#else
	/*
	 * LAB 6: your code here (contract in view.h). Until you write it,
	 * every domain may do anything with every user region.
	 * Tests: cap_region_isolation, cap_read_only_cannot_write,
	 * cap_revoke_in_other_domain, cap_spawn_passes_chosen_caps,
	 * cap_view_switch_sets_pte_bits.
	 */
	(void)d;
	return r->perms & (REGION_R | REGION_W | REGION_X);
#endif
}

/* Calls fn(r, d) for each of d's own regions and each it has a cap to. */
static void for_each_region(struct domain *d,
			    void (*fn)(struct region *r, struct domain *d))
{
	for (int i = 0; i < DOMAIN_MAX_REGIONS; i++)
		if (d->regions[i])
			fn(d->regions[i], d);
	for (int s = 0; s < CAP_SLOTS; s++) {
		struct cap *c = d->caps.slots[s];

		if (c && c->type == CAP_REGION)
			fn(c->object, d);
	}
}

static void hide(struct region *r, struct domain *d)
{
	(void)d;
	region_set_user_access(r, 0);
}

static void show(struct region *r, struct domain *d)
{
	region_set_user_access(r, view_rights(d, r));
}

void view_switch(struct domain *to)
{
#if SOL >= 6
	if (to == installed)
		return;
	if (installed)
		for_each_region(installed, hide);
	if (to)
		for_each_region(to, show);
	installed = to;
#else
	/*
	 * LAB 6: your code here (contract in view.h). Hide every region of
	 * the installed view (for_each_region with hide), show every region
	 * of to's (with show), and remember to as installed. Until you
	 * write it, a page shown to one domain stays shown to all.
	 * Tests: cap_region_isolation, cap_read_only_cannot_write,
	 * cap_revoke_in_other_domain, cap_spawn_passes_chosen_caps,
	 * cap_view_switch_sets_pte_bits.
	 */
	(void)for_each_region;
	(void)hide;
	(void)show;
	installed = to;
#endif
}

void view_leave(struct domain *d)
{
	if (installed == d)
		view_switch(NULL);
}

/*
 * The fault handler's question (mm/region.h): what may the domain
 * running now do with r? With no domain running only the kernel's own
 * tests ask, and they may do anything.
 */
static unsigned running_rights(const struct region *r)
{
	struct domain *d = domain_current();

	return d ? view_rights(d, r) : r->perms;
}

/*
 * A region capability left a table. If that is the installed view's,
 * the domain may have just lost its access: show the region again with
 * what it still holds (perhaps nothing).
 */
static void region_cap_dropped(struct cap *c)
{
	if (installed && c->table == &installed->caps &&
	    region_has_mapped_pages(c->object)) /* a moved one has none */
		show(c->object, installed);
}

/* The original capability is going: so is the region. */
static void region_cap_destroy(struct cap *c)
{
	region_destroy(c->object);
}

static const struct cap_type_ops region_cap_ops = {
	.dropped = region_cap_dropped,
	.destroy = region_cap_destroy,
};

void view_init(void)
{
	region_set_rights_hook(running_rights);
	cap_register_type(CAP_REGION, &region_cap_ops);
}
