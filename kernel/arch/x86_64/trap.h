/*
 * trap.h - exceptions and interrupts: vectors, handlers, the trap dump.
 *
 * Every exception and interrupt enters through vectors.S and arrives at
 * trap_dispatch() with a struct trapframe. Subsystems register a handler
 * for the vectors they own (the breakpoint handler here, the page-fault
 * handler in lab 3, the timer in lab 5); anything unexpected is a kernel
 * bug and panics with a full dump of the trap frame.
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include "arch/x86_64/trapframe.h"
#include "lib/compiler.h"
#include "lib/types.h"

/* Exception vectors (SDM 3A table 6-1). */
enum {
	T_DE = 0,  /* #DE divide error */
	T_DB = 1,  /* #DB debug */
	T_NMI = 2, /* non-maskable interrupt */
	T_BP = 3,  /* #BP breakpoint (int3) */
	T_OF = 4,  /* #OF overflow */
	T_BR = 5,  /* #BR bound range exceeded */
	T_UD = 6,  /* #UD invalid opcode */
	T_NM = 7,  /* #NM device not available */
	T_DF = 8,  /* #DF double fault */
	T_TS = 10, /* #TS invalid TSS */
	T_NP = 11, /* #NP segment not present */
	T_SS = 12, /* #SS stack-segment fault */
	T_GP = 13, /* #GP general protection */
	T_PF = 14, /* #PF page fault */
	T_MF = 16, /* #MF x87 floating-point error */
	T_AC = 17, /* #AC alignment check */
	T_MC = 18, /* #MC machine check */
	T_XM = 19, /* #XM SIMD floating-point exception */
	T_VE = 20, /* #VE virtualization exception */
	T_CP = 21, /* #CP control protection */
	T_NEXCEPTIONS = 32,
	T_IRQ0 = 32, /* the 16 legacy PIC interrupts follow the exceptions */
	T_NIRQS = 16,
	T_NVECTORS = 48,
};

/* Page-fault error code bits (SDM 3A 4.7). */
#define PF_P	0x01 /* 1: protection violation; 0: page not present */
#define PF_W	0x02 /* 1: write; 0: read */
#define PF_U	0x04 /* 1: user mode; 0: kernel mode */
#define PF_RSVD 0x08 /* 1: a reserved bit was set in a paging entry */
#define PF_I	0x10 /* 1: instruction fetch */

/* A trap handler. It may change *tf; returning resumes the trapped code. */
typedef void (*trap_handler_fn)(struct trapframe *tf);

/* Fills the IDT and loads it. Call once, after gdt_init(). */
void trap_init(void);

/* Makes fn the handler of vector (replacing any earlier one). */
void trap_register(unsigned vector, trap_handler_fn fn);

/* "#PF" for 14, "IRQ" for 32..47, "#??" for unknown vectors. */
const char *trap_mnemonic(uint64_t vector);
/* "Page fault" for 14, and so on; "Unknown" for unknown vectors. */
const char *trap_name(uint64_t vector);

/*
 * LAB 1: called by vectors.S for every trap. Runs the registered handler;
 * an IRQ without a handler is acknowledged and ignored; any other trap
 * without a handler is a kernel bug and panics with the trap dump.
 */
void trap_dispatch(struct trapframe *tf);

/*
 * LAB 1: prints tf in the format documented in labs/lab1-boot.md:
 *
 *   TRAP 14 #PF Page fault err=0x2 [not-present write kernel]
 *     rip=0xffffffff8010204d <lab1_pf_victim+0xd> cs=0x8 rflags=0x10086
 *     rsp=... ss=0x10 cr2=0x00000000000dead0 cr3=...
 *     rax=... rbx=... rcx=...       (all 15 registers, three per line)
 */
void trapframe_dump(const struct trapframe *tf);

/*
 * Faults in user mode (lab 4). vectors.S sends every trap from ring 3 to
 * trap_from_user(): interrupts, page faults (a region's page to map, or
 * not), NMIs and machine checks go through trap_dispatch() as in the
 * kernel; every other exception is the user program's fault. trap_user_fault() hands
 * such a fault, with a short description, to the handler the domain layer
 * registered, which kills the domain and does not return.
 */
typedef void (*user_fault_fn)(struct trapframe *tf, const char *detail);
void trap_set_user_fault_handler(user_fault_fn fn);
void trap_from_user(struct trapframe *tf);
NORETURN void trap_user_fault(struct trapframe *tf, const char *detail);

/* How many int3 breakpoints the kernel has handled (for tests). */
extern volatile uint64_t trap_breakpoint_count;

#endif
