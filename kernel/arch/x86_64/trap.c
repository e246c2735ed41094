/*
 * trap.c - trap dispatch: from the trap frame to the handler that owns it.
 */
#include "arch/x86_64/trap.h"

#include "arch/x86_64/pic.h"
#include "kern/console.h"
#include "kern/lab.h"
#include "kern/panic.h"

void idt_init(void); /* idt.c */

static trap_handler_fn trap_handlers[T_NVECTORS];
static user_fault_fn user_fault_handler;

volatile uint64_t trap_breakpoint_count;

static const char *const exception_names[T_NEXCEPTIONS][2] = {
	[T_DE] = {"#DE", "Divide error"},
	[T_DB] = {"#DB", "Debug"},
	[T_NMI] = {"NMI", "Non-maskable interrupt"},
	[T_BP] = {"#BP", "Breakpoint"},
	[T_OF] = {"#OF", "Overflow"},
	[T_BR] = {"#BR", "Bound range exceeded"},
	[T_UD] = {"#UD", "Invalid opcode"},
	[T_NM] = {"#NM", "Device not available"},
	[T_DF] = {"#DF", "Double fault"},
	[9] = {"#CSO", "Coprocessor segment overrun"},
	[T_TS] = {"#TS", "Invalid TSS"},
	[T_NP] = {"#NP", "Segment not present"},
	[T_SS] = {"#SS", "Stack-segment fault"},
	[T_GP] = {"#GP", "General protection"},
	[T_PF] = {"#PF", "Page fault"},
	[T_MF] = {"#MF", "x87 floating-point error"},
	[T_AC] = {"#AC", "Alignment check"},
	[T_MC] = {"#MC", "Machine check"},
	[T_XM] = {"#XM", "SIMD floating-point exception"},
	[T_VE] = {"#VE", "Virtualization exception"},
	[T_CP] = {"#CP", "Control protection"},
};

const char *trap_mnemonic(uint64_t vector)
{
	if (vector < T_NEXCEPTIONS && exception_names[vector][0])
		return exception_names[vector][0];
	if (vector >= T_IRQ0 && vector < T_IRQ0 + T_NIRQS)
		return "IRQ";
	return "#??";
}

const char *trap_name(uint64_t vector)
{
	if (vector < T_NEXCEPTIONS && exception_names[vector][1])
		return exception_names[vector][1];
	if (vector >= T_IRQ0 && vector < T_IRQ0 + T_NIRQS)
		return "Interrupt request";
	return "Unknown";
}

void trap_register(unsigned vector, trap_handler_fn fn)
{
	if (vector >= T_NVECTORS)
		PANIC("trap_register: vector %u out of range", vector);
	trap_handlers[vector] = fn;
}

/*
 * int3 is a trap, not a fault: the saved RIP already points past the
 * one-byte instruction, so returning resumes right after it.
 */
static void trap_breakpoint(struct trapframe *tf)
{
	trap_breakpoint_count++;
	kprintf("int3 at %p: breakpoint %lu, resuming at %p\n",
		(void *)(tf->rip - 1), trap_breakpoint_count, (void *)tf->rip);
}

void trap_init(void)
{
	idt_init();
	pic_init();
	trap_register(T_BP, trap_breakpoint);
}

void trap_dispatch(struct trapframe *tf)
{
#if SOL >= 1
	trap_handler_fn handler = NULL;

	if (tf->vector < T_NVECTORS)
		handler = trap_handlers[tf->vector];
	if (handler) {
		handler(tf);
		return;
	}
	if (tf->vector >= T_IRQ0 && tf->vector < T_IRQ0 + T_NIRQS) {
		/* An interrupt nobody asked for: acknowledge it and go on. */
		pic_end_of_interrupt(tf->vector - T_IRQ0);
		return;
	}
	panic_trap(tf, "unexpected %s (%s) in the kernel",
		   trap_mnemonic(tf->vector), trap_name(tf->vector));
#else
	/*
	 * LAB 1: your code here.
	 *  1. If a handler is registered for tf->vector, call it and return.
	 *  2. An IRQ (T_IRQ0 .. T_IRQ0 + T_NIRQS - 1) without a handler:
	 *     send the end of interrupt (pic.h) and return.
	 *  3. Anything else is a kernel bug: panic_trap(tf, "unexpected %s
	 *     (%s) in the kernel", trap_mnemonic(), trap_name()); the tests
	 *     look for "unexpected #PF" and the like.
	 * Tests: trap_int3_resumes, trap_irq_without_handler, trap_dump_pf,
	 * trap_unexpected_panics, trap_double_fault_ist.
	 */
	(void)tf;
	lab_missing(1, "trap_dispatch");
#endif
}

void trap_set_user_fault_handler(user_fault_fn fn)
{
	user_fault_handler = fn;
}

void trap_user_fault(struct trapframe *tf, const char *detail)
{
	if (!user_fault_handler)
		panic_trap(tf,
			   "%s (%s) in user mode, and no domain layer to "
			   "kill the program",
			   trap_mnemonic(tf->vector), trap_name(tf->vector));
	user_fault_handler(tf, detail);
	panic_trap(tf, "the user fault handler returned");
}

/*
 * Exceptions that user code can only have caused itself. Not among them:
 * NMI, #DF and #MC (the machine's, whatever ran), and #PF, which may be
 * a region's page to map on demand.
 */
static bool caused_by_program(uint64_t vector)
{
	const uint32_t program_faults =
		1u << T_DE | 1u << T_DB | 1u << T_BP | 1u << T_OF | 1u << T_BR |
		1u << T_UD | 1u << T_NM | 1u << T_TS | 1u << T_NP | 1u << T_SS |
		1u << T_GP | 1u << T_MF | 1u << T_AC | 1u << T_XM | 1u << T_VE |
		1u << T_CP;

	return vector < T_NEXCEPTIONS && (program_faults >> vector & 1);
}

void trap_from_user(struct trapframe *tf)
{
	if (caused_by_program(tf->vector))
		trap_user_fault(tf, NULL);
	else
		trap_dispatch(tf);
}
