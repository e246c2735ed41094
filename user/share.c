/*
 * share.c - lending memory by capability: a read-only copy for a child.
 *
 * The parent writes a note in a region of its own, derives a read-only
 * copy of the region's capability and spawns reader with that copy and
 * nothing else, passing the note's address. There is one address space,
 * so the pointer means the same thing in the child; the capability is
 * what lets the child use it, and only to read.
 */
#include "baton.h"

static char *note;

static void reader_ended(void *arg, uint64_t status)
{
	(void)arg;
	printf("share: reader ended with status %ld; the note still says "
	       "\"%s\"\n",
	       (long)status, note);
}

int main(void)
{
	long mine = region_alloc(1, MEM_R | MEM_W, (void **)&note);
	long lent, reader;

	if (mine < 0) {
		printf("share: region_alloc: %s\n", errno_name((int)-mine));
		return 1;
	}
	snprintf(note, PAGE_SIZE, "written by domain %ld", self());
	lent = cap_derive(mine, CAP_R, 0);
	if (lent < 0) {
		printf("share: cap_derive: %s (is lab 6 written?)\n",
		       errno_name((int)-lent));
		return 1;
	}
	reader = spawn("reader", &lent, 1, (uint64_t)note);
	if (reader < 0) {
		printf("share: spawn: %s\n", errno_name((int)-reader));
		return 1;
	}
	async_on_exit(reader, reader_ended, NULL);
	async_end();
}
