/*
 * frame.h - the physical frame allocator (lab 2).
 *
 * One buddy allocator (buddy.h) over all usable RAM that the direct map
 * covers, built from the multiboot2 memory map. It never hands out the
 * first MiB, the kernel image, the modules, the multiboot2 information,
 * what bootmem gave out, or anything the map does not call usable.
 * Frames are reached through the direct map: phys_to_virt(pa).
 */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include "kern/bootinfo.h"
#include "lib/types.h"
#include "mm/buddy.h"

#define FRAME_SIZE	BUDDY_FRAME_SIZE
#define FRAME_MAX_ORDER BUDDY_MAX_ORDER
#define FRAME_ZERO	0x1 /* frame_alloc flag: fill the block with zeros */

/* Nothing below this is ever handed out: BIOS data, the VGA window... */
#define FRAME_LOW_LIMIT 0x100000

/*
 * Builds the allocator from the memory map in bi. Returns 0, -ENOENT if
 * there is no memory map, or -ENOSYS while lab 2 is not written. Call
 * once, after bootmem_init().
 */
int frame_init(const struct bootinfo *bi);

/* True once frame_init() has succeeded. */
bool frame_ready(void);

/*
 * LAB 2: the whole frames inside the bytes [base, base + length), clipped
 * to [lo, hi): *start is rounded up and *end down to FRAME_SIZE, and *end
 * is exclusive. Returns false (and leaves *start and *end alone) when no
 * whole frame is left. lo and hi are frame-aligned; base + length does
 * not wrap.
 */
bool frame_range_inside(paddr_t base, uint64_t length, paddr_t lo, paddr_t hi,
			paddr_t *start, paddr_t *end);

/*
 * Allocates 2^order contiguous frames, aligned to their size, zeroed if
 * flags has FRAME_ZERO; stores the physical address in *pa. Returns 0,
 * -EINVAL for a bad order, or -ENOMEM: the caller must handle it. Any
 * context without interrupts enabled (Baton has one CPU and no kernel
 * threads).
 */
int frame_alloc(unsigned order, unsigned flags, paddr_t *pa);

/*
 * Frees a block from frame_alloc. A double free, a free of a frame never
 * allocated, a misaligned address or a wrong order is refused: a message
 * naming the problem is printed and -EINVAL returned; nothing changes.
 */
int frame_free(paddr_t pa, unsigned order);

size_t frame_managed_count(void);	  /* frames the allocator owns */
size_t frame_free_count(void);		  /* ... of which free */
size_t frame_free_blocks(unsigned order); /* free blocks of one order */
enum buddy_kind frame_kind(paddr_t pa);	  /* what the frame at pa is */

/* Checks the allocator's invariants (buddy_check); 0 or -EINVAL + why. */
int frame_check(char *why, size_t size);

#endif
