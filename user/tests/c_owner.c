/*
 * c_owner.c - owns a region with a secret in it, and stays alive
 * (waiting for console input) while other domains try to reach it:
 * tests/kernel/lab6_cap_tests.c, cap_region_isolation.
 */
#include "baton.h"

static void keep_waiting(void *arg, uint64_t value)
{
	char buf[64];

	(void)arg;
	(void)value;
	read(buf, sizeof(buf)); /* input must be taken, or it wakes us again */
	async_on_input(keep_waiting, NULL);
}

int main(void)
{
	char *secret;

	if (region_alloc(1, MEM_R | MEM_W, (void **)&secret) != 0)
		return 1;
	strlcpy(secret, "owner's secret", PAGE_SIZE);
	printf("c_owner: a secret at %p\n", (void *)secret);
	async_on_input(keep_waiting, NULL);
	async_end();
}
