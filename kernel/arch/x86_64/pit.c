/*
 * pit.c - programming the 8254 and reading its counter (pit.h).
 */
#include "arch/x86_64/pit.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pic.h"

#define PIT_CHANNEL0  0x40
#define PIT_COMMAND   0x43
/* Channel 0, low byte then high byte, mode 2 (rate generator), binary. */
#define PIT_MODE_RATE 0x34
/* Channel 0, latch: freeze the count so its two bytes agree. */
#define PIT_LATCH     0x00

void pit_start(void)
{
	outb(PIT_COMMAND, PIT_MODE_RATE);
	outb(PIT_CHANNEL0, PIT_DIVISOR & 0xff);
	outb(PIT_CHANNEL0, PIT_DIVISOR >> 8);
	pic_unmask(0);
}

uint64_t pit_ns_into_tick(void)
{
	uint16_t count;

	outb(PIT_COMMAND, PIT_LATCH);
	count = inb(PIT_CHANNEL0);
	count |= (uint16_t)inb(PIT_CHANNEL0) << 8;
	if (count > PIT_DIVISOR) /* not started, or a value mid-reload */
		return 0;
	return (uint64_t)(PIT_DIVISOR - count) * 1000000000 / PIT_HZ;
}
