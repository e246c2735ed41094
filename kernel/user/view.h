/*
 * view.h - what each domain may touch of the single address space (lab 6).
 *
 * Every region has one address, the same for every domain: a pointer
 * means the same thing everywhere (Opal and Mungi call this a single
 * address space). Protection is not in where things are but in who may
 * touch them. A domain may touch
 *   - its own regions: its program's segments and its stack, which the
 *     kernel made for it (domain.h), with their permissions, and
 *   - every region it holds a capability for, with that capability's
 *     rights (the union, if it holds several).
 *
 * There is one set of page tables. The domain whose continuation runs
 * has its view "installed": the pages of the regions above are shown to
 * user mode (PTE_U, with W and NX as its rights say) and every other
 * user page is hidden (no PTE_U). Switching to another domain's
 * continuation hides the old view and shows the new one, page by page,
 * with invlpg for each: a stale TLB entry would let the new domain use
 * the old one's rights. A page first touched after the switch is mapped
 * by the fault handler, which asks view_rights (through the hook in
 * mm/region.h) and refuses an access the domain's capabilities do not
 * allow: that is how a forged pointer kills its domain.
 */
#ifndef USER_VIEW_H
#define USER_VIEW_H

#include "mm/region.h"

struct domain;

/* Hooks the view into the fault handler and the region capabilities. */
void view_init(void);

/*
 * LAB 6: what d may do with r: REGION_R/W/X, or 0. r's own permissions
 * if it is one of d's own regions; plus the rights of every region
 * capability in d's table that names r.
 */
unsigned view_rights(const struct domain *d, const struct region *r);

/*
 * LAB 6: installs to's view (NULL: none): hides every page the
 * installed view showed, shows to's. Nothing to do if to's view is in.
 */
void view_switch(struct domain *to);

/* d is going away: if its view is installed, take it out. */
void view_leave(struct domain *d);

/* The domain whose view is installed, or NULL. */
struct domain *view_installed(void);

#endif
