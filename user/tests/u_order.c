/*
 * u_order.c - continuations run in a defined order, timers on time.
 *
 * main queues three functions for now and two timers, the later one
 * first. Each appends its letter to a log; the last prints it. Now-
 * events run in the order they were queued, before any timer; timers
 * run by deadline and never before it.
 */
#include "baton.h"

static char order[8];
static size_t done;
static int early;

static void note(void *arg, uint64_t value)
{
	order[done++] = (char)(uintptr_t)arg;
	if (value && (uint64_t)clock() < value)
		early++; /* a timer's value is its deadline */
	if (done == 5)
		printf("u_order: %s, %d early\n", order, early);
}

int main(void)
{
	/* One reading of the clock for both: two, a busy host apart, could
	 * be more than 2 ms apart and swap the deadlines. */
	uint64_t now = (uint64_t)clock();

	async_at(now + MS(4), note, (void *)'2');
	async_at(now + MS(2), note, (void *)'1');
	async_now(note, (void *)'A');
	async_now(note, (void *)'B');
	async_now(note, (void *)'C');
	async_end();
}
