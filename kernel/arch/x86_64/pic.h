/*
 * pic.h - the legacy 8259 programmable interrupt controllers.
 */
#ifndef ARCH_PIC_H
#define ARCH_PIC_H

#include "lib/types.h"

/* Moves IRQs 0..15 to vectors T_IRQ0.. and masks them all. */
void pic_init(void);
/* Lets IRQ irq through (it still needs a handler and IF set). */
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);
/* Tells the PICs the handler of irq is done; returns false if irq was
 * spurious (then no end-of-interrupt must be sent to that PIC). */
bool pic_end_of_interrupt(unsigned irq);

#endif
