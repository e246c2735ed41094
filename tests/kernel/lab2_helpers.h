/*
 * lab2_helpers.h - what the lab 2 tests (frames and heap) share.
 */
#ifndef TESTS_LAB2_HELPERS_H
#define TESTS_LAB2_HELPERS_H

#include "arch/x86_64/layout.h"
#include "kern/ktest.h"
#include "mm/frame.h"

/* Every test starts here: without a frame allocator nothing can work. */
static inline void require_frames(void)
{
	if (!frame_ready())
		KT_FAIL("the frame allocator did not start: is LAB 2 written? "
			"(the boot log's 'frames:' line says why)");
}

/*
 * Allocates every free frame, chaining them through their first word
 * (*chain is the last one, 0 ends the chain); returns how many.
 */
static inline size_t take_all_frames(paddr_t *chain)
{
	size_t count = 0;
	paddr_t pa;

	*chain = 0;
	while (frame_alloc(0, 0, &pa) == 0) {
		*(paddr_t *)phys_to_virt(pa) = *chain;
		*chain = pa;
		count++;
	}
	return count;
}

/* Frees every frame of a chain made by take_all_frames. */
static inline void give_back_frames(paddr_t chain)
{
	while (chain) {
		paddr_t next = *(paddr_t *)phys_to_virt(chain);

		KT_ASSERT_OK(frame_free(chain, 0));
		chain = next;
	}
}

#endif
