/*
 * i_pong.c - i_ping's partner: answers every message on its slot 0,
 * adding one to the counter in the data and in the page that came with
 * it, and sends both back. Exits with the rounds served once the
 * channel is closed; with 100 + the step if anything goes wrong.
 */
#include "baton.h"

#define END 0 /* what spawn gave it */

static int served;

static void on_message(void *arg, uint64_t waiting)
{
	struct msg m;
	uint64_t counter;
	long err = receive(END, &m);

	(void)arg;
	(void)waiting;
	if (err == -EPIPE)
		exit(served); /* ping closed its end: done */
	if (err < 0 || m.nregions != 1 || m.len != sizeof(counter))
		exit(101);
	memcpy(&counter, m.data, sizeof(counter));
	counter++;
	memcpy(m.data, &counter, sizeof(counter));
	(*(uint64_t *)m.regions[0].addr)++; /* the first touch maps it */
	if (send(END, &m) < 0)
		exit(102);
	served++;
	async_on_message(END, on_message, NULL);
}

int main(void)
{
	async_on_message(END, on_message, NULL);
	async_end();
}
