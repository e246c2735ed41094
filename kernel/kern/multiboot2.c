/*
 * multiboot2.c - turning GRUB's boot information into a struct bootinfo.
 *
 * mb2_parse() walks the tags and hands each kind to its own small parser.
 * Like every parser of outside data in Baton, it compiles for the host
 * too, where unit tests and a fuzzer feed it broken structures
 * (tests/host/).
 */
#include "kern/multiboot2.h"

#include "lib/errno.h"
#include "lib/string.h"

#define MB2_TAG_ALIGN 8

const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case MEM_USABLE:
		return "usable";
	case MEM_ACPI_RECLAIMABLE:
		return "ACPI";
	case MEM_ACPI_NVS:
		return "ACPI NVS";
	case MEM_BAD:
		return "bad";
	default:
		return "reserved";
	}
}

/* Copies a tag's string, which must be NUL-terminated inside the tag. */
static int copy_string(const char *s, size_t space, char *dst, size_t size)
{
	if (strnlen(s, space) == space)
		return -EINVAL;
	strlcpy(dst, s, size);
	return 0;
}

static int parse_string_tag(const struct mb2_tag *tag, char *dst, size_t size)
{
	const struct mb2_tag_string *t = (const void *)tag;

	return copy_string(t->string, tag->size - sizeof(*tag), dst, size);
}

static int parse_module(const struct mb2_tag *tag, struct bootinfo *bi)
{
	const struct mb2_tag_module *t = (const void *)tag;
	struct boot_module *m;

	if (tag->size < sizeof(*t) || t->mod_end < t->mod_start)
		return -EINVAL;
	if (bi->module_count == BOOT_MAX_MODULES)
		return -E2BIG;
	m = &bi->modules[bi->module_count];
	m->start = t->mod_start;
	m->end = t->mod_end;
	if (copy_string(t->string, tag->size - sizeof(*t), m->name,
			sizeof(m->name)) < 0)
		return -EINVAL;
	bi->module_count++;
	return 0;
}

#if SOL >= 1
/* The entry's length, clipped so that base + length does not wrap. */
static uint64_t clipped_length(const struct mb2_mmap_entry *e)
{
	return MIN(e->length, UINT64_MAX - e->base_addr);
}

/* Insertion sort by base: maps are short and usually sorted already. */
static void sort_regions(struct mem_region *r, int n)
{
	for (int i = 1; i < n; i++) {
		struct mem_region key = r[i];
		int j = i - 1;

		while (j >= 0 && r[j].base > key.base) {
			r[j + 1] = r[j];
			j--;
		}
		r[j + 1] = key;
	}
}
#endif

int mb2_parse_mmap(const struct mb2_tag_mmap *tag, struct bootinfo *bi)
{
#if SOL >= 1
	size_t bytes, count;
	const uint8_t *entries = (const uint8_t *)(tag + 1);
	int err = 0;

	bi->mem_count = 0;
	if (tag->tag.size < sizeof(*tag) ||
	    tag->entry_size < sizeof(struct mb2_mmap_entry) ||
	    tag->entry_size % 8 != 0)
		return -EINVAL;
	bytes = tag->tag.size - sizeof(*tag);
	if (bytes % tag->entry_size != 0)
		return -EINVAL;
	count = bytes / tag->entry_size;
	for (size_t i = 0; i < count; i++) {
		const struct mb2_mmap_entry *e =
			(const void *)(entries + i * tag->entry_size);

		uint64_t length = clipped_length(e);

		if (length == 0)
			continue;
		if (bi->mem_count == BOOT_MAX_REGIONS) {
			err = -E2BIG;
			break;
		}
		bi->mem[bi->mem_count++] = (struct mem_region){
			.base = e->base_addr,
			.length = length,
			.type = e->type,
		};
	}
	sort_regions(bi->mem, bi->mem_count);
	return err;
#else
	/*
	 * LAB 1: your code here (see the contract in multiboot2.h).
	 *  1. Check the tag: its size holds the tag header; entry_size is at
	 *     least sizeof(struct mb2_mmap_entry) and a multiple of 8; the
	 *     rest of the tag is a whole number of entries.
	 *  2. Step through the entries entry_size bytes at a time (not
	 *     sizeof: later versions of the spec may make entries longer).
	 *  3. Clip lengths that run past 2^64, then skip empty entries; stop
	 *     with -E2BIG when bi->mem is full.
	 *  4. Sort bi->mem[0 .. bi->mem_count) by base.
	 * Tests: mb2_mmap_matches_tag, mb2_mmap_usable_ram, mb2_mmap_synthetic.
	 */
	(void)tag;
	bi->mem_count = 0;
	return -ENOSYS;
#endif
}

static int parse_tag(const struct mb2_tag *tag, struct bootinfo *bi)
{
	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		return parse_string_tag(tag, bi->cmdline, sizeof(bi->cmdline));
	case MB2_TAG_LOADER_NAME:
		return parse_string_tag(tag, bi->loader, sizeof(bi->loader));
	case MB2_TAG_MODULE:
		return parse_module(tag, bi);
	case MB2_TAG_MMAP:
		/* A bad map is recorded, not fatal: lab 1 may be unwritten. */
		bi->mmap_error = mb2_parse_mmap((const void *)tag, bi);
		return 0;
	default:
		return 0; /* tags we do not use */
	}
}

int mb2_parse(const void *info, size_t max_size, paddr_t info_phys,
	      struct bootinfo *bi)
{
	const struct mb2_info_header *h = info;
	size_t offset = sizeof(*h); /* of the next tag, from info */

	memset(bi, 0, sizeof(*bi));
	bi->mmap_error = -ENOENT; /* until a memory-map tag is seen */
	if (max_size < sizeof(*h) || h->total_size < sizeof(*h) ||
	    h->total_size > max_size)
		return -EINVAL;
	bi->info_start = info_phys;
	bi->info_end = info_phys + h->total_size;
	while (offset + sizeof(struct mb2_tag) <= h->total_size) {
		const struct mb2_tag *tag =
			(const void *)((const uint8_t *)info + offset);
		int err;

		if (tag->size < sizeof(*tag) ||
		    tag->size > h->total_size - offset)
			return -EINVAL;
		if (tag->type == MB2_TAG_END)
			return 0;
		err = parse_tag(tag, bi);
		if (err < 0)
			return err;
		/* Tags start at 8-byte boundaries; the size excludes padding. */
		offset += ALIGN_UP((size_t)tag->size, MB2_TAG_ALIGN);
	}
	return -EINVAL; /* no end tag */
}
