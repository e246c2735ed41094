/*
 * multiboot2.h - the boot information GRUB passes, and its parser.
 *
 * The Multiboot2 specification (section 3.6) defines the information as
 * a fixed header (total size, reserved) followed by tags, each starting
 * with (type, size) and padded to 8 bytes, ending with a tag of type 0.
 * The parser trusts nothing: every size is checked against the space that
 * holds it, so a corrupt structure gives an error, not a wild read.
 */
#ifndef KERN_MULTIBOOT2_H
#define KERN_MULTIBOOT2_H

#include "kern/bootinfo.h"
#include "lib/compiler.h"
#include "lib/types.h"

#define MB2_TAG_END	      0
#define MB2_TAG_CMDLINE	      1
#define MB2_TAG_LOADER_NAME   2
#define MB2_TAG_MODULE	      3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP	      6

struct mb2_info_header {
	uint32_t total_size; /* including this header */
	uint32_t reserved;
};

struct mb2_tag {
	uint32_t type;
	uint32_t size; /* including this header, excluding the padding */
};

struct mb2_tag_string { /* command line and boot loader name */
	struct mb2_tag tag;
	char string[]; /* NUL-terminated */
};

struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t mod_start;
	uint32_t mod_end; /* exclusive */
	char string[];
};

struct mb2_mmap_entry {
	uint64_t base_addr;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
};

struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size; /* size of one entry: may be MORE than ours */
	uint32_t entry_version;
	/* entries follow, entry_size bytes apart */
};

/*
 * Parses the multiboot2 information at info (a kernel-virtual pointer to
 * at most max_size readable bytes; info_phys is its physical address)
 * into bi. Returns 0, -EINVAL if the structure is malformed, or -E2BIG if
 * it lists more than BOOT_MAX_MODULES modules. A memory
 * map that cannot be parsed does not fail the whole parse: its error is
 * left in bi->mmap_error.
 */
int mb2_parse(const void *info, size_t max_size, paddr_t info_phys,
	      struct bootinfo *bi);

/*
 * LAB 1: converts the memory-map tag into bi->mem[] and bi->mem_count.
 * Honours entry_size (which may exceed sizeof(struct mb2_mmap_entry)),
 * clips a region to end at 2^64 - 1 at the latest (base + length must
 * not wrap), skips regions that are then empty, keeps at
 * most BOOT_MAX_REGIONS (returning -E2BIG if there were more), and sorts
 * the result by base address. Returns 0, or -EINVAL for a malformed tag
 * (entry_size too small or not a multiple of 8, or a size that does not
 * hold whole entries).
 */
int mb2_parse_mmap(const struct mb2_tag_mmap *tag, struct bootinfo *bi);

#endif
