/*
 * c_ro.c - a read-only capability lets its holder read, never write.
 *
 * The parent writes a string in a region of its own, derives a
 * read-only copy of the capability and gives only that to its child
 * (c_ro_child), with the region's address. The child reads the string,
 * then tries to write: it must die, and the string must be unchanged.
 */
#include "baton.h"
#include "check.h"

#define TEXT "written by c_ro"

static char *text;

static void child_ended(void *arg, uint64_t status)
{
	(void)arg;
	check_begin("c_ro");
	CHECK((long)status, -1); /* killed */
	CHECK(strcmp(text, TEXT), 0);
	CHECK(*(volatile uint64_t *)(text + PAGE_SIZE), 0); /* untouched */
	exit(check_end());
}

int main(void)
{
	long rw, ro, child;

	check_begin("c_ro");
	rw = region_alloc(2, MEM_R | MEM_W, (void **)&text);
	CHECK(rw, 0);
	strlcpy(text, TEXT, PAGE_SIZE);
	ro = cap_derive(rw, CAP_R, 0);
	CHECK(ro, 1);
	child = spawn("c_ro_child", &ro, 1, (uint64_t)text);
	CHECK(child >= 0, 1);
	if (check_failures)
		return check_end();
	async_on_exit(child, child_ended, NULL);
	async_end();
}
