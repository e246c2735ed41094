/*
 * i_watch.c - i_lend's child: holds a read-only copy of a region that
 * was moved (parked) after it was lent. Its first touch maps the page
 * again: it reads the note, then writes, and must be killed there.
 */
#include "baton.h"

int main(void)
{
	char *note = (char *)spawn_arg;

	printf("i_watch: the note says \"%s\"\n", note);
	note[0] = 'W';
	printf("i_watch: FAIL: wrote to a page lent read-only\n");
	return 1;
}
