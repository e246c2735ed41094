/*
 * i_doomed.c - a domain killed with messages in flight both ways (test
 * ipc_killed_with_messages_in_flight).
 *
 * Spawns i_sink with one end of a channel and sends it three messages,
 * each with a region holding "message N", then dies on a wild write
 * before i_sink reads any of them. i_sink has sent two regions of its
 * own, which this domain never receives: the kernel must reclaim those,
 * and must deliver the three that are on their way to i_sink intact.
 */
#include "baton.h"
#include "check.h"

#define MESSAGES 3

static void die(void *arg, uint64_t value)
{
	volatile int *wild = (volatile int *)spawn_arg; /* 0: null */

	(void)arg;
	(void)value;
	printf("i_doomed: dying with messages in flight\n");
	*wild = 1;
}

int main(void)
{
	long ends[2];

	check_begin("i_doomed");
	CHECK(channel(ends), 0);
	CHECK(spawn("i_sink", &ends[1], 1, 0) >= 0, 1);
	for (int i = 0; i < MESSAGES; i++) {
		struct msg m = {.nregions = 1, .len = 1};
		char *text;

		CHECK(region_alloc(1, MEM_R | MEM_W, (void **)&text) >= 0, 1);
		snprintf(text, PAGE_SIZE, "message %d", i);
		m.data[0] = (uint8_t)i;
		m.regions[0] = (struct msg_region){(uint64_t)text, 1, 0};
		CHECK(send(ends[0], &m), 0);
	}
	if (check_failures)
		return check_end();
	async_after(MS(5), die, NULL); /* after i_sink has sent its own */
	async_end();
}
