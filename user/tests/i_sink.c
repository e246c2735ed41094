/*
 * i_sink.c - i_doomed's child. Sends two regions of its own to i_doomed
 * at once (they are never received), then, once i_doomed is dead,
 * receives the three messages it sent, checks each region's text, and
 * finds the channel closed. Exits with the failures.
 */
#include "baton.h"
#include "check.h"

#define END	 0
#define MESSAGES 3

static char *mine;

static void after_death(void *arg, uint64_t value)
{
	struct msg m;
	char want[16];

	(void)arg;
	(void)value;
	for (int i = 0; i < MESSAGES; i++) {
		CHECK(receive(END, &m), 0);
		CHECK(m.data[0], i);
		CHECK(m.nregions, 1);
		if (m.nregions != 1)
			continue;
		snprintf(want, sizeof(want), "message %d", i);
		CHECK(strcmp((const char *)m.regions[0].addr, want), 0);
	}
	CHECK(receive(END, &m), -EPIPE);
	m = (struct msg){.nregions = 1};
	m.regions[0] = (struct msg_region){(uint64_t)mine, 1, 0};
	CHECK(send(END, &m), -EPIPE);
	CHECK(strcmp(mine, "still mine"), 0); /* lost nothing */
	exit(check_end());
}

int main(void)
{
	check_begin("i_sink");
	for (int i = 0; i < 2; i++) {
		struct msg m = {.nregions = 1};
		char *gift;

		CHECK(region_alloc(1, MEM_R | MEM_W, (void **)&gift) >= 0, 1);
		strlcpy(gift, "a gift never received", PAGE_SIZE);
		m.regions[0] = (struct msg_region){(uint64_t)gift, 1, 0};
		CHECK(send(END, &m), 0);
	}
	CHECK(region_alloc(1, MEM_R | MEM_W, (void **)&mine) >= 0, 1);
	strlcpy(mine, "still mine", PAGE_SIZE);
	async_after(MS(50), after_death, NULL);
	async_end();
}
