/*
 * c_give.c - spawn hands the child exactly the capabilities chosen, all
 * or none.
 *
 * The parent has three regions (slots 0, 1, 2) and a read-only copy of
 * the second (slot 3). Spawns with a bad list move nothing. Then it
 * passes slots 3 and 0 to c_census: they leave its table, and the child
 * must find exactly those two, in its slots 0 and 1. The child dies when
 * it touches the third region, which it was not given.
 */
#include "baton.h"
#include "check.h"

static char *addr[3];

static void child_ended(void *arg, uint64_t status)
{
	(void)arg;
	CHECK((long)status, -1); /* killed at the third region */
	exit(check_end());
}

static void bad_lists(long ro)
{
	struct cap_info info;
	long twice[2] = {ro, ro}, empty[2] = {ro, 40}, out[2] = {ro, -1};
	long next_free[2] = {ro, ro + 1}; /* where the child's cap would go */

	CHECK(spawn("c_census", twice, 2, 0), -EINVAL);
	CHECK(spawn("c_census", empty, 2, 0), -EBADF);
	CHECK(spawn("c_census", next_free, 2, 0), -EBADF);
	CHECK(spawn("c_census", out, 2, 0), -ERANGE);
	CHECK(cap_info(ro, &info), 0); /* nothing moved */
}

int main(void)
{
	struct cap_info info;
	long slot[3], ro, child;

	check_begin("c_give");
	for (int i = 0; i < 3; i++) {
		slot[i] = region_alloc(1, MEM_R | MEM_W, (void **)&addr[i]);
		CHECK(slot[i], i);
		snprintf(addr[i], PAGE_SIZE, "region %d", i);
	}
	ro = cap_derive(slot[1], CAP_R, 0);
	CHECK(ro, 3);
	bad_lists(ro);
	child = spawn("c_census", (long[]){ro, slot[0]}, 2, (uint64_t)addr[2]);
	CHECK(child >= 0, 1);
	CHECK(cap_info(ro, &info), -EBADF); /* moved */
	CHECK(cap_info(slot[0], &info), -EBADF);
	CHECK(cap_info(slot[1], &info), 0); /* kept */
	if (child < 0)
		return check_end();
	async_on_exit(child, child_ended, NULL);
	async_end();
}
