/*
 * printf.c - formatted output for programs, over the write system call.
 *
 * The formatting is the kernel's own code (kernel/lib/format.c, compiled
 * into this library too); this file only collects the characters into a
 * buffer and writes it out when it fills up and at the end.
 */
#include "baton.h"

struct out_buffer {
	char bytes[128];
	size_t used;
};

static void flush(struct out_buffer *out)
{
	if (out->used)
		write(out->bytes, out->used);
	out->used = 0;
}

static void collect(char c, void *arg)
{
	struct out_buffer *out = arg;

	out->bytes[out->used++] = c;
	if (out->used == sizeof(out->bytes))
		flush(out);
}

int printf(const char *fmt, ...)
{
	struct out_buffer out = {.used = 0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vformat(collect, &out, fmt, ap);
	va_end(ap);
	flush(&out);
	return n;
}

void print(const char *s)
{
	write(s, strlen(s));
}
