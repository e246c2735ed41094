/*
 * u_join.c - a join: one function after three timers, and only then.
 */
#include "baton.h"

static struct async_join join;
static int joined;

static void all_done(void *arg, uint64_t value)
{
	(void)arg;
	joined++;
	(void)value;
	printf("u_join: joined %lu events, %d time(s), %u left\n",
	       (unsigned long)(uintptr_t)arg, joined, join.left);
}

int main(void)
{
	async_join(&join, 3, all_done, (void *)3);
	async_after(MS(3), async_join_arm, &join);
	async_after(MS(1), async_join_arm, &join);
	async_after(MS(2), async_join_arm, &join);
	async_end();
}
