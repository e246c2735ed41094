/*
 * b_echo.c - the far end of the lab 7 benchmarks (b_pingpong, b_oneway).
 *
 * spawn_arg says what to do with each message on its slot 0:
 *   ECHO  send it straight back, regions and all, touching nothing;
 *   SINK  read one byte of every page of its region (the first touch
 *         maps each page), read the clock, give the region back to the
 *         kernel (close), and answer with the clock reading.
 * It exits when the channel closes.
 */
#include "baton.h"

#define END  0
#define ECHO 0
#define SINK 1

static void on_message(void *arg, uint64_t waiting);

static void sink(struct msg *m)
{
	volatile const uint8_t *bytes;
	uint64_t now;
	uint8_t sum = 0;

	for (uint32_t r = 0; r < m->nregions; r++) {
		bytes = (volatile const uint8_t *)m->regions[r].addr;
		for (uint64_t p = 0; p < m->regions[r].pages; p++)
			sum += bytes[p * PAGE_SIZE];
	}
	now = rdtsc();
	for (uint32_t r = 0; r < m->nregions; r++)
		close(m->regions[r].cap);
	*m = (struct msg){.len = sizeof(now) + 1};
	memcpy(m->data, &now, sizeof(now));
	m->data[sizeof(now)] = sum;
}

static void on_message(void *arg, uint64_t waiting)
{
	struct msg m;
	long err = receive(END, &m);

	(void)arg;
	(void)waiting;
	if (err == -EPIPE)
		exit(0);
	if (err < 0)
		exit(1);
	if (spawn_arg == SINK)
		sink(&m);
	if (send(END, &m) < 0)
		exit(2);
	async_on_message(END, on_message, NULL);
}

int main(void)
{
	async_on_message(END, on_message, NULL);
	async_end();
}
