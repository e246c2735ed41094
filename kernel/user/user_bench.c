/*
 * user_bench.c - benchmarks of user mode: a system call and loading a
 * program (lab 4); dispatching continuations and spawning (lab 5).
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "kern/bench.h"
#include "kern/bootinfo.h"
#include "mm/heap.h"
#include "user/domain.h"
#include "user/loader.h"
#include "user/ucont.h"

/* Runs a benchmark program that reports its figure as its exit status. */
static uint64_t program_figure(const char *name)
{
	struct domain *d;
	uint64_t figure = 0;

	if (domain_spawn(name, &d) < 0)
		return 0;
	if (domain_run(d) == 0 && d->state == DOMAIN_EXITED && d->status > 0)
		figure = (uint64_t)d->status;
	domain_destroy(d);
	return figure;
}

/*
 * The null system call's round trip, from the user's `syscall` to the
 * instruction after it: the program b_nop measures it itself with rdtsc
 * (guest instructions under -icount) and exits with the figure.
 */
KBENCH(bench_null_syscall, "user.null_syscall", "instructions")
{
	return program_figure("b_nop");
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
	return bench_median_of(costs, ARRAY_SIZE(costs));
}

/* ---- Lab 5 ---------------------------------------------------------------- */

/*
 * From a continuation's next() to the first instruction of the one it
 * named: the system call, registering, leaving user mode, the
 * dispatcher, entering user mode again (b_dispatch measures it).
 */
KBENCH(bench_cont_dispatch, "cont.dispatch", "instructions")
{
	return program_figure("b_dispatch");
}

/*
 * Spawning child from its module, letting it run and exit, and
 * receiving its exit event (b_spawn). xv6's fork + exit + wait of a
 * 12 KB process: 1,972,184 instructions in the same QEMU mode.
 */
KBENCH(bench_cont_spawn_join, "cont.spawn_join", "instructions")
{
	return program_figure("b_spawn");
}

/*
 * Heap bytes held per blocked user continuation: the engine's record
 * and the user continuation's (entry, argument, domain). 16 of them,
 * waiting for input, registered for a loaded domain.
 */
KBENCH(bench_bytes_blocked_user, "cont.bytes_blocked_user", "bytes")
{
	struct ucont_next waits[UCONT_MAX_NEXT];
	struct domain *d;
	size_t before, held;

	if (domain_spawn("hello", &d) < 0)
		return 0;
	for (size_t i = 0; i < UCONT_MAX_NEXT; i++)
		waits[i] = (struct ucont_next){.entry = d->entry,
					       .kind = EVENT_INPUT};
	before = heap_bytes_in_use();
	if (ucont_register(d, waits, UCONT_MAX_NEXT) < 0) {
		domain_destroy(d);
		return 0;
	}
	held = heap_bytes_in_use() - before;
	domain_destroy(d); /* cancels them */
	return held / UCONT_MAX_NEXT;
}
