/*
 * ar.h - reading an ar archive: the user programs' package.
 *
 * GRUB loads each multiboot2 module as a separate file, which costs time
 * at every boot, so the Makefile packs every user program into one
 * archive (build/.../programs.a, made by binutils' `ar`) and the kernel
 * finds the programs inside it. The format (System V / GNU ar):
 *
 *   "!<arch>\n"                     the magic, 8 bytes
 *   then for each member:
 *     a 60-byte header: name[16] ("hello/" padded with spaces), mtime[12],
 *     uid[6], gid[6], mode[8], size[10] (decimal, in ASCII), "`\n"
 *     size bytes of data, and one '\n' of padding if size is odd
 *
 * A member named "/" (a symbol table) or "//" (long names) is skipped.
 * Nothing in the archive is trusted: every header and size is checked
 * against the image. Pure code: tests/host runs it.
 */
#ifndef LIB_AR_H
#define LIB_AR_H

#include "lib/types.h"

#define AR_NAME_MAX 16 /* 15 characters and a NUL */

struct ar_member {
	char name[AR_NAME_MAX];
	size_t offset; /* of its data, from the start of the archive */
	size_t size;
};

/* Does image[0 .. size) start with the ar magic? */
bool ar_is_archive(const void *image, size_t size);

/*
 * Reads the member at *cursor (start with 0 after checking the magic;
 * ar_next skips it) into m and moves *cursor to the next. Returns 1 for
 * a member, 0 at the end, or -EINVAL for a malformed archive.
 */
int ar_next(const void *image, size_t size, size_t *cursor,
	    struct ar_member *m);

#endif
