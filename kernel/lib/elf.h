/*
 * elf.h - reading ELF64 position-independent executables (lab 4).
 *
 * User programs reach the kernel as multiboot2 modules: ELF64 files of
 * type ET_DYN (position-independent), linked at address 0 and loaded at
 * any page-aligned base the virtual-space allocator picks. This parser
 * trusts nothing in the file: every offset, size and count is checked
 * against the file before it is used, and the first problem found is
 * named in info->error. It is pure code, compiled for the host too,
 * where unit tests and a fuzzer feed it broken files (tests/host,
 * tests/fuzz). Loading (regions, copying, permissions) is the kernel's
 * business, not this file's.
 *
 * The ELF64 layout (System V gABI, and the x86-64 psABI for machine and
 * relocation numbers):
 *
 *   Elf64_Ehdr   at offset 0: magic, class, data, type, machine, entry,
 *                the program header table's offset, entry size and count
 *   Elf64_Phdr[] PT_LOAD segments (what to map), PT_DYNAMIC (where the
 *                relocations are), others ignored
 *   Elf64_Rela[] R_X86_64_RELATIVE relocations: "add the load base to
 *                the addend and store it at base + r_offset"
 */
#ifndef LIB_ELF_H
#define LIB_ELF_H

#include "lib/types.h"

#define ELF_MAX_SEGMENTS 8

/* Segment permissions (ELF's PF_X, PF_W, PF_R). */
#define ELF_X 0x1
#define ELF_W 0x2
#define ELF_R 0x4

#define ELF_PAGE 4096ul

struct elf_segment {
	uint64_t vaddr;	 /* where it goes, relative to the load base */
	uint64_t memsz;	 /* its size in memory (>= filesz: the rest is .bss) */
	uint64_t offset; /* where its bytes are in the file */
	uint64_t filesz; /* how many bytes come from the file */
	unsigned flags;	 /* ELF_R | ELF_W | ELF_X; never W and X together */
};

struct elf_info {
	uint64_t entry; /* the entry point, relative to the load base */
	struct elf_segment segments[ELF_MAX_SEGMENTS];
	int nsegments;	   /* sorted by vaddr, not overlapping */
	uint64_t span;	   /* bytes from base to the end of the last page */
	uint64_t rela;	   /* file offset of the Elf64_Rela table, or 0 */
	uint64_t nrela;	   /* how many entries it has */
	const char *error; /* after a failed parse: what was wrong */
};

/*
 * LAB 4: checks the ELF file image[0 .. size) and describes it in info.
 * Returns 0, or -ENOEXEC with info->error naming the first problem: not
 * ELF, not 64-bit little-endian x86-64, not ET_DYN, a table or segment
 * outside the file, a segment misaligned, overlapping another, writable
 * and executable, or with filesz > memsz; no PT_LOAD; the entry point
 * outside an executable segment; a relocation table that is not whole
 * Elf64_Rela entries inside a segment's file bytes.
 */
int elf_parse(const void *image, size_t size, struct elf_info *info);

/*
 * LAB 4: applies the relocations of a parsed file to its loaded copy.
 * memory points at the load base (info->span bytes, segments copied in);
 * base is the address the program will run at. Only R_X86_64_RELATIVE
 * is known: *(uint64_t *)(memory + r_offset) = base + r_addend, where
 * r_offset + 8 must lie inside one writable segment. Returns 0, or
 * -ENOEXEC with info->error set (an unknown type, a bad offset).
 */
int elf_relocate(const void *image, struct elf_info *info, uint8_t *memory,
		 uint64_t base);

#endif
