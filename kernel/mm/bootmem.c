/*
 * bootmem.c - the boot-time bump allocator (see bootmem.h).
 */
#include "mm/bootmem.h"

#include "arch/x86_64/layout.h"
#include "kern/panic.h"
#include "lib/string.h"

static paddr_t start, next, limit;

/* The first address after everything GRUB and the kernel occupy. */
static paddr_t end_of_boot_data(const struct bootinfo *bi)
{
	paddr_t end = virt_to_phys(__kernel_end);

	for (int i = 0; i < bi->module_count; i++)
		end = MAX(end, bi->modules[i].end);
	return MAX(end, bi->info_end);
}

void bootmem_init(const struct bootinfo *bi)
{
	paddr_t from = ALIGN_UP(end_of_boot_data(bi), (paddr_t)PAGE_SIZE);

	/*
	 * Without a memory map (lab 1 unwritten) bootmem has no memory; with
	 * one, it takes the usable region that holds `from`: the kernel is
	 * loaded at 1 MiB, in the big region every PC has there.
	 */
	for (int i = 0; i < bi->mem_count; i++) {
		const struct mem_region *r = &bi->mem[i];

		if (r->type == MEM_USABLE && r->base <= from &&
		    from < r->base + r->length) {
			start = next = from;
			limit = ALIGN_DOWN(r->base + r->length,
					   (paddr_t)PAGE_SIZE);
			return;
		}
	}
	start = next = limit = from;
}

paddr_t bootmem_alloc(size_t size, size_t align)
{
	paddr_t pa = ALIGN_UP(next, (paddr_t)align);

	if (pa > limit || size > limit - pa)
		PANIC("bootmem_alloc: no room for %zu bytes (the memory map "
		      "has no usable region after the kernel?)",
		      size);
	next = pa + size;
	memset(phys_to_virt(pa), 0, size);
	return pa;
}

void bootmem_used(paddr_t *used_start, paddr_t *used_end)
{
	*used_start = start;
	*used_end = ALIGN_UP(next, (paddr_t)PAGE_SIZE);
}
