/*
 * bootinfo.c - looking things up in what the boot loader told us.
 */
#include "kern/bootinfo.h"

#include "lib/string.h"

const struct boot_module *boot_module_find(const char *name)
{
	for (int i = 0; i < bootinfo.module_count; i++)
		if (strcmp(bootinfo.modules[i].name, name) == 0)
			return &bootinfo.modules[i];
	return NULL;
}
