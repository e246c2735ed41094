/*
 * bench.c - running the in-kernel benchmarks (see bench.h).
 */
#include "kern/bench.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/machine.h"
#include "kern/console.h"

extern const struct kbench __kbenches_start[], __kbenches_end[];
extern uint64_t boot_tsc; /* boot.S: rdtsc when GRUB jumped to us */

#define BENCH_MAX_RUNS 255

uint64_t kmain_tsc;

uint64_t bench_median_of(uint64_t *samples, int n)
{
	/* Insertion sort: a few hundred samples at most. */
	for (int i = 1; i < n; i++) {
		uint64_t key = samples[i];
		int j = i - 1;

		for (; j >= 0 && samples[j] > key; j--)
			samples[j + 1] = samples[j];
		samples[j + 1] = key;
	}
	return samples[n / 2];
}

/* The median of runs measurements of fn, overhead included. */
static uint64_t raw_median(void (*fn)(void), int runs)
{
	uint64_t samples[BENCH_MAX_RUNS];

	if (runs > BENCH_MAX_RUNS)
		runs = BENCH_MAX_RUNS;
	for (int i = 0; i < runs; i++) {
		uint64_t start = rdtsc();

		fn();
		samples[i] = rdtsc() - start;
	}
	return bench_median_of(samples, runs);
}

static void empty(void)
{
	barrier();
}

uint64_t bench_median(void (*fn)(void), int runs)
{
	uint64_t overhead = raw_median(empty, runs);
	uint64_t cost = raw_median(fn, runs);

	/* What rdtsc and the call cost is not the measured function's. */
	return cost > overhead ? cost - overhead : 0;
}

void bench_run_all(void)
{
	for (const struct kbench *b = __kbenches_start; b < __kbenches_end;
	     b++) {
		uint64_t value = b->run();

		kprintf("BATON BENCH name=%s value=%lu unit=%s\n", b->name,
			value, b->unit);
	}
	machine_exit(MACHINE_PASS);
}

/*
 * From reset (BIOS, GRUB) to the first line of kmain: under -icount the
 * time stamp counter starts at 0 at reset. The only inexact row: the
 * firmware polls timers, so it varies by about 0.1% from run to run.
 */
KBENCH(bench_reset_to_kmain, "boot.reset_to_kmain", "instructions")
{
	return kmain_tsc;
}

/* From GRUB's jump to _start32 to the first line of kmain. */
KBENCH(bench_boot_to_kmain, "boot.to_kmain", "instructions")
{
	return kmain_tsc - boot_tsc;
}

static void loop_1000(void)
{
	for (int i = 0; i < 1000; i++)
		barrier();
}

/* A calibration row: a loop of 1000 empty iterations (about 3000). */
KBENCH(bench_loop_1000, "cpu.loop_1000", "instructions")
{
	return bench_median(loop_1000, 101);
}
