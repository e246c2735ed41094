/*
 * b_big64k.c - a 64 KiB program, for the loader's benchmark
 * (user.elf_load_64k): 60 KiB of constant data and a main that reads it.
 */
#include "baton.h"

#define TABLE_SIZE (60 * 1024)

/* Not zero (that would go to .bss): every byte comes from the file. */
static const volatile uint8_t table[TABLE_SIZE] = {[0 ... TABLE_SIZE - 1] = 1};

int main(void)
{
	unsigned sum = 0;

	for (size_t i = 0; i < TABLE_SIZE; i += PAGE_SIZE)
		sum += table[i];
	return sum == TABLE_SIZE / PAGE_SIZE ? 0 : 1;
}
