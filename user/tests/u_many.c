/*
 * u_many.c - 100 domains, made and finished, 10 at a time.
 *
 * Each round spawns ten children and waits for their exits; each exit
 * closes its handle, so the table never fills. The exit status is the
 * number of children that did not come back.
 */
#include "baton.h"

#define ROUNDS	  10
#define PER_ROUND 10

static int round, exited, failed;
static struct async_join join;

static void start_round(void *arg, uint64_t value);

static void child_exited(void *handle, uint64_t status)
{
	(void)status;
	close((long)(uintptr_t)handle);
	exited++;
	async_join_arm(&join, 0);
}

static void round_done(void *arg, uint64_t value)
{
	(void)arg;
	(void)value;
	if (++round < ROUNDS) {
		async_now(start_round, NULL);
		return;
	}
	printf("u_many: %d domains spawned and exited, %d failed\n", exited,
	       failed);
	exit(ROUNDS * PER_ROUND - exited);
}

static void start_round(void *arg, uint64_t value)
{
	(void)arg;
	(void)value;
	async_join(&join, PER_ROUND, round_done, NULL);
	for (int i = 0; i < PER_ROUND; i++) {
		long child = spawn("child", NULL, 0, 0);

		if (child < 0) {
			failed++;
			async_join_arm(&join, 0);
			continue;
		}
		async_on_exit(child, child_exited, (void *)(uintptr_t)child);
	}
}

int main(void)
{
	async_now(start_round, NULL);
	async_end();
}
