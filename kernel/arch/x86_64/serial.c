/*
 * serial.c - a 16550 UART on COM1, polled.
 */
#include "arch/x86_64/serial.h"

#include "arch/x86_64/cpu.h"

#define COM1	       0x3f8
/* Register offsets from the base port. */
#define REG_DATA       0    /* read: receive buffer; write: transmit */
#define REG_IER	       1    /* interrupt enable */
#define IER_DATA_READY 0x01 /* interrupt when a byte has arrived */
#define REG_DIVISOR_LO 0    /* with LCR_DLAB set */
#define REG_DIVISOR_HI 1    /* with LCR_DLAB set */
#define REG_FCR	       2    /* FIFO control */
#define REG_LCR	       3    /* line control */
#define REG_MCR	       4    /* modem control */
#define REG_LSR	       5    /* line status */

#define LCR_8N1		 0x03 /* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB	 0x80 /* the next two registers are the divisor */
#define FCR_ENABLE	 0xc7 /* FIFOs on and cleared, 14-byte threshold */
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DATA_READY	 0x01
#define LSR_THR_EMPTY	 0x20 /* room for another byte */
#define LSR_TX_EMPTY	 0x40 /* everything sent, shift register included */

void serial_init(void)
{
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DIVISOR_LO, 1); /* 115200 baud = 115200 / 1 */
	outb(COM1 + REG_DIVISOR_HI, 0);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, FCR_ENABLE);
	outb(COM1 + REG_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
	while (!(inb(COM1 + REG_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1 + REG_DATA, (uint8_t)c);
}

void serial_drain(void)
{
	/*
	 * Bochs writes a byte to its log file only when the UART finishes
	 * sending it: shutting down earlier loses the last line.
	 */
	while (!(inb(COM1 + REG_LSR) & LSR_TX_EMPTY))
		;
}

int serial_getc(void)
{
	if (!(inb(COM1 + REG_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + REG_DATA);
}

void serial_enable_receive_interrupt(void)
{
	outb(COM1 + REG_IER, IER_DATA_READY);
}
