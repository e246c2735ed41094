/*
 * serial.h - the COM1 serial port, polled.
 *
 * The serial port is the kernel's real console: QEMU and Bochs connect it
 * to a terminal or a file, and the grader reads every test's result from
 * it. It is polled (no interrupts) so it works from the first line of
 * kmain to the last line of a panic.
 */
#ifndef ARCH_SERIAL_H
#define ARCH_SERIAL_H

#include "lib/types.h"

void serial_init(void);
/* Sends one byte, waiting while the transmitter is full. */
void serial_putc(char c);
/* Waits until every byte has left the UART (before the emulator stops). */
void serial_drain(void);
/* The next received byte, or -1 if none is waiting. */
int serial_getc(void);

/* Lets the UART raise IRQ 4 when a byte arrives (lab 5: console input). */
void serial_enable_receive_interrupt(void);

#endif
