/*
 * async.h - the asynchronous runtime: programs as continuations (lab 5).
 *
 * A Baton program never waits. Instead it says what should happen next:
 *
 *	static void tick(void *arg, uint64_t value)
 *	{
 *		printf("tick %d\n", (int)(uintptr_t)arg);
 *		if ((uintptr_t)arg < 3)
 *			async_after(MS(10), tick, (void *)((uintptr_t)arg + 1));
 *	}
 *
 *	int main(void)
 *	{
 *		async_after(MS(10), tick, (void *)1);
 *		async_end();
 *	}
 *
 * Each async_ call queues a function to run on an event; async_end()
 * (or the return of a function the runtime called) hands the queue to
 * the kernel in one next() system call and ends the continuation. When
 * one of the events happens, the kernel starts a fresh continuation in
 * the runtime, which calls the function with the event's value. Nothing
 * on the stack survives from one function to the next: keep state in
 * globals or in memory the arg points to.
 *
 * Joins: async_join waits for n functions' events. Pass async_join_arm
 * as the function and the join as the argument to each of them; when
 * the n-th has happened, the join's own function runs (once).
 */
#ifndef USER_ASYNC_H
#define USER_ASYNC_H

#include "lib/types.h"

#define MS(n) ((uint64_t)(n)*1000000)

typedef void (*async_fn)(void *arg, uint64_t value);

/* Each returns 0, or -ENOSPC when ASYNC_MAX_QUEUED are queued already. */
#define ASYNC_MAX_QUEUED 16
int async_now(async_fn fn, void *arg);
int async_at(uint64_t deadline_ns, async_fn fn, void *arg);
int async_after(uint64_t delay_ns, async_fn fn, void *arg);
int async_on_input(async_fn fn, void *arg);
/* A child's exit, by the capability spawn() gave; value: its status. */
int async_on_exit(long handle, async_fn fn, void *arg);
/* A message waiting at a channel end, or its peer closed (lab 7); value:
 * the messages waiting. Then receive() takes one. */
int async_on_message(long end, async_fn fn, void *arg);
/* Room at a channel end's peer for another send, or the peer closed;
 * value: the places free. */
int async_on_room(long end, async_fn fn, void *arg);

/* Where every continuation of the runtime starts (crt0.S). */
void async_entry(void);

/* Ends this continuation, handing the kernel what was queued. */
__attribute__((noreturn)) void async_end(void);

struct async_join {
	unsigned left; /* events still due */
	async_fn fn;
	void *arg;
};

/* Makes j wait for n events, then run fn(arg, n). */
void async_join(struct async_join *j, unsigned n, async_fn fn, void *arg);
/* The async_fn to give each awaited event, with j as its argument. */
void async_join_arm(void *j, uint64_t value);

#endif
