/*
 * lab4_user_tests.c - lab 4: programs in ring 3, system calls, faults.
 *
 * Each test spawns a program from user/ or user/tests/ (a multiboot2
 * module), runs it to its end and checks how it ended and what it
 * printed. The kernel checks after every test that every frame, region,
 * span and domain came back (KTEST_RESOURCE).
 */
#include "kern/console.h"
#include "kern/ktest.h"
#include "lib/string.h"
#include "user/domain.h"

static char output[4096];

/* Spawns the module name and runs it to its end, capturing its output. */
static struct domain *run_program(const char *name)
{
	struct domain *d = NULL;

	KT_ASSERT_OK(domain_spawn(name, &d));
	console_capture_start(output, sizeof(output));
	KT_ASSERT_OK(domain_run(d));
	console_capture_stop();
	return d;
}

KTEST(user_hello, 4, 2)
{
	struct domain *d = run_program("hello");

	KT_ASSERT_EQ(d->state, DOMAIN_EXITED);
	KT_ASSERT_EQ(d->status, 0);
	KT_ASSERT_CONTAINS(output, "hello from ring 3");
	domain_destroy(d);
}
