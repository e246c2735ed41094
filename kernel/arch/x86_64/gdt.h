/*
 * gdt.h - segments and the task state segment.
 *
 * In 64-bit mode segments barely matter, but the GDT still says which
 * code runs in ring 0 and which in ring 3, and the TSS tells the CPU which
 * stack to switch to on a trap: RSP0 for traps from ring 3 (lab 4) and the
 * IST stacks for double faults and NMIs, which must work even when the
 * current stack is broken.
 *
 * The order of the selectors is forced by SYSRET (lab 4), which computes
 * the user selectors from one STAR field: user code32, user data, user
 * code64 must follow each other in that order.
 */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#include "lib/types.h"

#define SEG_KCODE    0x08
#define SEG_KDATA    0x10
#define SEG_UCODE32  0x18
#define SEG_UDATA    0x20
#define SEG_UCODE    0x28
#define SEG_TSS	     0x30
#define SEG_RPL_USER 3

/* IST slots (1-based, as the IDT gate's IST field counts them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI		 2

/* Installs the GDT and TSS and reloads every segment register. */
void gdt_init(void);

/* Sets the stack the CPU switches to on a trap from ring 3. */
void gdt_set_kernel_stack(uint64_t rsp0);

/* Bounds of an IST stack, for backtraces that must know where stacks end. */
bool gdt_on_ist_stack(uint64_t addr);

#endif
