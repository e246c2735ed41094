/*
 * panic.h - stopping the kernel when it finds a bug in itself.
 *
 * A panic is for kernel bugs only: a user's mistake returns an error code
 * and running out of a resource returns -ENOMEM (STYLE.md, "three kinds of
 * failure"). A panic prints "PANIC: file:line: message", the trap frame if
 * there is one, a symbolized backtrace, and ends the emulator with the
 * panic status.
 */
#ifndef KERN_PANIC_H
#define KERN_PANIC_H

#include "arch/x86_64/trapframe.h"
#include "lib/compiler.h"

NORETURN void panic_at(const char *file, int line, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

/* Panics because of the trap in tf: the dump and backtrace start there. */
NORETURN void panic_trap(const struct trapframe *tf, const char *fmt, ...)
	PRINTF_LIKE(2, 3);

#define PANIC(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

#define ASSERT(cond)                                          \
	do {                                                  \
		if (!(cond))                                  \
			PANIC("assertion failed: %s", #cond); \
	} while (0)

#endif
