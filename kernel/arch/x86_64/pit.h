/*
 * pit.h - the 8254 programmable interval timer: a tick and a clock.
 *
 * The PIT counts down from a divisor at 1,193,182 Hz and raises IRQ 0
 * each time it reaches zero. Baton sets it to about 1000 ticks a second
 * (lab 5): the tick drives timer deadlines, and the count between ticks
 * refines the monotonic clock to about a microsecond. Under QEMU with
 * -icount and in Bochs, time is virtual: it advances with the
 * instructions executed, so timer tests are repeatable.
 */
#ifndef ARCH_PIT_H
#define ARCH_PIT_H

#include "lib/types.h"

#define PIT_HZ	    1193182 /* the PIT's input clock */
#define PIT_DIVISOR 1193    /* -> 1000.15 ticks a second */
#define PIT_TICK_NS ((uint64_t)PIT_DIVISOR * 1000000000 / PIT_HZ)

/* Starts channel 0 as a rate generator; IRQ 0 stays masked until then. */
void pit_start(void);

/* How far into the current tick the counter is, in ns (0..PIT_TICK_NS). */
uint64_t pit_ns_into_tick(void);

#endif
