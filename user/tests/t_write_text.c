/*
 * t_write_text.c - writing to its own code: the text is not writable.
 */
#include "baton.h"

int main(void)
{
	print("t_write_text: patching main\n");
	*(volatile uint8_t *)main = 0xc3;
	print("t_write_text: still alive: code is writable\n");
	return 0;
}
