/*
 * b_nop.c - the cost of a system call that does nothing (user.null_syscall).
 *
 * Under QEMU with -icount shift=0, rdtsc counts guest instructions, so
 * the difference between two reads is the instructions between them:
 * the `syscall`, the whole kernel path and the `sysret`. The cost of the
 * two reads themselves is measured alone and taken off. The figure is
 * the exit status; the kernel's benchmark reports it (make bench).
 */
#include "baton.h"

/* The fewest instructions any of runs measurements took. */
static uint64_t fewest(bool with_call, int runs)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < runs; i++) {
		uint64_t start = rdtsc();

		if (with_call)
			nop();
		best = MIN(best, rdtsc() - start);
	}
	return best;
}

int main(void)
{
	uint64_t empty = fewest(false, 11);
	uint64_t call = fewest(true, 11);

	return (int)(call - empty);
}
