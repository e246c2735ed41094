/*
 * cpu.h - single x86_64 instructions, wrapped as inline functions.
 *
 * Each wrapper is the instruction and nothing more; the "memory" clobber
 * on the ones with side effects stops the compiler from moving memory
 * accesses across them.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include "lib/compiler.h"
#include "lib/types.h"

#define RFLAGS_TF (1ul << 8)  /* trap after every instruction */
#define RFLAGS_IF (1ul << 9)  /* interrupts enabled */
#define RFLAGS_DF (1ul << 10) /* string instructions run backwards */
#define RFLAGS_AC (1ul << 18) /* alignment check (and SMAP's override) */

/* Model-specific registers (SDM 4, table 2-2). */
#define MSR_EFER	   0xc0000080 /* extended features */
#define MSR_STAR	   0xc0000081 /* SYSCALL/SYSRET segment selectors */
#define MSR_LSTAR	   0xc0000082 /* SYSCALL's entry point */
#define MSR_SFMASK	   0xc0000084 /* RFLAGS bits SYSCALL clears */
#define MSR_GS_BASE	   0xc0000101 /* GS base in use now */
#define MSR_KERNEL_GS_BASE 0xc0000102 /* GS base swapgs exchanges it with */
#define EFER_SCE	   (1ul << 0) /* SYSCALL/SYSRET enabled */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

/* The caller's frame pointer (the start of a backtrace). */
static inline uint64_t read_rbp(void)
{
	uint64_t v;

	__asm__ volatile("mov %%rbp, %0" : "=r"(v));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static inline void invlpg(vaddr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void sti(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void hlt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

/* Stops this CPU for good: interrupts off, then halt (NMIs wake hlt). */
static inline NORETURN void cpu_halt_forever(void)
{
	for (;;) {
		cli();
		hlt();
	}
}

#endif
