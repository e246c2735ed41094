/*
 * test_vspace.c - host unit tests for kernel/mm/vspace.c (vspace_init,
 * vspace_add, vspace_alloc, vspace_free, vspace_check and
 * vspace_order_for). They are not graded; on a student's stubs the
 * alloc and free tests, and the add tests that need merging, fail until
 * lab 3's functions are written.
 *
 * Each test gets a fresh space from setup(): NPAGES pages (1 MiB, one
 * block of order SMALL_ORDER) at the pretend address BASE, nothing free
 * yet. Some tests describe instead the kernel's own space (region.c):
 * the lower half [0, 2^47), of which [2 MiB, 2^47 - 4 KiB) is added.
 *
 * vspace.c takes its nodes from kmalloc: host_heap.c counts the nodes
 * alive (every test checks that they are exactly the free blocks: none
 * leaked, none lost), and can make the Nth kmalloc fail, to check that
 * -ENOMEM changes nothing.
 *
 * The vspace_check tests break a good state by hand (a node, a count)
 * and expect -EINVAL and a message that names what is broken: the words
 * they look for are those of vspace.c's messages.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/vspace.h"

#include "host_heap.h"

#define PAGE	    VSPACE_PAGE
#define BASE	    0x40000000ul /* the small space: NPAGES pages from here */
#define NPAGES	    256
#define SMALL_ORDER 8 /* NPAGES pages: one block */
#define MAX_BLOCKS  1024
#define WHY_SIZE    160
#define UNTOUCHED   0x1234ul /* in *va before a call that must not set it */

/* The kernel's space (region.c, region.h): 0 to 2 MiB and the last page
 * are never given to the allocator. */
#define LOWER_HALF_END 0x0000800000000000ul
#define LOW_LIMIT      0x200000ul
#define HIGH_LIMIT     0x00007ffffffff000ul
#define KERNEL_PAGES   ((HIGH_LIMIT - LOW_LIMIT) / PAGE)

#define PG(i)	     (BASE + (vaddr_t)(i)*PAGE)
#define SIZE(order)  (PAGE << (order))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct block {
	vaddr_t start;
	unsigned order;
};

/* A node as it was when snapshot() ran. */
struct saved_node {
	const struct vspace_block *node;
	vaddr_t start;
	const struct vspace_block *next, *prev;
};

struct fixture {
	struct vspace s;
	struct block held[MAX_BLOCKS]; /* allocated by alloc_ok, not freed */
	size_t nheld;
	/* What a refused call must leave alone (snapshot). */
	struct vspace saved;
	struct saved_node saved_nodes[MAX_BLOCKS];
	size_t nsaved, saved_live;
};

/* ---- the space under test ------------------------------------------------ */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	host_heap_reset();
	vspace_init(&f->s, BASE, PG(NPAGES));
	*state = f;
	return 0;
}

/* kfrees the nodes of every free list; 0 if no node is missing. */
static int release_nodes(struct fixture *f)
{
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++) {
		struct vspace_block *b = f->s.free[k];
		size_t n = 0;

		while (b && n++ < MAX_BLOCKS) {
			struct vspace_block *next = b->next;

			kfree(b);
			b = next;
		}
		f->s.free[k] = NULL;
	}
	return host_heap_live() == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int err = release_nodes(f);

	host_heap_fail_none();
	free(f);
	return err;
}

/* Starts over with an empty space [start, end). */
static void reinit(struct fixture *f, vaddr_t start, vaddr_t end)
{
	assert_int_equal(release_nodes(f), 0);
	vspace_init(&f->s, start, end);
	f->nheld = 0;
}

static void add_ok(struct fixture *f, vaddr_t start, vaddr_t end)
{
	int err = vspace_add(&f->s, start, end);

	if (err)
		fail_msg("vspace_add(%#lx, %#lx) returned %s", start, end,
			 errno_name(err));
}

/* Gives pages [first, end) of the small space to the allocator. */
static void add_pages(struct fixture *f, size_t first, size_t end)
{
	add_ok(f, PG(first), PG(end));
}

/* The kernel's space, as region.c sets it up. */
static void kernel_space(struct fixture *f)
{
	reinit(f, 0, LOWER_HALF_END);
	add_ok(f, LOW_LIMIT, HIGH_LIMIT);
}

static vaddr_t alloc_ok(struct fixture *f, unsigned order)
{
	vaddr_t va = UNTOUCHED;
	int err = vspace_alloc(&f->s, order, &va);

	if (err)
		fail_msg("vspace_alloc(order %u) returned %s", order,
			 errno_name(err));
	assert_true(f->nheld < MAX_BLOCKS);
	f->held[f->nheld++] = (struct block){va, order};
	return va;
}

static void free_ok(struct fixture *f, vaddr_t va, unsigned order)
{
	int err = vspace_free(&f->s, va, order);

	if (err)
		fail_msg("vspace_free(%#lx, order %u) returned %s", va, order,
			 errno_name(err));
}

/* Allocates largest blocks first until not one page is left. */
static void alloc_everything(struct fixture *f)
{
	vaddr_t va;

	for (unsigned k = VSPACE_ORDERS; k-- > 0;)
		while (f->s.free_pages >= ((size_t)1 << k) &&
		       vspace_alloc(&f->s, k, &va) == 0) {
			assert_true(f->nheld < MAX_BLOCKS);
			f->held[f->nheld++] = (struct block){va, k};
		}
	assert_int_equal(f->s.free_pages, 0);
}

static size_t free_block_count(const struct vspace *s)
{
	size_t n = 0;

	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		n += s->free_blocks[k];
	return n;
}

/* Asserts that vspace_check finds nothing wrong and no node leaked. */
static void assert_sound(struct fixture *f)
{
	char why[WHY_SIZE] = "";

	if (vspace_check(&f->s, why, sizeof(why)) != 0)
		fail_msg("vspace_check: %s", why);
	if (host_heap_live() != free_block_count(&f->s))
		fail_msg("%zu nodes alive for %zu free blocks",
			 host_heap_live(), free_block_count(&f->s));
}

/* Asserts that vspace_check finds the state broken, saying `about`. */
static void assert_broken(struct fixture *f, const char *about)
{
	char why[WHY_SIZE] = "";

	assert_int_equal(vspace_check(&f->s, why, sizeof(why)), -EINVAL);
	if (!strstr(why, about))
		fail_msg("vspace_check said \"%s\", not about \"%s\"", why,
			 about);
}

static int by_start(const void *a, const void *b)
{
	const struct block *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The free blocks, sorted by address; returns how many. */
static size_t free_blocks(const struct vspace *s, struct block *out)
{
	size_t n = 0;

	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		for (struct vspace_block *b = s->free[k]; b; b = b->next) {
			assert_true(n < MAX_BLOCKS);
			out[n++] = (struct block){b->start, k};
		}
	qsort(out, n, sizeof(*out), by_start);
	return n;
}

/* Asserts that the free blocks are exactly want[0 .. n), by address. */
static void assert_free_blocks(const struct fixture *f,
			       const struct block *want, size_t n)
{
	static struct block got[MAX_BLOCKS];
	size_t count = free_blocks(&f->s, got);

	for (size_t i = 0; i < count && i < n; i++)
		if (got[i].start != want[i].start ||
		    got[i].order != want[i].order)
			fail_msg("free block %zu is %#lx of order %u, "
				 "expected %#lx of order %u",
				 i, got[i].start, got[i].order, want[i].start,
				 want[i].order);
	assert_int_equal(count, n);
}

static void assert_counts(const struct fixture *f,
			  const size_t want[VSPACE_ORDERS])
{
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		if (f->s.free_blocks[k] != want[k])
			fail_msg("free_blocks[%u] is %zu, expected %zu", k,
				 f->s.free_blocks[k], want[k]);
}

static void snapshot(struct fixture *f)
{
	f->saved = f->s;
	f->nsaved = 0;
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		for (struct vspace_block *b = f->s.free[k]; b; b = b->next) {
			assert_true(f->nsaved < MAX_BLOCKS);
			f->saved_nodes[f->nsaved++] = (struct saved_node){
				b, b->start, b->next, b->prev};
		}
	f->saved_live = host_heap_live();
}

/* Asserts that nothing changed since snapshot(): struct, nodes, heap. */
static void assert_unchanged(const struct fixture *f)
{
	size_t i = 0;

	assert_memory_equal(&f->saved, &f->s, sizeof(f->s));
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		for (struct vspace_block *b = f->s.free[k]; b; b = b->next) {
			const struct saved_node *n = &f->saved_nodes[i++];

			assert_true(i <= f->nsaved);
			assert_ptr_equal(n->node, b);
			assert_true(n->start == b->start);
			assert_ptr_equal(n->next, b->next);
			assert_ptr_equal(n->prev, b->prev);
		}
	assert_int_equal(i, f->nsaved);
	assert_int_equal(host_heap_live(), f->saved_live);
}

/* Puts a node on the free list of `order` by hand, counts and all. */
static struct vspace_block *push_node(struct fixture *f, vaddr_t start,
				      unsigned order)
{
	struct vspace_block *b = kmalloc(sizeof(*b));

	assert_non_null(b);
	b->start = start;
	b->prev = NULL;
	b->next = f->s.free[order];
	if (b->next)
		b->next->prev = b;
	f->s.free[order] = b;
	f->s.free_blocks[order]++;
	f->s.free_pages += (size_t)1 << order;
	return b;
}

/* Do blocks a and b overlap? */
static bool overlap(struct block a, struct block b)
{
	return a.start < b.start + SIZE(b.order) &&
	       b.start < a.start + SIZE(a.order);
}

static void assert_held_apart(const struct fixture *f)
{
	for (size_t i = 0; i < f->nheld; i++)
		for (size_t j = i + 1; j < f->nheld; j++)
			if (overlap(f->held[i], f->held[j]))
				fail_msg("blocks %#lx (order %u) and %#lx "
					 "(order %u) overlap",
					 f->held[i].start, f->held[i].order,
					 f->held[j].start, f->held[j].order);
}

/* Asserts that every held block lies inside [start, end). */
static void assert_held_inside(const struct fixture *f, vaddr_t start,
			       vaddr_t end)
{
	for (size_t i = 0; i < f->nheld; i++) {
		const struct block *b = &f->held[i];

		if (b->start < start || b->start + SIZE(b->order) > end)
			fail_msg("block %#lx of order %u is outside "
				 "[%#lx, %#lx)",
				 b->start, b->order, start, end);
	}
}

/* xorshift64: the same "random" sequence on every run. */
static uint64_t next_random(uint64_t *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return *seed;
}

static void shuffle_held(struct fixture *f, uint64_t *seed)
{
	for (size_t i = f->nheld; i > 1; i--) { /* Fisher-Yates */
		size_t j = next_random(seed) % i;
		struct block t = f->held[i - 1];

		f->held[i - 1] = f->held[j];
		f->held[j] = t;
	}
}

static void free_all_held(struct fixture *f)
{
	for (size_t i = 0; i < f->nheld; i++)
		free_ok(f, f->held[i].start, f->held[i].order);
	f->nheld = 0;
}

/*
 * The free blocks of the kernel's space: [2 MiB, 2^46) climbs from order
 * 9 to 33, each block as large as its address; [2^46, 2^47 - 4 KiB)
 * descends from order 33 to 0.
 */
static size_t kernel_blocks(struct block *out)
{
	size_t n = 0;
	vaddr_t va = LOW_LIMIT;

	for (unsigned k = 9; k <= 33; k++) {
		out[n++] = (struct block){va, k};
		va += SIZE(k);
	}
	for (unsigned k = 34; k-- > 0;) {
		out[n++] = (struct block){va, k};
		va += SIZE(k);
	}
	assert_true(va == HIGH_LIMIT);
	return n;
}

/* ---- vspace_init --------------------------------------------------------- */

static void init_records_the_space_with_nothing_free(void **state)
{
	struct fixture *f = *state;
	const size_t none[VSPACE_ORDERS] = {0};

	assert_true(f->s.start == BASE);
	assert_true(f->s.end == PG(NPAGES));
	assert_int_equal(f->s.free_pages, 0);
	assert_counts(f, none);
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		assert_null(f->s.free[k]);
	assert_sound(f);
}

/* ---- vspace_add ---------------------------------------------------------- */

static void add_of_the_whole_space_gives_one_block(void **state)
{
	struct fixture *f = *state;
	const struct block want[] = {{BASE, SMALL_ORDER}};

	add_pages(f, 0, NPAGES);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_int_equal(f->s.free_pages, NPAGES);
	assert_sound(f);
}

static void add_of_the_whole_lower_half_gives_one_max_order_block(void **state)
{
	struct fixture *f = *state;
	const struct block want[] = {{0, VSPACE_MAX_ORDER}};

	reinit(f, 0, LOWER_HALF_END);
	add_ok(f, 0, LOWER_HALF_END);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_int_equal(f->s.free_pages, (size_t)1 << VSPACE_MAX_ORDER);
	assert_sound(f);
}

static void add_of_the_kernel_range_gives_its_exact_blocks(void **state)
{
	struct fixture *f = *state;
	static struct block want[MAX_BLOCKS];
	size_t n = kernel_blocks(want);

	kernel_space(f);
	assert_int_equal(n, 59);
	assert_free_blocks(f, want, n);
	assert_sound(f);
}

static void add_of_the_kernel_range_counts_blocks_per_order(void **state)
{
	struct fixture *f = *state;
	size_t want[VSPACE_ORDERS] = {0};

	for (unsigned k = 0; k <= 33; k++)
		want[k] = k < 9 ? 1 : 2;
	kernel_space(f);
	assert_counts(f, want);
	assert_int_equal(f->s.free_pages, KERNEL_PAGES);
	assert_int_equal(KERNEL_PAGES, ((size_t)1 << 35) - 512 - 1);
}

static void add_with_unaligned_ends_uses_largest_aligned_blocks(void **state)
{
	/* Pages 3 to 29: 3 | 4-7 | 8-15 | 16-23 | 24-27 | 28-29. */
	const struct block want[] = {{PG(3), 0},  {PG(4), 2},  {PG(8), 3},
				     {PG(16), 3}, {PG(24), 2}, {PG(28), 1}};
	struct fixture *f = *state;

	add_pages(f, 3, 30);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_int_equal(f->s.free_pages, 27);
	assert_sound(f);
}

static void add_one_page_short_gives_one_block_per_order(void **state)
{
	struct fixture *f = *state;
	struct block want[SMALL_ORDER];
	size_t first = 0;

	for (unsigned k = SMALL_ORDER; k-- > 0; first += (size_t)1 << k)
		want[SMALL_ORDER - 1 - k] = (struct block){PG(first), k};
	add_pages(f, 0, NPAGES - 1);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_int_equal(f->s.free_pages, NPAGES - 1);
	assert_sound(f);
}

static void adding_the_missing_last_page_merges_into_one_block(void **state)
{
	struct fixture *f = *state;
	const struct block want[] = {{BASE, SMALL_ORDER}};

	add_pages(f, 0, NPAGES - 1);
	add_pages(f, NPAGES - 1, NPAGES);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_int_equal(f->s.free_pages, NPAGES);
	assert_sound(f);
}

static void adjacent_ranges_added_high_one_first_merge(void **state)
{
	struct fixture *f = *state;
	const struct block want[] = {{BASE, SMALL_ORDER}};

	add_pages(f, 77, NPAGES);
	add_pages(f, 0, 77);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_sound(f);
}

/* 200 pages: 128 + 64 + 8; the last blocks' buddies lie past the end. */
static void add_to_a_space_of_odd_size(void **state)
{
	const struct block want[] = {{PG(0), 7}, {PG(128), 6}, {PG(192), 3}};
	struct fixture *f = *state;

	reinit(f, BASE, PG(200));
	add_pages(f, 0, 200);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_int_equal(f->s.free_pages, 200);
	assert_sound(f);
}

/* The space need not start at a multiple of twice its largest block. */
static void add_to_a_space_aligned_only_to_its_largest_block(void **state)
{
	const vaddr_t start = BASE + SIZE(7); /* 128 pages: not 256 */
	const struct block want[] = {{start, 7}, {start + SIZE(7), 6}};
	struct fixture *f = *state;

	reinit(f, start, start + 192 * PAGE);
	add_ok(f, start, start + 192 * PAGE);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_sound(f);
}

static void add_of_an_empty_range_changes_nothing(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 3, 30);
	snapshot(f);
	host_heap_fail_all(true); /* and needs no node */
	assert_int_equal(vspace_add(&f->s, PG(100), PG(100)), 0);
	assert_unchanged(f);
}

static void add_with_no_heap_is_enomem_and_changes_nothing(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 3, 30);
	snapshot(f);
	host_heap_fail_all(true);
	assert_int_equal(vspace_add(&f->s, PG(100), PG(200)), -ENOMEM);
	host_heap_fail_none();
	assert_unchanged(f);
	assert_sound(f);
}

/*
 * vspace.h: "-ENOMEM (no heap for a node; then the space is unchanged)".
 * Pages 100 to 199 make five blocks (100-103, 104-111, 112-127,
 * 128-191, 192-199), hence five kmallocs; each may be the one that
 * fails.
 */
static void add_with_enomem_at_any_kmalloc_changes_nothing(void **state)
{
	struct fixture *f = *state;

	for (unsigned n = 1; n <= 5; n++) {
		reinit(f, BASE, PG(NPAGES));
		add_pages(f, 3, 30);
		snapshot(f);
		host_heap_fail_nth(n);
		assert_int_equal(vspace_add(&f->s, PG(100), PG(200)), -ENOMEM);
		host_heap_fail_none();
		if (f->s.free_pages != f->saved.free_pages)
			fail_msg("kmalloc %u failed: vspace_add returned "
				 "-ENOMEM with %zu pages added",
				 n, f->s.free_pages - f->saved.free_pages);
		assert_unchanged(f);
		assert_sound(f);
	}
}

/* ---- vspace_alloc -------------------------------------------------------- */

/* In the whole lower half, one block of each order from 0 to 34. */
static void alloc_one_of_each_order(struct fixture *f)
{
	reinit(f, 0, LOWER_HALF_END);
	add_ok(f, 0, LOWER_HALF_END);
	for (unsigned k = 0; k < VSPACE_MAX_ORDER; k++)
		alloc_ok(f, k);
}

static void alloc_of_every_order_is_aligned_to_its_size(void **state)
{
	struct fixture *f = *state;

	alloc_one_of_each_order(f);
	for (size_t i = 0; i < f->nheld; i++)
		if (f->held[i].start % SIZE(f->held[i].order))
			fail_msg("block %#lx of order %u is misaligned",
				 f->held[i].start, f->held[i].order);
	assert_held_inside(f, 0, LOWER_HALF_END);
	assert_sound(f);
}

static void alloc_of_every_order_gives_blocks_that_do_not_overlap(void **state)
{
	struct fixture *f = *state;

	alloc_one_of_each_order(f);
	assert_held_apart(f);
	assert_int_equal(f->s.free_pages, 1);
}

static void alloc_of_the_max_order_takes_the_whole_lower_half(void **state)
{
	struct fixture *f = *state;

	reinit(f, 0, LOWER_HALF_END);
	add_ok(f, 0, LOWER_HALF_END);
	assert_true(alloc_ok(f, VSPACE_MAX_ORDER) == 0);
	assert_int_equal(f->s.free_pages, 0);
	assert_int_equal(free_block_count(&f->s), 0);
	assert_sound(f);
}

static void alloc_takes_its_pages_out_of_free_pages(void **state)
{
	struct fixture *f = *state;

	kernel_space(f);
	for (unsigned order = 0; order <= 33; order++) {
		size_t before = f->s.free_pages;

		alloc_ok(f, order);
		assert_int_equal(f->s.free_pages,
				 before - ((size_t)1 << order));
	}
	assert_sound(f);
}

static void alloc_splits_a_block_into_one_free_block_per_order(void **state)
{
	struct fixture *f = *state;
	size_t want[VSPACE_ORDERS] = {0};

	add_pages(f, 0, NPAGES);
	assert_true(alloc_ok(f, 0) == BASE);
	for (unsigned k = 0; k < SMALL_ORDER; k++)
		want[k] = 1;
	assert_counts(f, want);
	assert_int_equal(f->s.free_pages, NPAGES - 1);
	assert_sound(f);
}

static void alloc_prefers_the_smallest_block_that_fits(void **state)
{
	struct fixture *f = *state;

	for (unsigned order = 0; order < SMALL_ORDER - 1; order++) {
		size_t exact = (size_t)1 << order; /* its buddy is not free */

		reinit(f, BASE, PG(NPAGES));
		add_pages(f, exact, 2 * exact);
		add_pages(f, NPAGES / 2, NPAGES);
		assert_true(alloc_ok(f, order) == PG(exact));
		assert_int_equal(f->s.free_blocks[SMALL_ORDER - 1], 1);
		assert_sound(f);
	}
}

static void alloc_above_the_largest_order_is_einval(void **state)
{
	static const unsigned orders[] = {VSPACE_MAX_ORDER + 1, 64, UINT_MAX};
	struct fixture *f = *state;

	reinit(f, 0, LOWER_HALF_END);
	add_ok(f, 0, LOWER_HALF_END);
	snapshot(f);
	for (size_t i = 0; i < ARRAY_LEN(orders); i++) {
		vaddr_t va = UNTOUCHED;

		assert_int_equal(vspace_alloc(&f->s, orders[i], &va), -EINVAL);
		assert_true(va == UNTOUCHED);
	}
	assert_unchanged(f);
}

static void alloc_without_a_large_enough_block_is_enomem(void **state)
{
	struct fixture *f = *state;
	vaddr_t va = UNTOUCHED;

	add_pages(f, 0, NPAGES - 1);
	snapshot(f);
	assert_int_equal(vspace_alloc(&f->s, SMALL_ORDER, &va), -ENOMEM);
	assert_int_equal(vspace_alloc(&f->s, VSPACE_MAX_ORDER, &va), -ENOMEM);
	assert_true(va == UNTOUCHED);
	assert_unchanged(f);
}

static void alloc_from_an_empty_space_is_enomem(void **state)
{
	struct fixture *f = *state;
	vaddr_t va = UNTOUCHED;

	snapshot(f);
	assert_int_equal(vspace_alloc(&f->s, 0, &va), -ENOMEM);
	assert_true(va == UNTOUCHED);
	assert_unchanged(f);
}

static void alloc_after_exhaustion_is_enomem_for_every_order(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 3, 250);
	alloc_everything(f);
	snapshot(f);
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++) {
		vaddr_t va = UNTOUCHED;

		assert_int_equal(vspace_alloc(&f->s, k, &va), -ENOMEM);
		assert_true(va == UNTOUCHED);
	}
	assert_unchanged(f);
}

static void alloc_hands_out_every_page_exactly_once(void **state)
{
	struct fixture *f = *state;
	bool seen[NPAGES] = {false};
	vaddr_t va;

	add_pages(f, 0, NPAGES);
	for (size_t n = 0; n < NPAGES; n++) {
		size_t i = (alloc_ok(f, 0) - BASE) / PAGE;

		assert_true(i < NPAGES);
		assert_false(seen[i]);
		seen[i] = true;
	}
	assert_int_equal(vspace_alloc(&f->s, 0, &va), -ENOMEM);
	assert_sound(f);
}

static void alloc_never_returns_a_page_never_added(void **state)
{
	struct fixture *f = *state;
	vaddr_t va;
	size_t count = 0;

	add_pages(f, 3, 30);
	while (vspace_alloc(&f->s, 0, &va) == 0) {
		assert_true(va >= PG(3) && va < PG(30));
		assert_int_equal(va % PAGE, 0);
		count++;
	}
	assert_int_equal(count, 27);
}

/* Largest first: every block the kernel's space has, 59 of them. */
static void kernel_space_never_gives_the_first_2mib_or_last_page(void **state)
{
	struct fixture *f = *state;

	kernel_space(f);
	alloc_everything(f);
	assert_int_equal(f->nheld, 59);
	assert_held_inside(f, LOW_LIMIT, HIGH_LIMIT);
	assert_held_apart(f);
	assert_sound(f);
}

/* Smallest first, one of each order, then all the rest largest first. */
static void kernel_space_split_everywhere_stays_inside(void **state)
{
	struct fixture *f = *state;
	size_t pages = 0;

	kernel_space(f);
	for (unsigned k = 0; k <= 33; k++)
		alloc_ok(f, k);
	alloc_everything(f);
	for (size_t i = 0; i < f->nheld; i++)
		pages += (size_t)1 << f->held[i].order;
	assert_int_equal(pages, KERNEL_PAGES);
	assert_held_inside(f, LOW_LIMIT, HIGH_LIMIT);
	assert_held_apart(f);
	assert_sound(f);
}

static void kernel_space_alloc_of_every_order_stays_inside(void **state)
{
	struct fixture *f = *state;

	kernel_space(f);
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++) {
		vaddr_t va = UNTOUCHED;

		if (vspace_alloc(&f->s, k, &va) == 0) {
			assert_true(va >= LOW_LIMIT);
			assert_true(va + SIZE(k) <= HIGH_LIMIT);
		} else {
			assert_true(k >= 34);
		}
	}
}

/* The split needs eight nodes; each kmalloc may be the one that fails. */
static void alloc_with_enomem_at_any_kmalloc_changes_nothing(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 0, NPAGES);
	snapshot(f);
	for (unsigned n = 1; n <= SMALL_ORDER; n++) {
		vaddr_t va = UNTOUCHED;
		size_t calls = host_heap_calls();

		host_heap_fail_nth(n);
		assert_int_equal(vspace_alloc(&f->s, 0, &va), -ENOMEM);
		assert_int_equal(host_heap_calls() - calls, n);
		host_heap_fail_none();
		assert_true(va == UNTOUCHED);
		assert_unchanged(f);
		assert_sound(f);
	}
	host_heap_fail_nth(SMALL_ORDER + 1);
	assert_true(alloc_ok(f, 0) == BASE);
}

/* A split from order 35 to 0 needs 35 nodes. */
static void alloc_with_enomem_in_a_deep_split_changes_nothing(void **state)
{
	struct fixture *f = *state;

	reinit(f, 0, LOWER_HALF_END);
	add_ok(f, 0, LOWER_HALF_END);
	snapshot(f);
	for (unsigned n = 1; n <= VSPACE_MAX_ORDER; n++) {
		vaddr_t va = UNTOUCHED;

		host_heap_fail_nth(n);
		assert_int_equal(vspace_alloc(&f->s, 0, &va), -ENOMEM);
		host_heap_fail_none();
		assert_true(va == UNTOUCHED);
		assert_unchanged(f);
	}
	assert_sound(f);
}

static void alloc_of_a_free_block_of_its_order_needs_no_heap(void **state)
{
	struct fixture *f = *state;
	vaddr_t va;

	add_pages(f, 3, 30);
	host_heap_fail_all(true);
	assert_true(alloc_ok(f, 0) == PG(3));
	va = alloc_ok(f, 3);
	assert_true(va == PG(8) || va == PG(16));
	host_heap_fail_none();
	assert_sound(f);
}

/* ---- vspace_free --------------------------------------------------------- */

static void free_gives_the_pages_back(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 0, NPAGES);
	free_ok(f, alloc_ok(f, 5), 5);
	assert_int_equal(f->s.free_pages, NPAGES);
	assert_sound(f);
}

static void free_keeps_a_block_apart_from_its_allocated_buddy(void **state)
{
	struct fixture *f = *state;
	vaddr_t a, b;

	add_pages(f, 0, NPAGES);
	a = alloc_ok(f, 0);
	b = alloc_ok(f, 0); /* the other half of a's order-1 block */
	assert_true((a ^ b) == PAGE);
	free_ok(f, a, 0);
	assert_int_equal(f->s.free_blocks[0], 1);
	assert_true(f->s.free[0]->start == a);
	assert_sound(f);
}

static void free_merges_with_free_buddies_up_to_the_whole_block(void **state)
{
	struct fixture *f = *state;
	const struct block want[] = {{BASE, SMALL_ORDER}};
	vaddr_t a, b;

	add_pages(f, 0, NPAGES);
	a = alloc_ok(f, 0);
	b = alloc_ok(f, 0);
	free_ok(f, a, 0);
	free_ok(f, b, 0);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_sound(f);
}

static void free_does_not_merge_with_a_page_never_added(void **state)
{
	struct fixture *f = *state;
	const struct block want[] = {{PG(1), 0}};

	add_pages(f, 1, 2);
	free_ok(f, alloc_ok(f, 0), 0);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_sound(f);
}

static void free_of_the_max_order_in_the_lower_half(void **state)
{
	struct fixture *f = *state;
	const struct block want[] = {{0, VSPACE_MAX_ORDER}};

	reinit(f, 0, LOWER_HALF_END);
	add_ok(f, 0, LOWER_HALF_END);
	free_ok(f, alloc_ok(f, VSPACE_MAX_ORDER), VSPACE_MAX_ORDER);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_sound(f);
}

static void free_of_every_order_restores_the_lower_half(void **state)
{
	struct fixture *f = *state;
	const struct block want[] = {{0, VSPACE_MAX_ORDER}};

	alloc_one_of_each_order(f);
	free_all_held(f);
	assert_free_blocks(f, want, ARRAY_LEN(want));
	assert_sound(f);
}

/* Pages 3 to 249 as single pages, freed in the order given by `how`. */
static void free_pages_back(struct fixture *f, int how, uint64_t seed)
{
	static struct block initial[MAX_BLOCKS];
	size_t n;

	reinit(f, BASE, PG(NPAGES));
	add_pages(f, 3, 250);
	n = free_blocks(&f->s, initial);
	while (f->s.free_pages)
		alloc_ok(f, 0);
	if (how < 0)
		for (size_t i = 0; i < f->nheld / 2; i++) {
			struct block t = f->held[i];

			f->held[i] = f->held[f->nheld - 1 - i];
			f->held[f->nheld - 1 - i] = t;
		}
	else if (how > 0)
		shuffle_held(f, &seed);
	free_all_held(f);
	assert_free_blocks(f, initial, n);
	assert_int_equal(f->s.free_pages, 247);
	assert_sound(f);
}

static void free_in_allocation_order_coalesces_back(void **state)
{
	free_pages_back(*state, 0, 0);
}

static void free_in_reverse_order_coalesces_back(void **state)
{
	free_pages_back(*state, -1, 0);
}

static void free_in_random_order_coalesces_back(void **state)
{
	for (uint64_t seed = 1; seed <= 8; seed++)
		free_pages_back(*state, 1, seed * 0x9e3779b97f4a7c15ull);
}

/* Blocks of random orders in the kernel's space, freed in random order. */
static void kernel_space_freed_randomly_coalesces_back(void **state)
{
	struct fixture *f = *state;
	static struct block want[MAX_BLOCKS];
	size_t n = kernel_blocks(want);

	for (uint64_t seed = 1; seed <= 4; seed++) {
		uint64_t rng = seed * 0x9e3779b97f4a7c15ull;

		kernel_space(f);
		for (int i = 0; i < 300; i++)
			alloc_ok(f, (unsigned)(next_random(&rng) % 24));
		assert_held_apart(f);
		shuffle_held(f, &rng);
		free_all_held(f);
		assert_free_blocks(f, want, n);
		assert_int_equal(f->s.free_pages, KERNEL_PAGES);
		assert_sound(f);
	}
}

static void kernel_space_drained_and_refilled_gives_its_blocks(void **state)
{
	struct fixture *f = *state;
	static struct block want[MAX_BLOCKS];
	size_t n = kernel_blocks(want);
	uint64_t rng = 42;

	kernel_space(f);
	for (unsigned k = 0; k <= 33; k++)
		alloc_ok(f, k);
	alloc_everything(f);
	shuffle_held(f, &rng);
	free_all_held(f);
	assert_free_blocks(f, want, n);
	assert_sound(f);
}

static void free_with_enomem_changes_nothing(void **state)
{
	struct fixture *f = *state;
	const struct block want[] = {{BASE, SMALL_ORDER}};
	vaddr_t va;

	add_pages(f, 0, NPAGES);
	va = alloc_ok(f, 0);
	snapshot(f);
	host_heap_fail_nth(1);
	assert_int_equal(vspace_free(&f->s, va, 0), -ENOMEM);
	host_heap_fail_none();
	assert_unchanged(f);
	assert_sound(f);
	free_ok(f, va, 0); /* the block is still the caller's to free */
	assert_free_blocks(f, want, ARRAY_LEN(want));
}

/* Asserts that freeing (va, order) is refused and changes nothing. */
static void assert_free_refused(struct fixture *f, vaddr_t va, unsigned order)
{
	int err;

	snapshot(f);
	err = vspace_free(&f->s, va, order);
	if (err != -EINVAL)
		fail_msg("vspace_free(%#lx, order %u) returned %s, "
			 "not EINVAL",
			 va, order, err ? errno_name(err) : "0");
	assert_unchanged(f);
	assert_sound(f);
}

static void free_twice_is_einval(void **state)
{
	struct fixture *f = *state;
	vaddr_t va;

	add_pages(f, 0, NPAGES);
	va = alloc_ok(f, 2);
	alloc_ok(f, 2); /* its buddy, so that va stays a block of its own */
	free_ok(f, va, 2);
	assert_free_refused(f, va, 2);
}

static void free_twice_after_merging_is_einval(void **state)
{
	struct fixture *f = *state;
	vaddr_t va;

	add_pages(f, 0, NPAGES);
	va = alloc_ok(f, 2);
	free_ok(f, va, 2); /* merged back into the order-8 block */
	assert_free_refused(f, va, 2);
}

static void free_of_part_of_a_free_block_is_einval(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 0, NPAGES);
	alloc_ok(f, 0);
	assert_free_refused(f, PG(64), 3);  /* inside the free 128-255 */
	assert_free_refused(f, PG(128), 7); /* the free block itself */
}

static void free_with_a_larger_order_is_einval(void **state)
{
	struct fixture *f = *state;
	vaddr_t va;

	add_pages(f, 0, NPAGES);
	va = alloc_ok(f, 0);
	assert_free_refused(f, va, 1); /* page 1 is free */
}

static void free_misaligned_for_its_order_is_einval(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 0, NPAGES);
	while (f->s.free_pages)
		alloc_ok(f, 0);
	assert_free_refused(f, PG(1), 1);
	assert_free_refused(f, PG(4), 3);
	assert_free_refused(f, PG(128), SMALL_ORDER);
}

static void free_not_page_aligned_is_einval(void **state)
{
	struct fixture *f = *state;
	vaddr_t va;

	add_pages(f, 0, NPAGES);
	va = alloc_ok(f, 0);
	assert_free_refused(f, va + 1, 0);
	assert_free_refused(f, va + PAGE / 2, 0);
}

static void free_below_the_space_is_einval(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 0, NPAGES);
	alloc_ok(f, SMALL_ORDER);
	assert_free_refused(f, BASE - PAGE, 0);
	assert_free_refused(f, BASE - SIZE(SMALL_ORDER), SMALL_ORDER);
	assert_free_refused(f, 0, 0);
}

static void free_at_or_past_the_end_is_einval(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 0, NPAGES);
	alloc_ok(f, SMALL_ORDER);
	assert_free_refused(f, PG(NPAGES), 0);
	assert_free_refused(f, PG(NPAGES + 1), 0);
	assert_free_refused(f, PG(NPAGES), SMALL_ORDER);
	assert_free_refused(f, 0xfffffffffffff000ul, 0);
}

/* 200 pages: a 16-page block at page 192 would end 8 pages past it. */
static void free_of_a_block_crossing_the_end_is_einval(void **state)
{
	struct fixture *f = *state;

	reinit(f, BASE, PG(200));
	add_pages(f, 0, 200);
	assert_true(alloc_ok(f, 3) == PG(192));
	assert_free_refused(f, PG(192), 4);
}

static void free_above_the_largest_order_is_einval(void **state)
{
	struct fixture *f = *state;
	vaddr_t va;

	reinit(f, 0, LOWER_HALF_END);
	add_ok(f, 0, LOWER_HALF_END);
	va = alloc_ok(f, VSPACE_MAX_ORDER);
	assert_free_refused(f, va, VSPACE_MAX_ORDER + 1);
	assert_free_refused(f, va, 64);
	assert_free_refused(f, va, UINT_MAX);
}

/* ---- vspace_check -------------------------------------------------------- */

static void check_passes_after_odd_ranges_allocs_and_frees(void **state)
{
	struct fixture *f = *state;
	vaddr_t a, b, c;

	add_pages(f, 3, 30);
	add_pages(f, 100, 250);
	a = alloc_ok(f, 0);
	b = alloc_ok(f, 4);
	c = alloc_ok(f, 2);
	free_ok(f, b, 4);
	assert_sound(f);
	free_ok(f, a, 0);
	free_ok(f, c, 2);
	assert_sound(f);
}

static void check_passes_on_a_state_built_by_hand(void **state)
{
	struct fixture *f = *state;

	push_node(f, PG(0), 0);
	push_node(f, PG(2), 1);
	push_node(f, PG(128), 7);
	assert_sound(f);
}

static void check_detects_free_buddies_left_unmerged(void **state)
{
	struct fixture *f = *state;

	push_node(f, PG(4), 2);
	push_node(f, PG(0), 2);
	assert_broken(f, "not merged");
}

static void check_detects_overlapping_free_blocks(void **state)
{
	struct fixture *f = *state;

	push_node(f, PG(0), 2);
	push_node(f, PG(1), 0);
	assert_broken(f, "overlap");
}

static void check_detects_a_block_inside_a_larger_one(void **state)
{
	struct fixture *f = *state;

	push_node(f, PG(0), SMALL_ORDER);
	push_node(f, PG(200), 3);
	assert_broken(f, "overlap");
}

static void check_detects_one_block_listed_twice(void **state)
{
	struct fixture *f = *state;

	push_node(f, PG(4), 2);
	push_node(f, PG(4), 2);
	assert_broken(f, "overlap");
}

static void check_detects_a_misaligned_block(void **state)
{
	struct fixture *f = *state;

	push_node(f, PG(2), 2);
	assert_broken(f, "misaligned");
}

static void check_detects_a_block_not_page_aligned(void **state)
{
	struct fixture *f = *state;

	push_node(f, PG(4) + 8, 0);
	assert_broken(f, "misaligned");
}

static void check_detects_a_block_below_the_space(void **state)
{
	struct fixture *f = *state;

	push_node(f, BASE - PAGE, 0);
	assert_broken(f, "outside");
}

static void check_detects_a_block_past_the_end(void **state)
{
	struct fixture *f = *state;

	reinit(f, BASE, PG(200));
	push_node(f, PG(192), 4); /* aligned, but ends at page 208 */
	assert_broken(f, "outside");
}

/* The end of a block at the top of the address space wraps to 0. */
static void check_detects_a_block_at_the_top_of_the_address_space(void **state)
{
	struct fixture *f = *state;

	push_node(f, 0xfffffffffffff000ul, 0);
	assert_broken(f, "outside");
}

static void check_detects_a_free_block_count_too_high(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 3, 30);
	f->s.free_blocks[3]++;
	assert_broken(f, "order 3");
}

static void check_detects_a_free_block_count_too_low(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 3, 30);
	f->s.free_blocks[0]--;
	assert_broken(f, "order 0");
}

static void check_detects_a_node_unlinked_by_hand(void **state)
{
	struct fixture *f = *state;
	struct vspace_block *b;

	add_pages(f, 3, 30);
	b = f->s.free[2];
	f->s.free[2] = b->next;
	f->s.free[2]->prev = NULL;
	kfree(b);
	assert_broken(f, "order 2");
}

static void check_detects_a_wrong_free_pages_count(void **state)
{
	struct fixture *f = *state;

	add_pages(f, 3, 30);
	f->s.free_pages++;
	assert_broken(f, "free pages");
}

static void check_writes_at_most_size_bytes_of_message(void **state)
{
	struct fixture *f = *state;
	char why[16];

	memset(why, 'x', sizeof(why));
	push_node(f, PG(2), 2);
	assert_int_equal(vspace_check(&f->s, why, 8), -EINVAL);
	assert_int_equal(why[7], '\0');
	for (size_t i = 8; i < sizeof(why); i++)
		assert_int_equal(why[i], 'x');
}

/* ---- vspace_order_for ---------------------------------------------------- */

static void order_for_a_power_of_two_is_its_log(void **state)
{
	(void)state;
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		assert_int_equal(vspace_order_for((size_t)1 << k), k);
}

static void order_for_rounds_up(void **state)
{
	(void)state;
	assert_int_equal(vspace_order_for(3), 2);
	assert_int_equal(vspace_order_for(5), 3);
	for (unsigned k = 1; k < VSPACE_MAX_ORDER; k++) {
		assert_int_equal(vspace_order_for(((size_t)1 << k) + 1), k + 1);
		assert_int_equal(vspace_order_for(((size_t)2 << k) - 1), k + 1);
	}
}

static void order_for_more_than_the_largest_block_is_refused(void **state)
{
	static const size_t too_many[] = {((size_t)1 << VSPACE_MAX_ORDER) + 1,
					  (size_t)1 << 40, SIZE_MAX};
	struct fixture *f = *state;

	reinit(f, 0, LOWER_HALF_END);
	add_ok(f, 0, LOWER_HALF_END);
	snapshot(f);
	for (size_t i = 0; i < ARRAY_LEN(too_many); i++) {
		unsigned order = vspace_order_for(too_many[i]);
		vaddr_t va = UNTOUCHED;

		assert_true(order > VSPACE_MAX_ORDER);
		assert_int_equal(vspace_alloc(&f->s, order, &va), -EINVAL);
	}
	assert_unchanged(f);
}

#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(init_records_the_space_with_nothing_free),
		TEST(add_of_the_whole_space_gives_one_block),
		TEST(add_of_the_whole_lower_half_gives_one_max_order_block),
		TEST(add_of_the_kernel_range_gives_its_exact_blocks),
		TEST(add_of_the_kernel_range_counts_blocks_per_order),
		TEST(add_with_unaligned_ends_uses_largest_aligned_blocks),
		TEST(add_one_page_short_gives_one_block_per_order),
		TEST(adding_the_missing_last_page_merges_into_one_block),
		TEST(adjacent_ranges_added_high_one_first_merge),
		TEST(add_to_a_space_of_odd_size),
		TEST(add_to_a_space_aligned_only_to_its_largest_block),
		TEST(add_of_an_empty_range_changes_nothing),
		TEST(add_with_no_heap_is_enomem_and_changes_nothing),
		TEST(add_with_enomem_at_any_kmalloc_changes_nothing),
		TEST(alloc_of_every_order_is_aligned_to_its_size),
		TEST(alloc_of_every_order_gives_blocks_that_do_not_overlap),
		TEST(alloc_of_the_max_order_takes_the_whole_lower_half),
		TEST(alloc_takes_its_pages_out_of_free_pages),
		TEST(alloc_splits_a_block_into_one_free_block_per_order),
		TEST(alloc_prefers_the_smallest_block_that_fits),
		TEST(alloc_above_the_largest_order_is_einval),
		TEST(alloc_without_a_large_enough_block_is_enomem),
		TEST(alloc_from_an_empty_space_is_enomem),
		TEST(alloc_after_exhaustion_is_enomem_for_every_order),
		TEST(alloc_hands_out_every_page_exactly_once),
		TEST(alloc_never_returns_a_page_never_added),
		TEST(kernel_space_never_gives_the_first_2mib_or_last_page),
		TEST(kernel_space_split_everywhere_stays_inside),
		TEST(kernel_space_alloc_of_every_order_stays_inside),
		TEST(alloc_with_enomem_at_any_kmalloc_changes_nothing),
		TEST(alloc_with_enomem_in_a_deep_split_changes_nothing),
		TEST(alloc_of_a_free_block_of_its_order_needs_no_heap),
		TEST(free_gives_the_pages_back),
		TEST(free_keeps_a_block_apart_from_its_allocated_buddy),
		TEST(free_merges_with_free_buddies_up_to_the_whole_block),
		TEST(free_does_not_merge_with_a_page_never_added),
		TEST(free_of_the_max_order_in_the_lower_half),
		TEST(free_of_every_order_restores_the_lower_half),
		TEST(free_in_allocation_order_coalesces_back),
		TEST(free_in_reverse_order_coalesces_back),
		TEST(free_in_random_order_coalesces_back),
		TEST(kernel_space_freed_randomly_coalesces_back),
		TEST(kernel_space_drained_and_refilled_gives_its_blocks),
		TEST(free_with_enomem_changes_nothing),
		TEST(free_twice_is_einval),
		TEST(free_twice_after_merging_is_einval),
		TEST(free_of_part_of_a_free_block_is_einval),
		TEST(free_with_a_larger_order_is_einval),
		TEST(free_misaligned_for_its_order_is_einval),
		TEST(free_not_page_aligned_is_einval),
		TEST(free_below_the_space_is_einval),
		TEST(free_at_or_past_the_end_is_einval),
		TEST(free_of_a_block_crossing_the_end_is_einval),
		TEST(free_above_the_largest_order_is_einval),
		TEST(check_passes_after_odd_ranges_allocs_and_frees),
		TEST(check_passes_on_a_state_built_by_hand),
		TEST(check_detects_free_buddies_left_unmerged),
		TEST(check_detects_overlapping_free_blocks),
		TEST(check_detects_a_block_inside_a_larger_one),
		TEST(check_detects_one_block_listed_twice),
		TEST(check_detects_a_misaligned_block),
		TEST(check_detects_a_block_not_page_aligned),
		TEST(check_detects_a_block_below_the_space),
		TEST(check_detects_a_block_past_the_end),
		TEST(check_detects_a_block_at_the_top_of_the_address_space),
		TEST(check_detects_a_free_block_count_too_high),
		TEST(check_detects_a_free_block_count_too_low),
		TEST(check_detects_a_node_unlinked_by_hand),
		TEST(check_detects_a_wrong_free_pages_count),
		TEST(check_writes_at_most_size_bytes_of_message),
		TEST(order_for_a_power_of_two_is_its_log),
		TEST(order_for_rounds_up),
		TEST(order_for_more_than_the_largest_block_is_refused),
	};

	return cmocka_run_group_tests_name("vspace", tests, NULL, NULL);
}
