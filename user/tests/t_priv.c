/*
 * t_priv.c - a privileged instruction in ring 3: #GP, and the domain dies.
 */
#include "baton.h"

int main(void)
{
	print("t_priv: about to halt the machine\n");
	__asm__ volatile("hlt");
	print("t_priv: still alive: hlt ran in ring 3\n");
	return 0;
}
