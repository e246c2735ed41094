/*
 * demo.c - a short tour of what the kernel can do, for `make run`.
 *
 * Each lab adds its part at the end; a part whose lab is not written yet
 * stops the demo with a message naming the lab.
 */
#include "kern/demo.h"

#include "arch/x86_64/cpu.h"
#include "kern/backtrace.h"
#include "kern/console.h"

/*
 * Lab 1: a breakpoint trap is handled and execution resumes after it.
 * (Before lab 1 is written, trap_dispatch's stub stops here and says so.)
 */
static void demo_breakpoint(void)
{
	kprintf("demo: executing int3 ...\n");
	__asm__ volatile("int3");
	kprintf("demo: ... and back after the breakpoint\n");
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
