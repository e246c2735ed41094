/*
 * vspace.h - a buddy allocator of virtual address space (lab 3).
 *
 * The lower half of the single address space is handed out in blocks of
 * 2^order pages, aligned to their size, exactly like frames (buddy.h) but
 * with a different bookkeeping: the space is far too large for a state
 * byte per page (2^35 pages), so each free block is a small node on the
 * free list of its order, allocated from the kernel heap. A block's buddy
 * is still found by address arithmetic (start ^ (PAGE_SIZE << order));
 * whether that buddy is free is found by looking through the free list of
 * that order, which stays short: large blocks are few.
 *
 * The allocator is pure code: tests/host runs it with malloc as kmalloc.
 */
#ifndef MM_VSPACE_H
#define MM_VSPACE_H

#include "lib/types.h"

#define VSPACE_PAGE	 4096ul
#define VSPACE_ORDERS	 36 /* orders 0 .. 35: up to 2^35 pages = 2^47 B */
#define VSPACE_MAX_ORDER (VSPACE_ORDERS - 1)

struct vspace_block {
	vaddr_t start;
	struct vspace_block *next, *prev;
};

struct vspace {
	struct vspace_block *free[VSPACE_ORDERS];
	size_t free_blocks[VSPACE_ORDERS];
	size_t free_pages;
	vaddr_t start, end; /* the space described: [start, end) */
};

/*
 * Makes s describe [start, end) (page-aligned) with nothing free yet.
 * start must be aligned to the largest block that fits in the space.
 */
void vspace_init(struct vspace *s, vaddr_t start, vaddr_t end);

/*
 * Gives [start, end) (page-aligned, inside the space, not free yet) to
 * the allocator as maximal aligned free blocks. Returns 0 or -ENOMEM (no
 * heap for a node; then the space is unchanged).
 */
int vspace_add(struct vspace *s, vaddr_t start, vaddr_t end);

/*
 * LAB 3: allocates a block of 2^order pages; stores its start in *va.
 * Returns 0, -EINVAL (order > VSPACE_MAX_ORDER), or -ENOMEM (no free block
 * large enough, or no heap for the nodes a split needs).
 */
int vspace_alloc(struct vspace *s, unsigned order, vaddr_t *va);

/*
 * LAB 3: frees the block of 2^order pages at va, merging it with its
 * buddy while the buddy is free. The block must come from vspace_alloc.
 * Returns 0, -EINVAL (misaligned, outside the space, or overlapping a
 * free block), or -ENOMEM.
 */
int vspace_free(struct vspace *s, vaddr_t va, unsigned order);

/*
 * Checks that every free block is aligned to its size and inside
 * the space, no two free blocks overlap, no free block has a free buddy
 * of the same order, and the counts add up. 0, or -EINVAL with why.
 */
int vspace_check(const struct vspace *s, char *why, size_t size);

/* The order of the smallest block holding `pages` pages (pages >= 1). */
unsigned vspace_order_for(size_t pages);

#endif
