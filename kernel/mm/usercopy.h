/*
 * usercopy.h - reading and writing user memory safely (lab 4).
 *
 * A system call's pointer arguments come from user space and may point
 * anywhere: into the kernel, at nothing, or across the end of a region.
 * Before touching user memory the kernel checks the whole range, and the
 * copy itself survives a fault (the exception table, arch/x86_64/
 * extable.h): a bad pointer costs the caller -EFAULT, never the kernel
 * its life.
 */
#ifndef MM_USERCOPY_H
#define MM_USERCOPY_H

#include "lib/types.h"

/*
 * LAB 4: may user code touch [va, va + n) with perms (REGION_R or
 * REGION_W)? True only if n > 0, the range does not wrap, is canonical,
 * lies in the lower half between REGION_LOW_LIMIT and REGION_HIGH_LIMIT,
 * and every byte of it is in a region on which user mode has perms
 * (region_user_rights: the region's permissions if it has REGION_U, as
 * far as the running domain's capabilities allow, lab 6).
 */
bool user_range_ok(vaddr_t va, size_t n, unsigned perms);

/*
 * LAB 4: copies n bytes from user address src to dst. Returns 0, or
 * -EFAULT if the range is not readable user memory or a fault happens
 * during the copy (then dst holds part of the bytes). n == 0 copies
 * nothing and succeeds.
 */
int copy_from_user(void *dst, vaddr_t src, size_t n);

/* LAB 4: the same towards user memory (REGION_W needed). */
int copy_to_user(vaddr_t dst, const void *src, size_t n);

/*
 * Makes sure every page of [dst, dst + n) has a frame, so that a
 * copy_to_user there cannot fail later for want of memory: for a system
 * call that must commit to something (take a message, lab 7) before it
 * writes the result. A page never touched is demand-zero, so writing a
 * zero byte into it changes nothing but that. Returns 0, or -EFAULT (not
 * writable user memory, or no frame left).
 */
int user_prefault(vaddr_t dst, size_t n);

/*
 * LAB 4: copies the NUL-terminated string at user address src into
 * dst[0 .. size). Returns its length (without the NUL), -EFAULT if a
 * byte before the NUL is not readable user memory, -E2BIG if it does not
 * fit in size bytes (dst then holds size - 1 bytes and a NUL), or
 * -EINVAL if size is 0. Reads no further than it must: a string that
 * ends one byte before a region's end is fine.
 */
long copy_string_from_user(char *dst, vaddr_t src, size_t size);

#endif
