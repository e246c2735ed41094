/*
 * elf.c - reading ELF64 position-independent executables (elf.h).
 *
 * Check, then describe: elf_parse validates each part of the file in the
 * order the format nests them (header, program headers, segments, the
 * dynamic section, the relocation table) and fails at the first problem,
 * naming it. Every "offset + size <= file size" test is written so that
 * it cannot wrap around (offset <= size && size - offset >= n).
 */
#include "lib/elf.h"

#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/string.h"

/* The on-disk structures (gABI). */
struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf64_dyn {
	int64_t tag;
	uint64_t value;
};

struct elf64_rela {
	uint64_t offset, info;
	int64_t addend;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "gABI");
_Static_assert(sizeof(struct elf64_phdr) == 56, "gABI");
_Static_assert(sizeof(struct elf64_rela) == 24, "gABI");

#define ELFCLASS64	  2
#define ELFDATA2LSB	  1
#define EV_CURRENT	  1
#define ET_DYN		  3
#define EM_X86_64	  62
#define PT_LOAD		  1
#define PT_DYNAMIC	  2
#define DT_NULL		  0
#define DT_PLTRELSZ	  2
#define DT_RELA		  7
#define DT_RELASZ	  8
#define DT_RELAENT	  9
#define DT_REL		  17
#define R_X86_64_RELATIVE 8
#define ELF_MAX_PHDRS	  64
#define ELF_MAX_SPAN	  (1ul << 30) /* 1 GiB: far more than any program */

#if SOL >= 4
/* Does [offset, offset + length) lie inside a file of size bytes? */
static bool inside(uint64_t offset, uint64_t length, uint64_t size)
{
	return offset <= size && size - offset >= length;
}

static int fail(struct elf_info *info, const char *why)
{
	info->error = why;
	return -ENOEXEC;
}

static int check_header(const struct elf64_ehdr *h, size_t size,
			struct elf_info *info)
{
	if (memcmp(h->ident, "\177ELF", 4) != 0)
		return fail(info, "not an ELF file (bad magic)");
	if (h->ident[4] != ELFCLASS64 || h->ident[5] != ELFDATA2LSB ||
	    h->ident[6] != EV_CURRENT)
		return fail(info, "not 64-bit little-endian ELF version 1");
	if (h->type != ET_DYN)
		return fail(info, "not a position-independent executable "
				  "(type ET_DYN)");
	if (h->machine != EM_X86_64)
		return fail(info, "not an x86-64 program");
	if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 ||
	    h->phnum > ELF_MAX_PHDRS || h->phoff % 8 != 0 ||
	    !inside(h->phoff, (uint64_t)h->phnum * h->phentsize, size))
		return fail(info, "bad program header table (entry size, "
				  "count, alignment or bounds)");
	return 0;
}

/* Checks one PT_LOAD and adds it to info. */
static int add_segment(const struct elf64_phdr *p, size_t size,
		       struct elf_info *info)
{
	unsigned flags = p->flags & (ELF_R | ELF_W | ELF_X);

	/* ld emits an empty PT_LOAD for an empty .data: nothing to load. */
	if (p->memsz == 0 && p->filesz == 0)
		return 0;
	if (info->nsegments == ELF_MAX_SEGMENTS)
		return fail(info, "too many loadable segments");
	if (p->filesz > p->memsz)
		return fail(info, "a segment with filesz > memsz");
	if (!inside(p->offset, p->filesz, size))
		return fail(info, "a segment's bytes lie outside the file");
	if (!inside(p->vaddr, p->memsz, ELF_MAX_SPAN))
		return fail(info, "a segment lies beyond 1 GiB of the base");
	if (p->vaddr % ELF_PAGE != p->offset % ELF_PAGE)
		return fail(info, "a segment's address and file offset are not "
				  "congruent modulo the page size");
	if ((flags & ELF_W) && (flags & ELF_X))
		return fail(info, "a segment is writable and executable (W^X)");
	info->segments[info->nsegments++] = (struct elf_segment){
		.vaddr = p->vaddr,
		.memsz = p->memsz,
		.offset = p->offset,
		.filesz = p->filesz,
		.flags = flags,
	};
	return 0;
}

/* Sorts the segments by address; they may not share a page. */
static int order_segments(struct elf_info *info)
{
	struct elf_segment *s = info->segments;

	for (int i = 1; i < info->nsegments; i++) {
		struct elf_segment key = s[i];
		int j = i - 1;

		for (; j >= 0 && s[j].vaddr > key.vaddr; j--)
			s[j + 1] = s[j];
		s[j + 1] = key;
	}
	for (int i = 1; i < info->nsegments; i++)
		if (ALIGN_UP(s[i - 1].vaddr + s[i - 1].memsz, ELF_PAGE) >
		    ALIGN_DOWN(s[i].vaddr, ELF_PAGE))
			return fail(info,
				    "two segments overlap or share a page");
	info->span = ALIGN_UP(s[info->nsegments - 1].vaddr +
				      s[info->nsegments - 1].memsz,
			      ELF_PAGE);
	return 0;
}

/* The segment whose file bytes hold [vaddr, vaddr + length), or NULL. */
static const struct elf_segment *file_bytes_at(const struct elf_info *info,
					       uint64_t vaddr, uint64_t length)
{
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->segments[i];

		if (vaddr >= s->vaddr &&
		    inside(vaddr - s->vaddr, length, s->filesz))
			return s;
	}
	return NULL;
}

/* Reads PT_DYNAMIC: where the Elf64_Rela table is, and nothing else. */
static int read_dynamic(const uint8_t *image, const struct elf64_phdr *p,
			size_t size, struct elf_info *info)
{
	uint64_t rela = 0, relasz = 0, relaent = sizeof(struct elf64_rela);
	const struct elf_segment *s;

	if (!inside(p->offset, p->filesz, size) || p->offset % 8 != 0)
		return fail(info, "the dynamic section lies outside the file");
	for (uint64_t i = 0; i < p->filesz / sizeof(struct elf64_dyn); i++) {
		struct elf64_dyn d;

		memcpy(&d, image + p->offset + i * sizeof(d), sizeof(d));
		if (d.tag == DT_NULL)
			break;
		if (d.tag == DT_RELA)
			rela = d.value;
		else if (d.tag == DT_RELASZ)
			relasz = d.value;
		else if (d.tag == DT_RELAENT)
			relaent = d.value;
		else if (d.tag == DT_REL || (d.tag == DT_PLTRELSZ && d.value))
			return fail(info, "REL or PLT relocations (only RELA "
					  "R_X86_64_RELATIVE is supported)");
	}
	if (relasz == 0)
		return 0;
	if (rela == 0)
		return fail(info, "DT_RELASZ without DT_RELA");
	if (relaent != sizeof(struct elf64_rela) ||
	    relasz % sizeof(struct elf64_rela) != 0)
		return fail(info, "a relocation table of odd-sized entries");
	s = file_bytes_at(info, rela, relasz);
	if (!s)
		return fail(info, "the relocation table is not in the file");
	info->rela = s->offset + (rela - s->vaddr);
	info->nrela = relasz / sizeof(struct elf64_rela);
	return 0;
}

static bool entry_executable(const struct elf_info *info)
{
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->segments[i];

		if ((s->flags & ELF_X) && info->entry >= s->vaddr &&
		    info->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}
#endif

int elf_parse(const void *image, size_t size, struct elf_info *info)
{
#if SOL >= 4
	struct elf64_ehdr h;
	const struct elf64_phdr *dynamic = NULL;
	struct elf64_phdr phdrs[ELF_MAX_PHDRS];
	int err;

	memset(info, 0, sizeof(*info));
	if (size < sizeof(h))
		return fail(info, "shorter than an ELF header");
	memcpy(&h, image, sizeof(h)); /* the image may be unaligned */
	err = check_header(&h, size, info);
	if (err)
		return err;
	memcpy(phdrs, (const uint8_t *)image + h.phoff,
	       (size_t)h.phnum * sizeof(phdrs[0]));
	for (int i = 0; i < h.phnum && !err; i++) {
		if (phdrs[i].type == PT_LOAD)
			err = add_segment(&phdrs[i], size, info);
		else if (phdrs[i].type == PT_DYNAMIC)
			dynamic = &phdrs[i];
	}
	if (err)
		return err;
	if (info->nsegments == 0)
		return fail(info, "no loadable segment");
	err = order_segments(info);
	if (!err && dynamic)
		err = read_dynamic(image, dynamic, size, info);
	if (err)
		return err;
	info->entry = h.entry;
	if (!entry_executable(info))
		return fail(info, "the entry point is not in an executable "
				  "segment");
	return 0;
#else
	/*
	 * LAB 4: your code here (contract in elf.h). Trust nothing:
	 *  1. The header: size, magic, class, data, version, ET_DYN,
	 *     EM_X86_64, and a program header table inside the file.
	 *  2. Each PT_LOAD (skip an empty one: memsz and filesz 0):
	 *     filesz <= memsz, its bytes inside the file, its address
	 *     within ELF_MAX_SPAN, vaddr and offset congruent modulo the
	 *     page size, not both W and X. Keep at most ELF_MAX_SEGMENTS.
	 *  3. Sort them; no two may share a page. span = the end of the
	 *     last one, rounded up to a page.
	 *  4. PT_DYNAMIC: find DT_RELA/DT_RELASZ/DT_RELAENT and turn the
	 *     table's address into a file offset; refuse REL and PLT tables.
	 *  5. The entry point must be in an executable segment.
	 * Write every bounds check so that it cannot overflow.
	 * Tests: the host tests in tests/host/test_elf.c (make host-test),
	 * then user_corrupt_elf_rejected and every user_ test.
	 */
	(void)image;
	(void)size;
	info->error = "LAB 4: elf_parse() is not written yet";
	return -ENOSYS;
#endif
}

int elf_relocate(const void *image, struct elf_info *info, uint8_t *memory,
		 uint64_t base)
{
#if SOL >= 4
	const uint8_t *table = (const uint8_t *)image + info->rela;

	for (uint64_t i = 0; i < info->nrela; i++) {
		struct elf64_rela r;
		const struct elf_segment *s = NULL;
		uint64_t value;

		memcpy(&r, table + i * sizeof(r), sizeof(r));
		value = base + (uint64_t)r.addend;
		if ((r.info & 0xffffffff) != R_X86_64_RELATIVE || r.info >> 32)
			return fail(info, "a relocation other than "
					  "R_X86_64_RELATIVE");
		for (int k = 0; k < info->nsegments && !s; k++) {
			const struct elf_segment *c = &info->segments[k];

			if (r.offset >= c->vaddr &&
			    inside(r.offset - c->vaddr, 8, c->memsz))
				s = c;
		}
		if (!s || !(s->flags & ELF_W))
			return fail(info, "a relocation outside the writable "
					  "segments");
		memcpy(memory + r.offset, &value, sizeof(value));
	}
	return 0;
#else
	/*
	 * LAB 4: your code here. For each Elf64_Rela at info->rela (info->
	 * nrela of them): only R_X86_64_RELATIVE with symbol 0; r_offset to
	 * r_offset + 8 inside one writable segment; then store base +
	 * r_addend there (memcpy: it may be unaligned).
	 */
	(void)image;
	(void)memory;
	(void)base;
	info->error = "LAB 4: elf_relocate() is not written yet";
	return -ENOSYS;
#endif
}
