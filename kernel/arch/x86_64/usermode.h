/*
 * usermode.h - entering ring 3 and coming back: SYSCALL, SYSRET, the TSS.
 *
 * Lab 4. The kernel runs in ring 0, user programs in ring 3, and the
 * processor moves between them in four ways:
 *
 *   ring 0 -> 3  user_run(): SYSRET to the program's first instruction.
 *   ring 3 -> 0  SYSCALL: to syscall_entry (syscall.S), which saves the
 *                user's registers and calls syscall_dispatch() (sys/).
 *   ring 0 -> 3  the end of syscall_entry: SYSRET back after `syscall`.
 *   ring 3 -> 0  a trap or interrupt, through vectors.S, on the stack the
 *                TSS names in RSP0.
 *
 * SYSCALL and SYSRET are configured by four model-specific registers
 * (syscall_init). SYSRET never checks that RCX, the address it returns
 * to, is canonical: on Intel CPUs (and in Bochs) a non-canonical RCX
 * raises #GP *in ring 0*, after RSP already holds the user's stack
 * pointer: the user chooses the stack the kernel's fault handler runs on
 * (CVE-2012-0217). So every path to ring 3 checks its address first.
 */
#ifndef ARCH_USERMODE_H
#define ARCH_USERMODE_H

#include "lib/compiler.h"
#include "lib/types.h"

/* User addresses are below this: the end of the canonical lower half. */
#define USER_END 0x0000800000000000ul

/* The first RFLAGS of a user program: interrupts on, nothing else. */
#define USER_RFLAGS 0x202ul

/*
 * LAB 4: turns SYSCALL on and points it at syscall_entry: EFER.SCE; STAR
 * with the kernel's code selector in bits 47:32 (SYSCALL loads CS from
 * it and SS = CS + 8) and the user's 32-bit code selector, RPL 3, in bits
 * 63:48 (SYSRET to 64-bit mode loads CS = that + 16, SS = that + 8);
 * LSTAR = syscall_entry; SFMASK = the RFLAGS bits to clear on entry: IF
 * (no interrupt before the stack is switched), DF (the C ABI), TF (no
 * single-step trap on the user's stack) and AC. Returns 0 (-ENOSYS
 * until written: then no user program can run).
 */
int syscall_init(void);

/* Is rip somewhere SYSRET may safely return to? */
static inline bool user_return_address_ok(uint64_t rip)
{
	return rip < USER_END;
}

/*
 * LAB 4 (in user/domain.c): called by syscall.S right before every SYSRET
 * with the address it returns to. Returns only if user_return_address_ok
 * holds; otherwise the domain is killed (domain_kill) and never returned
 * to.
 */
void user_return_check(uint64_t rip);

/*
 * Enters user mode at rip (after user_return_check(rip)) with RSP = rsp,
 * RDI = arg, RSI = kind and RDX = value (lab 5: the event that woke a
 * continuation), every other register zero and RFLAGS = USER_RFLAGS.
 * Traps and system calls from user mode use the rest of this kernel
 * stack. Returns only through user_leave(), with its value.
 */
long user_run(uint64_t rip, uint64_t rsp, uint64_t arg, uint64_t kind,
	      uint64_t value);

/*
 * Called in the kernel on behalf of user mode (a system call, a fault):
 * abandons every frame since user_run and makes user_run return value.
 */
NORETURN void user_leave(long value);

/* syscall.S: the SYSCALL entry point (LSTAR). */
void syscall_entry(void);

#endif
