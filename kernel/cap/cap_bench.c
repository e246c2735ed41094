/*
 * cap_bench.c - lab 6's capability benchmarks: a lookup, and a revoke.
 */
#include "arch/x86_64/cpu.h"
#include "cap/cap.h"
#include "kern/bench.h"
#include "lib/compiler.h"
#include "mm/heap.h"

#define REVOKE_RUNS	     11
#define REVOKE_CHILDREN	     10 /* each with REVOKE_GRANDCHILDREN: 100 in all */
#define REVOKE_GRANDCHILDREN 9

static struct cap_table lookup_table;
static long lookup_slot;
static struct cap *volatile found;

static void one_lookup(void)
{
	int err;

	found = cap_lookup(&lookup_table, lookup_slot, CAP_DOMAIN, CAP_R, &err);
}

/*
 * What a system call pays to turn a slot number into an object: the
 * range check, the slot, the type and the rights. The capability sits
 * in the table's last slot (it makes no difference: slots are indexed).
 */
KBENCH(bench_cap_lookup, "cap.lookup", "instructions")
{
	uint64_t cost;

	/* Domain capabilities to nothing: no operations run on them. */
	for (int s = 0; s < CAP_SLOTS; s++) {
		lookup_slot =
			cap_create(&lookup_table, CAP_DOMAIN, NULL, CAP_R);
		if (lookup_slot < 0) {
			cap_table_clear(&lookup_table);
			return 0;
		}
	}
	cost = bench_median(one_lookup, 101);
	cap_table_clear(&lookup_table);
	return cost;
}

/*
 * Builds the tree under the capability in slot 0 of tables[0]: children
 * in tables[1], their children in tables[2] and tables[3]. Returns 0 or
 * a negative error.
 */
static int build_tree(struct cap_table *tables)
{
	for (int c = 0; c < REVOKE_CHILDREN; c++) {
		long child = cap_derive(&tables[0], 0, CAP_R, 0);
		long to;

		if (child < 0 ||
		    cap_transfer(&tables[0], &child, 1, &tables[1], &to) < 0)
			return -1;
		for (int g = 0; g < REVOKE_GRANDCHILDREN; g++) {
			long grandchild = cap_derive(&tables[1], to, CAP_R, 0);

			if (grandchild < 0 ||
			    cap_transfer(&tables[1], &grandchild, 1,
					 &tables[2 + g % 2], NULL) < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * Revoking a tree of 100 capabilities (10 children of the root, each
 * with 9 children) spread over three other tables: the median of
 * REVOKE_RUNS revokes, each tree built untimed.
 */
KBENCH(bench_cap_revoke_100, "cap.revoke_100", "instructions")
{
	struct cap_table *tables = kzalloc(4 * sizeof(*tables));
	uint64_t costs[REVOKE_RUNS], cost = 0;

	if (!tables || cap_create(&tables[0], CAP_DOMAIN, NULL, CAP_R) != 0)
		goto out;
	for (int i = 0; i < REVOKE_RUNS; i++) {
		uint64_t start;

		if (build_tree(tables) < 0)
			goto out;
		start = rdtsc();
		cap_revoke(&tables[0], 0);
		costs[i] = rdtsc() - start;
	}
	cost = bench_median_of(costs, REVOKE_RUNS);
out:
	if (tables)
		for (int t = 0; t < 4; t++)
			cap_table_clear(&tables[t]);
	kfree(tables);
	return cost;
}
