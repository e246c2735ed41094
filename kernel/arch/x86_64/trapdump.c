/*
 * trapdump.c - printing a trap frame so a person can debug from it.
 *
 * The first line says what happened (vector, mnemonic, name, error code
 * and its meaning); then where (rip, with the function it is in), the
 * control registers that explain faults (cr2 holds the address a page
 * fault was about; cr3 the page table in use) and every register.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "kern/console.h"
#include "kern/symbols.h"

#if SOL >= 1
/* Selector error codes (SDM 3A 6.13): bit 0 EXT, bit 1 IDT, bit 2 LDT. */
#define SELECTOR_ERR_EXT 0x1
#define SELECTOR_ERR_IDT 0x2
#define SELECTOR_ERR_LDT 0x4

static bool vector_has_selector_error(uint64_t vector)
{
	return vector == T_TS || vector == T_NP || vector == T_SS ||
	       vector == T_GP;
}

/* Explains a page-fault error code: "[not-present write kernel]". */
static void print_page_fault_error(uint64_t err)
{
	const char *access = err & PF_I	  ? "fetch"
			     : err & PF_W ? "write"
					  : "read";

	kprintf(" [%s %s %s%s]", err & PF_P ? "protection" : "not-present",
		access, err & PF_U ? "user" : "kernel",
		err & PF_RSVD ? " reserved-bit" : "");
}

/* Explains a selector error code: "[GDT selector 0x28]". */
static void print_selector_error(uint64_t err)
{
	const char *table = err & SELECTOR_ERR_IDT   ? "IDT"
			    : err & SELECTOR_ERR_LDT ? "LDT"
						     : "GDT";

	if (err == 0)
		return;
	kprintf(" [%s %s 0x%lx%s]", table,
		err & SELECTOR_ERR_IDT ? "vector" : "selector",
		err & SELECTOR_ERR_IDT ? err >> 3 : err & ~7ul,
		err & SELECTOR_ERR_EXT ? " external" : "");
}

static void print_symbol(uint64_t addr)
{
	uint64_t offset;
	const char *name = symbols_lookup(addr, &offset);

	if (name)
		kprintf(" <%s+0x%lx>", name, offset);
}

static void print_registers(const struct trapframe *tf)
{
	const struct {
		const char *name;
		uint64_t value;
	} regs[] = {
		{"rax", tf->rax}, {"rbx", tf->rbx}, {"rcx", tf->rcx},
		{"rdx", tf->rdx}, {"rsi", tf->rsi}, {"rdi", tf->rdi},
		{"rbp", tf->rbp}, {"r8 ", tf->r8},  {"r9 ", tf->r9},
		{"r10", tf->r10}, {"r11", tf->r11}, {"r12", tf->r12},
		{"r13", tf->r13}, {"r14", tf->r14}, {"r15", tf->r15},
	};

	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		kprintf("%s%s=%p%s", i % 3 == 0 ? "  " : " ", regs[i].name,
			(void *)regs[i].value, i % 3 == 2 ? "\n" : "");
}
#endif

void trapframe_dump(const struct trapframe *tf)
{
#if SOL >= 1
	kprintf("TRAP %lu %s %s err=0x%lx", tf->vector,
		trap_mnemonic(tf->vector), trap_name(tf->vector), tf->error);
	if (tf->vector == T_PF)
		print_page_fault_error(tf->error);
	else if (vector_has_selector_error(tf->vector))
		print_selector_error(tf->error);
	kprintf("\n  rip=%p", (void *)tf->rip);
	print_symbol(tf->rip);
	kprintf(" cs=0x%lx rflags=0x%lx\n", tf->cs, tf->rflags);
	kprintf("  rsp=%p ss=0x%lx cr2=%p cr3=%p\n", (void *)tf->rsp, tf->ss,
		(void *)read_cr2(), (void *)read_cr3());
	print_registers(tf);
#else
	/*
	 * LAB 1: your code here. Print tf in exactly the format that
	 * trap.h and labs/lab1-boot.md show:
	 *  1. the first line: vector number, trap_mnemonic(), trap_name(),
	 *     the error code in hex and, for a page fault, its decoded bits
	 *     [not-present|protection read|write|fetch kernel|user ...];
	 *  2. rip with <symbol+0xoffset> (symbols_lookup), cs, rflags;
	 *  3. rsp, ss, cr2 and cr3;
	 *  4. all fifteen general-purpose registers, three per line.
	 * Tests: trap_dump_format, trap_dump_pf, trap_unexpected_panics,
	 * trap_double_fault_ist.
	 */
	kprintf("TRAP %lu: LAB 1: trapframe_dump() is not written yet\n",
		tf->vector);
#endif
}
