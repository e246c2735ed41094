/*
 * b_pingpong.c - a one-page message there and back between two domains
 * (ipc.roundtrip_move_1).
 *
 * Spawns b_echo, which sends every message straight back, and times
 * ROUNDS round trips of a message that moves one page: from before the
 * send, through this continuation's end, b_echo's continuation
 * (receive, send) and back, to just after this domain's receive. Neither
 * side touches the page: this is the cost of the messages alone. The
 * fewest guest instructions of the rounds is the exit status.
 */
#include "baton.h"

#define ROUNDS 9

static long ends[2];
static uint64_t *page, started, fewest = UINT64_MAX, empty;
static int rounds;

static void ping(void);

static void pong(void *arg, uint64_t waiting)
{
	struct msg m;

	(void)arg;
	(void)waiting;
	if (receive(ends[0], &m) < 0 || m.nregions != 1)
		exit(-1);
	fewest = MIN(fewest, rdtsc() - started);
	if (++rounds < ROUNDS) {
		ping();
		return;
	}
	close(ends[0]);
	exit((int)(fewest - empty));
}

static void ping(void)
{
	struct msg m = {.nregions = 1};

	m.regions[0] = (struct msg_region){(uint64_t)page, 1, 0};
	started = rdtsc();
	if (send(ends[0], &m) < 0)
		exit(-1);
	async_on_message(ends[0], pong, NULL);
}

int main(void)
{
	uint64_t start = rdtsc();

	empty = rdtsc() - start;
	if (channel(ends) < 0 ||
	    region_alloc(1, MEM_R | MEM_W, (void **)&page) < 0 ||
	    spawn("b_echo", &ends[1], 1, 0) < 0)
		return -1;
	*page = 1; /* mapped, as a message's page usually is */
	ping();
	async_end();
}
