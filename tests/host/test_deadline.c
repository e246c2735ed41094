/*
 * test_deadline.c - host unit tests of the deadline heap (lab 5).
 *
 * deadline.c takes its array from kmalloc: host_heap.c counts what is
 * alive and can refuse an allocation. A reference model checks the order
 * things come out in: by deadline, and among equal deadlines by
 * registration order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "cont/deadline.h"
#include "lib/errno.h"
#include "lib/random.h"

#include "host_heap.h"

#define MANY 2000

static struct cont records[MANY];

static struct cont *record(size_t i, uint64_t deadline, uint32_t seq)
{
	records[i] = (struct cont){.key = deadline, .seq = seq};
	return &records[i];
}

static void push_one(struct deadline_heap *h, struct cont *c)
{
	assert_int_equal(deadline_reserve(h, 1), 0);
	deadline_push(h, c);
	assert_int_equal(deadline_check(h), 0);
}

static void an_empty_heap_pops_null(void **state)
{
	struct deadline_heap h = {0};

	(void)state;
	assert_null(deadline_pop(&h));
	assert_null(deadline_peek(&h));
	deadline_destroy(&h);
	assert_int_equal(host_heap_live(), 0);
}

static void pops_come_out_by_deadline(void **state)
{
	struct deadline_heap h = {0};
	const uint64_t deadlines[] = {50, 10, 40, 30, 20};

	(void)state;
	for (size_t i = 0; i < 5; i++)
		push_one(&h, record(i, deadlines[i], (uint32_t)i));
	for (uint64_t want = 10; want <= 50; want += 10)
		assert_int_equal(deadline_pop(&h)->key, want);
	assert_null(deadline_pop(&h));
	deadline_destroy(&h);
}

/* Equal deadlines: first registered, first out. */
static void equal_deadlines_keep_their_order(void **state)
{
	struct deadline_heap h = {0};

	(void)state;
	for (size_t i = 0; i < 40; i++)
		push_one(&h, record(i, 7, (uint32_t)i));
	for (size_t i = 0; i < 40; i++)
		assert_ptr_equal(deadline_pop(&h), &records[i]);
	deadline_destroy(&h);
}

/* The order survives the registration counter wrapping around. */
static void the_order_survives_seq_wrapping(void **state)
{
	struct deadline_heap h = {0};

	(void)state;
	push_one(&h, record(0, 5, 0x00000001)); /* registered after the wrap */
	push_one(&h, record(1, 5, 0xfffffffe)); /* registered before it */
	assert_ptr_equal(deadline_pop(&h), &records[1]);
	assert_ptr_equal(deadline_pop(&h), &records[0]);
	deadline_destroy(&h);
}

/* Random pushes and pops against a model: always the earliest. */
static void random_operations_match_a_model(void **state)
{
	struct deadline_heap h = {0};
	static bool in_heap[MANY];
	struct random r;
	size_t used = 0;

	(void)state;
	random_seed(&r, 12345);
	for (int step = 0; step < 20000; step++) {
		if (used < MANY && random_next(&r) % 3 != 0) {
			push_one(&h, record(used, random_next(&r) % 64,
					    (uint32_t)used));
			in_heap[used++] = true;
			continue;
		}
		struct cont *got = deadline_pop(&h);
		size_t best = MANY;

		for (size_t i = 0; i < used; i++)
			if (in_heap[i] && (best == MANY ||
					   records[i].key < records[best].key))
				best = i; /* the lowest index wins ties */
		if (best == MANY) {
			assert_null(got);
			continue;
		}
		assert_ptr_equal(got, &records[best]);
		in_heap[best] = false;
		assert_int_equal(deadline_check(&h), 0);
	}
	deadline_destroy(&h);
	assert_int_equal(host_heap_live(), 0);
}

/* A refused allocation leaves the heap as it was, and usable. */
static void reserve_fails_cleanly(void **state)
{
	struct deadline_heap h = {0};

	(void)state;
	push_one(&h, record(0, 3, 0));
	host_heap_fail_all(true);
	assert_int_equal(deadline_reserve(&h, 1000), -ENOMEM);
	host_heap_fail_all(false);
	assert_int_equal(h.count, 1);
	assert_int_equal(deadline_check(&h), 0);
	assert_int_equal(deadline_pop(&h)->key, 3);
	deadline_destroy(&h);
	assert_int_equal(host_heap_live(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_heap_pops_null),
		cmocka_unit_test(pops_come_out_by_deadline),
		cmocka_unit_test(equal_deadlines_keep_their_order),
		cmocka_unit_test(the_order_survives_seq_wrapping),
		cmocka_unit_test(random_operations_match_a_model),
		cmocka_unit_test(reserve_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
