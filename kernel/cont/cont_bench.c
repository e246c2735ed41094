/*
 * cont_bench.c - lab 5's kernel-side benchmarks: what a blocked
 * continuation costs in memory, and how soon a timer's continuation runs.
 */
#include "arch/x86_64/cpu.h"
#include "cont/clock.h"
#include "cont/cont.h"
#include "kern/bench.h"
#include "mm/heap.h"

#define BLOCKED 100

static void nothing(void *state, const struct event *why)
{
	(void)state;
	(void)why;
}

/*
 * Heap bytes held per continuation blocked on an event: 100 of them
 * registered, the heap's growth divided by 100. (Mach 3.0 needed 690
 * bytes per blocked thread with continuations, 4,664 without.)
 */
KBENCH(bench_bytes_blocked, "cont.bytes_blocked", "bytes")
{
	size_t before = heap_bytes_in_use(), held;

	for (int i = 0; i < BLOCKED; i++)
		if (cont_wait(EVENT_DOMAIN_EXIT, ~0ul, nothing, NULL) < 0)
			return 0;
	held = heap_bytes_in_use() - before;
	event_fire(EVENT_DOMAIN_EXIT, ~0ul, 0);
	cont_run_until_idle();
	return held / BLOCKED;
}

static uint64_t latency;

static void timer_ran(void *state, const struct event *why)
{
	(void)state;
	(void)why;
	latency = rdtsc() - clock_tick_tsc;
}

/*
 * From the first instruction of the timer interrupt's handler to the
 * first of the continuation it made ready: the expiry, leaving the
 * interrupt, waking the dispatcher, the stack switch.
 */
KBENCH(bench_timer_latency, "cont.timer_latency", "instructions")
{
	latency = 0;
	if (cont_at(clock_ns() + 1000000, timer_ran, NULL) < 0)
		return 0;
	cont_run_until_idle();
	return latency;
}
