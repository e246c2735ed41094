/*
 * vspace.c - the buddy allocator of virtual address space (vspace.h).
 *
 * Only free blocks are recorded: an allocated block belongs to whoever
 * asked for it (a region, region.h), who gives back its start and order.
 */
#include "mm/vspace.h"

#include "lib/errno.h"
#include "lib/format.h"
#include "mm/heap.h"

static vaddr_t block_size(unsigned order)
{
	return VSPACE_PAGE << order;
}

unsigned vspace_order_for(size_t pages)
{
	unsigned order = 0;

	while (((size_t)1 << order) < pages && order < VSPACE_MAX_ORDER + 1)
		order++;
	return order;
}

void vspace_init(struct vspace *s, vaddr_t start, vaddr_t end)
{
	*s = (struct vspace){.start = start, .end = end};
}

static void push_free(struct vspace *s, struct vspace_block *b, unsigned order)
{
	b->prev = NULL;
	b->next = s->free[order];
	if (b->next)
		b->next->prev = b;
	s->free[order] = b;
	s->free_blocks[order]++;
}

/* The free block of `order` starting at start, or NULL. */
static struct vspace_block *find_free(const struct vspace *s, vaddr_t start,
				      unsigned order)
{
	for (struct vspace_block *b = s->free[order]; b; b = b->next)
		if (b->start == start)
			return b;
	return NULL;
}

#if SOL >= 3
static void unlink_free(struct vspace *s, struct vspace_block *b,
			unsigned order)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		s->free[order] = b->next;
	if (b->next)
		b->next->prev = b->prev;
	s->free_blocks[order]--;
}

/* Puts the block b of `order` on the free lists, merged with free buddies. */
static void release(struct vspace *s, struct vspace_block *b, unsigned order)
{
	s->free_pages += (size_t)1 << order;
	while (order < VSPACE_MAX_ORDER) {
		vaddr_t buddy_start = b->start ^ block_size(order);
		struct vspace_block *buddy = find_free(s, buddy_start, order);

		if (!buddy)
			break;
		unlink_free(s, buddy, order);
		if (buddy->start < b->start)
			b->start = buddy->start;
		kfree(buddy);
		order++;
	}
	push_free(s, b, order);
}
#endif

/* The largest block of the space that starts at va and ends by end. */
static unsigned largest_block_at(const struct vspace *s, vaddr_t va,
				 vaddr_t end)
{
	unsigned order = 0;

	while (order < VSPACE_MAX_ORDER &&
	       (va - s->start) % block_size(order + 1) == 0 &&
	       block_size(order + 1) <= end - va)
		order++;
	return order;
}

/* A range splits into at most two blocks per order: up, then down. */
#define MAX_ADD_BLOCKS (2 * VSPACE_ORDERS)

int vspace_add(struct vspace *s, vaddr_t start, vaddr_t end)
{
	struct vspace_block *nodes[MAX_ADD_BLOCKS];
	int count = 0;

	/* Every node first, so that running out of heap changes nothing. */
	for (vaddr_t va = start; va < end;
	     va += block_size(largest_block_at(s, va, end))) {
		nodes[count] = kmalloc(sizeof(*nodes[count]));
		if (!nodes[count]) {
			while (count > 0)
				kfree(nodes[--count]);
			return -ENOMEM;
		}
		nodes[count++]->start = va;
	}
	for (int i = 0; i < count; i++) {
		unsigned order = largest_block_at(s, nodes[i]->start, end);

#if SOL >= 3
		release(s, nodes[i], order);
#else
		/* Without lab 3, the space just keeps its free blocks unmerged. */
		s->free_pages += (size_t)1 << order;
		push_free(s, nodes[i], order);
#endif
	}
	return 0;
}

int vspace_alloc(struct vspace *s, unsigned order, vaddr_t *va)
{
#if SOL >= 3
	struct vspace_block *halves[VSPACE_ORDERS];
	struct vspace_block *b;
	unsigned found = order;

	if (order > VSPACE_MAX_ORDER)
		return -EINVAL;
	while (found <= VSPACE_MAX_ORDER && !s->free[found])
		found++;
	if (found > VSPACE_MAX_ORDER)
		return -ENOMEM;
	/* Every split needs a node for its upper half: get them all first,
	 * so that running out of heap changes nothing. */
	for (unsigned i = order; i < found; i++) {
		halves[i] = kmalloc(sizeof(*halves[i]));
		if (!halves[i]) {
			while (i-- > order)
				kfree(halves[i]);
			return -ENOMEM;
		}
	}
	b = s->free[found];
	unlink_free(s, b, found);
	while (found > order) {
		found--;
		halves[found]->start = b->start + block_size(found);
		push_free(s, halves[found], found);
	}
	s->free_pages -= (size_t)1 << order;
	*va = b->start;
	kfree(b);
	return 0;
#else
	/*
	 * LAB 3: your code here. The same algorithm as buddy_alloc (lab 2),
	 * with nodes instead of state bytes:
	 *  1. -EINVAL above VSPACE_MAX_ORDER; find the smallest order >= the
	 *     one asked with a free block, else -ENOMEM.
	 *  2. Each split puts its upper half on a free list, as a new node:
	 *     kmalloc all the nodes you will need BEFORE changing anything,
	 *     so that -ENOMEM leaves the space as it was.
	 *  3. Update free_pages; store the block's start; kfree its node.
	 * Tests: vspace_alloc_free_coalesce, vspace_exhaustion_is_an_error.
	 */
	(void)s;
	(void)order;
	(void)va;
	return -ENOSYS;
#endif
}

#if SOL >= 3
/* Does [start, start + size) overlap any free block? */
static bool overlaps_free(const struct vspace *s, vaddr_t start, vaddr_t size)
{
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		for (struct vspace_block *b = s->free[k]; b; b = b->next)
			if (b->start < start + size &&
			    start < b->start + block_size(k))
				return true;
	return false;
}
#endif

int vspace_free(struct vspace *s, vaddr_t va, unsigned order)
{
#if SOL >= 3
	struct vspace_block *b;

	if (order > VSPACE_MAX_ORDER || (va - s->start) % block_size(order) ||
	    va < s->start || va > s->end || block_size(order) > s->end - va ||
	    overlaps_free(s, va, block_size(order)))
		return -EINVAL;
	b = kmalloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->start = va;
	release(s, b, order);
	return 0;
#else
	/*
	 * LAB 3: your code here.
	 *  1. Refuse (-EINVAL) a bad order, a block not aligned to its size,
	 *     one outside [s->start, s->end), and one that overlaps a free
	 *     block (a double free).
	 *  2. kmalloc a node for it (-ENOMEM), then merge it with its buddy
	 *     (start ^ block size) while the buddy is on the free list of the
	 *     same order, and push the result.
	 * Tests: vspace_alloc_free_coalesce, region_free_returns_frames.
	 */
	(void)s;
	(void)va;
	(void)order;
	return -ENOSYS;
#endif
}

/* One free block's own invariants. */
static int check_block(const struct vspace *s, const struct vspace_block *b,
		       unsigned k, char *why, size_t size)
{
	vaddr_t buddy = b->start ^ block_size(k);

	if ((b->start - s->start) % block_size(k) || b->start < s->start ||
	    b->start > s->end || block_size(k) > s->end - b->start) {
		snprintf(why, size,
			 "free block %p of order %u misaligned or "
			 "outside the space",
			 (void *)b->start, k);
		return -EINVAL;
	}
	if (k < VSPACE_MAX_ORDER && find_free(s, buddy, k)) {
		snprintf(why, size,
			 "free block %p and its buddy, order %u, "
			 "were not merged",
			 (void *)b->start, k);
		return -EINVAL;
	}
	return 0;
}

/* A free block other than b that overlaps b (of order k), or NULL. */
static const struct vspace_block *
overlapping(const struct vspace *s, const struct vspace_block *b, unsigned k)
{
	for (unsigned j = 0; j <= VSPACE_MAX_ORDER; j++)
		for (const struct vspace_block *o = s->free[j]; o; o = o->next)
			if (o != b && o->start < b->start + block_size(k) &&
			    b->start < o->start + block_size(j))
				return o;
	return NULL;
}

int vspace_check(const struct vspace *s, char *why, size_t size)
{
	size_t pages = 0;

	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++) {
		size_t count = 0;

		for (struct vspace_block *b = s->free[k]; b; b = b->next) {
			const struct vspace_block *o;

			if (count == s->free_blocks[k]) { /* more: or a cycle */
				snprintf(why, size,
					 "order %u: more blocks listed "
					 "than %zu counted",
					 k, s->free_blocks[k]);
				return -EINVAL;
			}
			if (check_block(s, b, k, why, size) < 0)
				return -EINVAL;
			o = overlapping(s, b, k);
			if (o) {
				snprintf(why, size,
					 "free blocks %p and %p "
					 "overlap",
					 (void *)b->start, (void *)o->start);
				return -EINVAL;
			}
			count++;
			pages += (size_t)1 << k;
		}
		if (count != s->free_blocks[k]) {
			snprintf(why, size,
				 "order %u: %zu blocks listed, %zu "
				 "counted",
				 k, count, s->free_blocks[k]);
			return -EINVAL;
		}
	}
	if (pages != s->free_pages) {
		snprintf(why, size, "%zu free pages listed, %zu counted", pages,
			 s->free_pages);
		return -EINVAL;
	}
	return 0;
}
