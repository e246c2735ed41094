/*
 * panic.c - the last thing the kernel does when it finds a bug in itself.
 */
#include "kern/panic.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/machine.h"
#include "arch/x86_64/trap.h"
#include "kern/backtrace.h"
#include "kern/console.h"
#include "kern/ktest.h"

static int panic_depth;

/*
 * Prints the message, then the evidence, then ends. A panic while
 * panicking (a fault in the dump, say) prints one line and stops at once,
 * instead of looping.
 */
static NORETURN void panic_common(const struct trapframe *tf, const char *file,
				  int line, const char *fmt, va_list ap)
{
	cli();
	if (!console_at_line_start())
		kprintf("\n");
	if (panic_depth++ > 0) {
		kprintf("PANIC: nested panic: ");
		vkprintf(fmt, ap);
		kprintf("\n");
		machine_exit(MACHINE_PANIC);
	}
	kprintf("PANIC: ");
	if (file)
		kprintf("%s:%d: ", file, line);
	vkprintf(fmt, ap);
	kprintf("\n");
	if (tf) {
		trapframe_dump(tf);
		backtrace_print(tf->rip, tf->rbp);
	} else {
		backtrace_print(0, read_rbp());
	}
	ktest_after_panic(); /* returns unless a test expected this panic */
	machine_exit(MACHINE_PANIC);
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(NULL, file, line, fmt, ap);
}

void panic_trap(const struct trapframe *tf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(tf, NULL, 0, fmt, ap);
}
