/*
 * buddy.h - a buddy allocator of 4 KiB frames (lab 2).
 *
 * Memory is handed out in blocks of 2^order frames, order 0 (4 KiB) to
 * BUDDY_MAX_ORDER (4 MiB), each aligned to its own size. A block of order
 * k splits into two "buddies" of order k-1; when a block is freed and its
 * buddy is free too, they merge back into one block of order k. The buddy
 * of the block at frame index i is at index i ^ (1 << k): address
 * arithmetic, no search.
 *
 * This file knows nothing about the kernel: frame.c wraps one struct buddy
 * for all of physical memory, and the host tests and fuzzer (tests/host,
 * tests/fuzz) run the very same code on an array in a normal process.
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include "lib/types.h"

#define BUDDY_FRAME_SIZE 4096
#define BUDDY_MAX_ORDER	 10 /* 2^10 frames: 4 MiB blocks */
#define BUDDY_ORDERS	 (BUDDY_MAX_ORDER + 1)

/* A free block holds its own free-list links, in its first bytes. */
struct buddy_free_block {
	struct buddy_free_block *next;
	struct buddy_free_block *prev;
};

/* What a frame is, from buddy_frame_kind(). */
enum buddy_kind {
	BUDDY_RESERVED, /* never given to the allocator */
	BUDDY_INSIDE,	/* inside a block, not its first frame */
	BUDDY_FREE,	/* the first frame of a free block */
	BUDDY_USED,	/* the first frame of an allocated block */
};

struct buddy {
	paddr_t base;	/* the address of frame 0, aligned to 4 MiB */
	size_t nframes; /* frames [base, base + nframes * 4 KiB) */
	/*
	 * One byte per frame: its enum buddy_kind in the top two bits and,
	 * for the first frame of a block, the block's order in the low four.
	 */
	uint8_t *state;
	uint8_t *window; /* where frame 0 can be read and written */
	struct buddy_free_block *free[BUDDY_ORDERS]; /* one list per order */
	size_t free_blocks[BUDDY_ORDERS];
	size_t managed_frames; /* given to the allocator by buddy_add_range */
	size_t free_frames;
};

/*
 * Describes frames [base, base + nframes * 4 KiB), all reserved: nothing
 * can be allocated until buddy_add_range(). state must hold nframes
 * bytes; window is where frame 0's memory can be accessed (the direct map
 * in the kernel). base must be aligned to the largest block (4 MiB).
 */
void buddy_init(struct buddy *b, paddr_t base, size_t nframes, uint8_t *state,
		void *window);

/*
 * LAB 2: gives the frames [start, end) to the allocator, as free blocks
 * as large as their alignment allows, merged with free neighbours. start
 * and end are frame-aligned, inside the described range, and reserved.
 */
void buddy_add_range(struct buddy *b, paddr_t start, paddr_t end);

/*
 * LAB 2: allocates a block of 2^order frames, aligned to its size; stores
 * its address in *pa. Returns 0, -EINVAL for an order above
 * BUDDY_MAX_ORDER, or -ENOMEM when no block is large enough (then *pa is
 * untouched). Never panics.
 */
int buddy_alloc(struct buddy *b, unsigned order, paddr_t *pa);

/*
 * LAB 2: frees the block of 2^order frames at pa and merges it with its
 * buddy while the buddy is free. Returns 0, or -EINVAL and a sentence in
 * *why (when why is not NULL) if pa is not an allocated block of that
 * order: outside the range, misaligned, already free (a double free),
 * never allocated, inside another block, or allocated with another order.
 * A rejected free changes nothing.
 */
int buddy_free(struct buddy *b, paddr_t pa, unsigned order, const char **why);

/*
 * LAB 2: checks every invariant of the allocator and returns 0, or
 * -EINVAL with what is broken written into why (size bytes):
 *  - every block starts at a frame aligned to its size, and the frames
 *    after its first are all BUDDY_INSIDE;
 *  - the free lists hold exactly the free blocks, each once, in the list
 *    of its order, and their counts match free_blocks[];
 *  - no free block of order < BUDDY_MAX_ORDER has a free buddy of the
 *    same order (it would have been merged);
 *  - free frames + allocated frames = managed frames.
 */
int buddy_check(const struct buddy *b, char *why, size_t size);

/* What the frame at pa is; BUDDY_RESERVED outside the described range. */
enum buddy_kind buddy_frame_kind(const struct buddy *b, paddr_t pa);

#endif
