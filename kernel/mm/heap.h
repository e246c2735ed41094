/*
 * heap.h - kmalloc and kfree: the kernel heap (lab 2).
 *
 * Small requests (up to HEAP_MAX_SMALL bytes) are served from "slabs":
 * one frame holds objects of one size class (16, 32, ... 1024 bytes).
 * Larger requests get a block of frames of their own. heap.c explains the
 * layout and why.
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include "lib/types.h"
#include "mm/frame.h"

#define HEAP_ALIGN	  16   /* every pointer kmalloc returns is aligned so */
#define HEAP_MAX_SMALL	  1024 /* the largest size class */
/* Large blocks start with a header of this many bytes. */
#define HEAP_LARGE_HEADER 128
#define HEAP_MAX_SIZE	  ((FRAME_SIZE << FRAME_MAX_ORDER) - HEAP_LARGE_HEADER)

/*
 * LAB 2: size bytes of kernel memory, aligned to HEAP_ALIGN, not zeroed.
 * Returns NULL for size 0, for size > HEAP_MAX_SIZE, or when memory runs
 * out: the caller must handle it. Never panics.
 */
void *kmalloc(size_t size);

/* kmalloc, then zeroed. */
void *kzalloc(size_t size);

/*
 * LAB 2: frees what kmalloc returned; kfree(NULL) does nothing. A pointer
 * kmalloc did not return, or one freed already, is a kernel bug: kfree
 * panics, saying which ("not a heap pointer", "double free", ...).
 */
void kfree(void *p);

/* Bytes handed out and not freed: a small object counts its whole size
 * class, a large one the size asked for. */
size_t heap_bytes_in_use(void);

#endif
