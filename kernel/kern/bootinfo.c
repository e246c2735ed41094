/*
 * bootinfo.c - looking things up in what the boot loader told us.
 */
#include "kern/bootinfo.h"

#include "arch/x86_64/layout.h"
#include "kern/console.h"
#include "lib/ar.h"
#include "lib/string.h"

const struct boot_module *boot_module_find(const char *name)
{
	for (int i = 0; i < bootinfo.module_count; i++)
		if (strcmp(bootinfo.modules[i].name, name) == 0)
			return &bootinfo.modules[i];
	return NULL;
}

/* Adds the members of the archive module m; returns how many. */
static int expand(struct bootinfo *bi, const struct boot_module *m)
{
	const void *image = phys_to_virt(m->start);
	size_t size = m->end - m->start, cursor = 0;
	struct ar_member member;
	int added = 0, more;

	while ((more = ar_next(image, size, &cursor, &member)) > 0) {
		struct boot_module *slot;

		if (bi->module_count == BOOT_MAX_MODULES) {
			kprintf("modules: %s: no room for %s and the rest "
				"(BOOT_MAX_MODULES)\n",
				m->name, member.name);
			break;
		}
		slot = &bi->modules[bi->module_count++];
		slot->start = m->start + member.offset;
		slot->end = slot->start + member.size;
		strlcpy(slot->name, member.name, sizeof(slot->name));
		added++;
	}
	if (more < 0)
		kprintf("modules: %s: a malformed archive; %d members read\n",
			m->name, added);
	return added;
}

int boot_modules_expand_archives(struct bootinfo *bi)
{
	int count = bi->module_count, added = 0;

	for (int i = 0; i < count; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (ar_is_archive(phys_to_virt(m->start), m->end - m->start))
			added += expand(bi, m);
	}
	return added;
}
