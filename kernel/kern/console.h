/*
 * console.h - kprintf and friends: text out to the serial port and screen.
 *
 * Everything printed goes to COM1 (what the grader reads) and to the VGA
 * screen. A test can also capture the output into a buffer to check what
 * some code printed (console_capture_start).
 */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include "lib/compiler.h"
#include "lib/types.h"

/* Sets up the serial port and the screen. First thing in kmain. */
void console_init(void);
void console_putc(char c);
/* True if nothing has been printed on the current line yet. */
bool console_at_line_start(void);

/* printf to the console (lib/format.h lists the conversions). */
int kprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int vkprintf(const char *fmt, va_list ap);

/*
 * Also copies everything printed from now on into buf (size bytes, kept
 * NUL-terminated; the excess is dropped). For tests, one capture at a time.
 */
void console_capture_start(char *buf, size_t size);
/* Ends the capture; returns how many bytes were captured. */
size_t console_capture_stop(void);

#endif
