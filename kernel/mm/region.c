/*
 * region.c - the region registry and the page-fault handler (region.h).
 */
#include "mm/region.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/extable.h"
#include "arch/x86_64/trap.h"
#include "kern/ktest.h"
#include "kern/panic.h"
#include "lib/errno.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/vspace.h"

#define LOWER_HALF_END 0x0000800000000000ul
#define PERMS_KNOWN    (REGION_R | REGION_W | REGION_X | REGION_U)
#define PAGE	       FRAME_SIZE

static struct vspace space;
static struct region *regions; /* the registry: a list, most recent first */
static size_t region_count;
size_t region_faults_handled;

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

int region_create(size_t pages, unsigned perms, unsigned flags,
		  struct region **out)
{
	size_t guard = flags & REGION_GUARDS ? 1 : 0;
	struct region *r;
	int err;

	if (pages == 0 || pages > ((size_t)1 << VSPACE_MAX_ORDER) ||
	    !(perms & REGION_R) || (perms & ~PERMS_KNOWN) ||
	    ((perms & REGION_W) && (perms & REGION_X)) ||
	    (flags & ~REGION_GUARDS))
		return -EINVAL;
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->order = vspace_order_for(pages + 2 * guard);
	err = vspace_alloc(&space, r->order, &r->block);
	if (err < 0) {
		kfree(r);
		return err;
	}
	/* The guards are the block's first page and the page after the
	 * region: in the block, so nobody else gets them, but never mapped. */
	r->start = r->block + guard * PAGE;
	r->pages = pages;
	r->perms = perms;
	r->next = regions;
	regions = r;
	region_count++;
	*out = r;
	return 0;
}

/* Unmaps every mapped page of r and frees its frame. */
static void unmap_all(const struct region *r)
{
	vaddr_t end = r->start + r->pages * PAGE;
	pte_t *root = paging_root();
	paddr_t pa;

	for (vaddr_t va = paging_next_mapped(root, r->start, end); va < end;
	     va = paging_next_mapped(root, va + PAGE, end))
		if (paging_unmap(root, va, &pa) == 0)
			frame_free(pa, 0);
}

void region_destroy(struct region *r)
{
	struct region **link = &regions;
	int err;

	unmap_all(r);
	err = vspace_free(&space, r->block, r->order);
	if (err < 0)
		PANIC("region_destroy: vspace_free(%p, %u) failed: %s%s",
		      (void *)r->block, r->order, errno_name(err),
		      err == -ENOSYS ? " (LAB 3 not written)" : "");
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

/*
 * The page-fault handler. A fault the regions cannot explain is a kernel
 * bug, unless the kernel expected it: a copy from or to user memory
 * (lab 4) is in the exception table and returns -EFAULT instead. From
 * lab 4 on, a fault in user mode kills the domain.
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
	} else {
		err = region_fault(va, tf->error);
		if (err == 0)
			return;
		why = fault_reason(err);
	}
	if (!trapframe_from_user(tf) && extable_fixup(tf))
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
	return 0;
}

static uint64_t regions_in_use(void)
{
	return region_count;
}

KTEST_RESOURCE(regions_in_use, "regions", "regions");
