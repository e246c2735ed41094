/*
 * selftests.c - deliberately broken "tests" for the grader's self-test.
 *
 * Each misbehaves in one way a broken kernel can; tests/grader_selftest.py
 * checks that the grader reports every one as a failure with the right
 * reason. They are registered with lab=selftest, which normal grading
 * skips.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/machine.h"
#include "kern/console.h"
#include "kern/ktest.h"
#include "kern/panic.h"
#include "mm/frame.h"

/* The control: a test that passes. */
KTEST(selftest_pass, KTEST_LAB_SELFTEST, 0)
{
}

KTEST(selftest_fail, KTEST_LAB_SELFTEST, 0)
{
	KT_FAIL("deliberate");
}

KTEST(selftest_panic, KTEST_LAB_SELFTEST, 0)
{
	PANIC("deliberate panic");
}

/* Stops printing and never ends: the grader's no-output timeout. */
KTEST(selftest_hang, KTEST_LAB_SELFTEST, 0)
{
	kprintf("hanging now\n");
	cpu_halt_forever();
}

/* An empty IDT turns the breakpoint into a triple fault. */
KTEST(selftest_triple, KTEST_LAB_SELFTEST, 0)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} PACKED empty = {0, 0};

	__asm__ volatile("lidt %0; int3" : : "m"(empty));
}

/* Ends with the pass status but never prints a result line. */
KTEST(selftest_silent, KTEST_LAB_SELFTEST, 0)
{
	machine_exit(MACHINE_PASS);
}

KTEST(selftest_wrong_name, KTEST_LAB_SELFTEST, 0)
{
	kprintf("BATON RESULT name=some_other_test status=pass\n");
	machine_exit(MACHINE_PASS);
}

/* Claims a pass, then exits with the fail status. */
KTEST(selftest_lie, KTEST_LAB_SELFTEST, 0)
{
	kprintf("BATON RESULT name=selftest_lie status=pass\n");
	machine_exit(MACHINE_FAIL);
}

/* Returns holding a frame: leak accounting must fail it. */
KTEST(selftest_leak, KTEST_LAB_SELFTEST, 0)
{
	paddr_t pa;

	KT_ASSERT_OK(frame_alloc(0, 0, &pa));
}
