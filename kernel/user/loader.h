/*
 * loader.h - loading an ELF64 program into a domain (lab 4).
 *
 * lib/elf.h checks the file and says what to load; this file does the
 * loading in the single address space. The program is position-
 * independent, so it can run anywhere: the loader reserves one span of
 * addresses for all of it (a page-aligned base picked by the virtual-
 * space allocator), places a region for each segment at its offset from
 * that base, copies the segment's bytes in, applies the relocations, and
 * only then gives each region its final permissions: R, R+W or R+X,
 * never W and X together. The .bss, the part of a segment past its file
 * bytes, is zero: its pages are demand-zero.
 */
#ifndef USER_LOADER_H
#define USER_LOADER_H

#include "lib/types.h"
#include "user/domain.h"

/* Programs larger than this, in memory, are refused. */
#define LOADER_MAX_SPAN (16ul << 20)

/*
 * LAB 4: loads the ELF image[0 .. size) into d, which must own nothing
 * yet: sets d->image and d->entry, and gives d one region per segment.
 * Returns 0; or -ENOEXEC when the file is refused (the console says why,
 * in elf_parse's or elf_relocate's words), -E2BIG when it needs more than
 * LOADER_MAX_SPAN, -ENOMEM or -ENOSPC. On failure d still owns nothing.
 */
int loader_load(struct domain *d, const void *image, size_t size);

#endif
