/*
 * input.h - console input: bytes from interrupts to continuations (lab 5).
 *
 * The serial port's and the keyboard's interrupt handlers move each
 * byte or character that arrived into one fixed ring buffer (they
 * allocate nothing) and fire EVENT_INPUT with the number of bytes
 * waiting. Continuations read the bytes out with
 * input_read(), never waiting for them: a program that wants input
 * registers a continuation on EVENT_INPUT and reads when it runs. A wait
 * for input registered while bytes are already waiting is ready at once.
 * When the ring is full, new bytes are dropped and counted.
 */
#ifndef CONT_INPUT_H
#define CONT_INPUT_H

#include "lib/types.h"

#define INPUT_RING_SIZE 256

/* Drains what the UART already holds, then takes its and the
 * keyboard's interrupts. */
void input_start(void);

/* Bytes waiting to be read. */
size_t input_available(void);

/* Moves up to n waiting bytes to buf; returns how many. */
size_t input_read(char *buf, size_t n);

/*
 * Adds bytes as if they had arrived on the serial port (what the
 * interrupt handler calls; tests use it where no emulator feeds COM1).
 */
void input_inject(const char *bytes, size_t n);

/* Bytes dropped because the ring was full. */
extern size_t input_dropped;

#endif
