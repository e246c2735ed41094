/*
 * cont.h - continuations: the kernel's only way to run later (lab 5).
 *
 * Baton has no kernel threads. Work that must wait (for a timer, for
 * input, for a domain to exit) is written as a continuation: a function
 * and a pointer to its state, registered to run when an event happens.
 * The function runs to completion, on the one continuation stack of this
 * CPU, starting at its top every time, and returns; what it wants done
 * next it registers as new continuations before returning (one, many —
 * a fan-out — or none). Nothing on the stack survives a continuation,
 * and no kernel code ever blocks or sleeps.
 *
 * The rules a continuation function must follow:
 *   1. Keep nothing on the stack for later: no pointer to a local
 *      variable may outlive the call (the next continuation reuses it).
 *   2. Hold no lock across the boundary (there is nothing to wait with).
 *   3. Its state belongs to it: it frees the state, or hands it to the
 *      continuations it registers. The engine frees only its own record.
 *   4. Never block: to wait, register a continuation and return.
 *
 * A record costs CONT_RECORD_BYTES of heap while it waits, whatever the
 * function would have kept on a thread's stack.
 */
#ifndef CONT_CONT_H
#define CONT_CONT_H

#include "cont/event.h"
#include "lib/types.h"

typedef void (*cont_fn)(void *state, const struct event *why);

struct cont_join;

/* The engine's record of one waiting continuation (or join arm). */
struct cont {
	cont_fn fn;	      /* NULL for an arm of a join */
	void *state;	      /* fn's argument; for an arm, its join */
	struct cont *next;    /* in the ready queue or a wait list */
	uint64_t key;	      /* what it waits for; then the event's value */
	uint32_t seq;	      /* registration order: ties run FIFO */
	enum event_kind kind; /* what it waits for */
};

#define CONT_STACK_SIZE 16384

/*
 * Registers fn(state) to run when the event (kind, key) happens; for
 * EVENT_NOW, as soon as everything ready before it has run (and its
 * value is then key). Returns 0,
 * -EINVAL (an unknown kind, or EVENT_JOIN), or -ENOMEM.
 */
int cont_wait(enum event_kind kind, uint64_t key, cont_fn fn, void *state);

/* cont_wait(EVENT_NOW, ...): runs fn(state) soon. */
int cont_now(cont_fn fn, void *state);

/* cont_wait(EVENT_TIMER, ...): runs fn(state) once clock_ns() >= deadline. */
int cont_at(uint64_t deadline, cont_fn fn, void *state);

/*
 * Registers fn(state) to run once every one of the n events in waits has
 * happened (a join: continuations form DAGs, not just chains). It runs
 * with EVENT_JOIN and value n. All or nothing: returns 0, or -EINVAL
 * (n == 0, a bad kind) / -ENOMEM with nothing registered.
 */
int cont_join(const struct wait *waits, size_t n, cont_fn fn, void *state);

/*
 * LAB 5: the event (kind, key) happened with value: every continuation
 * waiting for it becomes ready (in the order they were registered). Safe
 * in an interrupt handler: it allocates nothing. Returns how many woke.
 */
size_t event_fire(enum event_kind kind, uint64_t key, uint64_t value);

/*
 * LAB 5: the clock reads now: every timer wait with a deadline <= now
 * becomes ready, earliest first. Safe in an interrupt handler.
 */
void cont_expire_timers(uint64_t now);

/*
 * LAB 5: runs the next ready continuation, on a fresh continuation
 * stack. Returns false if none was ready.
 */
bool cont_run_one(void);

/*
 * Runs continuations until none is ready and no timer is pending,
 * halting (interrupts on) while only timers are left. Continuations
 * waiting for other events may remain.
 */
void cont_run_until_idle(void);

/*
 * Removes every registered continuation of function fn whose state
 * matches (match(state, arg) true), wherever it waits, and hands each
 * one's state to drop (its owner frees it). For a domain that dies with
 * continuations pending. Returns how many were removed.
 */
size_t cont_cancel(cont_fn fn, bool (*match)(void *state, void *arg), void *arg,
		   void (*drop)(void *state));

/* Continuations registered and not yet run (records held). */
extern size_t cont_pending;

/* The top of this CPU's continuation stack (for tests). */
uint64_t cont_stack_top(void);

#endif
