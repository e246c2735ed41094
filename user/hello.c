/*
 * hello.c - the first program: a line from ring 3, then exit.
 *
 * It prints where it was loaded: the kernel picks a different base for
 * each copy of a program, and the code runs at any of them.
 */
#include "baton.h"

int main(void)
{
	printf("hello from ring 3: domain %ld, main at %p\n", self(),
	       (void *)main);
	return 0;
}
