/*
 * lab5_cont_tests.c - lab 5: the continuation engine in the kernel.
 *
 * Each test registers continuations, runs the engine until it is idle
 * (cont_run_until_idle) and checks what ran, in which order, when, and
 * on which stack. The leak check after every test counts continuation
 * records: a test that leaves one registered fails.
 */
#include "cont/clock.h"
#include "cont/cont.h"
#include "kern/ktest.h"
#include "lib/errno.h"
#include "lib/random.h"
#include "lib/string.h"

#define LOG_MAX 256

/* What ran, in order: each continuation appends its state. */
static uintptr_t run_log[LOG_MAX];
static size_t run_count;

static void log_run(void *state, const struct event *why)
{
	(void)why;
	if (run_count < LOG_MAX)
		run_log[run_count] = (uintptr_t)state;
	run_count++;
}

static void reset_log(void)
{
	run_count = 0;
	memset(run_log, 0, sizeof(run_log));
}

/* Registers log_run(i) now, for i in 0..n-1. */
static void register_now(size_t n)
{
	for (size_t i = 0; i < n; i++)
		KT_ASSERT_OK(cont_now(log_run, (void *)i));
}

static void expect_log_counts_up(size_t n)
{
	KT_ASSERT_EQ(run_count, n);
	for (size_t i = 0; i < n; i++)
		if (run_log[i] != i)
			KT_FAIL("run %zu was continuation %lu, expected %zu", i,
				(unsigned long)run_log[i], i);
}

/* Continuations ready now run in the order they were registered. */
KTEST(cont_now_runs_in_order, 5, 2)
{
	reset_log();
	register_now(10);
	KT_ASSERT_EQ(run_count, 0); /* nothing runs until the engine does */
	cont_run_until_idle();
	expect_log_counts_up(10);
	KT_ASSERT_EQ(cont_pending, 0);
}

/* ---- Fan-out: one continuation registers many ---------------------------- */

#define FAN 100
static uint8_t fan_runs[FAN];

static void fan_leaf(void *state, const struct event *why)
{
	KT_ASSERT_EQ(why->kind, EVENT_NOW);
	fan_runs[(uintptr_t)state]++;
}

static void fan_root(void *state, const struct event *why)
{
	(void)state;
	(void)why;
	for (uintptr_t i = 0; i < FAN; i++)
		KT_ASSERT_OK(cont_now(fan_leaf, (void *)i));
}

KTEST(cont_fan_out, 5, 2)
{
	memset(fan_runs, 0, sizeof(fan_runs));
	KT_ASSERT_OK(cont_now(fan_root, NULL));
	cont_run_until_idle();
	for (int i = 0; i < FAN; i++)
		if (fan_runs[i] != 1)
			KT_FAIL("leaf %d ran %u times", i, fan_runs[i]);
}

/* ---- Events and joins ------------------------------------------------------ */

static uint64_t last_value;

static void remember_value(void *state, const struct event *why)
{
	log_run(state, why);
	last_value = why->value;
}

/* Only the waits whose key matches wake, in order, with the value. */
KTEST(cont_event_wakes_matching, 5, 2)
{
	reset_log();
	KT_ASSERT_OK(
		cont_wait(EVENT_DOMAIN_EXIT, 7, remember_value, (void *)0));
	KT_ASSERT_OK(
		cont_wait(EVENT_DOMAIN_EXIT, 8, remember_value, (void *)9));
	KT_ASSERT_OK(
		cont_wait(EVENT_DOMAIN_EXIT, 7, remember_value, (void *)1));
	KT_ASSERT_EQ(event_fire(EVENT_DOMAIN_EXIT, 7, 42), 2);
	cont_run_until_idle();
	expect_log_counts_up(2);
	KT_ASSERT_EQ(last_value, 42);
	KT_ASSERT_EQ(event_fire(EVENT_DOMAIN_EXIT, 7, 43), 0); /* used up */
	KT_ASSERT_EQ(event_fire(EVENT_DOMAIN_EXIT, 8, 44), 1);
	cont_run_until_idle();
	KT_ASSERT_EQ(run_count, 3);
	KT_ASSERT_EQ(run_log[2], 9);
	KT_ASSERT_EQ(last_value, 44);
}

static struct event join_event;
static int join_runs;

static void joined(void *state, const struct event *why)
{
	(void)state;
	join_event = *why;
	join_runs++;
}

/* A join runs once, after the last of its events, and not before. */
KTEST(cont_join_waits_for_all, 5, 2)
{
	const struct wait waits[] = {
		{EVENT_DOMAIN_EXIT, 101},
		{EVENT_DOMAIN_EXIT, 102},
		{EVENT_TIMER, clock_ns() + 2000000},
	};

	join_runs = 0;
	KT_ASSERT_OK(cont_join(waits, 3, joined, NULL));
	KT_ASSERT_EQ(event_fire(EVENT_DOMAIN_EXIT, 102, 0), 1);
	KT_ASSERT_EQ(event_fire(EVENT_DOMAIN_EXIT, 101, 0), 1);
	while (cont_run_one()) /* both arms: not yet the join */
		;
	KT_ASSERT_EQ(join_runs, 0);
	cont_run_until_idle(); /* the timer, then the join */
	KT_ASSERT_EQ(join_runs, 1);
	KT_ASSERT_EQ(join_event.kind, EVENT_JOIN);
	KT_ASSERT_EQ(join_event.value, 3);
}

/* ---- Timers ------------------------------------------------------------------ */

#define TIMERS 24
static uint64_t fired_deadline[TIMERS];
static uint64_t fired_at[TIMERS];
static size_t fired;

static void timer_fired(void *state, const struct event *why)
{
	(void)state;
	KT_ASSERT_EQ(why->kind, EVENT_TIMER);
	if (fired < TIMERS) {
		fired_deadline[fired] = why->value;
		fired_at[fired] = clock_ns();
	}
	fired++;
}

/* Random deadlines up to 8 ms away (some equal): all fire, in order. */
KTEST(cont_timers_in_order, 5, 2)
{
	struct random r;
	uint64_t start = clock_ns();

	random_seed(&r, ktest_seed());
	fired = 0;
	for (int i = 0; i < TIMERS; i++) {
		uint64_t delay = (random_next(&r) % 8) * 1000000;

		KT_ASSERT_OK(cont_at(start + delay, timer_fired, NULL));
	}
	cont_run_until_idle();
	KT_ASSERT_EQ(fired, TIMERS);
	for (int i = 1; i < TIMERS; i++)
		if (fired_deadline[i] < fired_deadline[i - 1])
			KT_FAIL("timer %d (deadline %lu) fired after one due "
				"at %lu",
				i - 1, fired_deadline[i - 1],
				fired_deadline[i]);
}

/* Measured on the clock: no timer runs before its deadline. */
KTEST(cont_timer_never_early, 5, 2)
{
	uint64_t start = clock_ns();

	fired = 0;
	for (int i = 0; i < TIMERS; i++)
		KT_ASSERT_OK(cont_at(start + (uint64_t)(i % 5) * 700000 + 1,
				     timer_fired, NULL));
	cont_run_until_idle();
	KT_ASSERT_EQ(fired, TIMERS);
	for (int i = 0; i < TIMERS; i++)
		if (fired_at[i] < fired_deadline[i])
			KT_FAIL("a timer due at %lu ns ran at %lu ns",
				fired_deadline[i], fired_at[i]);
}

/* ---- One stack ------------------------------------------------------------- */

static uintptr_t frame_of[8];

static void where_am_i(void *state, const struct event *why)
{
	volatile int local = 0;

	(void)why;
	frame_of[(uintptr_t)state] = (uintptr_t)&local;
	if ((uintptr_t)state + 1 < ARRAY_SIZE(frame_of))
		KT_ASSERT_OK(
			cont_now(where_am_i, (void *)((uintptr_t)state + 1)));
}

/*
 * Every continuation runs on this CPU's one continuation stack, from its
 * top: the same local sits at the same address in each, even when one
 * registered the next (nothing of it is left on the stack).
 */
KTEST(cont_one_kernel_stack, 5, 1)
{
	uint64_t top = cont_stack_top();

	KT_ASSERT_OK(cont_now(where_am_i, (void *)0));
	cont_run_until_idle();
	for (size_t i = 0; i < ARRAY_SIZE(frame_of); i++) {
		if (frame_of[i] >= top || frame_of[i] < top - CONT_STACK_SIZE)
			KT_FAIL("continuation %zu ran with a local at %p, off "
				"the continuation stack",
				i, (void *)frame_of[i]);
		KT_ASSERT_EQ(frame_of[i], frame_of[0]);
	}
}

/* ---- Many, and bad requests -------------------------------------------------- */

static size_t chain_left, chain_runs;

/* Each link registers the next and a leaf: 10,000 continuations. */
static void chain_link(void *state, const struct event *why)
{
	(void)why;
	chain_runs++;
	if (state)
		return; /* a leaf */
	if (chain_left > 0) {
		chain_left--;
		KT_ASSERT_OK(cont_now(chain_link, NULL));
		KT_ASSERT_OK(cont_now(chain_link, (void *)1));
	}
}

KTEST(cont_10000_no_leak, 5, 1)
{
	chain_left = 4999;
	chain_runs = 0;
	KT_ASSERT_OK(cont_now(chain_link, NULL));
	KT_ASSERT_OK(cont_now(chain_link, (void *)1));
	cont_run_until_idle();
	KT_ASSERT_EQ(chain_runs, 10000);
	KT_ASSERT_EQ(cont_pending, 0);
}

/*
 * Bad requests are refused whole, and leave the engine as it was: the
 * good continuations around them run exactly once, in order.
 */
KTEST(cont_rejects_bad_waits, 5, 1)
{
	const struct wait bad[] = {{EVENT_NOW, 0}, {EVENT_JOIN, 0}};

	reset_log();
	KT_ASSERT_OK(cont_now(log_run, (void *)0));
	KT_ASSERT_EQ(cont_wait(EVENT_JOIN, 0, log_run, NULL), -EINVAL);
	KT_ASSERT_EQ(cont_wait((enum event_kind)99, 0, log_run, NULL), -EINVAL);
	KT_ASSERT_EQ(cont_wait(EVENT_NOW, 0, NULL, NULL), -EINVAL);
	KT_ASSERT_EQ(cont_join(bad, 0, log_run, NULL), -EINVAL);
	KT_ASSERT_EQ(cont_join(bad, 2, log_run, NULL), -EINVAL);
	KT_ASSERT_EQ(event_fire(EVENT_JOIN, 0, 0), 0);
	KT_ASSERT_EQ(event_fire(EVENT_NOW, 0, 0), 0);
	KT_ASSERT_EQ(cont_pending, 1); /* nothing half-registered */
	KT_ASSERT_OK(cont_now(log_run, (void *)1));
	cont_run_until_idle();
	expect_log_counts_up(2);
}
