/*
 * mm_bench.c - benchmarks of the memory layer: frames, heap, page tables
 * and regions (make bench).
 *
 * Each pair is measured in the steady state of a running kernel: a block
 * of the same order is pinned (allocated) whose buddy is free, so the
 * measured allocation takes that buddy off its free list at once and the
 * free puts it back without merging (its buddy, the pinned block, is in
 * use). That is the common case; a pair that splits a 4 MiB block all the
 * way down and merges it back up costs about five times as much.
 */
#include "kern/bench.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/region.h"

#define MAX_PINS 64

static unsigned pair_order;

static void frame_pair(void)
{
	paddr_t pa;

	if (frame_alloc(pair_order, 0, &pa) == 0)
		frame_free(pa, pair_order);
}

/*
 * Pins blocks of `order` until one has a free buddy (blocks whose buddy
 * is reserved or in use, left over at region edges, are pinned too).
 * Returns how many were pinned.
 */
static int pin_until_buddy_free(unsigned order, paddr_t *pins)
{
	size_t size = (size_t)FRAME_SIZE << order;
	int n = 0;

	while (n < MAX_PINS && frame_alloc(order, 0, &pins[n]) == 0)
		if (frame_kind(pins[n++] ^ size) == BUDDY_FREE)
			break;
	return n;
}

static uint64_t pinned_pair(unsigned order)
{
	paddr_t pins[MAX_PINS];
	int n = pin_until_buddy_free(order, pins);
	uint64_t cost;

	pair_order = order;
	cost = bench_median(frame_pair, 101);
	while (n > 0)
		frame_free(pins[--n], order);
	return cost;
}

KBENCH(bench_order0_pair, "pmem.order0_pair", "instructions")
{
	return pinned_pair(0);
}

KBENCH(bench_order4_pair, "pmem.order4_pair", "instructions")
{
	return pinned_pair(4);
}

static void kmalloc64_pair(void)
{
	kfree(kmalloc(64));
}

/* One object pinned keeps its slab: the pair never allocates a frame. */
KBENCH(bench_kmalloc64_pair, "heap.kmalloc64_pair", "instructions")
{
	void *pinned = kmalloc(64);
	uint64_t cost;

	if (!pinned)
		return 0;
	cost = bench_median(kmalloc64_pair, 101);
	kfree(pinned);
	return cost;
}

/* ---- Lab 3: virtual memory ---------------------------------------------- */

static struct region *fault_region;
static size_t fault_next; /* the next page of fault_region to touch */

static void touch_next_page(void)
{
	*(volatile uint8_t *)(fault_region->start + fault_next++ * FRAME_SIZE) =
		1;
}

/*
 * A demand-zero fault, from the faulting write to its return: the trap
 * entry and exit, region_fault, zeroing the frame (most of the cost: 512
 * word stores) and paging_map. Every sample touches a page not touched
 * before.
 */
KBENCH(bench_fault_zero, "vmem.fault_zero", "instructions")
{
	uint64_t cost;

	if (region_create(256, REGION_R | REGION_W, 0, &fault_region) < 0)
		return 0;
	fault_next = 0;
	touch_next_page(); /* the page tables exist from here on */
	cost = bench_median(touch_next_page, 101);
	region_destroy(fault_region);
	return cost;
}

static paddr_t map_frame;
#define MAP_VA 0x0000600000000000ul

static void map_unmap_pair(void)
{
	paging_map(paging_root(), MAP_VA, map_frame, PTE_W | PTE_NX);
	paging_unmap(paging_root(), MAP_VA, NULL);
}

/* One neighbour page stays mapped, so the page tables stay too. */
KBENCH(bench_map_unmap_pair, "vmem.map_unmap_pair", "instructions")
{
	paddr_t neighbour;
	uint64_t cost;

	if (frame_alloc(0, 0, &map_frame) < 0 ||
	    frame_alloc(0, 0, &neighbour) < 0 ||
	    paging_map(paging_root(), MAP_VA + FRAME_SIZE, neighbour, 0) < 0)
		return 0;
	cost = bench_median(map_unmap_pair, 101);
	paging_unmap(paging_root(), MAP_VA + FRAME_SIZE, NULL);
	frame_free(neighbour, 0);
	frame_free(map_frame, 0);
	return cost;
}

static void region_pair(void)
{
	struct region *r;

	if (region_create(1, REGION_R | REGION_W, 0, &r) == 0)
		region_destroy(r);
}

/* One small region pinned: its neighbours' blocks are already split. */
KBENCH(bench_region_pair, "vmem.region_pair", "instructions")
{
	struct region *pinned;
	uint64_t cost;

	if (region_create(1, REGION_R | REGION_W, 0, &pinned) < 0)
		return 0;
	cost = bench_median(region_pair, 101);
	region_destroy(pinned);
	return cost;
}
