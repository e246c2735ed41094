/*
 * input.c - the console input ring and its interrupt (input.h).
 *
 * One producer (the interrupt handler) and one consumer (continuations,
 * which run with interrupts off): head and tail never race.
 */
#include "cont/input.h"

#include "arch/x86_64/keyboard.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/trap.h"
#include "cont/cont.h"

#define IRQ_KEYBOARD 1
#define IRQ_COM1     4

static char ring[INPUT_RING_SIZE];
static size_t head, tail; /* read at head, write at tail; both grow */
size_t input_dropped;

size_t input_available(void)
{
	return tail - head;
}

static bool push(char c)
{
	if (input_available() == INPUT_RING_SIZE) {
		input_dropped++;
		return false;
	}
	ring[tail++ % INPUT_RING_SIZE] = c;
	return true;
}

void input_inject(const char *bytes, size_t n)
{
	size_t added = 0;

	for (size_t i = 0; i < n; i++)
		added += push(bytes[i]);
	if (added)
		event_fire(EVENT_INPUT, 0, input_available());
}

size_t input_read(char *buf, size_t n)
{
	size_t count = 0;

	while (count < n && head != tail)
		buf[count++] = ring[head++ % INPUT_RING_SIZE];
	return count;
}

/* IRQ 1: a key; only characters go to the ring. */
static void keyboard_interrupt(struct trapframe *tf)
{
	int c = keyboard_getc();
	char byte = (char)c;

	(void)tf;
	pic_end_of_interrupt(IRQ_KEYBOARD);
	if (c > 0)
		input_inject(&byte, 1);
}

/* IRQ 4: take every byte the UART holds. */
static void serial_interrupt(struct trapframe *tf)
{
	char bytes[16];
	size_t n = 0;
	int c;

	(void)tf;
	while (n < sizeof(bytes) && (c = serial_getc()) >= 0)
		bytes[n++] = (char)c;
	pic_end_of_interrupt(IRQ_COM1);
	input_inject(bytes, n);
}

void input_start(void)
{
	int c;

	trap_register(T_IRQ0 + IRQ_COM1, serial_interrupt);
	while ((c = serial_getc()) >= 0) {
		char byte = (char)c;

		input_inject(&byte, 1);
	}
	serial_enable_receive_interrupt();
	pic_unmask(IRQ_COM1);
	trap_register(T_IRQ0 + IRQ_KEYBOARD, keyboard_interrupt);
	pic_unmask(IRQ_KEYBOARD);
}
