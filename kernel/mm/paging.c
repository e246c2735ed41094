/*
 * paging.c - walking, building and changing the page tables (paging.h).
 *
 * Levels are numbered as the hardware walks them, from the top: level 3
 * is the PML4, level 2 the PDPT, level 1 the page directory, level 0 the
 * page table whose entries map 4 KiB pages.
 *
 * The TLB caches translations, and the CPU does not notice when we change
 * an entry in memory: after removing or restricting a mapping we must
 * `invlpg` it, or the CPU may go on using the old one (SDM 3A 4.10.4).
 * A new mapping needs no invalidation: entries that were not present are
 * never cached.
 */
#include "mm/paging.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/frame.h"

#define ENTRIES	       512
#define LOWER_HALF_END 0x0000800000000000ul
#define LARGE_PAGE     (2ul * 1024 * 1024)

pte_t *paging_root(void)
{
	return phys_to_virt(read_cr3() & PTE_ADDR);
}

/* The index into the table of `level` that va selects. */
static unsigned index_at(vaddr_t va, int level)
{
	return (va >> (12 + 9 * level)) & (ENTRIES - 1);
}

/* The table an intermediate entry points to. */
static pte_t *next_table(pte_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

/*
 * Stores in path[level] the entry for va at each level, top down, as far
 * as tables exist; returns the lowest level reached: 0 if path[0] is the
 * leaf entry (present or not), higher if the walk stopped at a missing
 * entry or a large page. Creates nothing.
 */
static int walk_path(pte_t *root, vaddr_t va, pte_t *path[PAGING_LEVELS])
{
	pte_t *table = root;

	for (int level = PAGING_LEVELS - 1; level >= 0; level--) {
		path[level] = &table[index_at(va, level)];
		if (level == 0 || !(*path[level] & PTE_P) ||
		    (*path[level] & PTE_PS))
			return level;
		table = next_table(*path[level]);
	}
	return 0;
}

/*
 * The first page at or after va, before end, whose leaf entry has a bit
 * of leaf_bits set (a large page counts when present), or end.
 */
static vaddr_t next_entry(pte_t *root, vaddr_t va, vaddr_t end,
			  uint64_t leaf_bits)
{
	while (va < end) {
		pte_t *path[PAGING_LEVELS];
		int level = walk_path(root, va, path);
		vaddr_t span = 1ul << (12 + 9 * level);

		if (*path[level] & (level == 0 ? leaf_bits : PTE_P))
			return va;
		/* Nothing mapped in the whole span this entry covers. */
		va = ALIGN_DOWN(va, span) + span;
	}
	return end;
}

vaddr_t paging_next_mapped(pte_t *root, vaddr_t va, vaddr_t end)
{
	return next_entry(root, va, end, PTE_P);
}

vaddr_t paging_next_used(pte_t *root, vaddr_t va, vaddr_t end)
{
	return next_entry(root, va, end, PTE_P | PTE_PARKED);
}

size_t paging_protect_range(pte_t *root, vaddr_t va, vaddr_t end,
			    uint64_t flags)
{
	size_t changed = 0;

	if (flags & ~PTE_FLAGS_ALLOWED)
		return 0;
	while (va < end) {
		pte_t *path[PAGING_LEVELS];
		int level = walk_path(root, va, path);
		vaddr_t table_end;

		if (level != 0) { /* no page table here, or a large page */
			vaddr_t span = 1ul << (12 + 9 * level);

			va = ALIGN_DOWN(va, span) + span;
			continue;
		}
		/* The rest of this page table's entries, one after another. */
		table_end = MIN(end, ALIGN_DOWN(va, LARGE_PAGE) + LARGE_PAGE);
		for (pte_t *pte = path[0]; va < table_end; va += FRAME_SIZE) {
			pte_t now = *pte & ~(PTE_A | PTE_D);
			pte_t want = (*pte & PTE_ADDR) | flags | PTE_P;

			/* Unchanged entries need no invlpg: the TLB, if it
			 * holds them, holds the right permissions. */
			if ((now & PTE_P) && now != want) {
				*pte = want;
				invlpg(va);
				changed++;
			}
			pte++;
		}
	}
	return changed;
}

#if SOL >= 3
static bool table_empty(const pte_t *table)
{
	for (int i = 0; i < ENTRIES; i++)
		if (table[i])
			return false;
	return true;
}

/* Frees the tables above a cleared leaf that are now empty. */
static void free_empty_tables(pte_t *path[PAGING_LEVELS])
{
	for (int level = 0; level < PAGING_LEVELS - 1; level++) {
		pte_t *table = (pte_t *)ALIGN_DOWN((vaddr_t)path[level],
						   (vaddr_t)FRAME_SIZE);

		if (!table_empty(table))
			return;
		frame_free(*path[level + 1] & PTE_ADDR, 0);
		*path[level + 1] = 0;
	}
}

static bool valid_page(vaddr_t va)
{
	return paging_canonical(va) && va % FRAME_SIZE == 0;
}
#endif

pte_t *paging_walk(pte_t *root, vaddr_t va, bool create, uint64_t flags)
{
#if SOL >= 3
	pte_t *table = root;

	for (int level = PAGING_LEVELS - 1; level > 0; level--) {
		pte_t *entry = &table[index_at(va, level)];
		paddr_t pa;

		if (*entry & PTE_P) {
			if (*entry & PTE_PS)
				return NULL; /* a large page: not ours */
			/* A user page needs U on every level above it too. */
			if (create && (flags & PTE_U))
				*entry |= PTE_U;
		} else {
			if (!create || frame_alloc(0, FRAME_ZERO, &pa) < 0)
				return NULL;
			/* Permissive: the leaf alone restricts. */
			*entry = pa | PTE_P | PTE_W | (flags & PTE_U);
		}
		table = next_table(*entry);
	}
	return &table[index_at(va, 0)];
#else
	/*
	 * LAB 3: your code here. See the address split in paging.h.
	 *  1. From the root (level 3, the PML4) down to level 1, take the
	 *     entry va selects at that level.
	 *  2. Present: a large page (PTE_PS) means NULL; else follow it (and,
	 *     with create and PTE_U in flags, make sure it has PTE_U).
	 *  3. Missing: without create, NULL; with it, a zeroed frame becomes
	 *     the next table, entered with P, W and (flags & PTE_U).
	 *  4. Return the address of the level-0 entry.
	 * Tests: paging_map_translate_unmap, region_demand_zero.
	 */
	(void)root;
	(void)va;
	(void)create;
	(void)flags;
	return NULL;
#endif
}

int paging_map(pte_t *root, vaddr_t va, paddr_t pa, uint64_t flags)
{
#if SOL >= 3
	pte_t *pte;

	if (!valid_page(va) || pa % FRAME_SIZE || (pa & ~PTE_ADDR) ||
	    (flags & ~PTE_FLAGS_ALLOWED))
		return -EINVAL;
	pte = paging_walk(root, va, true, flags);
	if (!pte) /* a large page already maps va, or no frame for a table */
		return paging_translate(root, va, &pa, NULL) == 0 ? -EEXIST
								  : -ENOMEM;
	if (*pte & PTE_P)
		return -EEXIST;
	*pte = pa | flags | PTE_P;
	return 0;
#else
	/*
	 * LAB 3: your code here (contract in paging.h).
	 *  1. Check va, pa and flags: -EINVAL.
	 *  2. paging_walk with create; NULL means -ENOMEM.
	 *  3. Already present: -EEXIST. Else write pa | flags | PTE_P.
	 * Tests: paging_map_translate_unmap.
	 */
	(void)root;
	(void)va;
	(void)pa;
	(void)flags;
	return -ENOSYS;
#endif
}

int paging_unmap(pte_t *root, vaddr_t va, paddr_t *pa)
{
#if SOL >= 3
	pte_t *path[PAGING_LEVELS];

	if (!valid_page(va))
		return -EINVAL;
	if (walk_path(root, va, path) != 0 || !(*path[0] & PTE_P))
		return -ENOENT;
	if (pa)
		*pa = *path[0] & PTE_ADDR;
	*path[0] = 0;
	/* The kernel half's tables are shared and permanent. */
	if (va < LOWER_HALF_END)
		free_empty_tables(path);
	/* After the upper entries are cleared too: invlpg also drops the
	 * CPU's cached copies of them (its paging-structure caches). */
	invlpg(va);
	return 0;
#else
	/*
	 * LAB 3: your code here.
	 *  1. Find the leaf entry (without creating tables); none or not
	 *     present: -ENOENT.
	 *  2. Hand the frame to the caller and clear the entry.
	 *  3. In the lower half, free each table that is now empty and clear
	 *     the entry pointing to it, level by level up (never the root).
	 *  4. Last, invlpg(va): the TLB may still hold the old translation,
	 *     and the CPU's caches of the upper entries you just cleared.
	 * Tests: paging_map_translate_unmap, paging_unmap_invalidates_tlb,
	 * region_free_returns_frames.
	 */
	(void)root;
	(void)va;
	(void)pa;
	return -ENOSYS;
#endif
}

int paging_protect(pte_t *root, vaddr_t va, uint64_t flags)
{
#if SOL >= 3
	pte_t *pte;

	if (!valid_page(va) || (flags & ~PTE_FLAGS_ALLOWED))
		return -EINVAL;
	pte = paging_walk(root, va, false, 0);
	if (!pte || !(*pte & PTE_P))
		return -ENOENT;
	*pte = (*pte & PTE_ADDR) | flags | PTE_P;
	invlpg(va);
	return 0;
#else
	/* LAB 3: your code here: like paging_map on an existing entry,
	 * keeping its address, then invlpg. Tests:
	 * paging_map_translate_unmap, paging_protect_invalidates_tlb. */
	(void)root;
	(void)va;
	(void)flags;
	return -ENOSYS;
#endif
}

int paging_translate(pte_t *root, vaddr_t va, paddr_t *pa, uint64_t *flags)
{
#if SOL >= 3
	pte_t *path[PAGING_LEVELS];
	int level;
	uint64_t page_size;

	if (!paging_canonical(va))
		return -EINVAL;
	level = walk_path(root, va, path);
	if (!(*path[level] & PTE_P))
		return -ENOENT;
	/* A large page maps 2^(12 + 9 * level) bytes at once. */
	page_size = 1ul << (12 + 9 * level);
	*pa = (*path[level] & PTE_ADDR & ~(page_size - 1)) +
	      (va & (page_size - 1));
	if (flags)
		*flags = *path[level] & ~PTE_ADDR;
	return 0;
#else
	/* LAB 3: your code here: walk without creating; a present leaf (or
	 * large page) gives the address plus va's offset in the page.
	 * Tests: paging_map_translate_unmap, kernel_text_read_only,
	 * kernel_stack_guard_faults. */
	(void)root;
	(void)va;
	(void)pa;
	(void)flags;
	return -ENOSYS;
#endif
}

/* Maps the kernel-image pages [start, end) to themselves, with flags. */
static int map_image(pte_t *root, const char *start, const char *end,
		     uint64_t flags)
{
	vaddr_t va = ALIGN_DOWN((vaddr_t)start, (vaddr_t)FRAME_SIZE);

	for (; va < (vaddr_t)end; va += FRAME_SIZE) {
		int err = paging_map(root, va, virt_to_phys((void *)va), flags);

		if (err < 0)
			return err;
	}
	return 0;
}

/*
 * The direct map: physical 0..4 GiB with 2 MiB pages, no execution, the
 * fourth GiB (device memory: APIC, IOAPIC, ...) uncached. Built by hand:
 * paging_map makes 4 KiB pages only.
 */
static int map_direct(pte_t *root)
{
	paddr_t pdpt_pa, pd_pa;
	pte_t *pdpt, *pd;

	if (frame_alloc(0, FRAME_ZERO, &pdpt_pa) < 0)
		return -ENOMEM;
	pdpt = phys_to_virt(pdpt_pa);
	for (int gib = 0; gib < 4; gib++) {
		uint64_t cache = gib == 3 ? PTE_PCD | PTE_PWT : 0;

		if (frame_alloc(0, FRAME_ZERO, &pd_pa) < 0)
			return -ENOMEM;
		pd = phys_to_virt(pd_pa);
		for (int i = 0; i < ENTRIES; i++)
			pd[i] = ((paddr_t)gib << 30) + (paddr_t)i * LARGE_PAGE +
				(PTE_P | PTE_W | PTE_PS | PTE_NX | cache);
		pdpt[gib] = pd_pa | PTE_P | PTE_W;
	}
	root[(DIRECT_MAP >> 39) & (ENTRIES - 1)] = pdpt_pa | PTE_P | PTE_W;
	return 0;
}

/* The kernel image, W^X: each part with only the rights it needs. */
static int map_kernel_image(pte_t *root)
{
	int err = map_image(root, __text_start, __text_end, 0);

	if (!err)
		err = map_image(root, __rodata_start, __data_start, PTE_NX);
	/* Data and bss, but not the guard page below the boot stack. */
	if (!err)
		err = map_image(root, __data_start, boot_stack_guard,
				PTE_W | PTE_NX);
	if (!err)
		err = map_image(root, boot_stack_bottom, __bss_end,
				PTE_W | PTE_NX);
	if (!err)
		err = map_image(root, __ksyms_start, __kernel_end, PTE_NX);
	return err;
}

int paging_init(void)
{
	paddr_t root_pa;
	pte_t *root;
	int err;

	if (frame_alloc(0, FRAME_ZERO, &root_pa) < 0)
		return -ENOMEM;
	root = phys_to_virt(root_pa);
	err = map_kernel_image(root);
	if (err == -ENOSYS) { /* lab 3 not written: nothing was mapped */
		frame_free(root_pa, 0);
		return err;
	}
	if (!err)
		err = map_direct(root);
	if (err < 0)
		return err;
	/* From here on, the boot page tables are history. */
	write_cr3(root_pa);
	return 0;
}

int paging_park(pte_t *root, vaddr_t va)
{
	pte_t *pte;

	if (!paging_canonical(va) || va % FRAME_SIZE)
		return -EINVAL;
	pte = paging_walk(root, va, false, 0);
	if (!pte || !(*pte & PTE_P))
		return -ENOENT;
	*pte = (*pte & PTE_ADDR) | PTE_PARKED;
	invlpg(va);
	return 0;
}

int paging_unpark(pte_t *root, vaddr_t va, uint64_t flags)
{
	pte_t *pte;

	if (!paging_canonical(va) || va % FRAME_SIZE ||
	    (flags & ~PTE_FLAGS_ALLOWED))
		return -EINVAL;
	pte = paging_walk(root, va, false, 0);
	if (!pte || (*pte & PTE_P) || !(*pte & PTE_PARKED))
		return -ENOENT;
	/* Not present before: no TLB entry to invalidate. */
	*pte = (*pte & PTE_ADDR) | flags | PTE_P;
	return 0;
}
