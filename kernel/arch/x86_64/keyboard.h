/*
 * keyboard.h - the PS/2 keyboard: scancodes in, characters out (lab 5).
 *
 * The keyboard controller raises IRQ 1 for every key pressed or
 * released and holds one byte, a scancode (set 1: a key's press is its
 * code, its release the code plus 0x80), at port 0x60. Only a US layout
 * and the keys a console needs are known: letters, digits, punctuation,
 * space, enter, backspace, tab, with shift.
 */
#ifndef ARCH_KEYBOARD_H
#define ARCH_KEYBOARD_H

/* The character of the next waiting scancode, 0 for one that is not a
 * character (a release, shift, an unknown key), -1 if none is waiting. */
int keyboard_getc(void);

#endif
