/*
 * idt.c - the interrupt descriptor table.
 *
 * One 16-byte gate per vector points at its stub in vectors.S. All gates
 * are interrupt gates, so the CPU clears IF on entry: a handler is never
 * interrupted unless it enables interrupts itself.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "lib/compiler.h"

/* SDM 3A 6.14.1, figure 6-8: a 64-bit interrupt gate. */
struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist; /* 0, or which IST stack to switch to */
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} PACKED;
_Static_assert(sizeof(struct idt_gate) == 16, "SDM 3A figure 6-8");

#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */

extern const uint64_t trap_vectors[T_NVECTORS]; /* vectors.S */

static struct idt_gate idt[256];

static void set_gate(unsigned vector, uint64_t handler, uint8_t ist)
{
	idt[vector] = (struct idt_gate){
		.offset_low = handler & 0xffff,
		.selector = SEG_KCODE,
		.ist = ist,
		.type_attr = GATE_INTERRUPT,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = handler >> 32,
	};
}

/* Fills and loads the IDT; trap_init() calls it. */
void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} PACKED pointer = {sizeof(idt) - 1, (uint64_t)idt};

	for (unsigned v = 0; v < T_NVECTORS; v++)
		set_gate(v, trap_vectors[v], 0);
	/*
	 * A double fault often means the stack is gone (a kernel stack
	 * overflow); an NMI can arrive anywhere. Both get known-good stacks.
	 */
	set_gate(T_DF, trap_vectors[T_DF], IST_DOUBLE_FAULT);
	set_gate(T_NMI, trap_vectors[T_NMI], IST_NMI);
	__asm__ volatile("lidt %0" : : "m"(pointer));
}
