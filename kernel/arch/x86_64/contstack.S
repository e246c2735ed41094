/*
 * contstack.S - running a function on another stack (lab 5).
 *
 * void stack_call(void (*fn)(void *, const void *), void *a, const void *b,
 *                 uint64_t stack_top)
 *
 * Calls fn(a, b) with RSP at stack_top, then comes back to the caller's
 * stack. The continuation engine runs every continuation this way, each
 * at the top of the same per-CPU stack: whatever the last one left there
 * is simply overwritten. RBP still links to the caller's frame, so a
 * backtrace from inside fn reaches the scheduler.
 */
	.text
	.globl stack_call
stack_call:
	pushq %rbp
	movq %rsp, %rbp
	movq %rcx, %rsp /* 16-byte aligned: the call below makes it fn's */
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	call *%rax
	movq %rbp, %rsp
	popq %rbp
	ret
