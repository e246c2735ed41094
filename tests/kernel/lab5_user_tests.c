/*
 * lab5_user_tests.c - lab 5: programs made of continuations.
 *
 * The programs (user/tests/u_*.c) use the async runtime (user/lib/
 * async.h); each test runs one with domain_run, which drives the engine
 * until the program has nothing left to run, then checks how it ended
 * and what it printed. The leak check counts continuations too: a
 * domain that dies with continuations registered must lose them.
 */
#include "cont/clock.h"
#include "cont/cont.h"
#include "cont/input.h"
#include "kern/console.h"
#include "kern/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "user/domain.h"

static char output[4096];

#define PATIENCE_NS (2000ul * 1000000) /* for events from outside: 2 s */

static struct domain *watched;
static uint64_t give_up_at;

/* Every 10 ms: still waiting for something from outside? Look again. */
static void keep_waiting(void *state, const struct event *why)
{
	(void)state;
	(void)why;
	if (watched->state == DOMAIN_RUNNING && clock_ns() < give_up_at)
		KT_ASSERT_OK(
			cont_at(clock_ns() + 10000000, keep_waiting, NULL));
}

/*
 * domain_run returns when nothing is ready and no timer is pending; a
 * program may still be waiting for input that is on its way (the
 * grader writes it while the kernel boots). Give it PATIENCE_NS.
 */
static void wait_for_outside_events(struct domain *d)
{
	watched = d;
	give_up_at = clock_ns() + PATIENCE_NS;
	if (d->state == DOMAIN_RUNNING) {
		KT_ASSERT_OK(cont_now(keep_waiting, NULL));
		cont_run_until_idle();
	}
}

/* Spawns name, runs it until it has nothing left, captures its output. */
static struct domain *run_async(const char *name)
{
	struct domain *d = NULL;
	int err = domain_spawn(name, &d);

	if (err < 0)
		KT_FAIL("domain_spawn(\"%s\") failed with %d (%s)", name, err,
			errno_name(err));
	console_capture_start(output, sizeof(output));
	err = domain_run(d);
	if (err == 0)
		wait_for_outside_events(d);
	console_capture_stop();
	KT_ASSERT_OK(err);
	return d;
}

static void expect_exit(struct domain *d, int status)
{
	if (d->state == DOMAIN_KILLED)
		KT_FAIL("%s was killed: %s", d->name, d->why);
	KT_ASSERT_EQ(d->state, DOMAIN_EXITED);
	if (d->status != status)
		KT_FAIL("%s ended with status %d, expected %d; it printed:\n%s",
			d->name, d->status, status, output);
}

/* Now-events in order, then timers by deadline, none early. */
KTEST(ucont_order, 5, 2)
{
	struct domain *d = run_async("u_order");

	expect_exit(d, 0); /* the last continuation ended: done */
	KT_ASSERT_CONTAINS(output, "u_order: ABC12, 0 early");
	domain_destroy(d);
}

/* A join in the runtime: one function after all three timers. */
KTEST(ucont_join, 5, 1)
{
	struct domain *d = run_async("u_join");

	expect_exit(d, 0);
	KT_ASSERT_CONTAINS(output, "joined 3 events, 1 time(s), 0 left");
	domain_destroy(d);
}

/*
 * A continuation that never ends is killed when its budget runs out;
 * its far-away timer is cancelled with it, and the kernel goes on.
 */
KTEST(ucont_budget_kills_runaway, 5, 2)
{
	struct domain *d = run_async("u_spin");

	KT_ASSERT_EQ(d->state, DOMAIN_KILLED);
	if (!strstr(d->why, "budget"))
		KT_FAIL("u_spin was killed for \"%s\"", d->why);
	KT_ASSERT_EQ(d->pending, 0);
	KT_ASSERT_EQ(cont_pending, 0);
	domain_destroy(d);
	d = run_async("u_order");
	expect_exit(d, 0);
	domain_destroy(d);
}

/* exit() ends everything: the status is kept, the far timer dropped. */
KTEST(ucont_exit_cancels_pending, 5, 1)
{
	struct domain *d = run_async("u_exit");

	expect_exit(d, 7);
	KT_ASSERT_EQ(cont_pending, 0);
	domain_destroy(d);
}

/* Bad next() requests get errors and register nothing. */
KTEST(ucont_next_rejects_bad_requests, 5, 1)
{
	struct domain *d = run_async("u_next_bad");

	expect_exit(d, 0);
	KT_ASSERT_CONTAINS(output, "u_next_bad: 0 failures");
	domain_destroy(d);
}

static int exit_seen;
static uint64_t exit_value;

static void on_exit(void *state, const struct event *why)
{
	(void)state;
	exit_seen++;
	exit_value = why->value;
}

/* The kernel side of waiting for a domain: its exit event, its status. */
KTEST(ucont_exit_event_carries_status, 5, 1)
{
	struct domain *d = NULL;

	KT_ASSERT_OK(domain_spawn("u_exit", &d));
	exit_seen = 0;
	KT_ASSERT_OK(
		cont_wait(EVENT_DOMAIN_EXIT, (uint64_t)d->id, on_exit, NULL));
	KT_ASSERT_OK(domain_run(d));
	cont_run_until_idle();
	KT_ASSERT_EQ(exit_seen, 1);
	KT_ASSERT_EQ(exit_value, 7);
	domain_destroy(d);
}

/* A parent spawns three children and joins on their exits. */
KTEST(ucont_spawn_and_join, 5, 2)
{
	size_t before = domain_count;
	struct domain *d = run_async("parent");

	expect_exit(d, 0);
	KT_ASSERT_CONTAINS(output, "parent: 3 children exited");
	domain_destroy(d);
	KT_ASSERT_EQ(domain_count, before); /* the kernel freed the children */
}

/* 100 domains made and finished: none left, nothing leaked. */
KTEST(ucont_100_domains_no_leak, 5, 1)
{
	struct domain *d = run_async("u_many");

	expect_exit(d, 0);
	KT_ASSERT_CONTAINS(output, "100 domains spawned and exited, 0 failed");
	domain_destroy(d);
	KT_ASSERT_EQ(domain_count, 0);
}

static void type_a_line(void *state, const struct event *why)
{
	(void)state;
	(void)why;
	input_inject("typed later\n", 12);
}

/*
 * Console input reaches the continuation waiting for it. Under QEMU the
 * grader writes "baton input" and a newline to COM1 (docs/protocol.md),
 * and the bytes come through the serial interrupt. Bochs's COM1 has no
 * input, so there the test puts the same line where the interrupt
 * handler would (input_inject), and says so.
 */
KTEST(ucont_console_input, 5, 2)
{
	const char *emu = ktest_emulator();
	struct domain *d;

	if (!emu || strcmp(emu, "qemu") != 0) {
		kprintf("(no serial input under %s: injecting the line)\n",
			emu ? emu : "this emulator");
		input_inject("baton input\n", 12);
	}
	d = run_async("echo");
	expect_exit(d, 0);
	KT_ASSERT_CONTAINS(output, "echo: got \"baton input\"");
	KT_ASSERT_EQ(input_available(), 0);
	domain_destroy(d);

	/* Now a line that arrives while echo waits for it: the event wakes
	 * the waiting continuation (5 ms later, as a keypress would). */
	KT_ASSERT_OK(cont_at(clock_ns() + 5000000, type_a_line, NULL));
	d = run_async("echo");
	expect_exit(d, 0);
	KT_ASSERT_CONTAINS(output, "echo: got \"typed later\"");
	domain_destroy(d);
}
