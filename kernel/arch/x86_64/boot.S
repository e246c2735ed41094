/*
 * boot.S - from GRUB to C: the multiboot2 header, 32-bit entry, long mode.
 *
 * GRUB loads the kernel image at physical 1 MiB and jumps to _start32 in
 * 32-bit protected mode with paging off, EAX = the multiboot2 magic and
 * EBX = the physical address of the multiboot2 information. This file:
 *   1. checks the magic and records the time stamp counter (for benchmarks);
 *   2. zeroes the BSS (it holds the page tables we are about to build);
 *   3. builds page tables with 2 MiB pages that map physical 0..4 GiB three
 *      times: at 0 (identity, so the next instruction after enabling paging
 *      still exists), at DIRECT_MAP and, for the first GiB, at KERNEL_VMA;
 *   4. enables long mode (PAE, EFER.LME and NXE, then CR0.PG) and far-jumps
 *      into a 64-bit code segment;
 *   5. jumps to the higher half, switches to the boot stack and calls
 *      kmain(multiboot2 info physical address).
 * kmain removes the identity map once it is no longer needed.
 *
 * Everything before the jump to the higher half runs at its physical
 * address, so it lives in .boot.* sections linked at 1 MiB, and refers to
 * kernel symbols as (symbol - KERNEL_VMA), their physical addresses.
 */
#include "arch/x86_64/layout.h"

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_ARCH_I386 0
#define MB2_TAG_END 0
#define MB2_TAG_MODULE_ALIGN 6

#define PTE_P 0x1    /* present */
#define PTE_W 0x2    /* writable */
#define PTE_PWT 0x8  /* write-through  } together: uncached, for the */
#define PTE_PCD 0x10 /* cache disable  } device memory in the 4th GiB */
#define PTE_PS 0x80  /* in a page directory: a 2 MiB page */

#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16) /* the kernel too obeys read-only pages */
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)  /* long mode enable */
#define EFER_NXE (1 << 11) /* allow the no-execute bit in page tables */

#define PHYS(sym) ((sym) - KERNEL_VMA)

/* ---- The multiboot2 header: GRUB looks for it in the first 32 KiB. ---- */
	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	/* The four header fields must sum to 0 (mod 2^32). */
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* Ask GRUB to load modules (user programs) at page-aligned addresses. */
	.balign 8
	.short MB2_TAG_MODULE_ALIGN, 0
	.long 8
	.balign 8
	.short MB2_TAG_END, 0
	.long 8
mb2_header_end:

/* ---- 32-bit code, running at its physical address. ---- */
	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	cmpl $MB2_BOOTLOADER_MAGIC, %eax
	jne not_multiboot
	movl %ebx, %esi /* keep the info pointer in ESI until kmain */

	rdtsc
	movl %eax, PHYS(boot_tsc)
	movl %edx, PHYS(boot_tsc) + 4

	/* Zero the BSS: GRUB does not promise to. */
	movl $PHYS(__bss_start), %edi
	movl $PHYS(__bss_end), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	/* GRUB leaves ESP undefined (multiboot2 spec 3.3): use our own stack. */
	movl $PHYS(boot_stack_top), %esp
	call build_boot_page_tables

	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP | CR0_PE), %eax
	movl %eax, %cr0

	/* Paging is on and we are in compatibility mode; a far jump to a
	 * 64-bit code segment enters 64-bit mode. */
	lgdt boot_gdt_pointer
	ljmp $0x08, $long_mode_entry

not_multiboot:
	/* Not booted by a multiboot2 loader: nothing sensible to do. */
	hlt
	jmp not_multiboot

/*
 * Fills boot_pd (four page directories, 2048 entries of 2 MiB = 4 GiB) and
 * links it into the PML4 three times (see the top of this file).
 */
build_boot_page_tables:
	movl $PHYS(boot_pd), %edi
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	cmpl $1536, %ecx /* 3 GiB and up: APIC, IOAPIC and other devices */
	jb 2f
	orl $(PTE_PCD | PTE_PWT), %eax
2:	movl %eax, (%edi, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* boot_pdpt_low[0..3] -> the four page directories. */
	movl $PHYS(boot_pdpt_low), %edi
	movl $PHYS(boot_pd) + (PTE_P | PTE_W), %eax
	xorl %ecx, %ecx
3:	movl %eax, (%edi, %ecx, 8)
	addl $PAGE_SIZE, %eax
	incl %ecx
	cmpl $4, %ecx
	jne 3b

	/* PML4[0] (identity) and PML4[256] (DIRECT_MAP) share boot_pdpt_low. */
	movl $PHYS(boot_pml4), %edi
	movl $PHYS(boot_pdpt_low) + (PTE_P | PTE_W), %eax
	movl %eax, 0(%edi)
	movl %eax, 256 * 8(%edi)
	/* PML4[511] -> boot_pdpt_high, whose entry 510 (-2 GiB) maps GiB 0. */
	movl $PHYS(boot_pdpt_high) + (PTE_P | PTE_W), %eax
	movl %eax, 511 * 8(%edi)
	movl $PHYS(boot_pd) + (PTE_P | PTE_W), %eax
	movl %eax, PHYS(boot_pdpt_high) + 510 * 8
	ret

/* ---- 64-bit code, still at its physical address. ---- */
	.code64
long_mode_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movabsq $higher_half_entry, %rax
	jmp *%rax

	.section .boot.data, "a"
	.balign 8
/* A minimal GDT for the jump; gdt_init() installs the real one. */
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit kernel code */
	.quad 0x00cf92000000ffff /* 0x10: kernel data */
boot_gdt_end:
boot_gdt_pointer:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt

/* ---- The higher half. ---- */
	.text
higher_half_entry:
	leaq boot_stack_top(%rip), %rsp
	/* RBP = 0 marks the outermost frame for backtraces. */
	xorl %ebp, %ebp
	/* The upper halves of registers are undefined after the mode switch:
	 * a 32-bit move zero-extends the info pointer. */
	movl %esi, %edi
	call kmain
1:	cli
	hlt
	jmp 1b

	.bss
	.balign PAGE_SIZE
boot_pml4:
	.skip PAGE_SIZE
boot_pdpt_low:
	.skip PAGE_SIZE
boot_pdpt_high:
	.skip PAGE_SIZE
boot_pd:
	.skip 4 * PAGE_SIZE
	/* Lab 3 leaves this page unmapped: a stack overflow faults here. */
	.globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip PAGE_SIZE
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.data
	.balign 8
	/* The time stamp counter when GRUB jumped to us (boot benchmarks). */
	.globl boot_tsc
boot_tsc:
	.quad 0
	/* The page tables, for C code (kernel-virtual address). */
	.globl boot_pml4_table
boot_pml4_table:
	.quad boot_pml4
