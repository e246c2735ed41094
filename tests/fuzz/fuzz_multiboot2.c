/*
 * fuzz_multiboot2.c - a libFuzzer target for mb2_parse
 * (kernel/kern/multiboot2.c).
 *
 * Each input is treated as a multiboot2 information structure: copied to
 * an 8-byte-aligned heap block of exactly its size (so ASan catches any
 * read past it) and parsed with max_size = its size. ASan and UBSan catch
 * bad reads and undefined arithmetic; when the parse succeeds, the checks
 * below catch a struct bootinfo that breaks its own rules (bootinfo.h).
 *
 * Run it with `make fuzz` (tests/host/host.mk); seeds come from
 * tests/fuzz/make_corpus.py.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

#include "kern/bootinfo.h"
#include "kern/multiboot2.h"
#include "lib/errno.h"
#include "lib/string.h"

#define INFO_PHYS 0x100000ul

/* True if s holds a NUL within its size bytes. */
static bool terminated(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

static void check_regions(const struct bootinfo *bi)
{
	CHECK(bi->mmap_error == 0 || bi->mmap_error == -EINVAL ||
	      bi->mmap_error == -E2BIG || bi->mmap_error == -ENOENT);
	CHECK(bi->mem_count >= 0 && bi->mem_count <= BOOT_MAX_REGIONS);
	for (int i = 0; i < bi->mem_count; i++) {
		const struct mem_region *r = &bi->mem[i];

		/* Not empty, not wrapping past 2^64, sorted by base. */
		CHECK(r->length > 0);
		CHECK(r->length <= UINT64_MAX - r->base);
		CHECK(i == 0 || bi->mem[i - 1].base <= r->base);
	}
}

static void check_modules(const struct bootinfo *bi)
{
	CHECK(bi->module_count >= 0 && bi->module_count <= BOOT_MAX_MODULES);
	for (int i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];

		CHECK(m->start <= m->end);
		CHECK(terminated(m->name, sizeof(m->name)));
	}
}

static void check_bootinfo(const struct bootinfo *bi, size_t size)
{
	CHECK(terminated(bi->cmdline, sizeof(bi->cmdline)));
	CHECK(terminated(bi->loader, sizeof(bi->loader)));
	CHECK(bi->info_start == INFO_PHYS);
	CHECK(bi->info_end > bi->info_start);
	CHECK(bi->info_end - bi->info_start <= size);
	check_regions(bi);
	check_modules(bi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootinfo bi;
	/* malloc's blocks are 16-byte aligned, as the tags need 8. */
	void *info = malloc(size > 0 ? size : 1);
	int err;

	CHECK(info != NULL);
	memcpy(info, data, size);
	err = mb2_parse(info, size, INFO_PHYS, &bi);
	CHECK(err == 0 || err == -EINVAL || err == -E2BIG);
	if (err == 0)
		check_bootinfo(&bi, size);
	free(info);
	return 0;
}
