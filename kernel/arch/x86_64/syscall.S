/*
 * syscall.S - crossing between ring 3 and ring 0.
 *
 * Three ways across, all here so that they can be read together:
 *
 *   user_run(rip, rsp, ...)  the kernel enters user code at rip, with
 *                            its stack at rsp and its arguments in RDI,
 *                            RSI and RDX. It returns
 *                            only when user_leave() is called.
 *   syscall_entry            user code executed `syscall`: save the user's
 *                            registers, call syscall_dispatch(), restore
 *                            them and SYSRET back.
 *   user_leave(value)        the domain is finished (exit, or killed by a
 *                            fault): throw away everything on the kernel
 *                            stack since user_run and make user_run return
 *                            value.
 *
 * Traps and interrupts from ring 3 take the fourth way, through
 * vectors.S, on the same stack: the TSS's RSP0 is set to it here.
 *
 * What SYSCALL does (SDM 2B): RCX = RIP of the next instruction, R11 =
 * RFLAGS, RFLAGS &= ~SFMASK, CS and SS from STAR, RIP = LSTAR. It does
 * not switch stacks and saves nothing in memory. SYSRET: RIP = RCX,
 * RFLAGS = R11, CS and SS (with RPL 3) from STAR. Neither touches RSP or
 * GS: the code below does that.
 */
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/syscallframe.h"

/* RFLAGS for the first instruction of a program: IF set, bit 1 is 1. */
#define USER_RFLAGS 0x202

	.text
	.globl syscall_entry
syscall_entry:
	/*
	 * Interrupts are off (SFMASK clears IF). RSP is the user's: do not
	 * push anything before switching. GS becomes the kernel's first, so
	 * that the per-CPU data is reachable.
	 */
	swapgs
	movq %rsp, %gs:CPU_USER_RSP
	movq %gs:CPU_KERNEL_RSP, %rsp
	/* struct syscall_frame, from its last field to its first */
	pushq %gs:CPU_USER_RSP
	pushq %r11
	pushq %rcx
	pushq %r15
	pushq %r14
	pushq %r13
	pushq %r12
	pushq %rbp
	pushq %rbx
	pushq %r9
	pushq %r8
	pushq %r10
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rax
	movq %rsp, %rdi
	call syscall_dispatch
	/* Returns only if SYSRET may go there (see user_run below). */
	movq SF_RIP(%rsp), %rdi
	call user_return_check

	popq %rax
	popq %rdi
	popq %rsi
	popq %rdx
	popq %r10
	popq %r8
	popq %r9
	popq %rbx
	popq %rbp
	popq %r12
	popq %r13
	popq %r14
	popq %r15
	popq %rcx
	popq %r11
	/*
	 * From here to sysretq we run in ring 0 on the user's stack with the
	 * user's GS. Only an NMI or a machine check could arrive, and they
	 * have IST stacks of their own (gdt.c).
	 */
	popq %rsp
	swapgs
	sysretq

/*
 * long user_run(uint64_t rip, uint64_t rsp, uint64_t arg, uint64_t kind,
 *               uint64_t value)
 *
 * Saves the callee-saved registers and this stack pointer (the resume
 * point for user_leave), makes the rest of this stack the one ring 3
 * traps and system calls use, and enters user mode with RDI = arg, RSI =
 * kind and RDX = value (the event that woke a continuation, lab 5) and
 * every other register zero.
 */
	.globl user_run
user_run:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp /* keep RSP 16-byte aligned for the C code below us */
	movq %rsp, %gs:CPU_RESUME_RSP
	movq %rsp, %gs:CPU_KERNEL_RSP
	movq %rdi, %r12
	movq %rsi, %r13
	movq %rdx, %r14
	movq %rcx, %r15
	movq %r8, %rbx
	movq %rsp, %rdi
	call gdt_set_kernel_stack /* TSS RSP0: traps from ring 3 land here */
	/*
	 * SYSRET to a non-canonical RCX raises #GP in ring 0 on an Intel
	 * CPU, with the user's RSP already loaded (CVE-2012-0217): the check
	 * returns only if rip is safe, and kills the domain otherwise.
	 */
	movq %r12, %rdi
	call user_return_check

	movq %r12, %rcx /* SYSRET's RIP */
	movq %r14, %rdi /* the argument */
	movq %r15, %rsi /* the event's kind */
	movq %rbx, %rdx /* ... and its value */
	movl $USER_RFLAGS, %r11d
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r12d, %r12d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	movq %r13, %rsp
	xorl %r13d, %r13d
	swapgs
	sysretq

/*
 * NORETURN void user_leave(long value)
 *
 * Back to the stack pointer user_run saved: every frame pushed since
 * (system calls, traps, the C code that decided to leave) is abandoned,
 * which is safe because none of it holds anything that must be undone.
 */
	.globl user_leave
user_leave:
	movq %gs:CPU_RESUME_RSP, %rsp
	movq %rdi, %rax
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
