/*
 * symbols.h - the kernel's own symbol table, for symbolized backtraces.
 *
 * The build links the kernel twice (see the Makefile): the first link
 * gives every function its address; tools/mksyms.py turns `nm` output
 * into a sorted table; the second link puts that table into the image in
 * section .ksyms, after everything else so no function moves.
 */
#ifndef KERN_SYMBOLS_H
#define KERN_SYMBOLS_H

#include "lib/types.h"

/* One function: [addr, addr + size). size is 0 for assembly labels. */
struct ksym {
	uint64_t addr;
	uint32_t size;
	uint32_t name; /* offset of the NUL-terminated name in ksym_names */
};

/* Filled in by the second link pass; sorted by addr, ascending. */
extern const uint64_t ksym_count;
extern const struct ksym ksym_table[];
extern const char ksym_names[];

/*
 * LAB 1: the function that contains addr. Returns its name and stores
 * addr minus its start in *offset; returns NULL if no function does (addr
 * before the first symbol, past a sized symbol's end, or past the end of
 * the kernel's text).
 */
const char *symbols_lookup(uint64_t addr, uint64_t *offset);

/* The address of the function called name, or 0 if there is none. */
uint64_t symbols_address(const char *name);

#endif
