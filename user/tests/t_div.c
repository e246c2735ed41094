/*
 * t_div.c - a divide error: #DE, and the domain dies.
 */
#include "baton.h"

int main(void)
{
	volatile int numerator = 1, zero = 0;

	print("t_div: dividing by zero\n");
	return numerator / zero;
}
