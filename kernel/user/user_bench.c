/*
 * user_bench.c - lab 4's benchmarks: a system call and loading a program.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "kern/bench.h"
#include "kern/bootinfo.h"
#include "user/domain.h"
#include "user/loader.h"

/*
 * The null system call's round trip, from the user's `syscall` to the
 * instruction after it: the program b_nop measures it itself with rdtsc
 * (guest instructions under -icount) and exits with the figure.
 */
KBENCH(bench_null_syscall, "user.null_syscall", "instructions")
{
	struct domain *d;
	uint64_t cost = 0;

	if (domain_spawn("b_nop", &d) < 0)
		return 0;
	if (domain_run(d) == 0 && d->state == DOMAIN_EXITED)
		cost = (uint64_t)d->status;
	domain_destroy(d);
	return cost;
}

/*
 * Loading b_big64k (64 KiB: 60 KiB of data from the file): parsing,
 * reserving, 16 page faults as the bytes are copied in, relocating and
 * setting permissions. The median of 11 loads, each undone before the
 * next.
 */
KBENCH(bench_elf_load_64k, "user.elf_load_64k", "instructions")
{
	const struct boot_module *m = boot_module_find("b_big64k");
	uint64_t costs[11];
	struct domain *d;

	if (!m || domain_create("b_big64k", &d) < 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(costs); i++) {
		uint64_t start = rdtsc();

		if (loader_load(d, phys_to_virt(m->start), m->end - m->start) <
		    0) {
			domain_destroy(d);
			return 0;
		}
		costs[i] = rdtsc() - start;
		domain_reclaim(d);
	}
	domain_destroy(d);
	/* Insertion sort: eleven numbers. */
	for (size_t i = 1; i < ARRAY_SIZE(costs); i++)
		for (size_t j = i; j > 0 && costs[j - 1] > costs[j]; j--) {
			uint64_t t = costs[j];

			costs[j] = costs[j - 1];
			costs[j - 1] = t;
		}
	return costs[ARRAY_SIZE(costs) / 2];
}
