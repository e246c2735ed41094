/*
 * u_spin.c - a continuation that never ends: killed by its budget.
 *
 * It also leaves a timer pending, far away: when the domain dies, the
 * kernel must cancel it (the test then finishes at once, leaking
 * nothing).
 */
#include "baton.h"

static void spin(void *arg, uint64_t value)
{
	(void)arg;
	(void)value;
	print("u_spin: spinning\n");
	for (;;)
		__asm__ volatile("pause");
}

static void never(void *arg, uint64_t value)
{
	(void)arg;
	(void)value;
	print("u_spin: the far timer ran: it should have been cancelled\n");
}

int main(void)
{
	async_after(MS(60000), never, NULL);
	async_now(spin, NULL);
	async_end();
}
