/*
 * i_ping.c - ping-pong between two domains (test ipc_ping_pong).
 *
 * Makes a channel, spawns i_pong with one end (its slot 0) and plays
 * ROUNDS rounds. Each round sends a counter in the message's data and,
 * as a region, one page (the ball) with the same counter written in it;
 * i_pong adds one to both and sends them back. The ball goes there and
 * back by moving, never by copying: it comes back at the same address,
 * with what i_pong wrote. Then ping closes its end, and pong, finding
 * the channel closed, exits with the number of rounds it served.
 */
#include "baton.h"
#include "check.h"

#define ROUNDS 20

static long ends[2];
static uint64_t *ball;
static uint64_t round;

static void serve(void);

static void pong_ended(void *arg, uint64_t status)
{
	(void)arg;
	CHECK((long)status, ROUNDS);
	exit(check_end());
}

static void on_reply(void *arg, uint64_t waiting)
{
	struct msg m;
	uint64_t counter = 0;

	(void)arg;
	CHECK((long)waiting, 1);
	CHECK(receive(ends[0], &m), 0);
	memcpy(&counter, m.data, sizeof(counter));
	CHECK((long)counter, (long)round + 1);
	CHECK(m.nregions, 1);
	CHECK((long)m.regions[0].addr, (long)ball); /* the same address */
	CHECK((long)*ball, (long)round + 1);	    /* pong's write */
	if (++round < ROUNDS) {
		serve();
		return;
	}
	CHECK(close(ends[0]), 0);
}

static void serve(void)
{
	struct msg m = {.len = sizeof(round), .nregions = 1};

	*ball = round;
	memcpy(m.data, &round, sizeof(round));
	m.regions[0] = (struct msg_region){(uint64_t)ball, 1, 0};
	CHECK(send(ends[0], &m), 0);
	async_on_message(ends[0], on_reply, NULL);
}

int main(void)
{
	long pong;

	check_begin("i_ping");
	CHECK(channel(ends), 0);
	CHECK(region_alloc(1, MEM_R | MEM_W, (void **)&ball) >= 0, 1);
	pong = spawn("i_pong", &ends[1], 1, 0);
	CHECK(pong >= 0, 1);
	if (check_failures)
		return check_end();
	async_on_exit(pong, pong_ended, NULL);
	serve();
	async_end();
}
