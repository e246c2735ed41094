/*
 * start.c - from crt0 to main, and from main's return to exit.
 */
#include "baton.h"

void start_main(void);

void start_main(void)
{
	exit(main());
}
