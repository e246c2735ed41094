/*
 * view_bench.c - lab 6's protection-switch benchmarks: installing one
 * domain's view after another's, as a function of their regions.
 */
#include "cap/cap.h"
#include "kern/bench.h"
#include "user/domain.h"
#include "user/view.h"

static struct domain *pair[2];
static int turn;

/* One switch: to the other domain of the pair. */
static void switch_once(void)
{
	turn ^= 1;
	view_switch(pair[turn]);
}

/* Gives d regions regions of one page, each touched (so mapped). */
static int give_regions(struct domain *d, int regions)
{
	for (int i = 0; i < regions; i++) {
		struct region *r;

		if (region_create(1, REGION_R | REGION_W | REGION_U, 0, &r) < 0)
			return -1;
		if (cap_create(&d->caps, CAP_REGION, r, CAP_R | CAP_W) < 0) {
			region_destroy(r);
			return -1;
		}
		*(volatile char *)r->start = 1;
	}
	return 0;
}

/*
 * Two domains with regions regions each (capabilities to pages that are
 * mapped), the view switching between them: the median of 101 switches,
 * each hiding one domain's pages and showing the other's.
 */
static uint64_t switch_cost(int regions)
{
	struct domain *before = view_installed();
	uint64_t cost = 0;

	if (domain_create("bench-a", &pair[0]) < 0)
		return 0;
	if (domain_create("bench-b", &pair[1]) < 0) {
		domain_destroy(pair[0]);
		return 0;
	}
	if (give_regions(pair[0], regions) == 0 &&
	    give_regions(pair[1], regions) == 0) {
		view_switch(pair[turn]);
		cost = bench_median(switch_once, 101);
	}
	view_switch(before);
	domain_destroy(pair[0]);
	domain_destroy(pair[1]);
	return cost;
}

KBENCH(bench_switch_1, "cap.switch_1", "instructions")
{
	return switch_cost(1);
}

KBENCH(bench_switch_8, "cap.switch_8", "instructions")
{
	return switch_cost(8);
}

KBENCH(bench_switch_64, "cap.switch_64", "instructions")
{
	return switch_cost(64);
}
