/*
 * c_revoke.c - revoke takes a capability away from another domain, at
 * once, even after it has touched the pages.
 *
 * The parent gives its child (c_rev_child) a copy of a read-write
 * capability. The child reads and writes the region, then waits 30 ms;
 * after 5 ms the parent revokes every copy. When the child touches the
 * region again it must die, though the page was mapped for it before.
 */
#include "baton.h"
#include "check.h"

static char *shared;
static long original;

static void revoke_now(void *arg, uint64_t value)
{
	(void)arg;
	(void)value;
	CHECK(shared[0], 'S'); /* the child wrote before */
	CHECK(cap_revoke(original), 0);
	strlcpy(shared, "still mine", PAGE_SIZE); /* the parent keeps it */
	print("c_revoke: revoked\n");
}

static void child_ended(void *arg, uint64_t status)
{
	(void)arg;
	CHECK((long)status, -1);
	exit(check_end());
}

int main(void)
{
	long copy, child;

	check_begin("c_revoke");
	original = region_alloc(1, MEM_R | MEM_W, (void **)&shared);
	CHECK(original, 0);
	strlcpy(shared, "shared", PAGE_SIZE);
	copy = cap_derive(original, CAP_R | CAP_W, 0);
	CHECK(copy, 1);
	child = spawn("c_rev_child", &copy, 1, (uint64_t)shared);
	CHECK(child >= 0, 1);
	if (check_failures)
		return check_end();
	async_after(MS(5), revoke_now, NULL);
	async_on_exit(child, child_ended, NULL);
	async_end();
}
