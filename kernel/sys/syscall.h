/*
 * syscall.h - from a SYSCALL instruction to its handler (lab 4).
 *
 * syscall.S saves the user's registers as a struct syscall_frame and
 * calls syscall_dispatch(). The handlers are the functions sys_NAME in
 * this folder, one per line of syscalls.tbl; the generated header
 * syscall_table.h declares them and the adapters that take their
 * arguments out of the frame.
 */
#ifndef SYS_SYSCALL_H
#define SYS_SYSCALL_H

#include "arch/x86_64/syscallframe.h"
#include "sys/syscall_table.h"

/*
 * LAB 4: runs the system call frame->rax with the frame's arguments and
 * puts its result in frame->rax: -ENOSYS for a number no handler has.
 * Counts the call in the current domain's syscalls.
 */
void syscall_dispatch(struct syscall_frame *frame);

/* The name of system call number nr, or NULL. */
const char *syscall_name(uint64_t nr);

/* Most bytes one write() may print. */
#define SYS_WRITE_MAX (64 * 1024)

/* Most pages one region_alloc() may ask for (4 MiB). */
#define SYS_REGION_MAX_PAGES 1024

/* Most capabilities one spawn() may pass to the child. */
#define SPAWN_MAX_CAPS 8

#endif
