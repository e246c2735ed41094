/*
 * test_elf.c - host unit tests for kernel/lib/elf.c: checking an ELF64
 * position-independent executable (elf_parse) and applying its
 * R_X86_64_RELATIVE relocations to a loaded copy (elf_relocate).
 *
 * Every test starts from one valid image, written by build() below, and
 * breaks one thing in it. The image (IMAGE_SIZE bytes):
 *
 *   0x0000  ELF header, then three program headers: the data segment
 *           first (so the parser has to sort), the text, PT_DYNAMIC
 *   0x0000  text segment, R|X, vaddr 0x0, 0x200 bytes; entry at 0x100
 *   0x1000  data segment, R|W, vaddr 0x2000, 0x200 file bytes and
 *           0x3000 in memory (the rest is .bss):
 *             +0x000  the Elf64_Rela table (NRELA entries)
 *             +0x080  the words the relocations write
 *             +0x100  the dynamic section (PT_DYNAMIC)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/string.h"

/* The gABI structures, written out here so the test does not trust elf.c's. */
struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct dyn {
	int64_t tag;
	uint64_t value;
};

struct rela {
	uint64_t offset, info;
	int64_t addend;
};

#define PT_NULL		  0
#define PT_LOAD		  1
#define PT_DYNAMIC	  2
#define DT_NULL		  0
#define DT_RELA		  7
#define DT_RELASZ	  8
#define DT_RELAENT	  9
#define DT_REL		  17
#define R_X86_64_64	  1
#define R_X86_64_RELATIVE 8

#define IMAGE_SIZE 0x1200ul
#define PH_DATA	   0 /* program header numbers */
#define PH_TEXT	   1
#define PH_DYNAMIC 2
#define NPHDRS	   3
#define TEXT_SIZE  0x200ul
#define ENTRY	   0x100ul
#define DATA_OFF   0x1000ul
#define DATA_VADDR 0x2000ul
#define DATA_FILE  0x200ul
#define DATA_MEM   0x3000ul
#define RELA_OFF   DATA_OFF /* the table starts the data segment */
#define NRELA	   3
#define DYN_OFF	   (DATA_OFF + 0x100)
#define NDYN	   4
#define SPAN	   0x5000ul
#define BASE	   0x400000ul

/* Where each relocation writes, and what it adds to the base. The last
 * one is the last word of the data segment's .bss. */
static const uint64_t rela_where[NRELA] = {DATA_VADDR + 0x80, DATA_VADDR + 0x88,
					   DATA_VADDR + DATA_MEM - 8};
static const int64_t rela_addend[NRELA] = {ENTRY, DATA_VADDR + 0x100, 0x10};

/* 16-byte aligned, one byte longer: room for the unaligned copy. */
static _Alignas(16) uint8_t image[IMAGE_SIZE + 16];

static struct ehdr *ehdr(void)
{
	return (struct ehdr *)image;
}

static struct phdr *phdr(int i)
{
	return (struct phdr *)(image + sizeof(struct ehdr)) + i;
}

static struct rela *rela(int i)
{
	return (struct rela *)(image + RELA_OFF) + i;
}

static struct dyn *dyn(int i)
{
	return (struct dyn *)(image + DYN_OFF) + i;
}

static void build(void)
{
	static const struct dyn dynamic[NDYN] = {
		{DT_RELA, DATA_VADDR},
		{DT_RELASZ, NRELA * sizeof(struct rela)},
		{DT_RELAENT, sizeof(struct rela)},
		{DT_NULL, 0},
	};

	memset(image, 0, sizeof(image));
	*ehdr() = (struct ehdr){
		.ident = {0x7f, 'E', 'L', 'F', 2, 1, 1},
		.type = 3,     /* ET_DYN */
		.machine = 62, /* EM_X86_64 */
		.version = 1,
		.entry = ENTRY,
		.phoff = sizeof(struct ehdr),
		.ehsize = sizeof(struct ehdr),
		.phentsize = sizeof(struct phdr),
		.phnum = NPHDRS,
	};
	*phdr(PH_DATA) = (struct phdr){
		.type = PT_LOAD,
		.flags = ELF_R | ELF_W,
		.offset = DATA_OFF,
		.vaddr = DATA_VADDR,
		.paddr = DATA_VADDR,
		.filesz = DATA_FILE,
		.memsz = DATA_MEM,
		.align = ELF_PAGE,
	};
	*phdr(PH_TEXT) = (struct phdr){
		.type = PT_LOAD,
		.flags = ELF_R | ELF_X,
		.filesz = TEXT_SIZE,
		.memsz = TEXT_SIZE,
		.align = ELF_PAGE,
	};
	*phdr(PH_DYNAMIC) = (struct phdr){
		.type = PT_DYNAMIC,
		.flags = ELF_R | ELF_W,
		.offset = DYN_OFF,
		.vaddr = DATA_VADDR + (DYN_OFF - DATA_OFF),
		.paddr = DATA_VADDR + (DYN_OFF - DATA_OFF),
		.filesz = sizeof(dynamic),
		.memsz = sizeof(dynamic),
		.align = 8,
	};
	for (int i = 0; i < NRELA; i++)
		*rela(i) = (struct rela){rela_where[i], R_X86_64_RELATIVE,
					 rela_addend[i]};
	memcpy(dyn(0), dynamic, sizeof(dynamic));
	memset(image + ENTRY, 0x90, 16); /* some nops where the entry is */
}

/* Parses image[0 .. size) expecting -ENOEXEC and an error naming why. */
static void expect_reject(size_t size, const char *why)
{
	struct elf_info info;

	assert_int_equal(elf_parse(image, size, &info), -ENOEXEC);
	assert_non_null(info.error);
	if (!strstr(info.error, why))
		fail_msg("error \"%s\" does not mention \"%s\"", info.error,
			 why);
}

/* Parses the (valid) image and loads a copy: span bytes, segments in. */
static uint8_t *parse_and_load(struct elf_info *info)
{
	uint8_t *memory;

	assert_int_equal(elf_parse(image, IMAGE_SIZE, info), 0);
	memory = calloc(1, info->span);
	assert_non_null(memory);
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->segments[i];

		memcpy(memory + s->vaddr, image + s->offset, s->filesz);
	}
	return memory;
}

/* Applies the relocations expecting -ENOEXEC and an error naming why. */
static void expect_relocate_reject(const char *why)
{
	struct elf_info info;
	uint8_t *memory = parse_and_load(&info);

	assert_int_equal(elf_relocate(image, &info, memory, BASE), -ENOEXEC);
	assert_non_null(info.error);
	if (!strstr(info.error, why))
		fail_msg("error \"%s\" does not mention \"%s\"", info.error,
			 why);
	free(memory);
}

static uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* ---- elf_parse: the valid image ----------------------------------------- */

static void parse_describes_a_valid_image(void **state)
{
	struct elf_info info;

	(void)state;
	build();
	assert_int_equal(elf_parse(image, IMAGE_SIZE, &info), 0);
	assert_null(info.error);
	assert_int_equal(info.nsegments, 2);
	/* Sorted by address, although the data comes first in the file. */
	assert_int_equal(info.segments[0].vaddr, 0);
	assert_int_equal(info.segments[0].offset, 0);
	assert_int_equal(info.segments[0].filesz, TEXT_SIZE);
	assert_int_equal(info.segments[0].memsz, TEXT_SIZE);
	assert_int_equal(info.segments[0].flags, ELF_R | ELF_X);
	assert_int_equal(info.segments[1].vaddr, DATA_VADDR);
	assert_int_equal(info.segments[1].offset, DATA_OFF);
	assert_int_equal(info.segments[1].filesz, DATA_FILE);
	assert_int_equal(info.segments[1].memsz, DATA_MEM);
	assert_int_equal(info.segments[1].flags, ELF_R | ELF_W);
	assert_int_equal(info.span, SPAN);
	assert_int_equal(info.entry, ENTRY);
	assert_int_equal(info.rela, RELA_OFF);
	assert_int_equal(info.nrela, NRELA);
}

static void parse_keeps_only_the_rwx_flags(void **state)
{
	struct elf_info info;

	(void)state;
	build();
	phdr(PH_TEXT)->flags |= 0xf0000000; /* PF_MASKPROC */
	assert_int_equal(elf_parse(image, IMAGE_SIZE, &info), 0);
	assert_int_equal(info.segments[0].flags, ELF_R | ELF_X);
}

static void parse_accepts_an_image_without_relocations(void **state)
{
	struct elf_info info;

	(void)state;
	build();
	ehdr()->phnum = NPHDRS - 1; /* no PT_DYNAMIC */
	assert_int_equal(elf_parse(image, IMAGE_SIZE, &info), 0);
	assert_int_equal(info.rela, 0);
	assert_int_equal(info.nrela, 0);
}

static void parse_copies_an_unaligned_image(void **state)
{
	struct elf_info aligned, odd;

	(void)state;
	build();
	assert_int_equal(elf_parse(image, IMAGE_SIZE, &aligned), 0);
	memmove(image + 1, image, IMAGE_SIZE);
	assert_int_equal(elf_parse(image + 1, IMAGE_SIZE, &odd), 0);
	assert_int_equal(odd.nsegments, aligned.nsegments);
	for (int i = 0; i < aligned.nsegments; i++) {
		assert_int_equal(odd.segments[i].vaddr,
				 aligned.segments[i].vaddr);
		assert_int_equal(odd.segments[i].memsz,
				 aligned.segments[i].memsz);
		assert_int_equal(odd.segments[i].offset,
				 aligned.segments[i].offset);
		assert_int_equal(odd.segments[i].filesz,
				 aligned.segments[i].filesz);
		assert_int_equal(odd.segments[i].flags,
				 aligned.segments[i].flags);
	}
	assert_int_equal(odd.entry, aligned.entry);
	assert_int_equal(odd.span, aligned.span);
	assert_int_equal(odd.rela, aligned.rela);
	assert_int_equal(odd.nrela, aligned.nrela);
}

/* ---- elf_parse: the header ---------------------------------------------- */

static void parse_rejects_a_file_shorter_than_a_header(void **state)
{
	(void)state;
	build();
	expect_reject(sizeof(struct ehdr) - 1, "shorter");
	expect_reject(0, "shorter");
}

static void parse_rejects_bad_magic(void **state)
{
	(void)state;
	build();
	ehdr()->ident[1] = 'e';
	expect_reject(IMAGE_SIZE, "magic");
}

static void parse_rejects_32_bit_class(void **state)
{
	(void)state;
	build();
	ehdr()->ident[4] = 1; /* ELFCLASS32 */
	expect_reject(IMAGE_SIZE, "64-bit");
}

static void parse_rejects_big_endian(void **state)
{
	(void)state;
	build();
	ehdr()->ident[5] = 2; /* ELFDATA2MSB */
	expect_reject(IMAGE_SIZE, "little-endian");
}

static void parse_rejects_et_exec(void **state)
{
	(void)state;
	build();
	ehdr()->type = 2; /* ET_EXEC */
	expect_reject(IMAGE_SIZE, "ET_DYN");
}

static void parse_rejects_another_machine(void **state)
{
	(void)state;
	build();
	ehdr()->machine = 3; /* EM_386 */
	expect_reject(IMAGE_SIZE, "x86-64");
}

static void parse_rejects_a_wrong_phentsize(void **state)
{
	(void)state;
	build();
	ehdr()->phentsize = sizeof(struct phdr) + 8;
	expect_reject(IMAGE_SIZE, "program header table");
}

static void parse_rejects_phnum_0(void **state)
{
	(void)state;
	build();
	ehdr()->phnum = 0;
	expect_reject(IMAGE_SIZE, "program header table");
}

static void parse_rejects_a_phdr_table_past_the_end(void **state)
{
	(void)state;
	build();
	ehdr()->phoff = IMAGE_SIZE - 8;
	expect_reject(IMAGE_SIZE, "program header table");
	/* Inside a file that ends one byte early. */
	build();
	expect_reject(sizeof(struct ehdr) + NPHDRS * sizeof(struct phdr) - 1,
		      "program header table");
}

static void parse_rejects_a_phdr_table_offset_that_wraps(void **state)
{
	(void)state;
	build();
	ehdr()->phoff = UINT64_MAX - 7; /* + 3 * 56 wraps to a small number */
	expect_reject(IMAGE_SIZE, "program header table");
}

/* ---- elf_parse: the segments -------------------------------------------- */

static void parse_rejects_segment_bytes_outside_the_file(void **state)
{
	(void)state;
	build();
	phdr(PH_DATA)->filesz = IMAGE_SIZE - DATA_OFF + 1;
	expect_reject(IMAGE_SIZE, "outside the file");
}

static void parse_rejects_a_segment_offset_that_wraps(void **state)
{
	(void)state;
	build();
	/* Congruent with the vaddr; offset + filesz wraps past 2^64. */
	phdr(PH_DATA)->offset = UINT64_MAX - 0xfff;
	expect_reject(IMAGE_SIZE, "outside the file");
}

/* ld writes an empty PT_LOAD when a program has no data: it is skipped. */
static void parse_skips_an_empty_segment(void **state)
{
	struct elf_info info;

	(void)state;
	build();
	phdr(PH_DYNAMIC)->type = PT_LOAD;
	phdr(PH_DYNAMIC)->filesz = 0;
	phdr(PH_DYNAMIC)->memsz = 0;
	/* Without its PT_DYNAMIC the file has no relocations either. */
	assert_int_equal(elf_parse(image, IMAGE_SIZE, &info), 0);
	assert_int_equal(info.nsegments, 2);
	assert_int_equal(info.nrela, 0);
}

static void parse_rejects_filesz_above_memsz(void **state)
{
	(void)state;
	build();
	phdr(PH_TEXT)->memsz = TEXT_SIZE - 1;
	expect_reject(IMAGE_SIZE, "filesz > memsz");
}

static void parse_rejects_a_writable_executable_segment(void **state)
{
	(void)state;
	build();
	phdr(PH_TEXT)->flags = ELF_R | ELF_W | ELF_X;
	expect_reject(IMAGE_SIZE, "W^X");
}

static void parse_rejects_overlapping_segments(void **state)
{
	(void)state;
	build();
	phdr(PH_DATA)->vaddr = 0; /* on top of the text */
	expect_reject(IMAGE_SIZE, "share a page");
}

static void parse_rejects_segments_sharing_a_page(void **state)
{
	(void)state;
	build();
	/* The data at 0x800..: no byte in common with the text, same page. */
	phdr(PH_DATA)->vaddr = 0x800;
	phdr(PH_DATA)->offset = 0x800;
	expect_reject(IMAGE_SIZE, "share a page");
}

static void parse_rejects_a_misaligned_segment(void **state)
{
	(void)state;
	build();
	phdr(PH_DATA)->vaddr = DATA_VADDR + 8;
	expect_reject(IMAGE_SIZE, "congruent");
	build();
	phdr(PH_DATA)->offset = DATA_OFF - 8;
	expect_reject(IMAGE_SIZE, "congruent");
}

static void parse_rejects_an_image_without_pt_load(void **state)
{
	(void)state;
	build();
	phdr(PH_DATA)->type = PT_NULL;
	phdr(PH_TEXT)->type = PT_NULL;
	expect_reject(IMAGE_SIZE, "no loadable segment");
}

static void parse_rejects_an_entry_outside_executable_segments(void **state)
{
	(void)state;
	build();
	ehdr()->entry = DATA_VADDR + 0x80; /* in the data */
	expect_reject(IMAGE_SIZE, "entry point");
	build();
	ehdr()->entry = TEXT_SIZE; /* just past the text */
	expect_reject(IMAGE_SIZE, "entry point");
	build();
	ehdr()->entry = UINT64_MAX;
	expect_reject(IMAGE_SIZE, "entry point");
}

/* ---- elf_parse: the dynamic section ------------------------------------- */

static void parse_rejects_dt_rel(void **state)
{
	(void)state;
	build();
	dyn(2)->tag = DT_REL; /* instead of DT_RELAENT */
	expect_reject(IMAGE_SIZE, "REL");
}

static void parse_rejects_a_rela_table_outside_file_bytes(void **state)
{
	(void)state;
	build();
	dyn(0)->value = DATA_VADDR + DATA_FILE - 8; /* runs into the .bss */
	expect_reject(IMAGE_SIZE, "not in the file");
	build();
	dyn(0)->value = 0x1000; /* between the segments */
	expect_reject(IMAGE_SIZE, "not in the file");
}

static void parse_rejects_a_rela_size_that_wraps(void **state)
{
	(void)state;
	build();
	/* The largest multiple of 24: DT_RELA + it wraps past 2^64. */
	dyn(1)->value = UINT64_MAX - UINT64_MAX % sizeof(struct rela);
	expect_reject(IMAGE_SIZE, "not in the file");
}

static void parse_rejects_a_relaent_other_than_24(void **state)
{
	(void)state;
	build();
	dyn(2)->value = 16;
	expect_reject(IMAGE_SIZE, "odd-sized");
	build();
	dyn(1)->value = NRELA * sizeof(struct rela) - 1;
	expect_reject(IMAGE_SIZE, "odd-sized");
}

/* ---- elf_relocate ------------------------------------------------------- */

static void relocate_writes_base_plus_addend(void **state)
{
	struct elf_info info;
	uint8_t *memory, *before;

	(void)state;
	build();
	memory = parse_and_load(&info);
	before = malloc(info.span);
	assert_non_null(before);
	memcpy(before, memory, info.span);
	assert_int_equal(elf_relocate(image, &info, memory, BASE), 0);
	for (int i = 0; i < NRELA; i++) {
		assert_int_equal(load64(memory + rela_where[i]),
				 BASE + (uint64_t)rela_addend[i]);
		memcpy(memory + rela_where[i], before + rela_where[i], 8);
	}
	/* Nothing else changed. */
	assert_memory_equal(memory, before, info.span);
	free(before);
	free(memory);
}

static void relocate_works_from_an_unaligned_image(void **state)
{
	struct elf_info info;
	uint8_t *memory;

	(void)state;
	build();
	memory = parse_and_load(&info);
	memmove(image + 1, image, IMAGE_SIZE);
	assert_int_equal(elf_relocate(image + 1, &info, memory, BASE), 0);
	for (int i = 0; i < NRELA; i++)
		assert_int_equal(load64(memory + rela_where[i]),
				 BASE + (uint64_t)rela_addend[i]);
	free(memory);
}

static void relocate_rejects_another_type(void **state)
{
	(void)state;
	build();
	rela(1)->info = R_X86_64_64;
	expect_relocate_reject("R_X86_64_RELATIVE");
}

static void relocate_rejects_a_symbol_index(void **state)
{
	(void)state;
	build();
	rela(1)->info = (uint64_t)1 << 32 | R_X86_64_RELATIVE;
	expect_relocate_reject("R_X86_64_RELATIVE");
}

static void relocate_rejects_an_offset_outside_the_segments(void **state)
{
	(void)state;
	build();
	rela(2)->offset = DATA_VADDR + DATA_MEM - 4; /* straddles the end */
	expect_relocate_reject("writable");
	build();
	rela(2)->offset = SPAN;
	expect_relocate_reject("writable");
	build();
	rela(2)->offset = UINT64_MAX - 3; /* + 8 wraps */
	expect_relocate_reject("writable");
	build();
	rela(2)->offset = 0x1000; /* between the segments */
	expect_relocate_reject("writable");
}

static void relocate_rejects_an_offset_in_the_text(void **state)
{
	(void)state;
	build();
	rela(0)->offset = ENTRY;
	expect_relocate_reject("writable");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_describes_a_valid_image),
		cmocka_unit_test(parse_keeps_only_the_rwx_flags),
		cmocka_unit_test(parse_accepts_an_image_without_relocations),
		cmocka_unit_test(parse_copies_an_unaligned_image),
		cmocka_unit_test(parse_rejects_a_file_shorter_than_a_header),
		cmocka_unit_test(parse_rejects_bad_magic),
		cmocka_unit_test(parse_rejects_32_bit_class),
		cmocka_unit_test(parse_rejects_big_endian),
		cmocka_unit_test(parse_rejects_et_exec),
		cmocka_unit_test(parse_rejects_another_machine),
		cmocka_unit_test(parse_rejects_a_wrong_phentsize),
		cmocka_unit_test(parse_rejects_phnum_0),
		cmocka_unit_test(parse_rejects_a_phdr_table_past_the_end),
		cmocka_unit_test(parse_rejects_a_phdr_table_offset_that_wraps),
		cmocka_unit_test(parse_rejects_segment_bytes_outside_the_file),
		cmocka_unit_test(parse_rejects_a_segment_offset_that_wraps),
		cmocka_unit_test(parse_skips_an_empty_segment),
		cmocka_unit_test(parse_rejects_filesz_above_memsz),
		cmocka_unit_test(parse_rejects_a_writable_executable_segment),
		cmocka_unit_test(parse_rejects_overlapping_segments),
		cmocka_unit_test(parse_rejects_segments_sharing_a_page),
		cmocka_unit_test(parse_rejects_a_misaligned_segment),
		cmocka_unit_test(parse_rejects_an_image_without_pt_load),
		cmocka_unit_test(
			parse_rejects_an_entry_outside_executable_segments),
		cmocka_unit_test(parse_rejects_dt_rel),
		cmocka_unit_test(parse_rejects_a_rela_table_outside_file_bytes),
		cmocka_unit_test(parse_rejects_a_rela_size_that_wraps),
		cmocka_unit_test(parse_rejects_a_relaent_other_than_24),
		cmocka_unit_test(relocate_writes_base_plus_addend),
		cmocka_unit_test(relocate_works_from_an_unaligned_image),
		cmocka_unit_test(relocate_rejects_another_type),
		cmocka_unit_test(relocate_rejects_a_symbol_index),
		cmocka_unit_test(
			relocate_rejects_an_offset_outside_the_segments),
		cmocka_unit_test(relocate_rejects_an_offset_in_the_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
