/*
 * syscallframe.h - the user registers saved by the SYSCALL entry stub.
 *
 * SYSCALL saves almost nothing: the user's RIP goes to RCX, its RFLAGS
 * to R11, and that is all (SDM 2B, SYSCALL). The stub in syscall.S
 * switches to the kernel stack and pushes the rest so that the struct
 * below is that stack, lowest address first. syscall_dispatch() reads the
 * number and arguments from it and writes the result into rax; the stub
 * restores every register from it, so the kernel leaks none of its own
 * values to user space.
 */
#ifndef ARCH_SYSCALLFRAME_H
#define ARCH_SYSCALLFRAME_H

#define SF_RIP	(13 * 8)
#define SF_SIZE (16 * 8)

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct syscall_frame {
	uint64_t rax;			     /* the number in, the result out */
	uint64_t rdi, rsi, rdx, r10, r8, r9; /* arguments 1..6 */
	uint64_t rbx, rbp, r12, r13, r14, r15;
	uint64_t rip;	 /* RCX: the instruction after `syscall` */
	uint64_t rflags; /* R11 */
	uint64_t rsp;	 /* the user's stack pointer */
};

_Static_assert(__builtin_offsetof(struct syscall_frame, rip) == SF_RIP,
	       "syscall.S");
_Static_assert(sizeof(struct syscall_frame) == SF_SIZE, "syscall.S");
#endif

#endif
