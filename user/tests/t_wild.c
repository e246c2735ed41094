/*
 * t_wild.c - a wild write into the kernel: #PF, and the domain dies.
 */
#include "baton.h"

int main(void)
{
	print("t_wild: writing to the kernel's code\n");
	*(volatile uint64_t *)0xffffffff80100000 = 0xbad;
	print("t_wild: still alive: the write went through\n");
	return 0;
}
