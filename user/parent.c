/*
 * parent.c - spawn three children, join on their exits.
 *
 * Each child exits with its domain id % 100 (child.c); the parent
 * collects the three statuses as the exits arrive, and a join prints
 * them once all three are in.
 */
#include "baton.h"

static struct async_join join;
static long statuses[3];
static int collected;

static void all_exited(void *arg, uint64_t value)
{
	(void)arg;
	(void)value;
	printf("parent: %d children exited, statuses %ld %ld %ld\n", collected,
	       statuses[0], statuses[1], statuses[2]);
}

static void child_exited(void *arg, uint64_t status)
{
	statuses[(uintptr_t)arg] = (long)status;
	collected++;
	async_join_arm(&join, status);
}

int main(void)
{
	async_join(&join, 3, all_exited, NULL);
	for (uintptr_t i = 0; i < 3; i++) {
		long child = spawn("child", NULL, 0, 0);

		if (child < 0) {
			printf("parent: spawn: %s\n", errno_name((int)-child));
			return 1;
		}
		async_on_exit(child, child_exited, (void *)i);
	}
	async_end();
}
