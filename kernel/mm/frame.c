/*
 * frame.c - the physical frame allocator: the memory map becomes one buddy
 * allocator (see frame.h).
 *
 * frame_init() takes each usable region of the map, cuts out the holes
 * (everything that is not free RAM), and gives what is left to the buddy
 * allocator. A hole is rounded outwards to whole frames, a usable region
 * inwards, so a partly usable frame is never handed out.
 */
#include "mm/frame.h"

#include "arch/x86_64/layout.h"
#include "kern/console.h"
#include "kern/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/bootmem.h"

#define MAX_HOLES (BOOT_MAX_REGIONS + BOOT_MAX_MODULES + 4)

struct range {
	paddr_t start, end; /* [start, end) */
};

static struct buddy frames;
static bool ready;

bool frame_ready(void)
{
	return ready;
}

bool frame_range_inside(paddr_t base, uint64_t length, paddr_t lo, paddr_t hi,
			paddr_t *start, paddr_t *end)
{
#if SOL >= 2
	paddr_t first = ALIGN_UP(MAX(base, lo), (paddr_t)FRAME_SIZE);
	paddr_t last = ALIGN_DOWN(MIN(base + length, hi), (paddr_t)FRAME_SIZE);

	/* base + length is exclusive: the byte at it is not in the region. */
	if (first >= last)
		return false;
	*start = first;
	*end = last;
	return true;
#else
	/*
	 * LAB 2: your code here.
	 *  1. Clip [base, base + length) to [lo, hi). The end is exclusive.
	 *  2. Round the start up and the end down to FRAME_SIZE: a frame
	 *     only partly inside the region is not usable.
	 *  3. Nothing left (start >= end after rounding)? Return false.
	 * Tests: frame_region_edges, frame_init_from_map.
	 */
	(void)base;
	(void)length;
	(void)lo;
	(void)hi;
	(void)start;
	(void)end;
	return false;
#endif
}

/* The end of usable RAM that the direct map reaches. */
static paddr_t usable_end(const struct bootinfo *bi)
{
	paddr_t end = 0;

	for (int i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == MEM_USABLE)
			end = MAX(end, bi->mem[i].base + bi->mem[i].length);
	return ALIGN_DOWN(MIN(end, (paddr_t)DIRECT_MAP_SIZE),
			  (paddr_t)FRAME_SIZE);
}

static void add_hole(struct range *holes, int *n, paddr_t start, paddr_t end)
{
	holes[(*n)++] = (struct range){
		ALIGN_DOWN(start, (paddr_t)FRAME_SIZE),
		ALIGN_UP(end, (paddr_t)FRAME_SIZE),
	};
}

/* Everything that is not free RAM, sorted by start. */
static int collect_holes(const struct bootinfo *bi, struct range *holes)
{
	paddr_t used_start, used_end;
	int n = 0;

	bootmem_used(&used_start, &used_end);
	add_hole(holes, &n, virt_to_phys(__kernel_start),
		 virt_to_phys(__kernel_end));
	add_hole(holes, &n, bi->info_start, bi->info_end);
	add_hole(holes, &n, used_start, used_end);
	for (int i = 0; i < bi->module_count; i++)
		add_hole(holes, &n, bi->modules[i].start, bi->modules[i].end);
	/* Firmware maps may overlap: reserved wins over usable. */
	for (int i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type != MEM_USABLE)
			add_hole(holes, &n, bi->mem[i].base,
				 bi->mem[i].base + bi->mem[i].length);
	for (int i = 1; i < n; i++) { /* insertion sort: a few dozen */
		struct range key = holes[i];
		int j = i - 1;

		for (; j >= 0 && holes[j].start > key.start; j--)
			holes[j + 1] = holes[j];
		holes[j + 1] = key;
	}
	return n;
}

/* Gives [start, end) minus the holes to the buddy allocator. */
static void add_without_holes(paddr_t start, paddr_t end,
			      const struct range *holes, int nholes)
{
	paddr_t cursor = start;

	for (int i = 0; i < nholes && cursor < end; i++) {
		if (holes[i].end <= cursor)
			continue;
		if (holes[i].start >= end)
			break;
		if (holes[i].start > cursor)
			buddy_add_range(&frames, cursor, holes[i].start);
		cursor = MAX(cursor, holes[i].end);
	}
	if (cursor < end)
		buddy_add_range(&frames, cursor, end);
}

int frame_init(const struct bootinfo *bi)
{
	struct range holes[MAX_HOLES];
	paddr_t end = usable_end(bi);
	size_t nframes = end / FRAME_SIZE;
	int nholes;

	if (bi->mmap_error || end == 0)
		return -ENOENT;
	buddy_init(&frames, 0, nframes, phys_to_virt(bootmem_alloc(nframes, 1)),
		   phys_to_virt(0));
	nholes = collect_holes(bi, holes); /* after bootmem's last use */
	for (int i = 0; i < bi->mem_count; i++) {
		const struct mem_region *r = &bi->mem[i];
		paddr_t start, stop;

		if (r->type == MEM_USABLE &&
		    frame_range_inside(r->base, r->length, FRAME_LOW_LIMIT, end,
				       &start, &stop))
			add_without_holes(start, stop, holes, nholes);
	}
	if (frames.managed_frames == 0)
		return -ENOSYS; /* lab 2 not written: nothing was added */
	ready = true;
	return 0;
}

/*
 * Before frame_init() (or without lab 2), `frames` is all zeros: an
 * allocator of no frames, which refuses every request by itself.
 */
static NOINLINE int alloc_zeroed(unsigned order, paddr_t *pa)
{
	int err = buddy_alloc(&frames, order, pa);

	if (err == 0)
		memset(phys_to_virt(*pa), 0, (size_t)FRAME_SIZE << order);
	return err;
}

int frame_alloc(unsigned order, unsigned flags, paddr_t *pa)
{
	/* Two paths, so the common one keeps nothing across the call. */
	if (flags & FRAME_ZERO)
		return alloc_zeroed(order, pa);
	return buddy_alloc(&frames, order, pa);
}

int frame_free(paddr_t pa, unsigned order)
{
	const char *why = "";
	int err = buddy_free(&frames, pa, order, &why);

	if (err == -EINVAL)
		kprintf("frame_free(%p, order %u) refused: %s\n", (void *)pa,
			order, why);
	return err;
}

size_t frame_managed_count(void)
{
	return frames.managed_frames;
}

size_t frame_free_count(void)
{
	return frames.free_frames;
}

size_t frame_free_blocks(unsigned order)
{
	return order <= FRAME_MAX_ORDER ? frames.free_blocks[order] : 0;
}

enum buddy_kind frame_kind(paddr_t pa)
{
	return buddy_frame_kind(&frames, pa);
}

int frame_check(char *why, size_t size)
{
	return buddy_check(&frames, why, size);
}

/* Leak accounting: every test must give back the frames it took. */
static uint64_t frames_in_use(void)
{
	return frames.managed_frames - frames.free_frames;
}

KTEST_RESOURCE(frames_in_use, "frames", "frames");
