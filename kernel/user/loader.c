/*
 * loader.c - an ELF64 program into a domain's regions (loader.h).
 */
#include "user/loader.h"

#include "arch/x86_64/layout.h"
#include "kern/console.h"
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/string.h"

/* A segment's flags as region permissions (the parser refused W+X). */
static unsigned segment_perms(unsigned elf_flags)
{
	return REGION_R | REGION_U | (elf_flags & ELF_W ? REGION_W : 0) |
	       (elf_flags & ELF_X ? REGION_X : 0);
}

#if SOL >= 4
/*
 * Places one segment: a region over its pages, writable for now, and the
 * file's bytes copied in. The copy faults each page in (demand-zero, lab
 * 3), so the bytes around the segment in its first and last page, and
 * its .bss, are already zero.
 */
static int place_segment(struct domain *d, const uint8_t *image,
			 const struct elf_segment *s, struct region **out)
{
	vaddr_t base = d->image.start;
	vaddr_t start = base + ALIGN_DOWN(s->vaddr, PAGE_SIZE);
	vaddr_t end = base + ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	int err;

	err = region_create_at(start, (end - start) / PAGE_SIZE,
			       REGION_R | REGION_W | REGION_U, out);
	if (err < 0)
		return err;
	err = domain_add_region(d, *out);
	if (err < 0) {
		region_destroy(*out);
		return err;
	}
	memcpy((void *)(base + s->vaddr), image + s->offset, s->filesz);
	return 0;
}

/* Places every segment, relocates, then sets the final permissions. */
static int load_segments(struct domain *d, const void *image,
			 struct elf_info *info)
{
	struct region *placed[ELF_MAX_SEGMENTS];
	int err;

	for (int i = 0; i < info->nsegments; i++) {
		err = place_segment(d, image, &info->segments[i], &placed[i]);
		if (err < 0)
			return err;
	}
	/* The single address space: the loaded copy is where it will run. */
	err = elf_relocate(image, info, (uint8_t *)d->image.start,
			   d->image.start);
	if (err < 0)
		return err;
	/* W^X from here on: code becomes read-only, data not executable. */
	for (int i = 0; i < info->nsegments; i++) {
		err = region_set_perms(placed[i],
				       segment_perms(info->segments[i].flags));
		if (err < 0)
			return err;
	}
	return 0;
}
#endif

int loader_load(struct domain *d, const void *image, size_t size)
{
#if SOL >= 4
	struct elf_info info;
	int err;

	err = elf_parse(image, size, &info);
	if (err < 0) {
		kprintf("loader: %s: %s\n", d->name, info.error);
		return err;
	}
	if (info.span > LOADER_MAX_SPAN) {
		kprintf("loader: %s: needs %lu KiB of memory; the limit is "
			"%lu KiB\n",
			d->name, info.span / 1024, LOADER_MAX_SPAN / 1024);
		return -E2BIG;
	}
	err = vspan_reserve(info.span / PAGE_SIZE, REGION_GUARDS, &d->image);
	if (err < 0)
		return err;
	err = load_segments(d, image, &info);
	if (err < 0) {
		if (err == -ENOEXEC)
			kprintf("loader: %s: %s\n", d->name, info.error);
		domain_reclaim(d);
		return err;
	}
	d->entry = d->image.start + info.entry;
	return 0;
#else
	/*
	 * LAB 4: your code here (contract in loader.h; read lib/elf.h).
	 *  1. elf_parse(); on failure print "loader: NAME: <info.error>"
	 *     and return its error. Refuse info.span > LOADER_MAX_SPAN.
	 *  2. Reserve the span (vspan_reserve, with REGION_GUARDS) into
	 *     d->image: its start is the load base.
	 *  3. For each segment, a region at base + its vaddr rounded down to
	 *     a page, up to base + vaddr + memsz rounded up (region_create_at),
	 *     given to d (domain_add_region), made R+W+U for now; copy filesz
	 *     bytes from image + offset to base + vaddr. Why is no memset
	 *     needed for the .bss?
	 *  4. elf_relocate() with memory = base: in a single address space
	 *     the copy is already where the program will run.
	 *  5. Give each region its segment's permissions (region_set_perms,
	 *     segment_perms above): W^X from now on.
	 *  6. d->entry = base + info.entry.
	 * On any failure after step 2: domain_reclaim(d), return the error.
	 * Tests: user_hello, user_bss_zeroed, user_runs_at_nonzero_base,
	 * user_corrupt_elf_rejected.
	 */
	(void)d;
	(void)image;
	(void)size;
	(void)segment_perms;
	return -ENOSYS;
#endif
}
