/*
 * layout.h - where things live in the single virtual address space.
 *
 * Included from C and from assembly, so it holds only #defines.
 *
 *   0x0000000000000000 .. 0x00007fffffffffff  lower half: user regions
 *                                             (empty until lab 3)
 *   0xffff800000000000 .. +4 GiB               the direct map: physical
 *                                             address p is at DIRECT_MAP + p
 *   0xffffffff80000000 .. +1 GiB               the kernel image, linked here
 *                                             (physical 0 .. 1 GiB)
 *
 * The kernel is linked in the top 2 GiB so the compiler can use
 * -mcmodel=kernel: every kernel address fits in a sign-extended 32-bit
 * immediate, which makes code smaller.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_VMA	0xffffffff80000000
#define KERNEL_PHYS	0x100000 /* GRUB loads us at 1 MiB */
#define DIRECT_MAP	0xffff800000000000
#define DIRECT_MAP_SIZE 0x100000000 /* 4 GiB, built at boot with 2 MiB pages */

#define PAGE_SIZE	4096
#define BOOT_STACK_SIZE 16384
#define IST_STACK_SIZE	8192

#ifndef __ASSEMBLER__
#include "lib/types.h"

/* The kernel-virtual address of physical address pa, through the direct map. */
static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(pa + DIRECT_MAP);
}

/* The physical address behind a direct-map or kernel-image address. */
static inline paddr_t virt_to_phys(const void *va)
{
	vaddr_t v = (vaddr_t)va;

	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP;
}

/* Linker-script symbols: bounds of the kernel image and its parts. */
extern char __kernel_start[], __text_start[], __text_end[], __kernel_end[];
extern char __rodata_start[], __data_start[], __bss_start[], __bss_end[];
extern char __ksyms_start[];
/* boot.S: the boot stack, and the page below it left unmapped (lab 3). */
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];
#endif

#endif
