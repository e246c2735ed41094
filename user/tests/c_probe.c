/*
 * c_probe.c - tries to reach an address it holds no capability for.
 *
 * spawn_arg: the address in its low 56 bits, and in the top 8 what to
 * do: 0 read, 1 write, 2 execute, 3 hand it to write(). The first three
 * must kill it; the fourth must fail with EFAULT (exit status 0).
 */
#include "baton.h"

int main(void)
{
	uint64_t addr = spawn_arg & ((1ul << 56) - 1);
	long r;

	switch (spawn_arg >> 56) {
	case 0:
		printf("c_probe: read \"%s\"\n", (const char *)addr);
		return 1;
	case 1:
		*(volatile char *)addr = 'X';
		print("c_probe: wrote\n");
		return 1;
	case 2:
		((void (*)(void))addr)();
		print("c_probe: ran it\n");
		return 1;
	default:
		r = write((const char *)addr, 8);
		printf("c_probe: write() returned %ld\n", r);
		return r == -EFAULT ? 0 : 1;
	}
}
