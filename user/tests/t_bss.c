/*
 * t_bss.c - .bss starts zero, and .data holds what the file said.
 *
 * zeroes spans several pages, and its first bytes share a page with
 * .data: the loader must zero both the rest of that page and the pages
 * beyond the file. The exit status is the number of wrong bytes.
 */
#include "baton.h"

static volatile int answer = 42;
static char zeroes[3 * 4096 + 100];

int main(void)
{
	int wrong = answer != 42;

	for (size_t i = 0; i < sizeof(zeroes); i++) {
		if (zeroes[i]) {
			wrong++;
			zeroes[i] = 0;
		}
	}
	zeroes[sizeof(zeroes) - 1] = 1; /* and it is writable */
	printf("t_bss: %zu bytes of .bss, %d wrong\n", sizeof(zeroes), wrong);
	return wrong;
}
