/*
 * b_spawn.c - spawn a small program, let it exit, get its exit event
 * (cont.spawn_join): guest instructions from before spawn() to the
 * first line of the function that receives the exit. The figure is the
 * exit status.
 */
#include "baton.h"

static uint64_t started;

static void exited(void *arg, uint64_t status)
{
	uint64_t cost = rdtsc() - started;

	(void)arg;
	(void)status;
	exit((int)cost);
}

int main(void)
{
	long child;

	started = rdtsc();
	child = spawn("child", NULL, 0, 0);
	if (child < 0)
		return -1;
	async_on_exit(child, exited, NULL);
	async_end();
}
