/*
 * region.h - regions of the single address space, mapped on demand (lab 3).
 *
 * A region is a run of pages in the lower half with permissions (read,
 * write, execute, user). Creating one only reserves its addresses (from
 * the virtual-space allocator, vspace.h) and records it; no frame is
 * used until a page is first touched. Then the page fault handler finds
 * the region, checks the access against its permissions, and maps a fresh
 * zeroed frame at the faulting page: "demand-zero" paging.
 *
 * The first 2 MiB are never handed out, so that a null pointer plus a
 * small offset always faults; neither is the last page below the
 * non-canonical hole (SYSRET's pitfall, lab 4).
 */
#ifndef MM_REGION_H
#define MM_REGION_H

#include "lib/types.h"

/* Permissions. Every region is readable; W and X exclude each other. */
#define REGION_R 0x1
#define REGION_W 0x2
#define REGION_X 0x4
#define REGION_U 0x8 /* user mode may touch it (from lab 4) */

/* Flags for region_create. */
#define REGION_GUARDS 0x1 /* an unmapped page just below and above */

#define REGION_LOW_LIMIT  0x200000ul	       /* nothing below 2 MiB */
#define REGION_HIGH_LIMIT 0x00007ffffffff000ul /* the last page: never */

struct region {
	vaddr_t start;	     /* the first page */
	size_t pages;	     /* its length */
	unsigned perms;	     /* REGION_R | ... */
	vaddr_t block;	     /* its vspace block (guards included), or 0 */
	unsigned order;	     /* ... and that block's order */
	size_t faults;	     /* pages mapped on demand so far */
	const void *owner;   /* the domain it was made for (its program's
				segment or stack: lab 4), or NULL */
	struct region *next; /* in the registry */
};

/*
 * Sets up the virtual-space allocator and the page-fault handler. Needs
 * the heap (lab 2). Returns 0, -ENOMEM, or -ENOSYS without lab 2.
 */
int vmem_init(void);

/* Did vmem_init succeed? */
bool region_ready(void);

/*
 * Reserves pages pages of address space with perms, records the region
 * and stores it in *out. No memory is mapped yet. Returns 0, -EINVAL (no
 * pages, no REGION_R, W together with X, unknown bits) or -ENOMEM.
 */
int region_create(size_t pages, unsigned perms, unsigned flags,
		  struct region **out);

/*
 * A span of address space that is reserved but is not itself a region:
 * the ELF loader (lab 4) reserves one for a whole program, then places a
 * region for each segment inside it at the offset the program expects.
 */
struct vspan {
	vaddr_t start;	/* the first usable page (after the guard, if any) */
	size_t pages;	/* usable pages */
	vaddr_t block;	/* the vspace block holding it */
	unsigned order; /* ... and that block's order */
};

/* Reserves pages pages (REGION_GUARDS: plus a guard page each side). */
int vspan_reserve(size_t pages, unsigned flags, struct vspan *out);
/*
 * Gives a span back. Regions placed inside it must be destroyed first:
 * a region still inside is a kernel bug, and panics.
 */
void vspan_release(struct vspan *span);

/*
 * Records a region at a fixed page-aligned start, inside a span the
 * caller reserved (the region does not own its addresses). Returns 0,
 * -EINVAL (bad perms, misaligned, outside the user half) or -EEXIST
 * (it would overlap another region).
 */
int region_create_at(vaddr_t start, size_t pages, unsigned perms,
		     struct region **out);

/*
 * Changes r's permissions to perms and applies them to every page already
 * mapped (the TLB included), hidden from user mode until a domain's view
 * shows them (see below). Returns 0 or -EINVAL (as region_create).
 */
int region_set_perms(struct region *r, unsigned perms);

/* Unmaps every page of r, frees its frames and its addresses, forgets it. */
void region_destroy(struct region *r);

/* The region holding va, or NULL. */
struct region *region_find(vaddr_t va);

/*
 * LAB 3: handles a page fault at va with the CPU's error code (PF_* in
 * arch/x86_64/trap.h). Returns 0 when a zeroed frame was mapped at the
 * page holding va (so the faulting instruction can run again), -EFAULT if
 * va is in no region, -EACCES if the region forbids this access (a write
 * to a read-only region, a fetch from one without REGION_X, a user access
 * to a kernel region, or any fault on a page that is already present),
 * or -ENOMEM if no frame is left.
 */
int region_fault(vaddr_t va, uint64_t error);

/* The page-table flags that give a page of a region its permissions. */
uint64_t region_pte_flags(unsigned perms);

/*
 * Who may touch a user region (lab 6). Every region has one address for
 * everyone; what differs between domains is which pages user mode may
 * touch. A page of a REGION_U region is "shown" (PTE_U set, and W and NX
 * as the running domain's rights say) only to a domain that holds a
 * capability for it, and "hidden" (no PTE_U: only the kernel can reach
 * it) from the rest. The domain layer (user/view.h) tells this file,
 * through the hook below, what the running domain may do with a region;
 * without a hook, every user region is open to every domain.
 */
typedef unsigned (*region_rights_fn)(const struct region *r);
void region_set_rights_hook(region_rights_fn fn);

/* What user mode may do with r now: REGION_R/W/X, 0 for nothing. */
unsigned region_user_rights(const struct region *r);

/* Has r a page mapped (not counting parked ones)? */
bool region_has_mapped_pages(const struct region *r);

/*
 * Gives user mode rights on every mapped page of r (0: hides them all),
 * invalidating their TLB entries. Pages not mapped yet are left alone:
 * the fault handler asks region_user_rights when they are touched.
 */
void region_set_user_access(struct region *r, unsigned rights);

/*
 * A user-mode page fault at va with the CPU's error code: maps a zeroed
 * frame, or shows a hidden page, if region_user_rights allows this
 * access. Returns 0, -EFAULT (no region), -EACCES or -ENOMEM.
 */
int region_user_fault(vaddr_t va, uint64_t error);

/*
 * LAB 7: parks every mapped page of r (paging_park, in paging.h): from
 * now on no access, by any domain or by the kernel, reaches its frames
 * through a stale translation: each entry loses P and its TLB entry is
 * invalidated before this returns. The frames stay, recorded in the
 * entries. The next touch of a parked page, by whoever may touch it
 * then, faults, and the fault handler maps the same frame again:
 * nothing is copied, and the page keeps its address. This is how a
 * message moves a region (ipc/channel.h). Returns the pages parked.
 */
size_t region_park(struct region *r);

/* Demand-zero faults handled since boot (all regions). */
extern size_t region_faults_handled;

/* Pages parked, and parked pages mapped again by a fault, since boot. */
extern size_t region_pages_parked;
extern size_t region_pages_unparked;

#endif
