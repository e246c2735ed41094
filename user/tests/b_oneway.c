/*
 * b_oneway.c - one message, one way, moving or copying N pages
 * (ipc.move_N, ipc.copy_N, ipc.data_64).
 *
 * spawn_arg: the pages (0: a message of MSG_DATA_MAX bytes of data and
 * no region), plus COPY to copy them instead of moving them. Each round
 * fills a new region of that many pages, reads the clock and sends it to
 * b_echo (as a SINK), which touches one byte of every page it received,
 * reads the clock and answers with the reading. The round's cost is the
 * difference: the send, the switch to the other domain, its receive and
 * its first touch of each page. The fewest guest instructions of ROUNDS
 * rounds is the exit status.
 */
#include "baton.h"

#define ROUNDS 5
#define COPY   (1ul << 32)
#define SINK   1

static long ends[2];
static uint64_t pages, started, fewest = UINT64_MAX;
static char *region;
static long region_cap;
static int rounds;

static void send_one(void);

static void answered(void *arg, uint64_t waiting)
{
	struct msg m;
	uint64_t arrived;

	(void)arg;
	(void)waiting;
	if (receive(ends[0], &m) < 0 || m.len < sizeof(arrived))
		exit(-1);
	memcpy(&arrived, m.data, sizeof(arrived));
	fewest = MIN(fewest, arrived - started);
	if (spawn_arg & COPY && pages)
		close(region_cap); /* the copy went; the original stayed */
	if (++rounds < ROUNDS) {
		send_one();
		return;
	}
	close(ends[0]);
	exit((int)fewest);
}

static void send_one(void)
{
	struct msg m = {.flags = spawn_arg & COPY ? MSG_COPY : 0};

	if (pages) {
		region_cap =
			region_alloc(pages, MEM_R | MEM_W, (void **)&region);
		if (region_cap < 0)
			exit(-1);
		for (uint64_t p = 0; p < pages; p++) /* written: mapped */
			region[p * PAGE_SIZE] = (char)p;
		m.nregions = 1;
		m.regions[0] = (struct msg_region){(uint64_t)region, pages, 0};
	} else {
		m.len = MSG_DATA_MAX;
	}
	started = rdtsc();
	if (send(ends[0], &m) < 0)
		exit(-1);
	async_on_message(ends[0], answered, NULL);
}

int main(void)
{
	pages = spawn_arg & (COPY - 1);
	if (channel(ends) < 0 || spawn("b_echo", &ends[1], 1, SINK) < 0)
		return -1;
	send_one();
	async_end();
}
