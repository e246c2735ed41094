/*
 * fuzz_elf.c - a libFuzzer target for elf_parse and elf_relocate
 * (kernel/lib/elf.c).
 *
 * Each input is treated as an ELF file: copied to a heap block of exactly
 * its size (so ASan catches any read past it) and parsed. ASan and UBSan
 * catch bad reads and undefined arithmetic; when the parse succeeds, the
 * checks below catch a struct elf_info that breaks the rules of elf.h.
 * Then the file is loaded the way the kernel would (span bytes, each
 * segment's file bytes copied in) and relocated: every write must land in
 * the span, which is its own heap block, so ASan sees one that does not.
 *
 * Run it with `make fuzz` (tests/host/host.mk); seeds come from
 * tests/fuzz/make_corpus.py.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/string.h"

#define BASE	 0x400000ul
#define RELA	 24	      /* sizeof(Elf64_Rela) */
#define MAX_LOAD (16ul << 20) /* larger spans are checked, not loaded */

static void check_segment(const struct elf_segment *s, size_t size,
			  uint64_t span)
{
	CHECK(s->memsz > 0);
	CHECK(s->filesz <= s->memsz);
	CHECK(s->offset <= size && size - s->offset >= s->filesz);
	CHECK((s->flags & ~(uint64_t)(ELF_R | ELF_W | ELF_X)) == 0);
	CHECK(!((s->flags & ELF_W) && (s->flags & ELF_X)));
	CHECK(s->vaddr % ELF_PAGE == s->offset % ELF_PAGE);
	CHECK(s->vaddr <= span && span - s->vaddr >= s->memsz);
}

static void check_info(const struct elf_info *info, size_t size)
{
	bool entry_ok = false;

	CHECK(info->error == NULL);
	CHECK(info->nsegments >= 1 && info->nsegments <= ELF_MAX_SEGMENTS);
	CHECK(info->span > 0 && info->span % ELF_PAGE == 0);
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->segments[i];

		check_segment(s, size, info->span);
		if (i > 0) {
			const struct elf_segment *p = &info->segments[i - 1];
			uint64_t end = p->vaddr + p->memsz;

			/* Sorted, and not sharing a page. */
			CHECK(p->vaddr < s->vaddr);
			CHECK((end + ELF_PAGE - 1) / ELF_PAGE <=
			      s->vaddr / ELF_PAGE);
		}
		if ((s->flags & ELF_X) && info->entry >= s->vaddr &&
		    info->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	CHECK(entry_ok);
	/* The span ends at the page that ends the last segment. */
	{
		const struct elf_segment *l =
			&info->segments[info->nsegments - 1];

		CHECK(info->span - (l->vaddr + l->memsz) < ELF_PAGE);
	}
	if (info->nrela == 0)
		return;
	CHECK(info->nrela <= size / RELA);
	CHECK(info->rela <= size && size - info->rela >= info->nrela * RELA);
}

/* Loads the parsed file into its own block and relocates it. */
static void load_and_relocate(const uint8_t *file, struct elf_info *info)
{
	uint8_t *memory;
	int err;

	if (info->span > MAX_LOAD)
		return;
	memory = calloc(1, info->span);
	CHECK(memory != NULL);
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->segments[i];

		memcpy(memory + s->vaddr, file + s->offset, s->filesz);
	}
	err = elf_relocate(file, info, memory, BASE);
	CHECK(err == 0 || err == -ENOEXEC);
	CHECK(err == 0 || info->error != NULL);
	free(memory);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct elf_info info;
	uint8_t *file = malloc(size > 0 ? size : 1);
	int err;

	CHECK(file != NULL);
	memcpy(file, data, size);
	err = elf_parse(file, size, &info);
	CHECK(err == 0 || err == -ENOEXEC);
	if (err == 0) {
		check_info(&info, size);
		load_and_relocate(file, &info);
	} else {
		CHECK(info.error != NULL);
	}
	free(file);
	return 0;
}
