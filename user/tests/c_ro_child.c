/*
 * c_ro_child.c - c_ro's child: it holds a read-only capability (slot 0)
 * for the two pages at spawn_arg (the parent wrote on the first).
 * Reading works; a system call that would write there fails; writing
 * kills it.
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
	 * would store an address on the second page, which nobody has
	 * touched yet. The hardware would not stop the kernel there: the
	 * page would be mapped for the kernel, writable, on its first
	 * touch. Only the kernel's own check can. */
	CHECK(region_alloc(1, MEM_R, (void **)(text + PAGE_SIZE)), -EFAULT);
	check_end();
	print("c_ro_child: writing\n");
	text[0] = 'X';
	print("c_ro_child: wrote to a read-only region\n");
	return 1;
}
