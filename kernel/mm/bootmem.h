/*
 * bootmem.h - the boot-time bump allocator of physical memory.
 *
 * Before the frame allocator exists (or when lab 2 is not written), early
 * boot needs a little memory: the frame allocator's own state array, for
 * one. bootmem hands it out from the first free stretch of usable memory
 * after the kernel image, the modules and the multiboot2 information,
 * moving a pointer up; nothing is ever freed. frame_init() then leaves
 * everything bootmem gave out reserved.
 */
#ifndef MM_BOOTMEM_H
#define MM_BOOTMEM_H

#include "kern/bootinfo.h"
#include "lib/types.h"

/* Finds where bootmem may allocate. Call once, after the boot info. */
void bootmem_init(const struct bootinfo *bi);

/*
 * Allocates size bytes aligned to align (a power of two), zeroed, and
 * returns their physical address. Boot cannot go on without it: running
 * out is a panic.
 */
paddr_t bootmem_alloc(size_t size, size_t align);

/* [start, end): everything bootmem has handed out so far. */
void bootmem_used(paddr_t *start, paddr_t *end);

#endif
