/*
 * deadline.c - a binary min-heap of timer waits (deadline.h).
 *
 * The array is a complete binary tree: the children of entry i are 2i+1
 * and 2i+2, its parent (i-1)/2, and no entry is later than its children.
 */
#include "cont/deadline.h"

#include "lib/errno.h"
#include "mm/heap.h"

/*
 * Does a fire before b? Earlier deadline first; equal deadlines in the
 * order they were registered. seq wraps after 2^32 registrations: the
 * signed difference keeps the order right across the wrap.
 */
static bool earlier(const struct cont *a, const struct cont *b)
{
	if (a->key != b->key)
		return a->key < b->key;
	return (int32_t)(a->seq - b->seq) < 0;
}

int deadline_reserve(struct deadline_heap *h, size_t n)
{
	size_t capacity = h->capacity ? h->capacity : 16;
	struct cont **items;

	if (h->count + n <= h->capacity)
		return 0;
	while (capacity < h->count + n)
		capacity *= 2;
	items = kmalloc(capacity * sizeof(*items));
	if (!items)
		return -ENOMEM;
	for (size_t i = 0; i < h->count; i++)
		items[i] = h->items[i];
	kfree(h->items);
	h->items = items;
	h->capacity = capacity;
	return 0;
}

static void swap(struct deadline_heap *h, size_t i, size_t j)
{
	struct cont *t = h->items[i];

	h->items[i] = h->items[j];
	h->items[j] = t;
}

void deadline_push(struct deadline_heap *h, struct cont *c)
{
#if SOL >= 5
	size_t i = h->count++;

	h->items[i] = c;
	/* Sift up: swap with the parent while earlier than it. */
	while (i > 0 && earlier(h->items[i], h->items[(i - 1) / 2])) {
		swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
#else
	/*
	 * LAB 5: your code here (contract in deadline.h). Put c at the end
	 * (h->count is below h->capacity), then swap it with its parent
	 * while it is earlier() than the parent.
	 * Tests: host test_deadline; cont_timers_in_order.
	 */
	(void)h;
	(void)c;
	(void)swap;
#endif
}

struct cont *deadline_pop(struct deadline_heap *h)
{
#if SOL >= 5
	struct cont *first;
	size_t i = 0;

	if (h->count == 0)
		return NULL;
	first = h->items[0];
	h->items[0] = h->items[--h->count];
	/* Sift down: swap with the earlier child while it is earlier. */
	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= h->count)
			break;
		if (child + 1 < h->count &&
		    earlier(h->items[child + 1], h->items[child]))
			child++;
		if (!earlier(h->items[child], h->items[i]))
			break;
		swap(h, i, child);
		i = child;
	}
	return first;
#else
	/*
	 * LAB 5: your code here. Take items[0]; move the last entry to the
	 * root and swap it down with its earlier child while that child is
	 * earlier(). Never allocate: the timer interrupt calls this.
	 */
	(void)h;
	return NULL;
#endif
}

void deadline_destroy(struct deadline_heap *h)
{
	kfree(h->items);
	h->items = NULL;
	h->count = h->capacity = 0;
}

int deadline_check(const struct deadline_heap *h)
{
	if (h->count > h->capacity)
		return -EINVAL;
	for (size_t i = 1; i < h->count; i++)
		if (earlier(h->items[i], h->items[(i - 1) / 2]))
			return -EINVAL;
	return 0;
}
