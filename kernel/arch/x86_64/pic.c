/*
 * pic.c - the legacy 8259 interrupt controllers.
 *
 * At power-on the master PIC delivers IRQs 0..7 on vectors 8..15, which
 * are also CPU exceptions (vector 8 is the double fault!). pic_init()
 * moves them to T_IRQ0..T_IRQ0+15 and masks every line; a subsystem that
 * wants an interrupt unmasks its line (the timer and keyboard in lab 5).
 */
#include "arch/x86_64/pic.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

#define ICW1_INIT     0x11 /* initialise, cascade mode, ICW4 follows */
#define ICW4_8086     0x01
#define OCW2_EOI      0x20
#define OCW3_READ_ISR 0x0b
#define CASCADE_IRQ   2 /* the slave PIC is wired to the master's IRQ 2 */

static uint16_t irq_mask = 0xffff; /* bit set = line masked */

static void write_masks(void)
{
	outb(PIC1_DATA, irq_mask & 0xff);
	outb(PIC2_DATA, irq_mask >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT);
	outb(PIC2_CMD, ICW1_INIT);
	outb(PIC1_DATA, T_IRQ0); /* ICW2: vector offset */
	outb(PIC2_DATA, T_IRQ0 + 8);
	outb(PIC1_DATA, 1 << CASCADE_IRQ); /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, CASCADE_IRQ);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	irq_mask = 0xffff & ~(1 << CASCADE_IRQ);
	write_masks();
}

void pic_unmask(unsigned irq)
{
	irq_mask &= ~(1u << irq);
	write_masks();
}

void pic_mask(unsigned irq)
{
	irq_mask |= 1u << irq;
	write_masks();
}

static uint16_t in_service(void)
{
	outb(PIC1_CMD, OCW3_READ_ISR);
	outb(PIC2_CMD, OCW3_READ_ISR);
	return inb(PIC1_CMD) | (uint16_t)inb(PIC2_CMD) << 8;
}

bool pic_end_of_interrupt(unsigned irq)
{
	/*
	 * IRQ 7 and 15 arrive "spuriously" when a request disappears before
	 * the CPU acknowledges it; the in-service bit then is clear, and the
	 * PIC that raised it must not get an EOI (the master still does for
	 * a spurious IRQ 15, which came through its cascade line).
	 */
	if ((irq == 7 || irq == 15) && !(in_service() & (1u << irq))) {
		if (irq == 15)
			outb(PIC1_CMD, OCW2_EOI);
		return false;
	}
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
	return true;
}
