/*
 * lab1_backtrace_tests.c - lab 1, exercise 3: symbols and backtraces.
 *
 * The walk and the lookup are tested apart: backtrace_walk_chain checks
 * raw addresses against symbols_address() (given code), so a bug in one
 * exercise does not hide in the other.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "kern/backtrace.h"
#include "kern/ktest.h"
#include "kern/panic.h"
#include "kern/symbols.h"
#include "lib/string.h"

/* Lookups at, inside and outside functions. */
KTEST(symbols_lookup_exact, 1, 2)
{
	uint64_t kmain_addr = symbols_address("kmain");
	uint64_t offset = ~0ul;
	const char *name;

	KT_ASSERT(kmain_addr != 0);
	name = symbols_lookup(kmain_addr, &offset);
	KT_ASSERT(name && strcmp(name, "kmain") == 0);
	KT_ASSERT_EQ(offset, 0);
	name = symbols_lookup(kmain_addr + 5, &offset);
	KT_ASSERT(name && strcmp(name, "kmain") == 0);
	KT_ASSERT_EQ(offset, 5);
	KT_ASSERT(symbols_lookup(0, &offset) == NULL);
	KT_ASSERT(symbols_lookup((uint64_t)__text_end, &offset) == NULL);
	KT_ASSERT(symbols_lookup(~0ul, &offset) == NULL);
	/* Past the end of a sized function, before the next one: nothing. */
	for (uint64_t i = 0; i + 1 < ksym_count; i++) {
		const struct ksym *s = &ksym_table[i];

		if (s->size && s->addr + s->size < ksym_table[i + 1].addr) {
			KT_ASSERT(symbols_lookup(s->addr + s->size, &offset) ==
				  NULL);
			return;
		}
	}
	KT_FAIL("no function is followed by padding: cannot test the end");
}

static uint64_t chain[BACKTRACE_MAX];
static int chain_length;

static NOINLINE void lab1_bt_level3(void)
{
	chain_length = backtrace_walk(read_rbp(), chain, BACKTRACE_MAX);
	barrier();
}

static NOINLINE void lab1_bt_level2(void)
{
	lab1_bt_level3();
	barrier();
}

static NOINLINE void lab1_bt_level1(void)
{
	lab1_bt_level2();
	barrier();
}

/* Is pc a return address inside the (short) function called name? */
static bool returns_into(uint64_t pc, const char *name)
{
	uint64_t start = symbols_address(name);

	return start && pc > start && pc < start + 128;
}

KTEST(backtrace_walk_chain, 1, 3)
{
	lab1_bt_level1();
	KT_ASSERT(chain_length >= 5);
	KT_ASSERT(returns_into(chain[0], "lab1_bt_level2"));
	KT_ASSERT(returns_into(chain[1], "lab1_bt_level1"));
	KT_ASSERT(returns_into(chain[2], "backtrace_walk_chain"));
	/* The walk ends where boot.S started the chain with rbp = 0. */
	KT_ASSERT(returns_into(chain[chain_length - 1], "higher_half_entry"));
}

/* Hand-made frame records: loops, wild pointers, zero return addresses. */
KTEST(backtrace_survives_garbage, 1, 2)
{
	static uint64_t frames[12] __attribute__((aligned(16)));
	const uint64_t pc_a = 0xffffffff80100a00, pc_b = 0xffffffff80100b00;
	const uint64_t pc_c = 0xffffffff80100c00;
	uint64_t pcs[BACKTRACE_MAX];

	/* Three records at frames[0], [4] and [8]; the last points to itself. */
	frames[0] = (uint64_t)&frames[4];
	frames[1] = pc_a;
	frames[4] = (uint64_t)&frames[8];
	frames[5] = pc_b;
	frames[8] = (uint64_t)&frames[8];
	frames[9] = pc_c;
	KT_ASSERT_EQ(backtrace_walk((uint64_t)frames, pcs, BACKTRACE_MAX), 3);
	KT_ASSERT(pcs[0] == pc_a && pcs[1] == pc_b && pcs[2] == pc_c);
	KT_ASSERT_EQ(backtrace_walk((uint64_t)frames, pcs, 2), 2);

	frames[8] = 0xdeadbeefdeadbeef; /* a wild caller rbp */
	KT_ASSERT_EQ(backtrace_walk((uint64_t)frames, pcs, BACKTRACE_MAX), 3);
	frames[4] = (uint64_t)&frames[8] + 1; /* misaligned */
	KT_ASSERT_EQ(backtrace_walk((uint64_t)frames, pcs, BACKTRACE_MAX), 2);
	frames[5] = 0; /* a zero return address ends the chain */
	KT_ASSERT_EQ(backtrace_walk((uint64_t)frames, pcs, BACKTRACE_MAX), 1);
	KT_ASSERT_EQ(backtrace_walk(0, pcs, BACKTRACE_MAX), 0);
	KT_ASSERT_EQ(backtrace_walk(0x1000, pcs, BACKTRACE_MAX), 0);
}

static NOINLINE void lab1_panic_inner(void)
{
	PANIC("a deliberate panic, two calls deep");
}

static NOINLINE void lab1_panic_outer(void)
{
	lab1_panic_inner();
	barrier();
}

/* panic() names the functions that led to it, innermost first. */
KTEST(panic_prints_backtrace, 1, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"a deliberate panic, two calls deep",
		"backtrace:",
		"lab1_panic_inner+0x",
		"lab1_panic_outer+0x",
		"panic_prints_backtrace+0x",
		NULL,
	};

	ktest_expect_panic(expected);
	lab1_panic_outer();
}
