/*
 * i_lend.c - a page that moved is shown to each domain with its own
 * rights (test ipc_moved_page_keeps_rights).
 *
 * Writes a note in a region, lends i_watch a read-only copy of its
 * capability, then sends the region (its original) to itself, on a
 * channel whose two ends it holds: the pages are parked, and the next
 * touch of each, by anyone, maps it again. i_watch touches it first: it
 * may read the note, and must die when it writes, read-only as its copy
 * says, however the region's own permissions read. Then this domain
 * receives the region back and may write again.
 */
#include "baton.h"
#include "check.h"

static char *note;
static long ends[2];

static void watcher_ended(void *arg, uint64_t status)
{
	struct msg m;

	(void)arg;
	CHECK((long)status, -1); /* killed at its write */
	CHECK(receive(ends[1], &m), 0);
	CHECK((long)m.regions[0].addr, (long)note);
	CHECK(strcmp(note, "lent, then moved"), 0);
	note[0] = 'L'; /* the owner again */
	exit(check_end());
}

int main(void)
{
	struct msg m = {.nregions = 1};
	long mine, lent, watcher;

	check_begin("i_lend");
	mine = region_alloc(1, MEM_R | MEM_W, (void **)&note);
	CHECK(mine >= 0, 1);
	strlcpy(note, "lent, then moved", PAGE_SIZE);
	lent = cap_derive(mine, CAP_R, 0);
	CHECK(lent >= 0, 1);
	CHECK(channel(ends), 0);
	watcher = spawn("i_watch", &lent, 1, (uint64_t)note);
	CHECK(watcher >= 0, 1);
	m.regions[0] = (struct msg_region){(uint64_t)note, 1, 0};
	CHECK(send(ends[0], &m), 0); /* parked until someone touches it */
	if (check_failures)
		return check_end();
	async_on_exit(watcher, watcher_ended, NULL);
	async_end();
}
