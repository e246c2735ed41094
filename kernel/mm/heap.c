/*
 * heap.c - the kernel heap: size classes in slabs, large blocks in frames.
 *
 * Why size classes: kernel objects are small and of few sizes, and a
 * class per power of two makes kmalloc and kfree O(1) with no searching
 * and no splitting, at the price of up to half an object wasted. (A
 * coalescing first-fit heap wastes less and is slower; see the handout.)
 *
 * Every frame the heap uses starts with a struct slab, so kfree finds the
 * header of any heap pointer by rounding it down to its frame:
 *
 *   small: | struct slab | pad | obj 0 | obj 1 | ... | obj n-1 |   1 frame
 *   large: | struct slab | pad | the object ...                 |   2^order
 *          <- HEAP_LARGE_HEADER ->
 *
 * The magic number says which kind a frame is, and turns into DEAD_MAGIC
 * when the frame goes back to the frame allocator, so kfree can tell a
 * heap pointer from anything else. A bitmap of allocated objects per slab
 * catches double frees. A slab whose objects are all free goes back to the
 * frame allocator at once, so a test that frees everything it allocated
 * also gives back every frame (leak accounting, kern/ktest.h).
 */
#include "mm/heap.h"

#include "arch/x86_64/layout.h"
#include "kern/ktest.h"
#include "kern/panic.h"
#include "lib/string.h"

#define SLAB_MAGIC  0x51ab51ab
#define LARGE_MAGIC 0x1a56e1a5
#define DEAD_MAGIC  0xdeadd00d
#define NCLASSES    7 /* 16 << 0 .. 16 << 6 = 1024 */
#define MAX_OBJECTS 256

struct slab {
	uint32_t magic;
	uint16_t class;		       /* small: size class index */
	uint16_t free;		       /* small: free objects */
	uint16_t capacity;	       /* small: objects in the slab */
	uint16_t first;		       /* small: offset of object 0 */
	uint32_t order;		       /* large: the block's order */
	size_t size;		       /* large: the size asked for */
	struct slab *next, *prev;      /* small: partial slabs of the class */
	void *free_list;	       /* small: free objects, linked through
				     their first word */
	uint8_t used[MAX_OBJECTS / 8]; /* small: a bit per object in use */
};
_Static_assert(sizeof(struct slab) <= HEAP_LARGE_HEADER, "heap.h");

/* Slabs of each class with at least one free object. */
static struct slab *partial[NCLASSES];
static size_t bytes_in_use;

size_t heap_bytes_in_use(void)
{
	return bytes_in_use;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

#if SOL >= 2
static size_t class_size(unsigned class)
{
	return (size_t)16 << class;
}

/* The smallest class that holds size bytes (size <= HEAP_MAX_SMALL). */
static unsigned class_of(size_t size)
{
	unsigned class = 0;

	while (class_size(class) < size)
		class ++;
	return class;
}

static void partial_push(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->class];
	if (s->next)
		s->next->prev = s;
	partial[s->class] = s;
}

static void partial_remove(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->class] = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

/* A new slab of the class, every object on its free list; NULL if OOM. */
static struct slab *slab_new(unsigned class)
{
	size_t size = class_size(class);
	paddr_t pa;
	struct slab *s;
	uint8_t *object;

	if (frame_alloc(0, 0, &pa) < 0)
		return NULL;
	s = phys_to_virt(pa);
	memset(s, 0, sizeof(*s));
	s->magic = SLAB_MAGIC;
	s->class = (uint16_t) class;
	/* Objects aligned to their size (up to a cache line) after the header. */
	s->first = (uint16_t)ALIGN_UP(sizeof(*s), MIN(size, (size_t)64));
	s->capacity = (uint16_t)((FRAME_SIZE - s->first) / size);
	s->free = s->capacity;
	object = (uint8_t *)s + s->first + (s->capacity - 1) * size;
	for (; object >= (uint8_t *)s + s->first; object -= size) {
		*(void **)object = s->free_list;
		s->free_list = object;
	}
	partial_push(s);
	return s;
}

static void *small_alloc(size_t size)
{
	unsigned class = class_of(size);
	struct slab *s = partial[class] ? partial[class] : slab_new(class);
	void *object;
	size_t index;

	if (!s)
		return NULL;
	object = s->free_list;
	s->free_list = *(void **)object;
	index = ((uint8_t *)object - ((uint8_t *)s + s->first)) /
		class_size(class);
	s->used[index / 8] |= (uint8_t)(1u << (index % 8));
	if (--s->free == 0)
		partial_remove(s);
	bytes_in_use += class_size(class);
	return object;
}

static void *large_alloc(size_t size)
{
	unsigned order = 0;
	struct slab *s;
	paddr_t pa;

	while (((size_t)FRAME_SIZE << order) < size + HEAP_LARGE_HEADER)
		order++;
	if (frame_alloc(order, 0, &pa) < 0)
		return NULL;
	s = phys_to_virt(pa);
	memset(s, 0, sizeof(*s));
	s->magic = LARGE_MAGIC;
	s->order = order;
	s->size = size;
	bytes_in_use += size;
	return (uint8_t *)s + HEAP_LARGE_HEADER;
}

static void small_free(struct slab *s, void *p)
{
	size_t size = class_size(s->class);
	size_t offset = (size_t)((uint8_t *)p - (uint8_t *)s);
	size_t index = (offset - s->first) / size;
	uint8_t bit = (uint8_t)(1u << (index % 8));

	if (offset < s->first || (offset - s->first) % size ||
	    index >= s->capacity)
		PANIC("kfree(%p): not the start of a %zu-byte object", p, size);
	if (!(s->used[index / 8] & bit))
		PANIC("kfree(%p): double free of a %zu-byte object", p, size);
	s->used[index / 8] &= (uint8_t)~bit;
	*(void **)p = s->free_list;
	s->free_list = p;
	bytes_in_use -= size;
	if (++s->free == 1)
		partial_push(s);
	if (s->free == s->capacity) {
		/* Empty: back to the frame allocator. */
		partial_remove(s);
		s->magic = DEAD_MAGIC;
		frame_free(virt_to_phys(s), 0);
	}
}

static void large_free(struct slab *s, void *p)
{
	if ((uint8_t *)p != (uint8_t *)s + HEAP_LARGE_HEADER)
		PANIC("kfree(%p): not the start of a large block", p);
	bytes_in_use -= s->size;
	s->magic = DEAD_MAGIC;
	frame_free(virt_to_phys(s), s->order);
}
#endif

void *kmalloc(size_t size)
{
#if SOL >= 2
	if (size == 0 || size > HEAP_MAX_SIZE)
		return NULL;
	return size <= HEAP_MAX_SMALL ? small_alloc(size) : large_alloc(size);
#else
	/*
	 * LAB 2: your code here (the layout is drawn at the top of heap.c).
	 *  1. 0 bytes or more than HEAP_MAX_SIZE: return NULL.
	 *  2. Up to HEAP_MAX_SMALL: take an object of the smallest size class
	 *     that fits from a slab with free objects (partial[class]), or
	 *     from a new slab (one frame: struct slab, then the objects); mark
	 *     it used in the slab's bitmap.
	 *  3. Larger: a block of frames with a struct slab at its start; the
	 *     object starts HEAP_LARGE_HEADER bytes in.
	 *  4. Keep bytes_in_use up to date; out of frames: return NULL.
	 * Tests: heap_kmalloc_sizes, heap_edge_cases, heap_slabs_return_frames.
	 */
	(void)size;
	(void)partial;
	return NULL;
#endif
}

void kfree(void *p)
{
#if SOL >= 2
	vaddr_t v = (vaddr_t)p;
	struct slab *s;

	if (!p)
		return;
	if (v < DIRECT_MAP || v >= DIRECT_MAP + DIRECT_MAP_SIZE)
		PANIC("kfree(%p): not a heap pointer (outside the direct map)",
		      p);
	s = (struct slab *)ALIGN_DOWN(v, (vaddr_t)FRAME_SIZE);
	if (s->magic == SLAB_MAGIC)
		small_free(s, p);
	else if (s->magic == LARGE_MAGIC)
		large_free(s, p);
	else
		PANIC("kfree(%p): not a heap pointer (or freed already)", p);
#else
	/*
	 * LAB 2: your code here.
	 *  1. kfree(NULL) does nothing.
	 *  2. Find the struct slab at the start of p's frame (p must be in
	 *     the direct map); its magic says small, large, or not the heap.
	 *  3. Small: p must be the start of an object whose bit is set;
	 *     clear it and put the object back on the free list. A slab with
	 *     every object free goes back to the frame allocator.
	 *  4. Large: p must be the block start + HEAP_LARGE_HEADER; free the
	 *     frames.
	 *  5. Anything wrong is a kernel bug: PANIC("kfree(%p): ...") naming
	 *     it ("not a heap pointer", "double free", ...).
	 * Tests: heap_kmalloc_sizes, heap_double_free_panics,
	 * heap_bad_pointer_panics.
	 */
	(void)p;
#endif
}

static uint64_t heap_in_use(void)
{
	return bytes_in_use;
}

KTEST_RESOURCE(heap_in_use, "heap", "heap bytes");
