/*
 * trapframe.h - the registers saved when an exception or interrupt arrives.
 *
 * The processor pushes ss, rsp, rflags, cs and rip (SDM 3A 6.14.1), and an
 * error code for some exceptions; the stubs in vectors.S push a zero error
 * code for the others and then the vector number, and trap_common pushes
 * every general-purpose register. The struct below is that stack, lowest
 * address first, and trap handlers receive a pointer to it. A handler may
 * change it: the registers are restored from it by iretq.
 */
#ifndef ARCH_TRAPFRAME_H
#define ARCH_TRAPFRAME_H

/* Offsets used by vectors.S; checked against the struct below. */
#define TF_VECTOR (15 * 8)
#define TF_ERROR  (16 * 8)
#define TF_RIP	  (17 * 8)
#define TF_CS	  (18 * 8)
#define TF_SIZE	  (22 * 8)

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct trapframe {
	/* Pushed by trap_common, last one first. */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	/* Pushed by the vector's stub. */
	uint64_t vector;
	uint64_t error; /* the CPU's error code, or 0 */
	/* Pushed by the CPU. */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(__builtin_offsetof(struct trapframe, vector) == TF_VECTOR,
	       "vectors.S");
_Static_assert(__builtin_offsetof(struct trapframe, error) == TF_ERROR,
	       "vectors.S");
_Static_assert(__builtin_offsetof(struct trapframe, rip) == TF_RIP,
	       "vectors.S");
_Static_assert(__builtin_offsetof(struct trapframe, cs) == TF_CS, "vectors.S");
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "vectors.S");

/* Did the trap come from user mode (ring 3)? */
static inline bool trapframe_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}
#endif

#endif
