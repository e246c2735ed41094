/*
 * test_buddy.c - host unit tests for kernel/mm/buddy.c (buddy_init,
 * buddy_add_range, buddy_alloc, buddy_free, buddy_check and
 * buddy_frame_kind). They are not graded; on a student's stubs they fail
 * until lab 2's buddy functions are written.
 *
 * Each test gets a fresh allocator from setup(): NFRAMES frames (16 MiB,
 * four blocks of the largest order) at the pretend physical address BASE,
 * all reserved. Its window, where the free lists live, is an ordinary heap
 * block, so ASan sees any access outside it. Tests name frames by index:
 * FRAME(3) is the address of frame 3, INDEX(pa) the index of pa.
 *
 * The buddy_check tests break a good state by hand (a state byte, a list
 * link, a counter) and expect -EINVAL and a message that names what is
 * broken: the words they look for are those of buddy.c's messages.
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
#include "mm/buddy.h"

#define BASE	    0x40000000ul /* the pretend physical address of frame 0 */
#define NFRAMES	    4096	 /* 16 MiB: four blocks of the largest order */
#define MAX_FRAMES  ((size_t)1 << BUDDY_MAX_ORDER) /* in a largest block */
#define WINDOW_SIZE ((size_t)NFRAMES * BUDDY_FRAME_SIZE)
#define FILL	    0xa5 /* the window's bytes before the allocator writes */
#define WHY_SIZE    160
#define UNTOUCHED   0x1234ul /* in *pa before a call that must not set it */

#define FRAME(i)  (BASE + (paddr_t)(i)*BUDDY_FRAME_SIZE)
#define INDEX(pa) ((size_t)(((pa)-BASE) / BUDDY_FRAME_SIZE))

/* A state byte as struct buddy describes it: kind on top, then order. */
#define STATE(kind, order) ((uint8_t)((kind) << 6 | (order)))

/*
 * The window is allocated once for all tests (group_setup): 16 MiB for
 * every test would make the run slow. Each test still gets fresh state
 * bytes and a fresh struct buddy; what earlier tests left in the window
 * does not matter, as the allocator reads only links it wrote itself.
 */
static uint8_t *window;

struct fixture {
	struct buddy b;
	uint8_t state[NFRAMES];
	uint8_t *window;
	/*
	 * What a refused call must leave alone (snapshot): the struct, the
	 * state bytes, and the one place the allocator writes in the
	 * window, the free-list links at the start of each frame.
	 */
	struct buddy saved;
	uint8_t saved_state[NFRAMES];
	struct buddy_free_block saved_links[NFRAMES];
};

/* ---- the allocator under test ------------------------------------------ */

static int group_setup(void **state)
{
	(void)state;
	window = aligned_alloc(BUDDY_FRAME_SIZE, WINDOW_SIZE);
	if (!window)
		return -1;
	memset(window, FILL, WINDOW_SIZE);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(window);
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->window = window;
	buddy_init(&f->b, BASE, NFRAMES, f->state, f->window);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Starts over with a fresh allocator, all reserved. */
static void reinit(struct fixture *f)
{
	buddy_init(&f->b, BASE, NFRAMES, f->state, f->window);
}

/* Gives frames [first, end) to the allocator. */
static void add(struct fixture *f, size_t first, size_t end)
{
	buddy_add_range(&f->b, FRAME(first), FRAME(end));
}

static paddr_t alloc_ok(struct fixture *f, unsigned order)
{
	paddr_t pa = UNTOUCHED;
	int err = buddy_alloc(&f->b, order, &pa);

	if (err)
		fail_msg("buddy_alloc(order %u) returned %d", order, err);
	return pa;
}

static void free_ok(struct fixture *f, paddr_t pa, unsigned order)
{
	const char *why = "";
	int err = buddy_free(&f->b, pa, order, &why);

	if (err)
		fail_msg("buddy_free(frame %zu, order %u) returned %d: %s",
			 INDEX(pa), order, err, why);
}

/* Asserts that buddy_check finds nothing wrong. */
static void assert_sound(struct fixture *f)
{
	char why[WHY_SIZE] = "";

	if (buddy_check(&f->b, why, sizeof(why)) != 0)
		fail_msg("buddy_check: %s", why);
}

/* Asserts that buddy_check finds the state broken, saying `about`. */
static void assert_broken(struct fixture *f, const char *about)
{
	char why[WHY_SIZE] = "";

	assert_int_equal(buddy_check(&f->b, why, sizeof(why)), -EINVAL);
	if (!strstr(why, about))
		fail_msg("buddy_check said \"%s\", not about \"%s\"", why,
			 about);
}

static void assert_free_blocks(const struct fixture *f,
			       const size_t want[BUDDY_ORDERS])
{
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		if (f->b.free_blocks[k] != want[k])
			fail_msg("free_blocks[%u] is %zu, expected %zu", k,
				 f->b.free_blocks[k], want[k]);
}

/* Asserts a block of `order` starts at frame first and has `kind`. */
static void assert_block(const struct fixture *f, size_t first, unsigned order,
			 enum buddy_kind kind)
{
	assert_int_equal(f->state[first], STATE(kind, order));
	for (size_t i = first + 1; i < first + ((size_t)1 << order); i++)
		assert_int_equal(buddy_frame_kind(&f->b, FRAME(i)),
				 BUDDY_INSIDE);
}

/* The free-list links that would sit at the start of frame i. */
static struct buddy_free_block *links(const struct fixture *f, size_t i)
{
	return (struct buddy_free_block *)(f->window + i * BUDDY_FRAME_SIZE);
}

static void snapshot(struct fixture *f)
{
	memcpy(&f->saved, &f->b, sizeof(f->b));
	memcpy(f->saved_state, f->state, sizeof(f->state));
	for (size_t i = 0; i < NFRAMES; i++)
		f->saved_links[i] = *links(f, i);
}

/* Asserts that nothing changed since snapshot(). */
static void assert_unchanged(const struct fixture *f)
{
	assert_memory_equal(&f->saved, &f->b, sizeof(f->b));
	assert_memory_equal(f->saved_state, f->state, sizeof(f->state));
	for (size_t i = 0; i < NFRAMES; i++)
		assert_memory_equal(&f->saved_links[i], links(f, i),
				    sizeof(f->saved_links[i]));
}

/* xorshift64: the same "random" sequence on every run. */
static uint64_t next_random(uint64_t *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return *seed;
}

/* ---- buddy_init ---------------------------------------------------------- */

static void init_leaves_every_frame_reserved(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < NFRAMES; i++)
		assert_int_equal(buddy_frame_kind(&f->b, FRAME(i)),
				 BUDDY_RESERVED);
}

static void init_leaves_nothing_free_or_managed(void **state)
{
	struct fixture *f = *state;
	const size_t none[BUDDY_ORDERS] = {0};

	assert_int_equal(f->b.free_frames, 0);
	assert_int_equal(f->b.managed_frames, 0);
	assert_free_blocks(f, none);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		assert_null(f->b.free[k]);
	assert_sound(f);
}

static void init_records_the_described_range(void **state)
{
	struct fixture *f = *state;

	assert_true(f->b.base == BASE);
	assert_int_equal(f->b.nframes, NFRAMES);
	assert_ptr_equal(f->b.state, f->state);
	assert_ptr_equal(f->b.window, f->window);
}

static void init_forgets_a_previous_state(void **state)
{
	struct fixture *f = *state;
	const size_t none[BUDDY_ORDERS] = {0};

	add(f, 0, NFRAMES);
	alloc_ok(f, 3);
	reinit(f);
	assert_int_equal(f->b.free_frames, 0);
	assert_int_equal(f->b.managed_frames, 0);
	assert_free_blocks(f, none);
	for (size_t i = 0; i < NFRAMES; i++)
		assert_int_equal(f->state[i], STATE(BUDDY_RESERVED, 0));
}

/* ---- buddy_add_range ----------------------------------------------------- */

static void add_range_of_one_max_block_gives_one_free_block(void **state)
{
	struct fixture *f = *state;
	const size_t want[BUDDY_ORDERS] = {[BUDDY_MAX_ORDER] = 1};

	add(f, MAX_FRAMES, 2 * MAX_FRAMES);
	assert_free_blocks(f, want);
	assert_block(f, MAX_FRAMES, BUDDY_MAX_ORDER, BUDDY_FREE);
	assert_int_equal(f->b.free_frames, MAX_FRAMES);
	assert_int_equal(f->b.managed_frames, MAX_FRAMES);
	assert_sound(f);
}

static void add_range_leaves_the_frames_around_it_reserved(void **state)
{
	struct fixture *f = *state;

	add(f, MAX_FRAMES, 2 * MAX_FRAMES);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(MAX_FRAMES - 1)),
			 BUDDY_RESERVED);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(2 * MAX_FRAMES)),
			 BUDDY_RESERVED);
}

static void add_range_of_everything_gives_four_max_blocks(void **state)
{
	struct fixture *f = *state;
	const size_t want[BUDDY_ORDERS] = {[BUDDY_MAX_ORDER] = 4};

	add(f, 0, NFRAMES);
	assert_free_blocks(f, want);
	for (size_t i = 0; i < NFRAMES; i += MAX_FRAMES)
		assert_block(f, i, BUDDY_MAX_ORDER, BUDDY_FREE);
	assert_int_equal(f->b.free_frames, NFRAMES);
	assert_sound(f);
}

static void
add_range_with_unaligned_ends_uses_largest_aligned_blocks(void **state)
{
	/* Frames 3 to 29: 3 | 4-7 | 8-15 | 16-23 | 24-27 | 28-29. */
	static const struct {
		size_t first;
		unsigned order;
	} blocks[] = {{3, 0}, {4, 2}, {8, 3}, {16, 3}, {24, 2}, {28, 1}};
	const size_t want[BUDDY_ORDERS] = {1, 1, 2, 2};
	struct fixture *f = *state;

	add(f, 3, 30);
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		assert_block(f, blocks[i].first, blocks[i].order, BUDDY_FREE);
	assert_free_blocks(f, want);
	assert_int_equal(f->b.free_frames, 27);
	assert_int_equal(f->b.managed_frames, 27);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(2)), BUDDY_RESERVED);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(30)), BUDDY_RESERVED);
	assert_sound(f);
}

static void
add_range_one_frame_short_of_4mib_gives_one_block_per_order(void **state)
{
	struct fixture *f = *state;
	size_t want[BUDDY_ORDERS] = {0};
	size_t first = 0;

	add(f, 0, MAX_FRAMES - 1);
	/* 512 + 256 + ... + 1 frames: the largest block first. */
	for (unsigned k = BUDDY_MAX_ORDER; k-- > 0;) {
		assert_block(f, first, k, BUDDY_FREE);
		first += (size_t)1 << k;
		want[k] = 1;
	}
	assert_int_equal(first, MAX_FRAMES - 1);
	assert_free_blocks(f, want);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(MAX_FRAMES - 1)),
			 BUDDY_RESERVED);
	assert_sound(f);
}

static void adding_the_missing_last_frame_merges_into_a_max_block(void **state)
{
	struct fixture *f = *state;
	const size_t want[BUDDY_ORDERS] = {[BUDDY_MAX_ORDER] = 1};

	add(f, 0, MAX_FRAMES - 1);
	add(f, MAX_FRAMES - 1, MAX_FRAMES);
	assert_free_blocks(f, want);
	assert_block(f, 0, BUDDY_MAX_ORDER, BUDDY_FREE);
	assert_int_equal(f->b.free_frames, MAX_FRAMES);
	assert_sound(f);
}

static void
adjacent_ranges_added_separately_merge_into_a_max_block(void **state)
{
	struct fixture *f = *state;
	const size_t want[BUDDY_ORDERS] = {[BUDDY_MAX_ORDER] = 1};

	add(f, MAX_FRAMES, MAX_FRAMES + 300);
	add(f, MAX_FRAMES + 300, 2 * MAX_FRAMES);
	assert_free_blocks(f, want);
	assert_block(f, MAX_FRAMES, BUDDY_MAX_ORDER, BUDDY_FREE);
	assert_int_equal(f->b.managed_frames, MAX_FRAMES);
	assert_sound(f);
}

static void adjacent_ranges_added_high_one_first_merge_too(void **state)
{
	struct fixture *f = *state;
	const size_t want[BUDDY_ORDERS] = {[BUDDY_MAX_ORDER] = 1};

	add(f, MAX_FRAMES + 300, 2 * MAX_FRAMES);
	add(f, MAX_FRAMES, MAX_FRAMES + 300);
	assert_free_blocks(f, want);
	assert_block(f, MAX_FRAMES, BUDDY_MAX_ORDER, BUDDY_FREE);
	assert_sound(f);
}

static void add_range_up_to_the_last_frame(void **state)
{
	struct fixture *f = *state;
	const size_t want[BUDDY_ORDERS] = {1, 0, 1};

	add(f, NFRAMES - 5, NFRAMES);
	assert_block(f, NFRAMES - 5, 0, BUDDY_FREE);
	assert_block(f, NFRAMES - 4, 2, BUDDY_FREE);
	assert_free_blocks(f, want);
	assert_sound(f);
}

static void add_range_of_no_frames_changes_nothing(void **state)
{
	struct fixture *f = *state;

	add(f, 3, 30);
	snapshot(f);
	add(f, 100, 100);
	assert_unchanged(f);
}

static void add_range_counts_managed_frames_across_calls(void **state)
{
	struct fixture *f = *state;

	add(f, 3, 30);
	add(f, 100, 200);
	add(f, MAX_FRAMES, 2 * MAX_FRAMES);
	assert_int_equal(f->b.managed_frames, 27 + 100 + MAX_FRAMES);
	assert_int_equal(f->b.free_frames, 27 + 100 + MAX_FRAMES);
	assert_sound(f);
}

/* ---- buddy_alloc --------------------------------------------------------- */

static void alloc_of_every_order_gives_a_block_aligned_to_its_size(void **state)
{
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	for (unsigned order = 0; order <= BUDDY_MAX_ORDER; order++) {
		paddr_t pa = alloc_ok(f, order);
		paddr_t size = (paddr_t)BUDDY_FRAME_SIZE << order;

		assert_true(pa >= BASE && pa + size <= FRAME(NFRAMES));
		assert_int_equal(pa % size, 0);
		assert_block(f, INDEX(pa), order, BUDDY_USED);
	}
	assert_sound(f);
}

static void alloc_takes_its_frames_out_of_free_frames(void **state)
{
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	for (unsigned order = 0; order <= BUDDY_MAX_ORDER; order++) {
		size_t before = f->b.free_frames;

		alloc_ok(f, order);
		assert_int_equal(f->b.free_frames,
				 before - ((size_t)1 << order));
		assert_int_equal(f->b.managed_frames, NFRAMES);
	}
}

static void alloc_splits_a_max_block_into_one_free_block_per_order(void **state)
{
	struct fixture *f = *state;
	size_t want[BUDDY_ORDERS] = {0};
	paddr_t pa;

	add(f, MAX_FRAMES, 2 * MAX_FRAMES);
	pa = alloc_ok(f, 0);
	for (unsigned k = 0; k < BUDDY_MAX_ORDER; k++)
		want[k] = 1;
	assert_free_blocks(f, want);
	assert_true(INDEX(pa) >= MAX_FRAMES && INDEX(pa) < 2 * MAX_FRAMES);
	assert_sound(f);
}

static void alloc_prefers_the_smallest_block_that_fits(void **state)
{
	struct fixture *f = *state;

	for (unsigned order = 0; order < BUDDY_MAX_ORDER; order++) {
		size_t exact = (size_t)1 << order; /* its buddy is reserved */

		reinit(f);
		add(f, exact, 2 * exact);
		add(f, MAX_FRAMES, 2 * MAX_FRAMES);
		assert_true(alloc_ok(f, order) == FRAME(exact));
		assert_int_equal(f->b.free_blocks[BUDDY_MAX_ORDER], 1);
	}
}

static void alloc_above_the_largest_order_is_einval(void **state)
{
	static const unsigned orders[] = {BUDDY_MAX_ORDER + 1, 16, 64,
					  UINT_MAX};
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	snapshot(f);
	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		paddr_t pa = UNTOUCHED;

		assert_int_equal(buddy_alloc(&f->b, orders[i], &pa), -EINVAL);
		assert_true(pa == UNTOUCHED);
	}
	assert_unchanged(f);
}

static void alloc_without_a_large_enough_block_is_enomem(void **state)
{
	struct fixture *f = *state;
	paddr_t pa = UNTOUCHED;

	add(f, 0, MAX_FRAMES - 1);
	snapshot(f);
	assert_int_equal(buddy_alloc(&f->b, BUDDY_MAX_ORDER, &pa), -ENOMEM);
	assert_true(pa == UNTOUCHED);
	assert_unchanged(f);
}

static void alloc_from_an_empty_allocator_is_enomem(void **state)
{
	struct fixture *f = *state;
	paddr_t pa = UNTOUCHED;

	snapshot(f);
	assert_int_equal(buddy_alloc(&f->b, 0, &pa), -ENOMEM);
	assert_true(pa == UNTOUCHED);
	assert_unchanged(f);
}

static void alloc_hands_out_every_frame_exactly_once(void **state)
{
	struct fixture *f = *state;
	static bool seen[NFRAMES];
	paddr_t pa = UNTOUCHED;

	memset(seen, 0, sizeof(seen));
	add(f, 0, NFRAMES);
	for (size_t n = 0; n < NFRAMES; n++) {
		size_t i = INDEX(alloc_ok(f, 0));

		assert_true(i < NFRAMES);
		assert_false(seen[i]);
		seen[i] = true;
	}
	assert_int_equal(buddy_alloc(&f->b, 0, &pa), -ENOMEM);
	assert_int_equal(f->b.free_frames, 0);
	assert_sound(f);
}

static void alloc_never_returns_a_reserved_frame(void **state)
{
	struct fixture *f = *state;
	size_t count = 0;
	paddr_t pa;

	add(f, 3, 30);
	while (buddy_alloc(&f->b, 0, &pa) == 0) {
		assert_true(INDEX(pa) >= 3 && INDEX(pa) < 30);
		count++;
	}
	assert_int_equal(count, 27);
}

static void alloc_with_a_base_of_zero_can_return_address_zero(void **state)
{
	struct fixture *f = *state;
	paddr_t pa = UNTOUCHED;

	buddy_init(&f->b, 0, NFRAMES, f->state, f->window);
	buddy_add_range(&f->b, 0, (paddr_t)MAX_FRAMES * BUDDY_FRAME_SIZE);
	assert_int_equal(buddy_alloc(&f->b, BUDDY_MAX_ORDER, &pa), 0);
	assert_true(pa == 0);
	assert_int_equal(buddy_free(&f->b, 0, BUDDY_MAX_ORDER, NULL), 0);
	assert_sound(f);
}

/* 1000 frames: the buddies of the last blocks would lie past the end. */
static void alloc_and_free_stay_within_an_odd_sized_range(void **state)
{
	const size_t n = MAX_FRAMES - 24;
	const size_t want[BUDDY_ORDERS] = {
		[3] = 1, [5] = 1, [6] = 1, [7] = 1, [8] = 1, [9] = 1};
	struct fixture *f = *state;
	uint8_t *exact = malloc(n); /* ASan sees a look past the last byte */
	static paddr_t pa[MAX_FRAMES];
	size_t count = 0;

	assert_non_null(exact);
	buddy_init(&f->b, BASE, n, exact, f->window);
	add(f, 0, n);
	assert_free_blocks(f, want);
	while (buddy_alloc(&f->b, 0, &pa[count]) == 0)
		count++;
	assert_int_equal(count, n);
	while (count > 0) {
		count--;
		free_ok(f, pa[count], 0);
	}
	assert_free_blocks(f, want);
	assert_sound(f);
	free(exact);
}

/* ---- buddy_free ---------------------------------------------------------- */

static void free_gives_the_frames_back(void **state)
{
	struct fixture *f = *state;
	paddr_t pa;

	add(f, 0, NFRAMES);
	pa = alloc_ok(f, 5);
	free_ok(f, pa, 5);
	assert_int_equal(f->b.free_frames, NFRAMES);
	assert_int_equal(f->b.managed_frames, NFRAMES);
	assert_sound(f);
}

static void free_keeps_a_block_apart_from_its_used_buddy(void **state)
{
	struct fixture *f = *state;
	paddr_t a, b;

	add(f, 0, MAX_FRAMES);
	a = alloc_ok(f, 0);
	b = alloc_ok(f, 0); /* the other half of a's order-1 block */
	assert_int_equal(INDEX(a) ^ INDEX(b), 1);
	free_ok(f, a, 0);
	assert_block(f, INDEX(a), 0, BUDDY_FREE);
	assert_block(f, INDEX(b), 0, BUDDY_USED);
	assert_int_equal(f->b.free_blocks[0], 1);
	assert_sound(f);
}

static void free_merges_with_free_buddies_up_to_the_largest_order(void **state)
{
	struct fixture *f = *state;
	const size_t want[BUDDY_ORDERS] = {[BUDDY_MAX_ORDER] = 1};
	paddr_t a, b;

	add(f, 0, MAX_FRAMES);
	a = alloc_ok(f, 0);
	b = alloc_ok(f, 0);
	free_ok(f, a, 0);
	free_ok(f, b, 0);
	assert_free_blocks(f, want);
	assert_block(f, 0, BUDDY_MAX_ORDER, BUDDY_FREE);
	assert_sound(f);
}

static void free_does_not_merge_with_a_reserved_buddy(void **state)
{
	struct fixture *f = *state;
	const size_t want[BUDDY_ORDERS] = {1};

	add(f, 1, 2);
	free_ok(f, alloc_ok(f, 0), 0);
	assert_free_blocks(f, want);
	assert_block(f, 1, 0, BUDDY_FREE);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(0)), BUDDY_RESERVED);
	assert_sound(f);
}

static void free_does_not_merge_past_the_largest_order(void **state)
{
	struct fixture *f = *state;
	const size_t want[BUDDY_ORDERS] = {[BUDDY_MAX_ORDER] = 4};
	paddr_t pa[4];

	add(f, 0, NFRAMES);
	for (int i = 0; i < 4; i++)
		pa[i] = alloc_ok(f, BUDDY_MAX_ORDER);
	for (int i = 0; i < 4; i++)
		free_ok(f, pa[i], BUDDY_MAX_ORDER);
	assert_free_blocks(f, want);
	assert_sound(f);
}

static void split_then_free_restores_the_initial_free_blocks(void **state)
{
	struct fixture *f = *state;
	size_t initial[BUDDY_ORDERS];
	static uint8_t initial_state[NFRAMES];
	paddr_t pa[BUDDY_ORDERS];

	add(f, 3, 30);
	add(f, 100, MAX_FRAMES - 1);
	add(f, MAX_FRAMES + 5, NFRAMES - 7);
	memcpy(initial, f->b.free_blocks, sizeof(initial));
	memcpy(initial_state, f->state, sizeof(initial_state));
	for (unsigned order = 0; order <= BUDDY_MAX_ORDER; order++)
		pa[order] = alloc_ok(f, order);
	for (unsigned order = 0; order <= BUDDY_MAX_ORDER; order++)
		free_ok(f, pa[order], order);
	assert_free_blocks(f, initial);
	assert_memory_equal(f->state, initial_state, sizeof(initial_state));
	assert_int_equal(f->b.free_frames, f->b.managed_frames);
	assert_sound(f);
}

/* Allocates blocks of random small orders until not one frame is left. */
static size_t alloc_all_randomly(struct fixture *f, uint64_t *seed, paddr_t *pa,
				 unsigned *order)
{
	size_t n = 0;

	for (;;) {
		order[n] = (unsigned)(next_random(seed) % 5);
		if (buddy_alloc(&f->b, order[n], &pa[n]) == 0) {
			n++;
			continue;
		}
		order[n] = 0;
		if (buddy_alloc(&f->b, 0, &pa[n]) != 0)
			return n;
		n++;
	}
}

static void free_in_random_order_coalesces_everything_back(void **state)
{
	struct fixture *f = *state;
	const size_t want[BUDDY_ORDERS] = {[BUDDY_MAX_ORDER] = 4};
	static paddr_t pa[NFRAMES + 1]; /* + 1: the failed last try */
	static unsigned order[NFRAMES + 1];

	for (uint64_t seed = 1; seed <= 4; seed++) {
		uint64_t rng = seed * 0x9e3779b97f4a7c15ull;
		size_t n;

		reinit(f);
		add(f, 0, NFRAMES);
		n = alloc_all_randomly(f, &rng, pa, order);
		assert_int_equal(f->b.free_frames, 0);
		for (size_t i = n; i > 1; i--) { /* Fisher-Yates */
			size_t j = next_random(&rng) % i;
			paddr_t p = pa[i - 1];
			unsigned o = order[i - 1];

			pa[i - 1] = pa[j], order[i - 1] = order[j];
			pa[j] = p, order[j] = o;
		}
		for (size_t i = 0; i < n; i++) {
			free_ok(f, pa[i], order[i]);
			assert_sound(f);
		}
		assert_free_blocks(f, want);
		assert_int_equal(f->b.free_frames, NFRAMES);
	}
}

/* ---- buddy_free refusals ------------------------------------------------- */

/* A free the allocator must refuse, and what kind of mistake it is. */
struct bad_free {
	paddr_t pa;
	unsigned order;
};

/* Each of these starts from a fresh allocator and sets up a bad free. */

static struct bad_free double_free(struct fixture *f)
{
	paddr_t a;

	add(f, 0, MAX_FRAMES);
	a = alloc_ok(f, 0);
	alloc_ok(f, 0); /* its buddy: a stays a free block of order 0 */
	free_ok(f, a, 0);
	assert_int_equal(f->state[INDEX(a)], STATE(BUDDY_FREE, 0));
	return (struct bad_free){a, 0};
}

static struct bad_free never_given(struct fixture *f)
{
	add(f, 0, MAX_FRAMES);
	return (struct bad_free){FRAME(2 * MAX_FRAMES), 0};
}

static struct bad_free inside_a_block(struct fixture *f)
{
	add(f, 0, NFRAMES);
	return (struct bad_free){alloc_ok(f, 2) + BUDDY_FRAME_SIZE, 0};
}

static struct bad_free misaligned(struct fixture *f)
{
	add(f, 0, NFRAMES);
	return (struct bad_free){alloc_ok(f, 2) + 2 * BUDDY_FRAME_SIZE, 2};
}

static struct bad_free wrong_order(struct fixture *f)
{
	add(f, 0, NFRAMES);
	return (struct bad_free){alloc_ok(f, 2), 1};
}

static struct bad_free out_of_range(struct fixture *f)
{
	add(f, 0, NFRAMES);
	alloc_ok(f, 0);
	return (struct bad_free){FRAME(NFRAMES), 0};
}

static struct bad_free order_too_large(struct fixture *f)
{
	add(f, 0, NFRAMES);
	return (struct bad_free){alloc_ok(f, BUDDY_MAX_ORDER),
				 BUDDY_MAX_ORDER + 1};
}

/* Expects the free refused with a reason and nothing changed; the reason. */
static const char *refused(struct fixture *f, paddr_t pa, unsigned order)
{
	const char *why = NULL;

	snapshot(f);
	assert_int_equal(buddy_free(&f->b, pa, order, &why), -EINVAL);
	assert_non_null(why);
	assert_true(strlen(why) > 0);
	assert_unchanged(f);
	return why;
}

static const char *refused_bad_free(struct fixture *f,
				    struct bad_free (*make)(struct fixture *))
{
	struct bad_free bad = make(f);

	return refused(f, bad.pa, bad.order);
}

static void free_twice_is_refused(void **state)
{
	refused_bad_free(*state, double_free);
}

static void free_of_a_frame_never_given_is_refused(void **state)
{
	refused_bad_free(*state, never_given);
}

static void free_inside_a_block_is_refused(void **state)
{
	refused_bad_free(*state, inside_a_block);
}

static void free_misaligned_for_its_order_is_refused(void **state)
{
	refused_bad_free(*state, misaligned);
}

static void free_with_another_order_is_refused(void **state)
{
	refused_bad_free(*state, wrong_order);
}

static void free_above_the_largest_order_is_refused(void **state)
{
	refused_bad_free(*state, order_too_large);
}

static void free_out_of_range_is_refused(void **state)
{
	static const paddr_t outside[] = {
		FRAME(NFRAMES), FRAME(NFRAMES) + 0x100000000ul,
		BASE - BUDDY_FRAME_SIZE, 0, UINT64_MAX & ~0xffful};
	struct fixture *f = *state;

	out_of_range(f);
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++)
		refused(f, outside[i], 0);
}

static void free_not_frame_aligned_is_refused(void **state)
{
	struct fixture *f = *state;
	paddr_t pa;

	add(f, 0, NFRAMES);
	pa = alloc_ok(f, 0);
	refused(f, pa + 1, 0);
	refused(f, pa + BUDDY_FRAME_SIZE - 1, 0);
	refused(f, pa + 8, 0);
}

static void free_of_a_free_block_never_allocated_is_refused(void **state)
{
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	refused(f, FRAME(MAX_FRAMES), BUDDY_MAX_ORDER);
}

static void refused_free_accepts_a_null_why(void **state)
{
	struct fixture *f = *state;
	struct bad_free bad = double_free(f);

	snapshot(f);
	assert_int_equal(buddy_free(&f->b, bad.pa, bad.order, NULL), -EINVAL);
	assert_unchanged(f);
}

/*
 * buddy.h lists the mistakes a refusal names; each gets its own sentence.
 * (An address that is not frame-aligned is not in the list: buddy.c calls
 * it and an address outside the range "not a frame address".)
 */
static void refused_frees_name_each_mistake_differently(void **state)
{
	static const struct {
		const char *name;
		struct bad_free (*make)(struct fixture *);
	} kinds[] = {
		{"double free", double_free},
		{"never given", never_given},
		{"inside a block", inside_a_block},
		{"misaligned", misaligned},
		{"wrong order", wrong_order},
		{"out of range", out_of_range},
		{"order too large", order_too_large},
	};
	enum { NKINDS = sizeof(kinds) / sizeof(kinds[0]) };
	struct fixture *f = *state;
	const char *why[NKINDS];

	for (size_t i = 0; i < NKINDS; i++) {
		reinit(f);
		why[i] = refused_bad_free(f, kinds[i].make);
	}
	for (size_t i = 0; i < NKINDS; i++)
		for (size_t j = i + 1; j < NKINDS; j++)
			if (strcmp(why[i], why[j]) == 0)
				fail_msg("%s and %s both say \"%s\"",
					 kinds[i].name, kinds[j].name, why[i]);
}

/* ---- buddy_check on good states ------------------------------------------ */

static void check_passes_after_odd_ranges_allocs_and_frees(void **state)
{
	struct fixture *f = *state;
	paddr_t pa[BUDDY_ORDERS];

	add(f, 3, 30);
	assert_sound(f);
	add(f, 100, MAX_FRAMES - 1);
	assert_sound(f);
	add(f, MAX_FRAMES + 5, NFRAMES - 7);
	assert_sound(f);
	for (unsigned order = 0; order <= BUDDY_MAX_ORDER; order++) {
		pa[order] = alloc_ok(f, order);
		assert_sound(f);
	}
	for (unsigned order = 0; order <= BUDDY_MAX_ORDER; order += 2) {
		free_ok(f, pa[order], order);
		assert_sound(f);
	}
}

static void check_passes_when_every_frame_is_allocated(void **state)
{
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	for (size_t n = 0; n < NFRAMES; n++)
		alloc_ok(f, 0);
	assert_sound(f);
}

/* ---- buddy_check on broken states ---------------------------------------- */

/* Two free blocks of order 0 (frames 3 and 5) on one list. */
static struct buddy_free_block *two_free_frames(struct fixture *f)
{
	add(f, 3, 4);
	add(f, 5, 6);
	assert_int_equal(f->b.free_blocks[0], 2);
	assert_non_null(f->b.free[0]);
	assert_non_null(f->b.free[0]->next);
	return f->b.free[0];
}

static void check_detects_a_bad_state_byte_inside_a_block(void **state)
{
	struct fixture *f = *state;

	add(f, 0, MAX_FRAMES);
	f->state[5] = 0xff;
	assert_broken(f, "frame 5");
}

static void check_detects_an_order_above_the_largest(void **state)
{
	struct fixture *f = *state;

	add(f, 0, MAX_FRAMES);
	f->state[2048] = STATE(BUDDY_USED, 15);
	assert_broken(f, "frame 2048");
}

static void check_detects_a_misaligned_block(void **state)
{
	struct fixture *f = *state;

	add(f, 0, MAX_FRAMES);
	f->state[2001] = STATE(BUDDY_USED, 1);
	f->state[2002] = STATE(BUDDY_INSIDE, 0);
	f->b.managed_frames += 2;
	assert_broken(f, "frame 2001");
}

static void check_detects_a_block_past_the_last_frame(void **state)
{
	struct fixture *f = *state;

	buddy_init(&f->b, BASE, MAX_FRAMES - 24, f->state, f->window);
	f->state[0] = STATE(BUDDY_USED, BUDDY_MAX_ORDER);
	for (size_t i = 1; i < MAX_FRAMES - 24; i++)
		f->state[i] = STATE(BUDDY_INSIDE, 0);
	f->b.managed_frames = MAX_FRAMES;
	assert_broken(f, "frame 0");
}

static void check_detects_an_inside_frame_outside_any_block(void **state)
{
	struct fixture *f = *state;

	add(f, 0, MAX_FRAMES);
	f->state[2000] = STATE(BUDDY_INSIDE, 0);
	assert_broken(f, "frame 2000");
}

static void check_detects_a_list_entry_unlinked_by_hand(void **state)
{
	struct fixture *f = *state;
	struct buddy_free_block *head = two_free_frames(f);

	f->b.free[0] = head->next;
	head->next->prev = NULL;
	assert_broken(f, "free list 0");
}

static void check_detects_an_unlinked_entry_with_its_count_fixed(void **state)
{
	struct fixture *f = *state;
	struct buddy_free_block *head = two_free_frames(f);

	f->b.free[0] = head->next;
	head->next->prev = NULL;
	f->b.free_blocks[0]--;
	assert_broken(f, "listed"); /* marked free but on no list */
}

static void check_detects_a_broken_prev_link(void **state)
{
	struct fixture *f = *state;
	struct buddy_free_block *head = two_free_frames(f);

	head->next->prev = head->next;
	assert_broken(f, "free list 0");
}

static void check_stops_at_a_cyclic_list(void **state)
{
	struct fixture *f = *state;
	struct buddy_free_block *head = two_free_frames(f);

	head->next->next = head;
	assert_broken(f, "free list 0");
}

static void check_detects_a_list_pointer_outside_the_window(void **state)
{
	struct fixture *f = *state;

	/* One past the window's end: a valid pointer, not to a frame. */
	f->b.free[3] = (struct buddy_free_block *)(f->window + WINDOW_SIZE);
	f->b.free_blocks[3] = 1;
	assert_broken(f, "free list 3");
}

static void check_detects_a_list_pointer_inside_a_frame(void **state)
{
	struct fixture *f = *state;

	add(f, 0, MAX_FRAMES);
	/* 16 bytes into the block's first frame: the right frame index, but
	 * not where a free-list node lives. */
	f->b.free[BUDDY_MAX_ORDER] =
		(struct buddy_free_block *)(f->window + 16);
	assert_broken(f, "free list 10");
}

static void check_detects_a_listed_block_not_marked_free(void **state)
{
	struct fixture *f = *state;

	add(f, 0, MAX_FRAMES);
	f->state[0] = STATE(BUDDY_USED, BUDDY_MAX_ORDER);
	assert_broken(f, "free list 10");
}

static void check_detects_a_free_block_count_too_high(void **state)
{
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	f->b.free_blocks[BUDDY_MAX_ORDER]++;
	assert_broken(f, "free list 10");
}

static void check_detects_a_free_block_count_too_low(void **state)
{
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	f->b.free_blocks[BUDDY_MAX_ORDER]--;
	assert_broken(f, "free list 10");
}

/*
 * Leaves buddies a and b both free with order 0 by editing b's state
 * byte and putting b on the free list by hand, every count kept right:
 * only the "would have been merged" rule is broken.
 */
static void check_detects_free_buddies_left_unmerged(void **state)
{
	struct fixture *f = *state;
	struct buddy_free_block *node;
	paddr_t a, b;

	add(f, 0, MAX_FRAMES);
	a = alloc_ok(f, 0);
	b = alloc_ok(f, 0);
	free_ok(f, a, 0);
	assert_sound(f);
	f->state[INDEX(b)] = STATE(BUDDY_FREE, 0);
	node = links(f, INDEX(b));
	node->prev = NULL;
	node->next = f->b.free[0];
	f->b.free[0]->prev = node;
	f->b.free[0] = node;
	f->b.free_blocks[0]++;
	f->b.free_frames++;
	assert_broken(f, "not merged");
}

static void check_detects_a_wrong_free_frames_count(void **state)
{
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	alloc_ok(f, 4);
	f->b.free_frames--;
	assert_broken(f, "free frames");
}

static void check_detects_a_wrong_managed_frames_count(void **state)
{
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	alloc_ok(f, 4);
	f->b.managed_frames++;
	assert_broken(f, "managed");
}

static void check_writes_at_most_size_bytes_of_message(void **state)
{
	struct fixture *f = *state;
	char why[16];

	add(f, 0, NFRAMES);
	f->b.managed_frames++;
	memset(why, 'x', sizeof(why));
	assert_int_equal(buddy_check(&f->b, why, 8), -EINVAL);
	assert_int_equal(strlen(why), 7);
	for (size_t i = 8; i < sizeof(why); i++)
		assert_int_equal(why[i], 'x');
}

/* ---- buddy_frame_kind ---------------------------------------------------- */

static void frame_kind_of_a_frame_never_given_is_reserved(void **state)
{
	struct fixture *f = *state;

	add(f, 3, 30);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(2)), BUDDY_RESERVED);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(30)), BUDDY_RESERVED);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(NFRAMES - 1)),
			 BUDDY_RESERVED);
}

static void frame_kind_of_a_free_block_start_is_free(void **state)
{
	struct fixture *f = *state;

	add(f, 3, 30);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(3)), BUDDY_FREE);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(16)), BUDDY_FREE);
}

static void frame_kind_of_a_used_block_start_is_used(void **state)
{
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	assert_int_equal(buddy_frame_kind(&f->b, alloc_ok(f, 3)), BUDDY_USED);
}

static void frame_kind_of_the_rest_of_a_block_is_inside(void **state)
{
	struct fixture *f = *state;
	paddr_t pa;

	add(f, 0, NFRAMES);
	pa = alloc_ok(f, 3);
	assert_int_equal(buddy_frame_kind(&f->b, pa + BUDDY_FRAME_SIZE),
			 BUDDY_INSIDE);
	assert_int_equal(buddy_frame_kind(&f->b, pa + 7 * BUDDY_FRAME_SIZE),
			 BUDDY_INSIDE);
	assert_int_equal(buddy_frame_kind(&f->b, FRAME(3 * MAX_FRAMES + 1)),
			 BUDDY_INSIDE);
}

static void frame_kind_outside_the_range_is_reserved(void **state)
{
	static const paddr_t outside[] = {
		BASE - BUDDY_FRAME_SIZE,	BASE - 1,  0, FRAME(NFRAMES),
		FRAME(NFRAMES) + 0x100000000ul, UINT64_MAX};
	struct fixture *f = *state;

	add(f, 0, NFRAMES);
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++)
		assert_int_equal(buddy_frame_kind(&f->b, outside[i]),
				 BUDDY_RESERVED);
}

static void frame_kind_of_an_address_within_a_frame_is_the_frames(void **state)
{
	struct fixture *f = *state;
	paddr_t pa;

	add(f, 0, NFRAMES);
	pa = alloc_ok(f, 0);
	assert_int_equal(buddy_frame_kind(&f->b, pa + 1), BUDDY_USED);
	assert_int_equal(buddy_frame_kind(&f->b, pa + BUDDY_FRAME_SIZE - 1),
			 BUDDY_USED);
}

#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(init_leaves_every_frame_reserved),
		TEST(init_leaves_nothing_free_or_managed),
		TEST(init_records_the_described_range),
		TEST(init_forgets_a_previous_state),
		TEST(add_range_of_one_max_block_gives_one_free_block),
		TEST(add_range_leaves_the_frames_around_it_reserved),
		TEST(add_range_of_everything_gives_four_max_blocks),
		TEST(add_range_with_unaligned_ends_uses_largest_aligned_blocks),
		TEST(add_range_one_frame_short_of_4mib_gives_one_block_per_order),
		TEST(adding_the_missing_last_frame_merges_into_a_max_block),
		TEST(adjacent_ranges_added_separately_merge_into_a_max_block),
		TEST(adjacent_ranges_added_high_one_first_merge_too),
		TEST(add_range_up_to_the_last_frame),
		TEST(add_range_of_no_frames_changes_nothing),
		TEST(add_range_counts_managed_frames_across_calls),
		TEST(alloc_of_every_order_gives_a_block_aligned_to_its_size),
		TEST(alloc_takes_its_frames_out_of_free_frames),
		TEST(alloc_splits_a_max_block_into_one_free_block_per_order),
		TEST(alloc_prefers_the_smallest_block_that_fits),
		TEST(alloc_above_the_largest_order_is_einval),
		TEST(alloc_without_a_large_enough_block_is_enomem),
		TEST(alloc_from_an_empty_allocator_is_enomem),
		TEST(alloc_hands_out_every_frame_exactly_once),
		TEST(alloc_never_returns_a_reserved_frame),
		TEST(alloc_with_a_base_of_zero_can_return_address_zero),
		TEST(alloc_and_free_stay_within_an_odd_sized_range),
		TEST(free_gives_the_frames_back),
		TEST(free_keeps_a_block_apart_from_its_used_buddy),
		TEST(free_merges_with_free_buddies_up_to_the_largest_order),
		TEST(free_does_not_merge_with_a_reserved_buddy),
		TEST(free_does_not_merge_past_the_largest_order),
		TEST(split_then_free_restores_the_initial_free_blocks),
		TEST(free_in_random_order_coalesces_everything_back),
		TEST(free_twice_is_refused),
		TEST(free_of_a_frame_never_given_is_refused),
		TEST(free_inside_a_block_is_refused),
		TEST(free_misaligned_for_its_order_is_refused),
		TEST(free_with_another_order_is_refused),
		TEST(free_above_the_largest_order_is_refused),
		TEST(free_out_of_range_is_refused),
		TEST(free_not_frame_aligned_is_refused),
		TEST(free_of_a_free_block_never_allocated_is_refused),
		TEST(refused_free_accepts_a_null_why),
		TEST(refused_frees_name_each_mistake_differently),
		TEST(check_passes_after_odd_ranges_allocs_and_frees),
		TEST(check_passes_when_every_frame_is_allocated),
		TEST(check_detects_a_bad_state_byte_inside_a_block),
		TEST(check_detects_an_order_above_the_largest),
		TEST(check_detects_a_misaligned_block),
		TEST(check_detects_a_block_past_the_last_frame),
		TEST(check_detects_an_inside_frame_outside_any_block),
		TEST(check_detects_a_list_entry_unlinked_by_hand),
		TEST(check_detects_an_unlinked_entry_with_its_count_fixed),
		TEST(check_detects_a_broken_prev_link),
		TEST(check_stops_at_a_cyclic_list),
		TEST(check_detects_a_list_pointer_outside_the_window),
		TEST(check_detects_a_list_pointer_inside_a_frame),
		TEST(check_detects_a_listed_block_not_marked_free),
		TEST(check_detects_a_free_block_count_too_high),
		TEST(check_detects_a_free_block_count_too_low),
		TEST(check_detects_free_buddies_left_unmerged),
		TEST(check_detects_a_wrong_free_frames_count),
		TEST(check_detects_a_wrong_managed_frames_count),
		TEST(check_writes_at_most_size_bytes_of_message),
		TEST(frame_kind_of_a_frame_never_given_is_reserved),
		TEST(frame_kind_of_a_free_block_start_is_free),
		TEST(frame_kind_of_a_used_block_start_is_used),
		TEST(frame_kind_of_the_rest_of_a_block_is_inside),
		TEST(frame_kind_outside_the_range_is_reserved),
		TEST(frame_kind_of_an_address_within_a_frame_is_the_frames),
	};

	return cmocka_run_group_tests_name("buddy", tests, group_setup,
					   group_teardown);
}
