/*
 * clock.c - time from the PIT's ticks (clock.h).
 */
#include "cont/clock.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/trap.h"
#include "cont/cont.h"

volatile uint64_t clock_ticks;
uint64_t clock_tick_tsc;
void (*clock_tick_hook)(struct trapframe *tf);
static uint64_t last_reading;

uint64_t clock_ns(void)
{
	uint64_t now = clock_ticks * PIT_TICK_NS + pit_ns_into_tick();

	/*
	 * The counter may have wrapped to a new tick whose interrupt has
	 * not been handled yet (interrupts are off in the kernel): then
	 * ticks is one short and the sum jumps back. Never report that.
	 */
	if (now < last_reading)
		now = last_reading;
	last_reading = now;
	return now;
}

static void clock_tick(struct trapframe *tf)
{
	clock_tick_tsc = rdtsc();
	clock_ticks++;
	pic_end_of_interrupt(0);
	cont_expire_timers(clock_ns());
	if (clock_tick_hook)
		clock_tick_hook(tf); /* may not return: it can kill a domain */
}

void clock_start(void)
{
	trap_register(T_IRQ0, clock_tick);
	pit_start();
}
