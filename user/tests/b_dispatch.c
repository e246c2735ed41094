/*
 * b_dispatch.c - from next() to the next continuation's first
 * instruction (cont.dispatch).
 *
 * Each round reads the time stamp counter (guest instructions under
 * -icount), ends its continuation with next() naming b_entry, and
 * b_entry reads the counter as its very first instruction. The fewest
 * instructions of ROUNDS rounds, less the cost of the two reads, is
 * the exit status; the kernel's benchmark reports it.
 */
#include "baton.h"

#define ROUNDS 9

uint64_t round_start, round_end; /* written by b_entry too */
static uint64_t fewest = UINT64_MAX, empty;
static int rounds;

void b_entry(void);
void after_dispatch(void);

/* The continuation's first instruction is rdtsc; then into C. */
__asm__(".text\n"
	".globl b_entry\n"
	"b_entry:\n"
	"	rdtsc\n"
	"	shlq $32, %rdx\n"
	"	orq %rdx, %rax\n"
	"	movq %rax, round_end(%rip)\n"
	"	xorl %ebp, %ebp\n"
	"	andq $-16, %rsp\n"
	"	call after_dispatch\n"
	"	ud2\n");

static __attribute__((noreturn)) void dispatch_once(void)
{
	struct ucont_next n = {.entry = (uint64_t)b_entry, .kind = EVENT_NOW};

	round_start = rdtsc();
	next(&n, 1);
	exit(-1); /* next() refused */
}

void after_dispatch(void)
{
	fewest = MIN(fewest, round_end - round_start);
	if (++rounds < ROUNDS)
		dispatch_once();
	exit((int)(fewest - empty));
}

int main(void)
{
	uint64_t start = rdtsc();

	empty = rdtsc() - start;
	dispatch_once();
}
