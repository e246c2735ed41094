/*
 * child.c - a child for parent and u_many: exits with its id % 100.
 */
#include "baton.h"

int main(void)
{
	return (int)(self() % 100);
}
