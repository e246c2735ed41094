/*
 * i_take.c - i_give's child: receives the page, at the address spawn_arg
 * says, and checks that every byte is the pattern i_give wrote before
 * sending, none of its later write. Exits with the failures.
 */
#include "baton.h"
#include "check.h"

#define END	0
#define PATTERN 0xa5

static void on_page(void *arg, uint64_t waiting)
{
	const uint8_t *page;
	struct msg m;
	int wrong = 0;

	(void)arg;
	(void)waiting;
	CHECK(receive(END, &m), 0);
	CHECK(m.nregions, 1);
	if (m.nregions != 1)
		exit(check_end());
	CHECK((long)m.regions[0].addr, (long)spawn_arg);
	page = (const uint8_t *)m.regions[0].addr;
	for (size_t i = 0; i < PAGE_SIZE; i++)
		wrong += page[i] != PATTERN;
	CHECK(wrong, 0);
	CHECK(receive(END, &m), -EPIPE); /* i_give is dead: nothing more */
	exit(check_end());
}

int main(void)
{
	check_begin("i_take");
	async_on_message(END, on_page, NULL);
	async_end();
}
