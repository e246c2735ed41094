/*
 * types.h - the basic types every kernel file uses.
 *
 * The kernel is freestanding: it has no C library, only the headers the
 * compiler itself provides (stdint, stddef, stdbool, stdarg). Physical and
 * virtual addresses get their own names so a reader always knows which
 * kind of address a variable holds.
 */
#ifndef LIB_TYPES_H
#define LIB_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t; /* a physical address */
typedef uint64_t vaddr_t; /* a virtual address */

#endif
