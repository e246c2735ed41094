/*
 * backtrace.c - walking and printing the chain of frame pointers.
 */
#include "kern/backtrace.h"

#include "arch/x86_64/layout.h"
#include "kern/console.h"
#include "kern/symbols.h"

bool backtrace_frame_ok(uint64_t rbp)
{
	uint64_t image_start = (uint64_t)__kernel_start;
	uint64_t image_end = (uint64_t)__kernel_end;

	if (rbp == 0 || rbp % 8 != 0)
		return false;
	/* The record is two words; both must lie in the same area. */
	if (rbp >= image_start && rbp + 16 <= image_end)
		return true;
	return rbp >= DIRECT_MAP && rbp + 16 <= DIRECT_MAP + DIRECT_MAP_SIZE;
}

int backtrace_walk(uint64_t rbp, uint64_t *pcs, int max)
{
#if SOL >= 1
	int n = 0;

	while (n < max && backtrace_frame_ok(rbp)) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t return_address = frame[1];
		uint64_t caller_rbp = frame[0];

		if (return_address == 0)
			break;
		pcs[n++] = return_address;
		/* Stacks grow down, so callers' frames lie at higher addresses:
		 * anything else is a corrupt chain (and could loop forever). */
		if (caller_rbp <= rbp)
			break;
		rbp = caller_rbp;
	}
	return n;
#else
	/*
	 * LAB 1: your code here. See the picture in backtrace.h.
	 *  1. While fewer than max frames are stored and
	 *     backtrace_frame_ok(rbp): read the return address (rbp + 8) and
	 *     the caller's rbp (rbp + 0).
	 *  2. Stop at a zero return address; otherwise store it in pcs[n++].
	 *  3. Stop unless the caller's rbp is above this one (a corrupt chain
	 *     could otherwise loop forever); else continue from it.
	 *  4. Return how many addresses you stored.
	 * Tests: backtrace_walk_chain, backtrace_survives_garbage,
	 * panic_prints_backtrace.
	 */
	(void)rbp;
	(void)pcs;
	(void)max;
	return 0;
#endif
}

static void print_frame(int index, uint64_t pc, uint64_t lookup_pc)
{
	uint64_t offset;
	const char *name = symbols_lookup(lookup_pc, &offset);

	kprintf("  #%-2d %p", index, (void *)pc);
	if (name)
		kprintf(" %s+0x%lx", name, pc - (lookup_pc - offset));
	kprintf("\n");
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
	uint64_t pcs[BACKTRACE_MAX];
	int n = backtrace_walk(rbp, pcs, BACKTRACE_MAX);
	int index = 0;

	kprintf("backtrace:\n");
	if (rip)
		print_frame(index++, rip, rip);
	/*
	 * A return address points after the call; when the call was the
	 * last instruction of a function (a call to a noreturn function),
	 * it points at the next function. Looking up pc - 1 names the caller.
	 */
	for (int i = 0; i < n; i++)
		print_frame(index++, pcs[i], pcs[i] - 1);
	if (n == 0 && rbp == 0)
		kprintf("  (no caller frames: RBP is 0 here)\n");
	else if (n == 0)
		kprintf("  (no frames: is backtrace_walk() written? LAB 1)\n");
}
