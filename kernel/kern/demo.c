/*
 * demo.c - a short tour of what the kernel can do, for `make run`.
 *
 * Each part runs only if its lab is written in this build, and says
 * so when it is not; later labs add their part at the end.
 */
#include "kern/demo.h"

#include "arch/x86_64/cpu.h"
#include "kern/backtrace.h"
#include "kern/console.h"

/* Lab 1: a breakpoint trap is handled and execution resumes after it. */
static void demo_breakpoint(void)
{
#if SOL >= 1
	kprintf("demo: executing int3 ...\n");
	__asm__ volatile("int3");
	kprintf("demo: ... and back after the breakpoint\n");
#else
	kprintf("demo: traps skipped (LAB 1 is not written yet)\n");
#endif
}

/* Lab 1: where are we? A symbolized backtrace of this very call. */
static NOINLINE void demo_backtrace(void)
{
	kprintf("demo: the call chain that led here:\n");
	backtrace_print(0, read_rbp());
}

void demo_run(void)
{
	kprintf("demo: Baton is running\n");
	demo_breakpoint();
	demo_backtrace();
	kprintf("demo: done\n");
}
