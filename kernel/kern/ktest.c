/*
 * ktest.c - finding, running and reporting kernel tests.
 */
#include "kern/ktest.h"

#include "arch/x86_64/machine.h"
#include "kern/console.h"
#include "lib/format.h"
#include "lib/string.h"

extern const struct ktest __ktests_start[], __ktests_end[];
extern const struct ktest_resource __ktest_resources_start[],
	__ktest_resources_end[];

#define MAX_RESOURCES 16

#define PANIC_CAPTURE_SIZE 8192

static const struct ktest *current;
static uint64_t seed;
static const char *const *expected_panic;
static char panic_capture[PANIC_CAPTURE_SIZE];

const struct ktest *ktest_current(void)
{
	return current;
}

const char *ktest_emu;

uint64_t ktest_seed(void)
{
	return seed;
}

static void print_lab(int lab)
{
	if (lab == KTEST_LAB_SELFTEST)
		kprintf("selftest");
	else
		kprintf("%d", lab);
}

void ktest_list(void)
{
	int count = 0;

	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		kprintf("BATON TEST name=%s lab=", t->name);
		print_lab(t->lab);
		kprintf(" points=%d\n", t->points);
		count++;
	}
	kprintf("BATON LIST-END count=%d\n", count);
	machine_exit(MACHINE_PASS);
}

static NORETURN void report_pass(void)
{
	kprintf("BATON RESULT name=%s status=pass\n", current->name);
	machine_exit(MACHINE_PASS);
}

/* Prints the fail line; the reason is one line, so newlines become ' '. */
static NORETURN void report_fail(const char *file, int line, const char *fmt,
				 va_list ap)
{
	char reason[256];

	vsnprintf(reason, sizeof(reason), fmt, ap);
	for (char *p = reason; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (!console_at_line_start())
		kprintf("\n");
	kprintf("BATON RESULT name=%s status=fail reason=", current->name);
	if (file)
		kprintf("%s:%d: ", file, line);
	kprintf("%s\n", reason);
	machine_exit(MACHINE_FAIL);
}

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!current) {
		/* Not in a test: a kernel bug called a test function. */
		kprintf("ktest_fail outside a test: ");
		vkprintf(fmt, ap);
		machine_exit(MACHINE_PANIC);
	}
	report_fail(file, line, fmt, ap);
}

static NORETURN void fail_with(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_fail(NULL, 0, fmt, ap);
}

void ktest_expect_panic(const char *const *patterns)
{
	expected_panic = patterns;
	console_capture_start(panic_capture, sizeof(panic_capture));
}

void ktest_after_panic(void)
{
	const char *text = panic_capture;

	if (!current || !expected_panic)
		return;
	console_capture_stop();
	for (const char *const *p = expected_panic; *p; p++) {
		const char *found = strstr(text, *p);

		if (!found)
			fail_with("the panic output lacks \"%s\" (in order)",
				  *p);
		text = found + strlen(*p);
	}
	report_pass();
}

static const struct ktest *find(const char *name)
{
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static size_t resource_count(void)
{
	return (size_t)(__ktest_resources_end - __ktest_resources_start);
}

static void read_resources(uint64_t *in_use)
{
	for (size_t i = 0; i < resource_count() && i < MAX_RESOURCES; i++)
		in_use[i] = __ktest_resources_start[i].in_use();
}

/* Fails the test if it holds more of any resource than it started with. */
static void check_leaks(const uint64_t *before)
{
	uint64_t after[MAX_RESOURCES];

	read_resources(after);
	for (size_t i = 0; i < resource_count() && i < MAX_RESOURCES; i++) {
		const struct ktest_resource *r = &__ktest_resources_start[i];

		if (after[i] > before[i])
			fail_with("leak: %s in use went from %lu before the "
				  "test to %lu after it (%lu not given back)",
				  r->unit, before[i], after[i],
				  after[i] - before[i]);
	}
}

void ktest_run(const char *name, uint64_t test_seed)
{
	uint64_t before[MAX_RESOURCES];
	const struct ktest *t = find(name);

	if (!t) {
		kprintf("BATON RESULT name=%s status=fail reason=no test is "
			"called '%s' (test=list shows them all)\n",
			name, name);
		machine_exit(MACHINE_FAIL);
	}
	current = t;
	seed = test_seed;
	kprintf("== test %s (lab ", t->name);
	print_lab(t->lab);
	kprintf(", %d points)\n", t->points);
	read_resources(before);
	t->run();
	if (expected_panic)
		fail_with("the test expected a kernel panic, and none came");
	check_leaks(before);
	report_pass();
}
