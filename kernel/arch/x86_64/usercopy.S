/*
 * usercopy.S - copying bytes that may fault, and surviving it.
 *
 * user_memcpy(dst, src, n) copies like memcpy, with one difference: if
 * the `rep movsb` faults (a user page that is not there or forbids the
 * access), the page-fault handler finds the instruction in the exception
 * table (extable.h) and resumes at the fix-up below, which returns
 * -EFAULT. The bytes before the fault have been copied; the rest not.
 */
#define EFAULT 14

	.text
	.globl user_memcpy
user_memcpy:
	movq %rdx, %rcx
user_memcpy_copy:
	rep movsb
	xorl %eax, %eax
	ret
user_memcpy_fault:
	movl $-EFAULT, %eax
	ret

	.section .extable, "a"
	.balign 8
	.quad user_memcpy_copy, user_memcpy_fault
