/*
 * paging.h - 4-level x86_64 page tables (lab 3).
 *
 * A virtual address splits into four 9-bit table indices and a 12-bit
 * offset (SDM 3A 4.5):
 *
 *   63    48 47    39 38    30 29    21 20    12 11       0
 *   | sign  | PML4   | PDPT   | PD     | PT     | offset   |
 *
 * Each table is one 4 KiB frame of 512 entries; an entry holds the
 * physical address of the next table (or of the page) and flag bits.
 * Tables are reached through the direct map. These functions work on 4 KiB
 * pages only; the direct map's 2 MiB pages (built at boot) are left alone.
 *
 * Baton has one set of page tables for everything (the single address
 * space): the kernel half is the same for all, the lower half holds the
 * regions (region.h), mapped page by page when first touched.
 */
#ifndef MM_PAGING_H
#define MM_PAGING_H

#include "lib/types.h"

typedef uint64_t pte_t;

/* Entry bits (SDM 3A table 4-19 and friends). */
#define PTE_P	   (1ul << 0)  /* present */
#define PTE_W	   (1ul << 1)  /* writable */
#define PTE_U	   (1ul << 2)  /* user mode may access */
#define PTE_PWT	   (1ul << 3)  /* write-through */
#define PTE_PCD	   (1ul << 4)  /* cache disabled */
#define PTE_A	   (1ul << 5)  /* accessed (set by the CPU) */
#define PTE_D	   (1ul << 6)  /* dirty (set by the CPU) */
#define PTE_PS	   (1ul << 7)  /* in a PDPT or PD entry: a large page */
#define PTE_G	   (1ul << 8)  /* global */
#define PTE_PARKED (1ul << 9)  /* ours: a frame kept while not present */
#define PTE_NX	   (1ul << 63) /* no execute (EFER.NXE is on) */
#define PTE_ADDR   0x000ffffffffff000ul /* the address bits */

/* The flags a caller may ask for; the rest are the hardware's or ours. */
#define PTE_FLAGS_ALLOWED (PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_NX)

#define PAGING_LEVELS 4

/* Is va canonical (bits 63..47 all equal)? */
static inline bool paging_canonical(vaddr_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* The page tables in use: the kernel's after paging_init(). */
pte_t *paging_root(void);

/*
 * Builds the kernel's own page tables and switches to them: the kernel
 * image with 4 KiB pages (text read-only and executable, everything else
 * no-execute, only data and bss writable), the direct map with 2 MiB pages
 * (no-execute), and an unmapped guard page below the boot stack. Needs
 * the frame allocator. Returns 0, -ENOMEM, or -ENOSYS while lab 3 is not
 * written (the boot page tables stay, without any of that protection).
 */
int paging_init(void);

/*
 * LAB 3: the page-table entry for the 4 KiB page at va, walking from the
 * root. With create, missing tables are allocated (zeroed) on the way;
 * an intermediate entry gets P, W and, when flags has PTE_U, U, so that
 * the leaf alone decides the page's protection. Returns NULL if a table
 * is missing (and !create), cannot be allocated, or a large page covers
 * va. va must be canonical.
 */
pte_t *paging_walk(pte_t *root, vaddr_t va, bool create, uint64_t flags);

/*
 * LAB 3: maps the 4 KiB page at va to the frame at pa with flags (a subset
 * of PTE_FLAGS_ALLOWED; P is added). Returns 0, -EINVAL (unaligned or
 * non-canonical va, unaligned pa, bad flags), -EEXIST (already mapped) or
 * -ENOMEM (no frame for a table).
 */
int paging_map(pte_t *root, vaddr_t va, paddr_t pa, uint64_t flags);

/*
 * LAB 3: removes the mapping of the page at va, invalidates its TLB entry
 * and frees page tables left empty (never the root). Stores the frame
 * that was mapped in *pa (if pa is not NULL): freeing it is the caller's
 * business. Returns 0, -EINVAL, or -ENOENT (nothing mapped there).
 */
int paging_unmap(pte_t *root, vaddr_t va, paddr_t *pa);

/*
 * LAB 3: changes the flags of the mapped page at va (P stays) and
 * invalidates its TLB entry. Returns 0, -EINVAL or -ENOENT.
 */
int paging_protect(pte_t *root, vaddr_t va, uint64_t flags);

/*
 * Changes the flags of every mapped 4 KiB page in [va, end) to flags (as
 * paging_protect), invalidating the TLB entry of each one that changes.
 * Each page table is walked to once, and then read entry by entry: a
 * range costs one walk per 2 MiB and a few instructions a page. Returns
 * the pages changed (0 for bad flags).
 */
size_t paging_protect_range(pte_t *root, vaddr_t va, vaddr_t end,
			    uint64_t flags);

/*
 * The first mapped page at or after va and before end, or end. Skips
 * whole missing tables at once, so a huge, mostly empty region is cheap.
 */
vaddr_t paging_next_mapped(pte_t *root, vaddr_t va, vaddr_t end);

/*
 * The first page at or after va and before end whose entry is in use,
 * mapped or parked (below), or end.
 */
vaddr_t paging_next_used(pte_t *root, vaddr_t va, vaddr_t end);

/*
 * Parking a page (lab 7). The entry of the mapped page at va loses P, so
 * no access (user or kernel) reaches the frame any more, but it keeps
 * the frame's address and is marked PTE_PARKED; then invlpg. The CPU
 * ignores every other bit of an entry without P (SDM 3A 4.5.4), so the
 * entry is free to remember the frame: that is how a page moves between
 * domains without being copied or remapped. Returns 0, -EINVAL or
 * -ENOENT (nothing mapped at va).
 */
int paging_park(pte_t *root, vaddr_t va);

/*
 * Maps the parked page at va again, with flags (as paging_map). Returns
 * 0, -EINVAL or -ENOENT (no parked page at va).
 */
int paging_unpark(pte_t *root, vaddr_t va, uint64_t flags);

/*
 * LAB 3: the physical address va maps to, and the leaf entry's flags;
 * large pages included. Returns 0, -EINVAL (non-canonical) or -ENOENT.
 */
int paging_translate(pte_t *root, vaddr_t va, paddr_t *pa, uint64_t *flags);

#endif
