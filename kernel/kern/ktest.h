/*
 * ktest.h - kernel tests: registering them, checking, reporting.
 *
 * A test is a function registered with KTEST(name, lab, points); the
 * linker gathers every registration into one table (section .ktests), so
 * adding a test is writing it, nothing else. The kernel runs the test
 * named by `test=NAME` on the command line and prints exactly one result
 * line (docs/protocol.md). A test passes by returning; it fails through
 * KT_ASSERT and friends, or by calling ktest_fail().
 *
 *	KTEST(trap_int3_resumes, 1, 2)
 *	{
 *		uint64_t before = trap_breakpoint_count;
 *
 *		__asm__ volatile("int3");
 *		KT_ASSERT_EQ(trap_breakpoint_count, before + 1);
 *	}
 */
#ifndef KERN_KTEST_H
#define KERN_KTEST_H

#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/types.h"

#define KTEST_LAB_SELFTEST (-1) /* the grader's own self-tests */

struct ktest {
	const char *name;
	int lab;    /* the lab whose code it tests; 0 = the base */
	int points; /* what it is worth in the grade */
	void (*run)(void);
};

#define KTEST(fn, lab_, points_)                                          \
	static void fn(void);                                             \
	static const struct ktest ktest_entry_##fn                        \
		__attribute__((used, section(".ktests"), aligned(8))) = { \
			.name = #fn,                                      \
			.lab = (lab_),                                    \
			.points = (points_),                              \
			.run = fn,                                        \
	};                                                                \
	static void fn(void)

/*
 * Leak accounting. A subsystem that hands out something a test must give
 * back registers a counter of what is in use:
 *
 *	KTEST_RESOURCE(frames_in_use, "frames", "frames");
 *
 * The kernel reads every counter before and after each test; a test that
 * returns with more in use than it started with fails, naming the leak.
 * (Tests that end in an expected panic are not checked.)
 */
struct ktest_resource {
	const char *name;
	const char *unit;
	uint64_t (*in_use)(void);
};

#define KTEST_RESOURCE(fn, name_, unit_)                                       \
	static const struct ktest_resource ktest_resource_##fn __attribute__(( \
		used, section(".ktest_resources"), aligned(8))) = {            \
		.name = (name_),                                               \
		.unit = (unit_),                                               \
		.in_use = fn,                                                  \
	}

/* Fails the running test with a message; prints its result and exits. */
NORETURN void ktest_fail(const char *file, int line, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

#define KT_FAIL(...) ktest_fail(__FILE__, __LINE__, __VA_ARGS__)

#define KT_ASSERT(cond)                                \
	do {                                           \
		if (!(cond))                           \
			KT_FAIL("expected %s", #cond); \
	} while (0)

/* Compares two integers (or pointers) and shows both values on failure. */
#define KT_ASSERT_EQ(a, b)                                                \
	do {                                                              \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);          \
		if (a_ != b_)                                             \
			KT_FAIL("expected %s == %s, got %ld (0x%lx) and " \
				"%ld (0x%lx)",                            \
				#a, #b, (long)a_, a_, (long)b_, b_);      \
	} while (0)

/* Checks that expr returns 0 (success); names the error code if not. */
#define KT_ASSERT_OK(expr)                                            \
	do {                                                          \
		long r_ = (long)(expr);                               \
		if (r_ != 0)                                          \
			KT_FAIL("%s failed with %ld (%s)", #expr, r_, \
				errno_name((int)r_));                 \
	} while (0)

/* Checks that text contains needle, and says what was missing if not. */
#define KT_ASSERT_CONTAINS(text, needle)                              \
	do {                                                          \
		if (!strstr((text), (needle)))                        \
			KT_FAIL("the output lacks \"%s\"", (needle)); \
	} while (0)

/*
 * The running test expects a kernel panic whose output contains each of
 * patterns (a NULL-terminated array), in that order. When the panic comes,
 * the test passes if they all appeared and fails otherwise. If the test
 * returns without a panic, it fails.
 */
void ktest_expect_panic(const char *const *patterns);

/* Called by panic() after it printed everything; returns if no test
 * expected a panic. */
void ktest_after_panic(void);

/* The running test, or NULL when none runs. */
const struct ktest *ktest_current(void);

/* test=list: prints every test (docs/protocol.md) and exits. */
NORETURN void ktest_list(void);

/*
 * Runs the test called name, prints its result, ends the emulator. seed
 * (seed= on the command line) is what ktest_seed() returns to the test.
 */
NORETURN void ktest_run(const char *name, uint64_t seed);

/* emu= from the command line ("qemu", "bochs"), or NULL; set by kmain. */
extern const char *ktest_emu;

/* The emulator the test runs under, as the grader said, or NULL. */
static inline const char *ktest_emulator(void)
{
	return ktest_emu;
}

/* The seed for randomized tests: the same seed, the same run. */
uint64_t ktest_seed(void);

#endif
