/*
 * reader.c - share's child: reads the note its capability (slot 0)
 * allows it to read, then tries to change it, which kills it.
 */
#include "baton.h"

int main(void)
{
	char *note = (char *)spawn_arg;
	struct cap_info info;

	if (cap_info(0, &info) < 0)
		return 1;
	printf("reader: slot 0 lets me %s the region at %p; the note says "
	       "\"%s\"\n",
	       info.rights & CAP_W ? "read and write" : "only read",
	       (void *)info.addr, note);
	print("reader: now I try to change it\n");
	note[0] = '!';
	print("reader: I changed it\n");
	return 0;
}
