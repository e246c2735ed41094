/*
 * deadline.h - the queue of timer waits, earliest deadline first (lab 5).
 *
 * A binary min-heap of continuation records in an array, ordered by
 * (deadline, registration order), so that two timers with the same
 * deadline fire in the order they were set. Pushing may grow the array
 * (kmalloc), so it happens when a continuation registers; popping never
 * allocates, so the timer interrupt may do it. Pure code: tests/host
 * runs it with malloc as kmalloc.
 */
#ifndef CONT_DEADLINE_H
#define CONT_DEADLINE_H

#include "cont/cont.h"
#include "lib/types.h"

struct deadline_heap {
	struct cont **items; /* items[0] is the earliest */
	size_t count;
	size_t capacity;
};

/* Makes room for n more entries. Returns 0 or -ENOMEM. */
int deadline_reserve(struct deadline_heap *h, size_t n);

/*
 * LAB 5: adds c (deadline c->key, order c->seq). Room must have been
 * reserved: never allocates.
 */
void deadline_push(struct deadline_heap *h, struct cont *c);

/* LAB 5: removes and returns the earliest entry, or NULL if empty. */
struct cont *deadline_pop(struct deadline_heap *h);

/* The earliest entry, left in place, or NULL. */
static inline struct cont *deadline_peek(const struct deadline_heap *h)
{
	return h->count ? h->items[0] : NULL;
}

/* Frees the array (the heap must be empty). */
void deadline_destroy(struct deadline_heap *h);

/* Checks the heap order everywhere: 0, or -EINVAL. (Tests.) */
int deadline_check(const struct deadline_heap *h);

#endif
