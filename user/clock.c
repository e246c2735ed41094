/*
 * clock.c - a clock that ticks: three ticks, 100 ms apart.
 *
 * Each tick is a continuation that runs when its deadline comes, prints
 * the clock, and registers the next tick at an absolute deadline (so the
 * ticks do not drift by however long each one took to start).
 */
#include "baton.h"

#define TICKS  3
#define PERIOD MS(100)

static uint64_t start;

static void tick(void *arg, uint64_t deadline)
{
	uintptr_t n = (uintptr_t)arg;

	printf("clock: tick %lu at %lu ms (due at %lu ms)\n", (unsigned long)n,
	       ((uint64_t)clock() - start) / 1000000,
	       (deadline - start) / 1000000);
	if (n < TICKS)
		async_at(start + (n + 1) * PERIOD, tick, (void *)(n + 1));
}

int main(void)
{
	start = (uint64_t)clock();
	async_at(start + PERIOD, tick, (void *)1);
	async_end();
}
