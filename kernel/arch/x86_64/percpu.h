/*
 * percpu.h - the data each CPU keeps for itself, reached through GS.
 *
 * When SYSCALL arrives from user mode the CPU switches neither stack nor
 * anything else: RSP is still the user's. The entry stub needs somewhere
 * to find the kernel stack without touching a single general register it
 * has not saved yet. x86_64's answer is the GS segment base: in the
 * kernel it points at this CPU's struct cpu, and `swapgs` exchanges it
 * with the user's value on every crossing (SDM 2B, SWAPGS). So
 * `movq %gs:CPU_KERNEL_RSP, %rsp` finds the kernel stack with no free
 * register at all.
 *
 * Baton runs on one CPU, so there is one struct cpu; the layout already
 * allows more. The offsets are used by syscall.S and checked below.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#define CPU_SELF       0
#define CPU_KERNEL_RSP 8
#define CPU_USER_RSP   16
#define CPU_RESUME_RSP 24

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct cpu {
	struct cpu *self;    /* this struct's own address: %gs:0 */
	uint64_t kernel_rsp; /* the stack a trap or SYSCALL from ring 3 uses */
	uint64_t user_rsp;   /* scratch: the user's RSP during syscall entry */
	uint64_t resume_rsp; /* where user_leave() returns to (user_run) */
};

_Static_assert(__builtin_offsetof(struct cpu, self) == CPU_SELF, "syscall.S");
_Static_assert(__builtin_offsetof(struct cpu, kernel_rsp) == CPU_KERNEL_RSP,
	       "syscall.S");
_Static_assert(__builtin_offsetof(struct cpu, user_rsp) == CPU_USER_RSP,
	       "syscall.S");
_Static_assert(__builtin_offsetof(struct cpu, resume_rsp) == CPU_RESUME_RSP,
	       "syscall.S");

/* Points GS at this CPU's struct cpu (the kernel's GS base). */
void percpu_init(void);

/* This CPU's data. */
static inline struct cpu *this_cpu(void)
{
	struct cpu *c;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}
#endif

#endif
