/*
 * c_full.c - a full capability table is an error, not a crash, and a
 * freed slot is used again.
 */
#include "baton.h"
#include "check.h"

int main(void)
{
	void *addr;
	long region, last, copies = 0;

	check_begin("c_full");
	region = region_alloc(1, MEM_R | MEM_W, &addr);
	CHECK(region, 0);
	while ((last = cap_derive(region, CAP_R, 0)) >= 0)
		copies++;
	CHECK(last, -ENOSPC);
	CHECK(copies, CAP_SLOTS - 1);
	CHECK(region_alloc(1, MEM_R, &addr), -ENOSPC);
	CHECK(spawn("child", NULL, 0, 0), -ENOSPC);
	CHECK(close(CAP_SLOTS - 1), 0);
	CHECK(cap_derive(region, CAP_R, 0), CAP_SLOTS - 1);
	CHECK(cap_revoke(region), 0); /* all CAP_SLOTS - 1 copies */
	CHECK(cap_derive(region, CAP_R, 0), 1);
	return check_end();
}
