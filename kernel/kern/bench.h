/*
 * bench.h - in-kernel benchmarks, run with bench=1 (make bench).
 *
 * Under QEMU with -icount shift=0, rdtsc counts executed guest
 * instructions exactly, so every figure is repeatable: a benchmark
 * reports instructions, not seconds. A benchmark registers itself with
 * KBENCH(name, unit) and returns its measured value; tools/bench.py
 * collects the BATON BENCH lines into a table and build/bench.json.
 */
#ifndef KERN_BENCH_H
#define KERN_BENCH_H

#include "lib/compiler.h"
#include "lib/types.h"

struct kbench {
	const char *name; /* "boot.to_kmain": subsystem.what */
	const char *unit; /* "instructions" */
	uint64_t (*run)(void);
};

#define KBENCH(fn, name_, unit_)                                            \
	static uint64_t fn(void);                                           \
	static const struct kbench kbench_entry_##fn                        \
		__attribute__((used, section(".kbenches"), aligned(8))) = { \
			.name = (name_),                                    \
			.unit = (unit_),                                    \
			.run = fn,                                          \
	};                                                                  \
	static uint64_t fn(void)

/*
 * The median of runs calls of fn, each measured with rdtsc (runs <= 255),
 * minus the cost of measuring an empty function: the instructions of fn
 * itself, its call and return included.
 */
uint64_t bench_median(void (*fn)(void), int runs);

/*
 * The median of samples[0 .. n), which it sorts: for a benchmark that
 * times one phase of each run itself (and undoes it untimed).
 */
uint64_t bench_median_of(uint64_t *samples, int n);

/* Runs every benchmark, prints its BATON BENCH line, ends the emulator. */
NORETURN void bench_run_all(void);

/* rdtsc at the very first instruction of kmain (boot.to_kmain). */
extern uint64_t kmain_tsc;

#endif
