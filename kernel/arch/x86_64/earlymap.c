/*
 * earlymap.c - the page tables boot.S built, until lab 3 replaces them.
 */
#include "arch/x86_64/earlymap.h"

#include "arch/x86_64/cpu.h"
#include "lib/types.h"

extern uint64_t *boot_pml4_table; /* boot.S */

void earlymap_drop_identity(void)
{
	boot_pml4_table[0] = 0;
	/* Reloading CR3 flushes every non-global TLB entry (SDM 3A 4.10.4.1). */
	write_cr3(read_cr3());
}
