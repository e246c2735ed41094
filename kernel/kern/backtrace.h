/*
 * backtrace.h - which functions called which, from the frame pointers.
 *
 * The kernel is compiled with -fno-omit-frame-pointer, so every function
 * that calls another starts with `push %rbp; mov %rsp, %rbp`. (GCC may
 * still leave it out of a leaf function that needs no stack: such a
 * function, and only it, is missing from a backtrace taken inside it.)
 * RBP therefore points at a two-word record: the caller's saved RBP, then
 * the return address into the caller. Following the saved RBPs walks the
 * chain of callers; the boot code starts the chain with RBP = 0.
 *
 *     higher addresses
 *     | return address  |  <- rbp + 8   (a pc inside the caller)
 *     | caller's rbp    |  <- rbp       (the next record up)
 *     | locals ...      |
 *     lower addresses
 */
#ifndef KERN_BACKTRACE_H
#define KERN_BACKTRACE_H

#include "lib/types.h"

#define BACKTRACE_MAX 32

/*
 * LAB 1: walks the frame-pointer chain starting at rbp and stores the
 * return address of each frame in pcs[0], pcs[1], ... (innermost first).
 * Stops at a null or misaligned rbp, an rbp outside kernel memory
 * (backtrace_frame_ok), an rbp that does not move up the stack, a zero
 * return address, or after max frames. Returns the number stored. Must
 * never fault, whatever garbage the frames hold.
 */
int backtrace_walk(uint64_t rbp, uint64_t *pcs, int max);

/* True if a frame record at rbp lies in memory the kernel can read. */
bool backtrace_frame_ok(uint64_t rbp);

/*
 * Prints "backtrace:" and one line per frame with its symbol, starting
 * with rip (if not 0) and then the frames of the chain at rbp.
 */
void backtrace_print(uint64_t rip, uint64_t rbp);

#endif
