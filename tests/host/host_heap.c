/*
 * host_heap.c - kmalloc, kzalloc and kfree over malloc, for the host
 * tests and fuzzers (see host_heap.h).
 *
 * Size 0 gets NULL, as in the kernel, and is never the planned failure.
 * The host running out of memory, or a kfree with nothing alive, is not
 * what a test looks for: it stops the program.
 */
#include <stdio.h>
#include <stdlib.h>

#include "host_heap.h"

static size_t live;	 /* allocations given and not freed */
static size_t calls;	 /* kmalloc and kzalloc calls, ever */
static size_t refused;	 /* allocations made to fail, ever */
static unsigned fail_in; /* 0, or: that many allocations on, one fails */
static bool fail_all;	 /* every allocation fails */
static void (*free_hook)(const void *p);

static void heap_bug(const char *what)
{
	fprintf(stderr, "host_heap: %s\n", what);
	abort();
}

static void *heap_get(size_t size, bool zero)
{
	void *p;

	calls++;
	if (size == 0)
		return NULL;
	if (fail_all || (fail_in > 0 && --fail_in == 0)) {
		refused++;
		return NULL;
	}
	p = zero ? calloc(1, size) : malloc(size);
	if (!p)
		heap_bug("the host is out of memory");
	live++;
	return p;
}

void *kmalloc(size_t size)
{
	return heap_get(size, false);
}

void *kzalloc(size_t size)
{
	return heap_get(size, true);
}

void kfree(void *p)
{
	if (!p)
		return;
	if (live == 0)
		heap_bug("kfree with no allocation alive");
	if (free_hook)
		free_hook(p);
	live--;
	free(p);
}

size_t host_heap_live(void)
{
	return live;
}

size_t host_heap_calls(void)
{
	return calls;
}

size_t host_heap_refused(void)
{
	return refused;
}

void host_heap_fail_nth(unsigned n)
{
	fail_in = n;
}

unsigned host_heap_fail_in(void)
{
	return fail_in;
}

void host_heap_fail_all(bool on)
{
	fail_all = on;
}

void host_heap_fail_none(void)
{
	fail_in = 0;
	fail_all = false;
}

void host_heap_reset(void)
{
	host_heap_fail_none();
	live = 0;
}

void host_heap_on_free(void (*hook)(const void *p))
{
	free_hook = hook;
}
