/*
 * extable.c - looking faulting instructions up in the exception table.
 */
#include "arch/x86_64/extable.h"

struct extable_entry {
	uint64_t insn;	/* an instruction that may fault */
	uint64_t fixup; /* where to go on instead */
};

extern const struct extable_entry __extable_start[], __extable_end[];

bool extable_fixup(struct trapframe *tf)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end;
	     e++) {
		if (e->insn == tf->rip) {
			tf->rip = e->fixup;
			return true;
		}
	}
	return false;
}
