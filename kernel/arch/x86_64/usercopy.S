/*
 * usercopy.S - copying bytes that may fault, and surviving it.
 *
 * user_memcpy(dst, src, n) copies like memcpy, with one difference: if
 * the `rep movs` faults (a user page that is not there or forbids the
 * access), the page-fault handler finds the instruction in the exception
 * table (extable.h) and resumes at the fix-up below, which returns
 * -EFAULT. The bytes before the fault have been copied; the rest not.
 */
#define EFAULT 14

	.text
	.globl user_memcpy
user_memcpy:
	/* Eight bytes at a time, then the rest: a modern CPU copies as
	 * fast with rep movsb alone, but an emulator runs each repetition
	 * as one instruction (lab 7's copies are pages). */
	movq %rdx, %rcx
	shrq $3, %rcx
user_memcpy_words:
	rep movsq
	movq %rdx, %rcx
	andq $7, %rcx
user_memcpy_bytes:
	rep movsb
	xorl %eax, %eax
	ret
user_memcpy_fault:
	movl $-EFAULT, %eax
	ret

	.section .extable, "a"
	.balign 8
	.quad user_memcpy_words, user_memcpy_fault
	.quad user_memcpy_bytes, user_memcpy_fault
