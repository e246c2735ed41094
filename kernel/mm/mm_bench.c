/*
 * mm_bench.c - benchmarks of the frame allocator and the heap (make bench).
 *
 * Each pair is measured in the steady state of a running kernel: a block
 * of the same order is pinned (allocated) whose buddy is free, so the
 * measured allocation takes that buddy off its free list at once and the
 * free puts it back without merging (its buddy, the pinned block, is in
 * use). That is the common case; a pair that splits a 4 MiB block all the
 * way down and merges it back up costs about ten times more steps.
 */
#include "kern/bench.h"
#include "mm/frame.h"
#include "mm/heap.h"

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
