/*
 * lab1_trap_tests.c - lab 1, exercise 2: trap dispatch and the trap dump.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "kern/console.h"
#include "kern/ktest.h"
#include "kern/symbols.h"
#include "lib/format.h"
#include "lib/string.h"

/* int3 reaches its handler and execution continues after it, twice. */
KTEST(trap_int3_resumes, 1, 2)
{
	uint64_t before = trap_breakpoint_count;
	volatile int after = 0;

	__asm__ volatile("int3");
	after++;
	__asm__ volatile("int3");
	after++;
	KT_ASSERT_EQ(trap_breakpoint_count, before + 2);
	KT_ASSERT_EQ(after, 2);
}

/* An interrupt nobody registered for is acknowledged and ignored. */
KTEST(trap_irq_without_handler, 1, 1)
{
	__asm__ volatile("int $0x23"); /* T_IRQ0 + 3: COM2, nobody's */
	__asm__ volatile("int $0x2f"); /* T_IRQ0 + 15: maybe spurious */
}

static char dump[2048];

static void dump_to_buffer(const struct trapframe *tf)
{
	console_capture_start(dump, sizeof(dump));
	trapframe_dump(tf);
	console_capture_stop();
}

/* Every register appears with its exact value: "rbx=0x00000000b0b0b0b2". */
static void check_registers(const struct trapframe *tf)
{
	const char *names[] = {"r15", "r14", "r13", "r12", "r11",
			       "r10", "r9 ", "r8 ", "rbp", "rdi",
			       "rsi", "rdx", "rcx", "rbx", "rax"};
	const uint64_t *values = &tf->r15;
	char expected[64];

	for (int i = 0; i < 15; i++) {
		snprintf(expected, sizeof(expected), "%s=%p", names[i],
			 (void *)values[i]);
		KT_ASSERT_CONTAINS(dump, expected);
	}
}

/* A made-up #GP frame is printed in the documented format. */
KTEST(trap_dump_format, 1, 3)
{
	struct trapframe tf;
	uint64_t *words = (uint64_t *)&tf;
	char expected[96];

	for (unsigned i = 0; i < sizeof(tf) / 8; i++)
		words[i] = 0xb0b0b0b0 + i;
	tf.vector = T_GP;
	tf.error = 0x28;
	tf.rip = symbols_address("kmain") + 0x10;
	tf.cs = 0x8;
	tf.rflags = 0x246;
	tf.ss = 0x10;
	dump_to_buffer(&tf);
	KT_ASSERT_CONTAINS(dump, "TRAP 13 #GP General protection err=0x28");
	KT_ASSERT_CONTAINS(dump, "[GDT selector 0x28]");
	snprintf(expected, sizeof(expected),
		 "rip=%p <kmain+0x10> cs=0x8 "
		 "rflags=0x246",
		 (void *)tf.rip);
	KT_ASSERT_CONTAINS(dump, expected);
	snprintf(expected, sizeof(expected),
		 "rsp=%p ss=0x10 cr2=", (void *)tf.rsp);
	KT_ASSERT_CONTAINS(dump, expected);
	KT_ASSERT_CONTAINS(dump, "cr3=0x");
	check_registers(&tf);

	/* Page-fault error codes are decoded bit by bit. */
	tf.vector = T_PF;
	tf.error = PF_P | PF_U | PF_I;
	dump_to_buffer(&tf);
	KT_ASSERT_CONTAINS(dump, "TRAP 14 #PF Page fault err=0x15 "
				 "[protection fetch user]");
	tf.error = PF_W;
	dump_to_buffer(&tf);
	KT_ASSERT_CONTAINS(dump, "err=0x2 [not-present write kernel]");
}

static NOINLINE volatile uint32_t *lab1_unmapped_address(void)
{
	return (volatile uint32_t *)0xdead0; /* the lower half is unmapped */
}

/*
 * The call makes the compiler set up this function's frame before the
 * store; without it GCC may schedule the store before `push %rbp`, and
 * the fault would come from a function with no frame of its own yet.
 */
static NOINLINE void lab1_pf_victim(void)
{
	*lab1_unmapped_address() = 1;
}

/* A real page fault in the kernel panics with the dump and a backtrace. */
KTEST(trap_dump_pf, 1, 3)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #PF",
		"TRAP 14 #PF Page fault err=0x2 [not-present write kernel]",
		"<lab1_pf_victim+0x",
		"cr2=0x00000000000dead0",
		"rax=0x",
		"r15=0x",
		"backtrace:",
		"lab1_pf_victim+0x",
		"trap_dump_pf+0x",
		NULL,
	};

	ktest_expect_panic(expected);
	lab1_pf_victim();
}

/* Executing an invalid opcode in the kernel is a bug: panic, with a dump. */
KTEST(trap_unexpected_panics, 1, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #UD",
		"TRAP 6 #UD Invalid opcode err=0x0",
		"<trap_unexpected_panics+0x",
		"backtrace:",
		NULL,
	};

	ktest_expect_panic(expected);
	__asm__ volatile("ud2");
}

/*
 * With RSP pointing at unmapped memory, the CPU cannot push the int3
 * frame: that is a page fault, whose frame cannot be pushed either, which
 * makes a double fault. Only because #DF switches to its own IST stack
 * (gdt.c, idt.c) can the kernel still report it.
 */
KTEST(trap_double_fault_ist, 1, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #DF",
		"TRAP 8 #DF Double fault err=0x0",
		"backtrace:",
		NULL,
	};

	ktest_expect_panic(expected);
	__asm__ volatile("movq $0x1000, %%rsp\n\tint3" ::: "memory");
}
