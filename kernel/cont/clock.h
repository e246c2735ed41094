/*
 * clock.h - the monotonic clock and the timer interrupt (lab 5).
 *
 * clock_ns() counts nanoseconds since clock_start(): the PIT's ticks
 * (about a millisecond each) plus how far the counter is into the
 * current tick. Each tick's interrupt makes the timer waits that are
 * due ready (cont_expire_timers) and does nothing else.
 */
#ifndef CONT_CLOCK_H
#define CONT_CLOCK_H

#include "arch/x86_64/trapframe.h"
#include "lib/types.h"

/* Starts the PIT and handles its interrupt. */
void clock_start(void);

/* Nanoseconds since clock_start(); never goes backwards. */
uint64_t clock_ns(void);

/*
 * Called at the end of every tick with the interrupted frame, if set:
 * the domain layer checks continuation budgets here (lab 5).
 */
extern void (*clock_tick_hook)(struct trapframe *tf);

/* rdtsc at the start of the latest tick's handler (make bench). */
extern uint64_t clock_tick_tsc;

/* Timer interrupts handled since clock_start(). */
extern volatile uint64_t clock_ticks;

#endif
