/*
 * c_rev_child.c - c_revoke's child. It uses the region its capability
 * (slot 0) names, waits while its parent revokes that capability, then
 * finds it gone: a system call gets an error, a touch kills it.
 */
#include "baton.h"
#include "check.h"

static char *shared;

static void after_revoke(void *arg, uint64_t value)
{
	struct cap_info info;

	(void)arg;
	(void)value;
	CHECK(cap_info(0, &info), -EBADF); /* the copy is gone */
	CHECK(write(shared, 4), -EFAULT);  /* the kernel refuses too */
	check_end();
	print("c_rev_child: touching the region again\n");
	printf("c_rev_child: read \"%s\" after the revoke\n", shared);
	exit(1);
}

int main(void)
{
	check_begin("c_rev_child");
	shared = (char *)spawn_arg;
	printf("c_rev_child: read \"%s\"\n", shared);
	shared[0] = 'S';
	async_after(MS(30), after_revoke, NULL);
	async_end();
}
