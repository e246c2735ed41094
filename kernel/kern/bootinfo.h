/*
 * bootinfo.h - what the boot loader told us, as plain C structures.
 *
 * multiboot2.c fills one struct bootinfo from GRUB's tagged list at boot;
 * the rest of the kernel reads only this, never the raw tags. Everything
 * is copied, so the multiboot2 information itself may be overwritten
 * afterwards (but lab 2 keeps it anyway: info_start/info_end).
 */
#ifndef KERN_BOOTINFO_H
#define KERN_BOOTINFO_H

#include "lib/cmdline.h"
#include "lib/types.h"

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 64
#define BOOT_NAME_MAX	 64

/* Memory types, as the multiboot2 specification (and the BIOS e820) number them. */
enum mem_type {
	MEM_USABLE = 1,
	MEM_RESERVED = 2,
	MEM_ACPI_RECLAIMABLE = 3,
	MEM_ACPI_NVS = 4,
	MEM_BAD = 5,
};

/* Physical memory [base, base + length). */
struct mem_region {
	paddr_t base;
	uint64_t length;
	uint32_t type; /* enum mem_type; unknown types count as reserved */
};

/* A module GRUB loaded (a user program from lab 4 on): [start, end). */
struct boot_module {
	paddr_t start;
	paddr_t end;		  /* exclusive */
	char name[BOOT_NAME_MAX]; /* its command line from grub.cfg */
};

struct bootinfo {
	char cmdline[CMDLINE_MAX_LEN];
	char loader[BOOT_NAME_MAX];

	/*
	 * Sorted by base, none empty (lab 1: mb2_parse_mmap). Entries are
	 * kept as the firmware gave them: two may overlap.
	 */
	struct mem_region mem[BOOT_MAX_REGIONS];
	int mem_count;
	int mmap_error; /* 0, or why the memory map could not be read */

	struct boot_module modules[BOOT_MAX_MODULES];
	int module_count;

	paddr_t info_start, info_end; /* the multiboot2 information itself */
};

/* The kernel's one copy, filled in by kmain. */
extern struct bootinfo bootinfo;

/* The name of a memory type: "usable", "reserved", "ACPI", ... */
const char *mem_type_name(uint32_t type);

/* The module GRUB loaded with this command line (name), or NULL. */
const struct boot_module *boot_module_find(const char *name);

/*
 * Adds the members of every module that is an ar archive (the user
 * programs' package, lib/ar.h) to bi's modules, named after the member:
 * they are then found like any module. Call it after the frame allocator
 * has reserved the modules (the archive covers its members). Prints a
 * line for a malformed archive or for members that do not fit. Returns
 * how many members were added.
 */
int boot_modules_expand_archives(struct bootinfo *bi);

#endif
