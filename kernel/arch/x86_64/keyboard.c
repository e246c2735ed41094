/*
 * keyboard.c - scancode set 1 to ASCII (keyboard.h).
 */
#include "arch/x86_64/keyboard.h"

#include "arch/x86_64/cpu.h"

#define KBD_DATA	0x60
#define KBD_STATUS	0x64
#define KBD_OUTPUT_FULL 0x01 /* a byte waits at KBD_DATA */
#define KBD_RELEASE	0x80
#define KBD_LEFT_SHIFT	0x2a
#define KBD_RIGHT_SHIFT 0x36

/* Scancodes 0x00..0x39 of a US keyboard, without and with shift. */
static const char plain[] = "\0\0331234567890-=\b\tqwertyuiop[]\n\0"
			    "asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char shifted[] = "\0\033!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0"
			      "ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

static bool shift;

int keyboard_getc(void)
{
	uint8_t code;

	if (!(inb(KBD_STATUS) & KBD_OUTPUT_FULL))
		return -1;
	code = inb(KBD_DATA);
	if ((code & ~KBD_RELEASE) == KBD_LEFT_SHIFT ||
	    (code & ~KBD_RELEASE) == KBD_RIGHT_SHIFT) {
		shift = !(code & KBD_RELEASE);
		return 0;
	}
	if ((code & KBD_RELEASE) || code >= sizeof(plain) - 1)
		return 0;
	return (shift ? shifted : plain)[code];
}
