/*
 * t_recurse.c - endless recursion runs into the stack's guard page.
 */
#include "baton.h"

static volatile int limit = 1 << 30; /* far beyond 64 KiB of stack */

static int recurse(int n)
{
	volatile char frame[512];

	frame[0] = (char)n;
	if (n == limit)
		return 0;
	return recurse(n + 1) + frame[0];
}

int main(void)
{
	print("t_recurse: recursing forever\n");
	return recurse(0);
}
