/*
 * random.h - a small, fast, seedable pseudo-random generator.
 *
 * xorshift64* (Vigna, 2016): not for cryptography, but good enough to
 * drive randomized tests, and the same seed gives the same sequence on
 * every run, so a failure found with seed=N is reproduced with seed=N.
 */
#ifndef LIB_RANDOM_H
#define LIB_RANDOM_H

#include "lib/types.h"

struct random {
	uint64_t state; /* never 0 */
};

static inline void random_seed(struct random *r, uint64_t seed)
{
	r->state = seed ? seed : 0x9e3779b97f4a7c15ull;
}

static inline uint64_t random_next(struct random *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 0x2545f4914f6cdd1dull;
}

/* A number in [0, bound), bound > 0 (slightly biased; fine for tests). */
static inline uint64_t random_below(struct random *r, uint64_t bound)
{
	return random_next(r) % bound;
}

#endif
