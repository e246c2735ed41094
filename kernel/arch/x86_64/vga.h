/*
 * vga.h - the VGA text screen, a mirror of the serial console.
 */
#ifndef ARCH_VGA_H
#define ARCH_VGA_H

void vga_init(void);
void vga_putc(char c);

#endif
