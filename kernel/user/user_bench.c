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

/*
 * Runs a benchmark program, whose main sees arg as spawn_arg, and which
 * reports its figure as its exit status.
 */
static uint64_t program_figure_of(const char *name, uint64_t arg)
{
	struct domain *d;
	uint64_t figure = 0;

	if (domain_spawn(name, &d) < 0)
		return 0;
	d->arg = arg;
	if (domain_run(d) == 0 && d->state == DOMAIN_EXITED && d->status > 0)
		figure = (uint64_t)d->status;
	domain_destroy(d);
	return figure;
}

static uint64_t program_figure(const char *name)
{
	return program_figure_of(name, 0);
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

/* ---- Lab 7 ---------------------------------------------------------------- */

#define ONEWAY_COPY (1ul << 32) /* b_oneway's flag: copy, do not move */

/*
 * A message moving one page from one domain to another and back
 * (b_pingpong, b_echo), neither side touching the page. The goal is
 * 2,700: a tenth of xv6's one-byte pipe ping-pong (27,243 instructions
 * in the same QEMU mode).
 */
KBENCH(bench_ipc_roundtrip_move_1, "ipc.roundtrip_move_1", "instructions")
{
	return program_figure("b_pingpong");
}

/*
 * One way, from before the send to the receiver's first touch of every
 * page (b_oneway, b_echo): moving N pages, or copying them (MSG_COPY).
 */
KBENCH(bench_ipc_move_1, "ipc.move_1", "instructions")
{
	return program_figure_of("b_oneway", 1);
}

KBENCH(bench_ipc_move_2, "ipc.move_2", "instructions")
{
	return program_figure_of("b_oneway", 2);
}

KBENCH(bench_ipc_move_16, "ipc.move_16", "instructions")
{
	return program_figure_of("b_oneway", 16);
}

KBENCH(bench_ipc_move_512, "ipc.move_512", "instructions")
{
	return program_figure_of("b_oneway", 512);
}

KBENCH(bench_ipc_copy_1, "ipc.copy_1", "instructions")
{
	return program_figure_of("b_oneway", ONEWAY_COPY | 1);
}

KBENCH(bench_ipc_copy_2, "ipc.copy_2", "instructions")
{
	return program_figure_of("b_oneway", ONEWAY_COPY | 2);
}

KBENCH(bench_ipc_copy_16, "ipc.copy_16", "instructions")
{
	return program_figure_of("b_oneway", ONEWAY_COPY | 16);
}

KBENCH(bench_ipc_copy_512, "ipc.copy_512", "instructions")
{
	return program_figure_of("b_oneway", ONEWAY_COPY | 512);
}

/* The same, for a message of MSG_DATA_MAX bytes of data and no region. */
KBENCH(bench_ipc_data_64, "ipc.data_64", "instructions")
{
	return program_figure_of("b_oneway", 0);
}

/*
 * The message size at which moving starts to win: where the cost of
 * copying, drawn as a line through a 64-byte message (ipc.data_64) and a
 * one-page copy (ipc.copy_1), reaches the cost of moving one page
 * (ipc.move_1). Measured again here rather than taken from the lines
 * above, so that it stands alone; 0 if copying never costs more.
 */
KBENCH(bench_ipc_crossover, "ipc.crossover_bytes", "bytes")
{
	uint64_t data = program_figure_of("b_oneway", 0);
	uint64_t copy = program_figure_of("b_oneway", ONEWAY_COPY | 1);
	uint64_t move = program_figure_of("b_oneway", 1);

	if (move >= copy)
		return 0; /* not even at a page */
	if (move <= data)
		return 64; /* already for 64 bytes */
	return 64 + (move - data) * (PAGE_SIZE - 64) / (copy - data);
}