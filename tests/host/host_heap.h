/*
 * host_heap.h - kmalloc, kzalloc and kfree for the host tests and
 * fuzzers (tests/host/host_heap.c).
 *
 * On the host the kernel's pure code (cap.c, vspace.c, channel.c, ...)
 * gets its memory from malloc through these. They count what is alive,
 * so a test can check that nothing leaks, and they fail on demand, so a
 * test can check what -ENOMEM leaves behind.
 */
#ifndef TESTS_HOST_HEAP_H
#define TESTS_HOST_HEAP_H

#include <stdbool.h>
#include <stddef.h>

#include "mm/heap.h"

/* Allocations given and not freed yet. */
size_t host_heap_live(void);

/* kmalloc and kzalloc calls, ever (size 0 and failed ones too). */
size_t host_heap_calls(void);

/* Allocations refused (made to fail), ever. */
size_t host_heap_refused(void);

/* The n-th allocation from now (1: the next one) fails, once; 0: none. */
void host_heap_fail_nth(unsigned n);

/* Which allocation from now the planned failure is (1: the next one);
 * 0: none planned, or it has happened. */
unsigned host_heap_fail_in(void);

/* While on, every allocation fails. */
void host_heap_fail_all(bool on);

/* No failure planned any more: undoes the two above. */
void host_heap_fail_none(void);

/* host_heap_fail_none, and the live count starts again from 0 (after a
 * failed test's leftovers). */
void host_heap_reset(void);

/* kfree calls hook(p) first, for each pointer it frees (NULL: none). */
void host_heap_on_free(void (*hook)(const void *p));

#endif
