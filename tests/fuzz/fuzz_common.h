/*
 * fuzz_common.h - what the libFuzzer targets in tests/fuzz share.
 */
#ifndef TESTS_FUZZ_COMMON_H
#define TESTS_FUZZ_COMMON_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * The models' checks walk every frame or page after every operation.
 * Tracing their comparisons for the fuzzer would make it slower and teach
 * it nothing, so they are left out of the coverage (clang only).
 */
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))

/* Stops the fuzzer with a message when a rule does not hold. */
#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", \
				__FILE__, __LINE__, #cond);              \
			abort();                                         \
		}                                                        \
	} while (0)

/*
 * Does model[0 .. n) hold 2^order entries equal to free_kind starting at
 * a multiple of 2^order? For a buddy allocator whose checker has just
 * confirmed that no two free buddies are unmerged, an allocation of that
 * order must succeed exactly when it does.
 *
 * Why exactly: success implies such a run (the caller checks the block it
 * got was free in the model). If the aligned run R were free but the
 * allocation failed, take the smallest free block C inside R (of order
 * m < order, else a block of order >= order would exist). C's buddy lies
 * inside R (C's parent of order m + 1 <= order does), is covered by free
 * blocks of order >= m, and none can be larger without containing C; so
 * it is one free block of order m, unmerged with C: a contradiction. An
 * unaligned run would not be enough (fragmentation): frames 1 and 2 free,
 * 0 and 3 used, cannot give an order-1 block.
 */
NO_COVERAGE static inline bool model_has_aligned_run(const uint8_t *model,
						     size_t n, unsigned order,
						     uint8_t free_kind)
{
	size_t size = (size_t)1 << order;

	for (size_t start = 0; start + size <= n; start += size) {
		size_t i = start;

		while (i < start + size && model[i] == free_kind)
			i++;
		if (i == start + size)
			return true;
	}
	return false;
}

/* The fuzzer's input, read a byte at a time; zeros once it runs out. */
struct input {
	const uint8_t *data;
	size_t size, pos;
};

static inline uint8_t next_byte(struct input *in)
{
	return in->pos < in->size ? in->data[in->pos++] : 0;
}

/*
 * A slot number for a table of slots slots: mostly a valid one, and for
 * the last four byte values one out of range (-1, slots, 2^32,
 * LONG_MAX), which every lookup must refuse.
 */
static inline long next_slot_of(struct input *in, long slots)
{
	const long out_of_range[] = {-1, slots, (long)1 << 32, LONG_MAX};
	uint8_t b = next_byte(in);

	return b >= 252 ? out_of_range[b - 252] : b % slots;
}

#endif
