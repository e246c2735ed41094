/*
 * lab2_heap_tests.c - lab 2: kmalloc and kfree.
 */
#include "arch/x86_64/layout.h"
#include "kern/ktest.h"
#include "lab2_helpers.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/heap.h"

static const size_t sizes[] = {1,    15,    16,	    17,	    31,	  64,
			       100,  500,   1000,   1024,   1025, 4000,
			       4096, 10000, 100000, 1 << 20};
#define NSIZES ARRAY_SIZE(sizes)

#define COPIES 3

static uint8_t *blocks[NSIZES * COPIES];

/* Many sizes, each usable in full, none overlapping, all given back. */
KTEST(heap_kmalloc_sizes, 2, 3)
{
	size_t bytes_before = heap_bytes_in_use();

	require_frames();
	for (size_t i = 0; i < NSIZES * COPIES; i++) {
		size_t size = sizes[i % NSIZES];

		blocks[i] = kmalloc(size);
		if (!blocks[i])
			KT_FAIL("kmalloc(%zu) returned NULL", size);
		if ((uintptr_t)blocks[i] % HEAP_ALIGN)
			KT_FAIL("kmalloc(%zu) = %p, not %d-byte aligned", size,
				blocks[i], HEAP_ALIGN);
		memset(blocks[i], (int)i + 1, size);
		KT_ASSERT(heap_bytes_in_use() >= bytes_before + size);
	}
	/* Had two blocks overlapped, one pattern would be overwritten. */
	for (size_t i = 0; i < NSIZES * COPIES; i++)
		for (size_t b = 0; b < sizes[i % NSIZES]; b++)
			if (blocks[i][b] != (uint8_t)(i + 1))
				KT_FAIL("block %zu (%zu bytes) was overwritten "
					"at byte %zu",
					i, sizes[i % NSIZES], b);
	for (size_t i = 0; i < NSIZES * COPIES; i++)
		kfree(blocks[i]);
	KT_ASSERT_EQ(heap_bytes_in_use(), bytes_before);
}

/* Zero bytes, too many bytes, NULL, the largest block, kzalloc. */
KTEST(heap_edge_cases, 2, 2)
{
	uint8_t *p;

	require_frames();
	KT_ASSERT(kmalloc(0) == NULL);
	KT_ASSERT(kmalloc(HEAP_MAX_SIZE + 1) == NULL);
	KT_ASSERT(kmalloc(~(size_t)0) == NULL);
	kfree(NULL);
	p = kmalloc(HEAP_MAX_SIZE);
	KT_ASSERT(p != NULL);
	p[0] = 1;
	p[HEAP_MAX_SIZE - 1] = 2;
	kfree(p);
	p = kzalloc(300);
	KT_ASSERT(p != NULL);
	for (int i = 0; i < 300; i++)
		KT_ASSERT_EQ(p[i], 0);
	kfree(p);
}

#define SMALL_OBJECTS 2000
static void *objects[SMALL_OBJECTS];

/* Slabs go back to the frame allocator when their objects are freed. */
KTEST(heap_slabs_return_frames, 2, 2)
{
	size_t frames_before = frame_free_count();

	require_frames();
	for (int i = 0; i < SMALL_OBJECTS; i++) {
		objects[i] = kmalloc(64);
		KT_ASSERT(objects[i] != NULL);
	}
	KT_ASSERT(frame_free_count() < frames_before);
	for (int i = 0; i < SMALL_OBJECTS; i += 2) /* every other one first */
		kfree(objects[i]);
	for (int i = 1; i < SMALL_OBJECTS; i += 2)
		kfree(objects[i]);
	KT_ASSERT_EQ(frame_free_count(), frames_before);
}

/* With no frame left, kmalloc says NULL; it works again afterwards. */
KTEST(heap_oom_returns_null, 2, 2)
{
	paddr_t chain;
	void *p;

	require_frames();
	take_all_frames(&chain);
	KT_ASSERT(kmalloc(64) == NULL);
	KT_ASSERT(kmalloc(8192) == NULL);
	give_back_frames(chain);
	p = kmalloc(64);
	KT_ASSERT(p != NULL);
	kfree(p);
}

KTEST(heap_double_free_panics, 2, 2)
{
	static const char *const expected[] = {"PANIC: ", "kfree(",
					       "double free", NULL};
	void *p = kmalloc(32);
	void *keep = kmalloc(32); /* so the slab stays after the first kfree */

	require_frames();
	KT_ASSERT(p && keep);
	kfree(p);
	ktest_expect_panic(expected);
	kfree(p);
}

KTEST(heap_bad_pointer_panics, 2, 1)
{
	static const char *const expected[] = {"PANIC: ", "kfree(",
					       "not a heap pointer", NULL};
	int on_the_stack = 0;

	require_frames();
	ktest_expect_panic(expected);
	kfree(&on_the_stack);
}
