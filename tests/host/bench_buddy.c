/*
 * bench_buddy.c - the buddy allocator's cost on the host, in nanoseconds
 * (make bench prints it next to the guest instruction counts).
 *
 * Wall-clock time on a shared machine is noisy: each figure is the median
 * of several runs of a million pairs. The kernel's own figures (guest
 * instructions under QEMU -icount) are the exact ones; these say what an
 * instruction count means in time on a real CPU.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/buddy.h"

#define NFRAMES (16 * 1024) /* 64 MiB */
#define PAIRS	1000000
#define RUNS	7

static struct buddy b;

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int compare(const void *x, const void *y)
{
	double a = *(const double *)x, c = *(const double *)y;

	return (a > c) - (a < c);
}

/* Nanoseconds per alloc+free pair of `order`, one buddy pinned (as in
 * the kernel's benchmark: no split, no merge). */
static double pair_ns(unsigned order)
{
	double samples[RUNS];
	paddr_t pinned, pa;

	if (buddy_alloc(&b, order, &pinned) < 0)
		return -1;
	for (int r = 0; r < RUNS; r++) {
		double start = now_ns();

		for (int i = 0; i < PAIRS; i++) {
			buddy_alloc(&b, order, &pa);
			buddy_free(&b, pa, order, NULL);
		}
		samples[r] = (now_ns() - start) / PAIRS;
	}
	buddy_free(&b, pinned, order, NULL);
	qsort(samples, RUNS, sizeof(samples[0]), compare);
	return samples[RUNS / 2];
}

int main(void)
{
	uint8_t *state = malloc(NFRAMES);
	void *window = aligned_alloc(BUDDY_FRAME_SIZE,
				     (size_t)NFRAMES * BUDDY_FRAME_SIZE);

	if (!state || !window)
		return 1;
	buddy_init(&b, 0, NFRAMES, state, window);
	buddy_add_range(&b, 0, (paddr_t)NFRAMES * BUDDY_FRAME_SIZE);
	printf("BATON BENCH name=pmem.order0_pair_host value=%.1f unit=ns\n",
	       pair_ns(0));
	printf("BATON BENCH name=pmem.order4_pair_host value=%.1f unit=ns\n",
	       pair_ns(4));
	free(window);
	free(state);
	return 0;
}
