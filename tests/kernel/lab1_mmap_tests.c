/*
 * lab1_mmap_tests.c - lab 1, exercise 1: reading the memory map.
 *
 * The grader boots QEMU and Bochs with 128 MiB of RAM, so the real map
 * must show about that much usable memory. mb2_mmap_synthetic feeds the
 * parser a map no BIOS would produce, to check the corner cases.
 */
#include "arch/x86_64/layout.h"
#include "kern/ktest.h"
#include "kern/multiboot2.h"
#include "lib/errno.h"
#include "lib/string.h"

#define MIB (1024ul * 1024)

/* Finds the raw memory-map tag in the multiboot2 information GRUB left. */
static const struct mb2_tag_mmap *find_raw_mmap_tag(void)
{
	const uint8_t *info = phys_to_virt(bootinfo.info_start);
	const struct mb2_info_header *h = (const void *)info;
	size_t offset = sizeof(*h);

	while (offset + sizeof(struct mb2_tag) <= h->total_size) {
		const struct mb2_tag *tag = (const void *)(info + offset);

		if (tag->type == MB2_TAG_END)
			break;
		if (tag->type == MB2_TAG_MMAP)
			return (const void *)tag;
		offset += ALIGN_UP((size_t)tag->size, 8);
	}
	return NULL;
}

/* Every non-empty entry of GRUB's map appears in bootinfo.mem, exactly. */
KTEST(mb2_mmap_matches_tag, 1, 3)
{
	const struct mb2_tag_mmap *tag = find_raw_mmap_tag();
	const uint8_t *entry;
	int expected = 0;

	KT_ASSERT(tag != NULL);
	KT_ASSERT_OK(bootinfo.mmap_error);
	entry = (const uint8_t *)(tag + 1);
	for (; entry < (const uint8_t *)tag + tag->tag.size;
	     entry += tag->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)entry;
		bool found = false;

		if (e->length == 0)
			continue;
		expected++;
		for (int i = 0; i < bootinfo.mem_count; i++)
			if (bootinfo.mem[i].base == e->base_addr &&
			    bootinfo.mem[i].length == e->length &&
			    bootinfo.mem[i].type == e->type)
				found = true;
		if (!found)
			KT_FAIL("GRUB's region at %p (%lu bytes, type %u) is "
				"missing from bootinfo.mem",
				(void *)e->base_addr, e->length, e->type);
	}
	KT_ASSERT_EQ(bootinfo.mem_count, expected);
}

/* The map describes the 128 MiB machine we run on, sorted. */
KTEST(mb2_mmap_usable_ram, 1, 2)
{
	paddr_t kernel = virt_to_phys(__text_start);
	uint64_t usable = 0;
	bool kernel_in_usable = false;

	KT_ASSERT_OK(bootinfo.mmap_error);
	for (int i = 0; i < bootinfo.mem_count; i++) {
		const struct mem_region *r = &bootinfo.mem[i];

		if (i > 0 && r->base < bootinfo.mem[i - 1].base)
			KT_FAIL("bootinfo.mem is not sorted at entry %d", i);
		if (r->type != MEM_USABLE)
			continue;
		usable += r->length;
		if (r->base <= kernel && kernel < r->base + r->length)
			kernel_in_usable = true;
	}
	if (usable < 120 * MIB || usable > 128 * MIB)
		KT_FAIL("%lu KiB usable: expected 120..128 MiB", usable / 1024);
	KT_ASSERT(kernel_in_usable);
}

/* A hand-made tag: wide entries, unsorted, empty and wrapping regions. */
struct synthetic_entry {
	struct mb2_mmap_entry e;
	uint64_t future_field; /* entry_size 32: a longer entry version */
};

static struct {
	struct mb2_tag_mmap tag;
	struct synthetic_entry entries[5];
} synthetic = {
	.tag = {.tag = {MB2_TAG_MMAP, sizeof(synthetic)},
		.entry_size = sizeof(struct synthetic_entry)},
	.entries =
		{
			{{0x100000, 0x700000, MEM_USABLE, 0}, ~0ul},
			{{0x0, 0x9f000, MEM_USABLE, 0}, ~0ul},
			{{0x9f000, 0, MEM_RESERVED, 0},
			 ~0ul}, /* empty: skipped */
			{{0xfffffffffff00000, 0x200000, MEM_RESERVED, 0}, ~0ul},
			{{0xf0000, 0x10000, MEM_RESERVED, 0}, ~0ul},
		},
};

KTEST(mb2_mmap_synthetic, 1, 3)
{
	static struct bootinfo bi;

	KT_ASSERT_OK(mb2_parse_mmap(&synthetic.tag, &bi));
	KT_ASSERT_EQ(bi.mem_count, 4);
	KT_ASSERT_EQ(bi.mem[0].base, 0x0);
	KT_ASSERT_EQ(bi.mem[0].length, 0x9f000);
	KT_ASSERT_EQ(bi.mem[1].base, 0xf0000);
	KT_ASSERT_EQ(bi.mem[2].base, 0x100000);
	KT_ASSERT_EQ(bi.mem[2].type, MEM_USABLE);
	KT_ASSERT_EQ(bi.mem[3].base, 0xfffffffffff00000);
	/* Clipped: base + length must not wrap past 2^64. */
	KT_ASSERT_EQ(bi.mem[3].length, 0xfffff);

	/* An entry_size smaller than an entry is malformed. */
	synthetic.tag.entry_size = 16;
	KT_ASSERT_EQ(mb2_parse_mmap(&synthetic.tag, &bi), -EINVAL);
	synthetic.tag.entry_size = sizeof(struct synthetic_entry);
}
