/*
 * u_exit.c - exit() ends the domain at once, pending timers and all.
 */
#include "baton.h"

static void quit(void *arg, uint64_t value)
{
	(void)arg;
	(void)value;
	exit(7);
}

static void never(void *arg, uint64_t value)
{
	(void)arg;
	(void)value;
	print("u_exit: still running after exit\n");
}

int main(void)
{
	async_after(MS(1), quit, NULL);
	async_after(MS(60000), never, NULL);
	async_end();
}
