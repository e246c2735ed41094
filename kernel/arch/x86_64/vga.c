/*
 * vga.c - writing to the 80x25 VGA text screen.
 *
 * The screen is an array of 16-bit cells at physical 0xb8000: a character
 * in the low byte and its colour in the high byte. We reach it through
 * the direct map. Output scrolls when it reaches the bottom line.
 */
#include "arch/x86_64/vga.h"

#include "arch/x86_64/layout.h"
#include "lib/string.h"

#define VGA_PHYS  0xb8000
#define VGA_COLS  80
#define VGA_ROWS  25
#define VGA_COLOR 0x0700 /* light grey on black */

static volatile uint16_t *screen;
static int row, col;

void vga_init(void)
{
	screen = phys_to_virt(VGA_PHYS);
	for (int i = 0; i < VGA_ROWS * VGA_COLS; i++)
		screen[i] = VGA_COLOR | ' ';
	row = col = 0;
}

static void scroll(void)
{
	for (int i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
		screen[i] = screen[i + VGA_COLS];
	for (int i = 0; i < VGA_COLS; i++)
		screen[(VGA_ROWS - 1) * VGA_COLS + i] = VGA_COLOR | ' ';
	row = VGA_ROWS - 1;
}

void vga_putc(char c)
{
	if (!screen)
		return;
	if (c == '\n') {
		col = 0;
		row++;
	} else if (c != '\r') {
		screen[row * VGA_COLS + col] = VGA_COLOR | (uint8_t)c;
		if (++col == VGA_COLS) {
			col = 0;
			row++;
		}
	}
	if (row == VGA_ROWS)
		scroll();
}
