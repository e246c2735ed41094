/*
 * vectors.S - the first instructions of every exception and interrupt.
 *
 * The IDT points each vector at a tiny stub that makes the stack look the
 * same for all of them (an error code, then the vector number) and jumps
 * to trap_common, which saves the registers as a struct trapframe and
 * calls trap_dispatch(tf) in C (trap_from_user(tf) for a trap from ring
 * 3, lab 4). When that returns, trap_common restores the registers and
 * returns to the interrupted code with iretq.
 */
#include "arch/x86_64/trapframe.h"

/*
 * SDM 3A 6.13: only some exceptions push an error code (#DF, #TS, #NP,
 * #SS, #GP, #PF, #AC, #CP, #VC, #SX); the stub pushes a 0 for the rest so
 * that every trap frame has the same layout.
 */
.macro trap_stub n
	.balign 16
trap_vector_\n:
	.if !(\n == 8 || (\n >= 10 && \n <= 14) || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	pushq $0
	.endif
	pushq $\n
	jmp trap_common
.endm

	.text
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	trap_stub \n
.endr

trap_common:
	/*
	 * Coming from user mode, GS still holds the user's base: swap in the
	 * kernel's (lab 4). The saved CS sits 3 words above us here.
	 */
	testb $3, (TF_CS - TF_VECTOR)(%rsp)
	jz 1f
	swapgs
1:	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	/* The System V ABI wants the direction flag clear in C code. */
	cld
	movq %rsp, %rdi
	testb $3, TF_CS(%rsp)
	jnz 3f
	call trap_dispatch
	jmp trap_return
3:	call trap_from_user

	.globl trap_return
trap_return:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp /* the vector number and the error code */
	testb $3, (TF_CS - TF_RIP)(%rsp)
	jz 2f
	swapgs
2:	iretq

/* The address of every stub, in vector order, for idt_init(). */
	.section .rodata
	.balign 8
	.globl trap_vectors
trap_vectors:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.quad trap_vector_\n
.endr
