/*
 * start.c - from crt0 to main, and from main's return to exit.
 */
#include "baton.h"

uint64_t spawn_arg;

void start_main(uint64_t arg);

void start_main(uint64_t arg)
{
	spawn_arg = arg;
	exit(main());
}
