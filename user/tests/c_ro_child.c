/*
 * c_ro_child.c - c_ro's child: it holds a read-only capability (slot 0)
 * for the two pages at spawn_arg. Reading works; a system call that
 * would write there fails; writing kills it.
 */
#include "baton.h"
#include "check.h"

int main(void)
{
	char *text = (char *)spawn_arg;
	struct cap_info info;

	check_begin("c_ro_child");
	CHECK(cap_info(0, &info), 0);
	CHECK(info.rights, CAP_R);
	CHECK(info.addr, (long)text);
	printf("c_ro_child: read \"%s\"\n", text);
	/* The kernel writes for it only where it may write: region_alloc
	 * would store an address on the second page, which it never
	 * touched (the kernel could: to the kernel it is a mapped page). */
	CHECK(region_alloc(1, MEM_R, (void **)(text + PAGE_SIZE)), -EFAULT);
	print("c_ro_child: writing\n");
	text[0] = 'X';
	print("c_ro_child: wrote to a read-only region\n");
	return 1;
}
