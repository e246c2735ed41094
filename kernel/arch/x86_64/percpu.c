/*
 * percpu.c - this CPU's struct cpu, and GS pointing at it.
 */
#include "arch/x86_64/percpu.h"

#include "arch/x86_64/cpu.h"

static struct cpu boot_cpu;

void percpu_init(void)
{
	boot_cpu.self = &boot_cpu;
	/*
	 * In the kernel GS_BASE is ours and KERNEL_GS_BASE holds the user's
	 * (0: user code has no use for GS yet). Every entry from ring 3
	 * swaps them, every return swaps them back.
	 */
	wrmsr(MSR_GS_BASE, (uint64_t)&boot_cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
