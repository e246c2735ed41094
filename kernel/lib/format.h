/*
 * format.h - printf-style formatting, independent of where the text goes.
 *
 * vformat() turns a format string and its arguments into characters and
 * hands each one to a sink function. kprintf (console), snprintf (a
 * buffer) and the tests all use it. It knows:
 *
 *   conversions  %d %i %u %x %X %p %s %c %%
 *   flags        '-' (left-justify), '0' (pad with zeros)
 *   width        a number or '*'
 *   precision    '.N' or '.*' for %s (at most N bytes)
 *   length       l, ll, z (for 64-bit and size_t arguments)
 *
 * %p prints 0x and 16 hex digits. A NULL %s prints "(null)". An unknown
 * conversion prints itself, so a mistake shows in the output.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include "lib/compiler.h"
#include "lib/types.h"

/* Receives one output character; arg is the caller's context pointer. */
typedef void (*format_sink_fn)(char c, void *arg);

/* Formats into the sink and returns the number of characters produced. */
int vformat(format_sink_fn sink, void *arg, const char *fmt, va_list ap);

/*
 * Formats into buf, writing at most size bytes including the terminating
 * NUL (when size > 0). Returns the length the full result would have, so a
 * result >= size means the output was truncated.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);

#endif
