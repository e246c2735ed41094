/*
 * t_exec_data.c - jumping into data: data is not executable.
 */
#include "baton.h"

/* A `ret` instruction, in writable data. */
static volatile uint8_t code[16] = {0xc3};

int main(void)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)code;

	print("t_exec_data: calling into .data\n");
	fn();
	print("t_exec_data: still alive: data is executable\n");
	return 0;
}
