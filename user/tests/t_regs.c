/*
 * t_regs.c - a system call preserves every register but RAX, RCX, R11.
 *
 * regs_after_syscall() loads a known value into each register the ABI
 * promises to keep, makes the `nop` system call, and stores what the
 * registers hold afterwards. A kernel that restored one register wrong,
 * or leaked one of its own values, shows up here.
 */
#include "baton.h"

enum { RBX, RBP, RSI, RDX, R8, R9, R10, R12, R13, R14, R15, RDI, NREGS };

static const char *const reg_names[NREGS] = {
	"rbx", "rbp", "rsi", "rdx", "r8",  "r9",
	"r10", "r12", "r13", "r14", "r15", "rdi",
};

/* The value register i is loaded with: 0x1111...1111 * (i + 1). */
#define PATTERN(i) (0x1111111111111111ul * ((i) + 1))

void regs_after_syscall(uint64_t out[NREGS]);

__asm__(".text\n"
	".globl regs_after_syscall\n"
	"regs_after_syscall:\n"
	"	pushq %rbx\n"
	"	pushq %rbp\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	pushq %rdi\n" /* out, for after the call */
	"	movabsq $0x1111111111111111, %rbx\n"
	"	movabsq $0x2222222222222222, %rbp\n"
	"	movabsq $0x3333333333333333, %rsi\n"
	"	movabsq $0x4444444444444444, %rdx\n"
	"	movabsq $0x5555555555555555, %r8\n"
	"	movabsq $0x6666666666666666, %r9\n"
	"	movabsq $0x7777777777777777, %r10\n"
	"	movabsq $0x8888888888888888, %r12\n"
	"	movabsq $0x9999999999999999, %r13\n"
	"	movabsq $0xaaaaaaaaaaaaaaaa, %r14\n"
	"	movabsq $0xbbbbbbbbbbbbbbbb, %r15\n"
	"	movabsq $0xcccccccccccccccc, %rdi\n"
	"	xorl %eax, %eax\n" /* SYS_nop */
	"	syscall\n"
	"	xchgq %rdi, (%rsp)\n" /* rdi = out; the stack keeps rdi */
	"	movq %rbx, 0(%rdi)\n"
	"	movq %rbp, 8(%rdi)\n"
	"	movq %rsi, 16(%rdi)\n"
	"	movq %rdx, 24(%rdi)\n"
	"	movq %r8, 32(%rdi)\n"
	"	movq %r9, 40(%rdi)\n"
	"	movq %r10, 48(%rdi)\n"
	"	movq %r12, 56(%rdi)\n"
	"	movq %r13, 64(%rdi)\n"
	"	movq %r14, 72(%rdi)\n"
	"	movq %r15, 80(%rdi)\n"
	"	popq %rax\n"
	"	movq %rax, 88(%rdi)\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbp\n"
	"	popq %rbx\n"
	"	ret\n");

int main(void)
{
	uint64_t after[NREGS];
	int changed = 0;

	regs_after_syscall(after);
	for (int i = 0; i < NREGS; i++) {
		if (after[i] != PATTERN(i)) {
			printf("t_regs: %s was 0x%lx, is 0x%lx after syscall\n",
			       reg_names[i], PATTERN(i), after[i]);
			changed++;
		}
	}
	printf("t_regs: %d of %d registers changed\n", changed, NREGS);
	return changed;
}
