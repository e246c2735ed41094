/*
 * gdt.c - the global descriptor table and the task state segment.
 */
#include "arch/x86_64/gdt.h"

#include "arch/x86_64/layout.h"
#include "lib/compiler.h"

/* SDM 3A 8.7: the 64-bit TSS. Only the stack pointers matter to us. */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3]; /* stacks for traps from rings 0..2 to ring 0 */
	uint64_t reserved1;
	uint64_t ist[7]; /* IST1..IST7 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base; /* past the end: no I/O permission bitmap */
} PACKED;
_Static_assert(sizeof(struct tss) == 104, "SDM 3A figure 8-11");

/*
 * Descriptors, as the SDM draws them (3A 3.4.5): base 0, limit max; in
 * long mode only the L (64-bit code), DPL and present bits count.
 */
#define DESC_KCODE    0x00af9a000000ffff /* L=1, DPL 0, execute/read */
#define DESC_KDATA    0x00cf92000000ffff /* DPL 0, read/write */
#define DESC_UCODE32  0x00cffa000000ffff /* 32-bit code, DPL 3 (unused) */
#define DESC_UDATA    0x00cff2000000ffff /* DPL 3, read/write */
#define DESC_UCODE    0x00affa000000ffff /* L=1, DPL 3 */
#define DESC_TSS_TYPE 0x89ul		 /* present, 64-bit available TSS */

static struct tss tss;
static uint64_t gdt[8];
static uint8_t ist_double_fault_stack[IST_STACK_SIZE]
	__attribute__((aligned(16)));
static uint8_t ist_nmi_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

struct descriptor_pointer {
	uint16_t limit;
	uint64_t base;
} PACKED;

/* A TSS descriptor is 16 bytes: two GDT slots (SDM 3A 8.2.3). */
static void set_tss_descriptor(int slot, uint64_t base, uint32_t limit)
{
	gdt[slot] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		    (DESC_TSS_TYPE << 40) | ((uint64_t)(limit >> 16) << 48) |
		    ((base >> 24 & 0xff) << 56);
	gdt[slot + 1] = base >> 32;
}

/* Loads the GDT, then reloads CS with a far return and the data segments. */
static void load_gdt(void)
{
	struct descriptor_pointer p = {sizeof(gdt) - 1, (uint64_t)gdt};

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "movw %w3, %%fs\n\t"
			 "movw %w3, %%gs\n\t"
			 "ltr %w4"
			 :
			 : "m"(p), "i"(SEG_KCODE), "r"(SEG_KDATA), "r"(0),
			   "r"(SEG_TSS)
			 : "rax", "memory");
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[SEG_KCODE / 8] = DESC_KCODE;
	gdt[SEG_KDATA / 8] = DESC_KDATA;
	gdt[SEG_UCODE32 / 8] = DESC_UCODE32;
	gdt[SEG_UDATA / 8] = DESC_UDATA;
	gdt[SEG_UCODE / 8] = DESC_UCODE;
	tss.ist[IST_DOUBLE_FAULT - 1] =
		(uint64_t)ist_double_fault_stack + IST_STACK_SIZE;
	tss.ist[IST_NMI - 1] = (uint64_t)ist_nmi_stack + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss);
	set_tss_descriptor(SEG_TSS / 8, (uint64_t)&tss, sizeof(tss) - 1);
	load_gdt();
}

void gdt_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}

bool gdt_on_ist_stack(uint64_t addr)
{
	uint64_t df = (uint64_t)ist_double_fault_stack;
	uint64_t nmi = (uint64_t)ist_nmi_stack;

	return (addr >= df && addr <= df + IST_STACK_SIZE) ||
	       (addr >= nmi && addr <= nmi + IST_STACK_SIZE);
}
