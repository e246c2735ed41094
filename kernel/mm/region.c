/*
 * region.c - the region registry and the page-fault handler (region.h).
 */
#include "mm/region.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/extable.h"
#include "arch/x86_64/trap.h"
#include "kern/ktest.h"
#include "kern/lab.h"
#include "kern/panic.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/vspace.h"

#define LOWER_HALF_END 0x0000800000000000ul
#define PERMS_KNOWN    (REGION_R | REGION_W | REGION_X | REGION_U)
#define PAGE	       FRAME_SIZE

static struct vspace space;
static region_rights_fn rights_hook;
static struct region *regions; /* the registry: a list, most recent first */
static size_t region_count;
static size_t span_count; /* spans reserved but not owned by a region */
static bool ready;
size_t region_faults_handled;
size_t region_pages_parked;
size_t region_pages_unparked;

uint64_t region_pte_flags(unsigned perms)
{
	return (perms & REGION_W ? PTE_W : 0) |
	       (perms & REGION_X ? 0 : PTE_NX) | (perms & REGION_U ? PTE_U : 0);
}

struct region *region_find(vaddr_t va)
{
	for (struct region *r = regions; r; r = r->next)
		if (va >= r->start && va - r->start < r->pages * PAGE)
			return r;
	return NULL;
}

static bool perms_valid(unsigned perms)
{
	return (perms & REGION_R) && !(perms & ~PERMS_KNOWN) &&
	       !((perms & REGION_W) && (perms & REGION_X));
}

/* Records a new region in the registry. */
static int region_record(vaddr_t start, size_t pages, unsigned perms,
			 struct region **out)
{
	struct region *r = kzalloc(sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->start = start;
	r->pages = pages;
	r->perms = perms;
	r->next = regions;
	regions = r;
	region_count++;
	*out = r;
	return 0;
}

int vspan_reserve(size_t pages, unsigned flags, struct vspan *out)
{
	size_t guard = flags & REGION_GUARDS ? 1 : 0;
	int err;

	if (pages == 0 || pages > ((size_t)1 << VSPACE_MAX_ORDER) ||
	    (flags & ~REGION_GUARDS))
		return -EINVAL;
	out->order = vspace_order_for(pages + 2 * guard);
	err = vspace_alloc(&space, out->order, &out->block);
	if (err < 0)
		return err;
	/* The guards are the block's first page and the page after the
	 * span: in the block, so nobody else gets them, but never mapped. */
	out->start = out->block + guard * PAGE;
	out->pages = pages;
	span_count++;
	return 0;
}

void vspan_release(struct vspan *span)
{
	vaddr_t end = span->start + span->pages * PAGE;
	int err;

	/* Its addresses would go to someone else while still in use. */
	for (const struct region *r = regions; r; r = r->next)
		if (r->start < end && span->start < r->start + r->pages * PAGE)
			PANIC("vspan_release: the region at %p is still inside "
			      "the span [%p, %p)",
			      (void *)r->start, (void *)span->start,
			      (void *)end);
	err = vspace_free(&space, span->block, span->order);

	if (err < 0)
		PANIC("vspan_release: vspace_free(%p, %u) failed: %s%s",
		      (void *)span->block, span->order, errno_name(err),
		      err == -ENOSYS ? " (LAB 3 not written)" : "");
	span_count--;
}

int region_create(size_t pages, unsigned perms, unsigned flags,
		  struct region **out)
{
	struct vspan span;
	int err;

	if (!perms_valid(perms))
		return -EINVAL;
	err = vspan_reserve(pages, flags, &span);
	if (err < 0)
		return err;
	err = region_record(span.start, pages, perms, out);
	if (err < 0) {
		vspan_release(&span);
		return err;
	}
	/* This region owns its span: region_destroy gives it back. */
	span_count--;
	(*out)->block = span.block;
	(*out)->order = span.order;
	return 0;
}

int region_create_at(vaddr_t start, size_t pages, unsigned perms,
		     struct region **out)
{
	vaddr_t end = start + pages * PAGE;

	if (!perms_valid(perms) || pages == 0 || start % PAGE ||
	    start < REGION_LOW_LIMIT || pages > REGION_HIGH_LIMIT / PAGE ||
	    end > REGION_HIGH_LIMIT)
		return -EINVAL;
	for (const struct region *r = regions; r; r = r->next)
		if (start < r->start + r->pages * PAGE && r->start < end)
			return -EEXIST;
	return region_record(start, pages, perms, out);
}

int region_set_perms(struct region *r, unsigned perms)
{
	if (!perms_valid(perms))
		return -EINVAL;
	r->perms = perms;
	paging_protect_range(paging_root(), r->start,
			     r->start + r->pages * PAGE,
			     region_pte_flags(perms & ~REGION_U));
	return 0;
}

/* Unmaps every mapped or parked page of r and frees its frame. */
static void unmap_all(const struct region *r)
{
	vaddr_t end = r->start + r->pages * PAGE;
	pte_t *root = paging_root();
	paddr_t pa;

	for (vaddr_t va = paging_next_used(root, r->start, end); va < end;
	     va = paging_next_used(root, va + PAGE, end)) {
		paging_unpark(root, va, 0); /* if parked: present, to unmap */
		if (paging_unmap(root, va, &pa) == 0)
			frame_free(pa, 0);
	}
}

void region_destroy(struct region *r)
{
	struct region **link = &regions;
	int err;

	unmap_all(r);
	/* A region placed in someone else's span (block 0) owns no space. */
	if (r->block) {
		err = vspace_free(&space, r->block, r->order);
		if (err < 0)
			PANIC("region_destroy: vspace_free(%p, %u) failed: "
			      "%s%s",
			      (void *)r->block, r->order, errno_name(err),
			      err == -ENOSYS ? " (LAB 3 not written)" : "");
	}
	while (*link != r)
		link = &(*link)->next;
	*link = r->next;
	region_count--;
	kfree(r);
}

int region_fault(vaddr_t va, uint64_t error)
{
#if SOL >= 3
	struct region *r = region_find(va);
	paddr_t pa;
	int err;

	if (!r)
		return -EFAULT;
	if (((error & PF_W) && !(r->perms & REGION_W)) ||
	    ((error & PF_I) && !(r->perms & REGION_X)) ||
	    ((error & PF_U) && !(r->perms & REGION_U)) ||
	    (error & (PF_P | PF_RSVD)))
		return -EACCES;
	if (frame_alloc(0, FRAME_ZERO, &pa) < 0)
		return -ENOMEM;
	/* The page that faulted, not the region's first one. */
	err = paging_map(paging_root(), ALIGN_DOWN(va, (vaddr_t)PAGE), pa,
			 region_pte_flags(r->perms));
	if (err < 0) {
		frame_free(pa, 0);
		return err == -EEXIST ? -EACCES : err;
	}
	r->faults++;
	region_faults_handled++;
	return 0;
#else
	/*
	 * LAB 3: your code here (contract in region.h).
	 *  1. Find the region holding va: none, -EFAULT.
	 *  2. Check the access against its permissions, using the error
	 *     code's bits: PF_W needs REGION_W, PF_I needs REGION_X, PF_U
	 *     needs REGION_U; a fault on a present page (PF_P) means the page
	 *     is mapped and forbids this access: -EACCES.
	 *  3. Get a zeroed frame (-ENOMEM) and map it, with the region's
	 *     permissions (region_pte_flags), at the page holding va: round
	 *     va down to its page. (Not r->start: the kernel we learned from
	 *     mapped the region's first page every time.)
	 *  4. Count the fault (r->faults, region_faults_handled).
	 * Tests: region_demand_zero, region_write_read_only_faults,
	 * region_exec_nx_faults, region_guard_pages_fault.
	 */
	(void)va;
	(void)error;
	return -ENOSYS;
#endif
}

void region_set_rights_hook(region_rights_fn fn)
{
	rights_hook = fn;
}

unsigned region_user_rights(const struct region *r)
{
	unsigned all = r->perms & (REGION_R | REGION_W | REGION_X);

	if (!(r->perms & REGION_U))
		return 0;
	return rights_hook ? rights_hook(r) & all : all;
}

/* The flags of a page of r: shown with rights, or hidden (rights 0). */
static uint64_t user_flags(const struct region *r, unsigned rights)
{
	if (!rights)
		return region_pte_flags(r->perms & ~REGION_U);
	return region_pte_flags(rights | REGION_U);
}

bool region_has_mapped_pages(const struct region *r)
{
	vaddr_t end = r->start + r->pages * PAGE;

	return paging_next_mapped(paging_root(), r->start, end) != end;
}

void region_set_user_access(struct region *r, unsigned rights)
{
	paging_protect_range(paging_root(), r->start,
			     r->start + r->pages * PAGE, user_flags(r, rights));
}

size_t region_park(struct region *r)
{
#if SOL >= 7
	vaddr_t end = r->start + r->pages * PAGE;
	pte_t *root = paging_root();
	size_t parked = 0;

	for (vaddr_t va = paging_next_mapped(root, r->start, end); va < end;
	     va = paging_next_mapped(root, va + PAGE, end))
		if (paging_park(root, va) == 0) /* invlpg included */
			parked++;
	region_pages_parked += parked;
	return parked;
#else
	/*
	 * LAB 7: your code here (contract in region.h). For every mapped
	 * page of r (paging_next_mapped finds them; unmap_all's loop is the
	 * same shape, with paging_next_used), paging_park it. Count the pages parked, here and in
	 * region_pages_parked. Why must every invlpg happen before the send
	 * that calls this returns, and not later, when the receiver runs?
	 * Tests: every lab 7 test that moves a region: ipc_move_parks_pages,
	 * ipc_sender_loses_page, ipc_ping_pong, ipc_pipeline_pointers_valid,
	 * ...
	 */
	(void)r;
	lab_missing(7, "region_park");
#endif
}

/*
 * LAB 7: the fault at page of r found it parked (it moved in a message,
 * lab 7): maps the same frame again, shown to user mode with rights (0:
 * hidden, for a fault of the kernel's). No frame is allocated, nothing
 * is zeroed or copied. Returns 0, or -ENOENT if the page is not parked
 * (then it is a page never touched: the caller maps a zeroed frame).
 */
static int unpark(struct region *r, vaddr_t page, unsigned rights)
{
#if SOL >= 7
	int err = paging_unpark(paging_root(), page, user_flags(r, rights));

	if (err == 0)
		region_pages_unparked++;
	return err;
#else
	/*
	 * LAB 7: your code here. paging_unpark with the flags of a page of
	 * r shown with rights (user_flags), and count it in
	 * region_pages_unparked. Until you write it, a parked page looks
	 * never touched, and the receiver would get a fresh zeroed frame
	 * while the sender's frame leaked: this stub refuses instead.
	 * Tests: ipc_move_parks_pages, ipc_sender_loses_page,
	 * ipc_pipeline_pointers_valid, ipc_ping_pong, ...
	 */
	if (paging_next_used(paging_root(), page, page + PAGE) == page &&
	    paging_next_mapped(paging_root(), page, page + PAGE) != page)
		lab_missing(7, "unpark");
	(void)r;
	(void)rights;
	return -ENOENT;
#endif
}

/* Does rights allow the access the error code describes? */
static bool access_allowed(uint64_t error, unsigned rights)
{
	if (error & PF_W)
		return rights & REGION_W;
	if (error & PF_I)
		return rights & REGION_X;
	return rights & REGION_R;
}

int region_user_fault(vaddr_t va, uint64_t error)
{
	struct region *r = region_find(va);
	vaddr_t page = ALIGN_DOWN(va, (vaddr_t)PAGE);
	unsigned rights;
	paddr_t pa;
	int err;

	if (!r)
		return -EFAULT;
	rights = region_user_rights(r);
	if (!access_allowed(error, rights) || (error & PF_RSVD))
		return -EACCES;
	/* Present: a page hidden from this domain until now. A page that
	 * was shown already would not have faulted for an allowed access. */
	if (error & PF_P)
		return paging_protect(paging_root(), page,
				      user_flags(r, rights));
	/* Lab 7: a page that moved here from another domain. */
	if (unpark(r, page, rights) == 0)
		return 0;
	if (frame_alloc(0, FRAME_ZERO, &pa) < 0)
		return -ENOMEM;
	err = paging_map(paging_root(), page, pa, user_flags(r, rights));
	if (err < 0) {
		frame_free(pa, 0);
		return err == -EEXIST ? -EACCES : err;
	}
	r->faults++;
	region_faults_handled++;
	return 0;
}

/*
 * The kernel touched a page of a user region first (the loader, or a
 * copy to user memory): region_fault mapped it with PTE_U, which would
 * show it to whatever domain's view is in the page tables. Hide it; the
 * domain that may touch it gets it shown at its first touch.
 */
static void hide_kernel_mapped(vaddr_t va)
{
	struct region *r = region_find(va);

	if (r && (r->perms & REGION_U))
		paging_protect(paging_root(), ALIGN_DOWN(va, (vaddr_t)PAGE),
			       user_flags(r, 0));
}

/*
 * The kernel touched a parked page of a user region (copying to or from
 * a domain that received it, lab 7): bring it back, hidden from user
 * mode. True if it was parked (and is mapped again).
 */
static bool kernel_unpark(vaddr_t va, uint64_t error)
{
	struct region *r = region_find(va);

	return r && !(error & PF_P) &&
	       unpark(r, ALIGN_DOWN(va, (vaddr_t)PAGE), 0) == 0;
}

static const char *fault_reason(int err)
{
	switch (err) {
	case -EFAULT:
		return "outside any region";
	case -EACCES:
		return "the region does not allow this access";
	case -ENOMEM:
		return "no frame left to map";
	case -ENOSYS:
		return "LAB 3: region_fault() is not written yet";
	default:
		return errno_name(err);
	}
}

/* Why a user access was refused: the region's rule, or the domain's? */
static const char *user_fault_reason(vaddr_t va, uint64_t error, int err)
{
	const struct region *r = region_find(va);
	unsigned all = REGION_R | REGION_W | REGION_X;

	if (err == -EACCES && r && (r->perms & REGION_U) &&
	    access_allowed(error, r->perms & all))
		return "this domain holds no capability that allows it";
	return fault_reason(err);
}

/*
 * The page-fault handler. A fault the regions cannot explain is a kernel
 * bug, unless the kernel expected it: a copy from or to user memory
 * (lab 4) is in the exception table and returns -EFAULT instead. A
 * fault in user mode that no region explains kills the domain (lab 4).
 */
static void page_fault(struct trapframe *tf)
{
	vaddr_t va = read_cr2();
	const char *why;
	int err;

	if (va >= LOWER_HALF_END) {
		why = "in the kernel half, where nothing is mapped on demand";
	} else if (va < REGION_LOW_LIMIT) {
		why = "below 2 MiB, where nothing is ever mapped (a null "
		      "pointer?)";
	} else if (tf->error & PF_U) {
		err = region_user_fault(va, tf->error);
		if (err == 0)
			return;
		why = user_fault_reason(va, tf->error, err);
	} else if (kernel_unpark(va, tf->error)) {
		return;
	} else {
		err = region_fault(va, tf->error);
		if (err == 0) {
			hide_kernel_mapped(va);
			return;
		}
		why = fault_reason(err);
	}
	if (trapframe_from_user(tf)) {
		static char detail[160];

		snprintf(detail, sizeof(detail), "%s %p: %s",
			 tf->error & PF_I   ? "fetch at"
			 : tf->error & PF_W ? "write to"
					    : "read from",
			 (void *)va, why);
		trap_user_fault(tf, detail); /* kills the domain */
	}
	if (extable_fixup(tf))
		return;
	panic_trap(tf, "unexpected #PF (Page fault) at %p: %s", (void *)va,
		   why);
}

int vmem_init(void)
{
	int err;

	if (!frame_ready())
		return -ENOSYS;
	vspace_init(&space, 0, LOWER_HALF_END);
	err = vspace_add(&space, REGION_LOW_LIMIT, REGION_HIGH_LIMIT);
	if (err < 0)
		return err;
	trap_register(T_PF, page_fault);
	ready = true;
	return 0;
}

bool region_ready(void)
{
	return ready;
}

static uint64_t regions_in_use(void)
{
	return region_count;
}

KTEST_RESOURCE(regions_in_use, "regions", "regions");

static uint64_t spans_in_use(void)
{
	return span_count;
}

KTEST_RESOURCE(spans_in_use, "address spans", "spans");
