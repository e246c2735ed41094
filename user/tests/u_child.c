/*
 * u_child.c - a child for u_parent and u_many: exits with its id % 100.
 */
#include "baton.h"

int main(void)
{
	return (int)(self() % 100);
}
