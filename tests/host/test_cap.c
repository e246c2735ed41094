/*
 * test_cap.c - host unit tests of capability tables and the derivation
 * tree (kernel/cap/cap.c, lab 6): cap_create, cap_lookup, cap_derive,
 * cap_delete, cap_revoke, cap_transfer, cap_table_clear, cap_table_free
 * and cap_tree_apply.
 *
 * Each test gets NTABLES empty tables from setup(). Region and domain
 * capabilities have type operations that log every call (what left,
 * from which table and slot, whether the slot was already empty), so a
 * test can check that dropped runs once per capability leaving a table
 * and destroy once per original deleted, after the dropped of its copies.
 * The log also keeps the stack frames the calls ran in: for a chain of
 * CHAIN capabilities they must lie close together (nothing recurses).
 * Channel capabilities have no operations: cap.c must cope.
 *
 * cap.c takes its capabilities from kzalloc: host_heap.c counts what is
 * alive and can refuse every allocation, to check that -ENOMEM changes
 * nothing. teardown() clears every table: no capability may be left
 * (cap_count) and nothing may leak (the allocations alive).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "cap/cap.h"
#include "lib/errno.h"

#include "host_heap.h"

#define NTABLES	     4
#define MAX_EVENTS   512
#define CHAIN	     10000 /* the long derivation chain */
/* How far apart the frames of the type operations' calls may lie: a
 * recursion down the chain would spread them over hundreds of KiB. */
#define MAX_SPREAD   1024
#define UNTOUCHED    (-7) /* in new_slots before a call that must not set it */
#define RWX	     CAP_RIGHTS_ALL
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Pretend kernel objects: only their addresses matter. */
static char objects[8];
#define OBJ(i) ((void *)&objects[i])

/* ---- the type operations: a log of their calls --------------------------- */

enum event_kind { DROPPED, DESTROYED };

/* One call. cap is freed soon after: compare it, never follow it. */
struct event {
	enum event_kind kind;
	const struct cap *cap;
	const struct cap_table *table; /* c->table during the call */
	int slot;		       /* c->slot during the call */
	void *object;
	bool slot_empty; /* table->slots[slot] no longer names c */
};

static struct event events[MAX_EVENTS];
static size_t nevents;			/* logged: the first MAX_EVENTS */
static size_t ndropped, ndestroyed;	/* every call */
static uintptr_t frame_low, frame_high; /* the frames the calls ran in */

static void log_event(enum event_kind kind, struct cap *c)
{
	uintptr_t frame = (uintptr_t)__builtin_frame_address(0);

	if (frame_low == 0 || frame < frame_low)
		frame_low = frame;
	if (frame > frame_high)
		frame_high = frame;
	if (nevents < MAX_EVENTS)
		events[nevents++] = (struct event){
			kind,	 c,	    c->table,
			c->slot, c->object, c->table->slots[c->slot] != c};
}

static void on_dropped(struct cap *c)
{
	ndropped++;
	log_event(DROPPED, c);
}

static void on_destroy(struct cap *c)
{
	ndestroyed++;
	log_event(DESTROYED, c);
}

static const struct cap_type_ops logged_ops = {on_dropped, on_destroy};

static void events_reset(void)
{
	nevents = ndropped = ndestroyed = 0;
	frame_low = frame_high = 0;
}

/* ---- the tables under test ----------------------------------------------- */

/* Everything a refused call must leave alone (snapshot). */
struct snapshot {
	struct cap_table tables[NTABLES];
	struct cap caps[NTABLES][CAP_SLOTS];
	size_t count, live, events;
};

struct fixture {
	struct cap_table t[NTABLES];
	struct snapshot saved;
};

/* Where a capability was, before it left. */
struct where {
	const struct cap *cap;
	const struct cap_table *table;
	int slot;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	host_heap_reset();
	cap_count = 0; /* after a failed test's leftovers */
	cap_register_type(CAP_REGION, &logged_ops);
	cap_register_type(CAP_DOMAIN, &logged_ops);
	cap_register_type(CAP_CHANNEL, NULL);
	events_reset();
	*state = f;
	return 0;
}

/* Clears every table: nothing may be left alive. */
static int teardown(void **state)
{
	struct fixture *f = *state;
	int err = 0;

	host_heap_fail_all(false);
	for (size_t i = 0; i < NTABLES; i++)
		cap_table_clear(&f->t[i]);
	if (cap_count != 0 || host_heap_live() != 0) {
		print_error("after clearing every table: cap_count %zu, "
			    "%zu allocations alive\n",
			    cap_count, host_heap_live());
		err = -1;
	}
	free(f);
	return err;
}

static struct cap *at(const struct cap_table *t, long slot)
{
	assert_true(slot >= 0 && slot < CAP_SLOTS);
	assert_non_null(t->slots[slot]);
	return t->slots[slot];
}

static long create_ok(struct cap_table *t, enum cap_type type, int obj,
		      unsigned rights)
{
	long slot = cap_create(t, type, OBJ(obj), rights);

	if (slot < 0)
		fail_msg("cap_create returned %s", errno_name((int)slot));
	return slot;
}

static long derive_ok(struct cap_table *t, long slot, unsigned rights,
		      uint64_t badge)
{
	long to = cap_derive(t, slot, rights, badge);

	if (to < 0)
		fail_msg("cap_derive(slot %ld, rights %#x, badge %#lx) "
			 "returned %s",
			 slot, rights, badge, errno_name((int)to));
	assert_ptr_equal(at(t, to)->parent, at(t, slot));
	return to;
}

/* Moves the capability in slot of from to to; returns its new slot. */
static long move_ok(struct cap_table *from, long slot, struct cap_table *to)
{
	long at_slot = UNTOUCHED;
	int err = cap_transfer(from, &slot, 1, to, &at_slot);

	if (err)
		fail_msg("cap_transfer(slot %ld) returned %s", slot,
			 errno_name(err));
	return at_slot;
}

/* Derives from the capability in slot of t a copy that lands in to. */
static long derive_into(struct cap_table *t, long slot, struct cap_table *to,
			unsigned rights)
{
	return move_ok(t, derive_ok(t, slot, rights, 0), to);
}

static void delete_ok(struct cap_table *t, long slot)
{
	int err = cap_delete(t, slot);

	if (err)
		fail_msg("cap_delete(slot %ld) returned %s", slot,
			 errno_name(err));
}

static void revoke_ok(struct cap_table *t, long slot)
{
	int err = cap_revoke(t, slot);

	if (err)
		fail_msg("cap_revoke(slot %ld) returned %s", slot,
			 errno_name(err));
}

static struct where where_is(const struct cap *c)
{
	return (struct where){c, c->table, c->slot};
}

static size_t caps_in(const struct cap_table *t)
{
	return CAP_SLOTS - cap_table_free(t);
}

static void snapshot(struct fixture *f)
{
	for (size_t i = 0; i < NTABLES; i++) {
		f->saved.tables[i] = f->t[i];
		for (size_t s = 0; s < CAP_SLOTS; s++)
			if (f->t[i].slots[s])
				f->saved.caps[i][s] = *f->t[i].slots[s];
	}
	f->saved.count = cap_count;
	f->saved.live = host_heap_live();
	f->saved.events = nevents;
}

static void assert_same_cap(const struct cap *a, const struct cap *b)
{
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->rights, b->rights);
	assert_true(a->badge == b->badge);
	assert_ptr_equal(a->object, b->object);
	assert_true(a->info == b->info);
	assert_ptr_equal(a->table, b->table);
	assert_int_equal(a->slot, b->slot);
	assert_ptr_equal(a->parent, b->parent);
	assert_ptr_equal(a->first_child, b->first_child);
	assert_ptr_equal(a->next_sibling, b->next_sibling);
	assert_ptr_equal(a->prev_sibling, b->prev_sibling);
}

/* Asserts that nothing changed since snapshot(): slots, caps, counts. */
static void assert_unchanged(const struct fixture *f)
{
	for (size_t i = 0; i < NTABLES; i++)
		for (size_t s = 0; s < CAP_SLOTS; s++) {
			const struct cap *c = f->t[i].slots[s];

			assert_ptr_equal(c, f->saved.tables[i].slots[s]);
			if (c)
				assert_same_cap(c, &f->saved.caps[i][s]);
		}
	assert_int_equal(cap_count, f->saved.count);
	assert_int_equal(host_heap_live(), f->saved.live);
	assert_int_equal(nevents, f->saved.events);
}

/* Asserts that p's children are exactly want[0 .. n), linked both ways. */
static void assert_children(const struct cap *p, const struct cap *const *want,
			    size_t n)
{
	size_t count = 0;
	const struct cap *prev = NULL;

	for (const struct cap *c = p->first_child; c; c = c->next_sibling) {
		size_t found = 0;

		assert_true(count < n);
		assert_ptr_equal(c->parent, p);
		assert_ptr_equal(c->prev_sibling, prev);
		for (size_t i = 0; i < n; i++)
			found += want[i] == c;
		assert_int_equal(found, 1);
		prev = c;
		count++;
	}
	assert_int_equal(count, n);
}

/*
 * Asserts that the table and tree links of every capability in the
 * fixture's tables hold together, and that they are all cap_count has.
 */
static void assert_sound(const struct fixture *f)
{
	size_t n = 0;

	for (size_t i = 0; i < NTABLES; i++)
		for (long s = 0; s < CAP_SLOTS; s++) {
			const struct cap *c = f->t[i].slots[s], *k, *prev;

			if (!c)
				continue;
			n++;
			assert_ptr_equal(c->table, &f->t[i]);
			assert_int_equal(c->slot, s);
			assert_int_equal(c->rights & ~RWX, 0);
			if (c->parent)
				assert_int_equal(c->rights & ~c->parent->rights,
						 0);
			else
				assert_null(c->prev_sibling);
			prev = NULL;
			for (k = c->first_child; k; k = k->next_sibling) {
				assert_ptr_equal(k->parent, c);
				assert_ptr_equal(k->prev_sibling, prev);
				prev = k;
			}
		}
	assert_int_equal(n, cap_count);
	assert_int_equal(host_heap_live(), cap_count);
}

/* Asserts that the dropped calls logged are exactly w[0 .. n), once each,
 * each made while c->table and c->slot still said where c had been. */
static void assert_dropped(const struct where *w, size_t n)
{
	size_t count = 0;

	for (size_t e = 0; e < nevents; e++) {
		size_t found = 0;

		if (events[e].kind != DROPPED)
			continue;
		count++;
		for (size_t i = 0; i < n; i++)
			if (w[i].cap == events[e].cap) {
				found++;
				assert_ptr_equal(events[e].table, w[i].table);
				assert_int_equal(events[e].slot, w[i].slot);
			}
		assert_int_equal(found, 1);
		assert_true(events[e].slot_empty);
	}
	assert_int_equal(count, n);
	assert_int_equal(ndropped, n);
}

/* Asserts that destroy ran once, for original o, after everything else. */
static void assert_destroyed_last(const struct where *o, void *object)
{
	const struct event *last;

	assert_int_equal(ndestroyed, 1);
	assert_true(nevents > 0 && nevents < MAX_EVENTS);
	last = &events[nevents - 1];
	assert_int_equal(last->kind, DESTROYED);
	assert_ptr_equal(last->cap, o->cap);
	assert_ptr_equal(last->table, o->table);
	assert_int_equal(last->slot, o->slot);
	assert_ptr_equal(last->object, object);
	assert_true(last->slot_empty);
}

/* ---- cap_create ---------------------------------------------------------- */

static void create_fills_the_lowest_free_slot(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];

	for (long s = 0; s < 4; s++)
		assert_int_equal(cap_create(t, CAP_REGION, OBJ(s), CAP_R), s);
	delete_ok(t, 2);
	delete_ok(t, 0);
	assert_int_equal(cap_create(t, CAP_DOMAIN, OBJ(4), CAP_R), 0);
	assert_int_equal(cap_create(t, CAP_DOMAIN, OBJ(5), CAP_R), 2);
	assert_int_equal(cap_create(t, CAP_DOMAIN, OBJ(6), CAP_R), 4);
	assert_ptr_equal(at(t, 2)->object, OBJ(5));
	assert_int_equal(cap_count, 5);
	assert_int_equal(cap_table_free(t), CAP_SLOTS - 5);
	assert_sound(f);
}

static void create_makes_an_original(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[1];
	struct cap *c = at(t, create_ok(t, CAP_DOMAIN, 3, CAP_R | CAP_X));

	assert_int_equal(c->type, CAP_DOMAIN);
	assert_int_equal(c->rights, CAP_R | CAP_X);
	assert_true(c->badge == 0);
	assert_ptr_equal(c->object, OBJ(3));
	assert_true(c->info == 0);
	assert_ptr_equal(c->table, t);
	assert_int_equal(c->slot, 0);
	assert_null(c->parent);
	assert_null(c->first_child);
	assert_null(c->next_sibling);
	assert_null(c->prev_sibling);
	assert_int_equal(cap_count, 1);
	assert_int_equal(host_heap_live(), 1);
}

static void create_in_a_full_table_is_enospc(void **state)
{
	struct fixture *f = *state;

	for (long s = 0; s < CAP_SLOTS; s++)
		assert_int_equal(create_ok(&f->t[0], CAP_REGION, 0, RWX), s);
	assert_int_equal(cap_table_free(&f->t[0]), 0);
	snapshot(f);
	assert_int_equal(cap_create(&f->t[0], CAP_REGION, OBJ(1), RWX),
			 -ENOSPC);
	assert_unchanged(f);
	assert_int_equal(create_ok(&f->t[1], CAP_REGION, 1, RWX), 0);
}

static void create_without_memory_is_enomem_and_changes_nothing(void **state)
{
	struct fixture *f = *state;

	create_ok(&f->t[0], CAP_REGION, 0, RWX);
	create_ok(&f->t[0], CAP_DOMAIN, 1, CAP_R);
	snapshot(f);
	host_heap_fail_all(true);
	assert_int_equal(cap_create(&f->t[0], CAP_REGION, OBJ(2), RWX),
			 -ENOMEM);
	assert_int_equal(cap_create(&f->t[1], CAP_REGION, OBJ(2), RWX),
			 -ENOMEM);
	host_heap_fail_all(false);
	assert_unchanged(f);
	assert_int_equal(create_ok(&f->t[0], CAP_REGION, 2, RWX), 2);
}

/* ---- cap_lookup ---------------------------------------------------------- */

/* Slots out of range, some of which an int would truncate to 0 .. 63. */
static const long bad_slots[] = {
	-1,	  CAP_SLOTS,	 CAP_SLOTS + 1,	      -CAP_SLOTS,      LONG_MAX,
	LONG_MIN, (long)1 << 32, ((long)1 << 32) + 1, -((long)1 << 32)};

static void assert_lookup_fails(struct cap_table *t, long slot,
				enum cap_type type, unsigned rights, int want)
{
	int err = 0;

	assert_null(cap_lookup(t, slot, type, rights, &err));
	if (err != want)
		fail_msg("cap_lookup(slot %ld, type %d, rights %#x): %s, "
			 "expected %s",
			 slot, type, rights, errno_name(err), errno_name(want));
}

static void assert_lookup_finds(struct cap_table *t, long slot,
				enum cap_type type, unsigned rights)
{
	int err = 0;

	assert_ptr_equal(cap_lookup(t, slot, type, rights, &err), at(t, slot));
}

static void lookup_out_of_range_is_erange(void **state)
{
	struct fixture *f = *state;

	create_ok(&f->t[0], CAP_REGION, 0, RWX);
	create_ok(&f->t[0], CAP_REGION, 1, RWX);
	snapshot(f);
	for (size_t i = 0; i < ARRAY_LEN(bad_slots); i++)
		assert_lookup_fails(&f->t[0], bad_slots[i], CAP_NONE, 0,
				    -ERANGE);
	assert_unchanged(f);
}

static void lookup_of_an_empty_slot_is_ebadf(void **state)
{
	struct fixture *f = *state;

	assert_lookup_fails(&f->t[0], 0, CAP_NONE, 0, -EBADF);
	assert_lookup_fails(&f->t[0], CAP_SLOTS - 1, CAP_REGION, 0, -EBADF);
	create_ok(&f->t[0], CAP_REGION, 0, RWX);
	create_ok(&f->t[0], CAP_REGION, 1, RWX);
	delete_ok(&f->t[0], 0);
	assert_lookup_fails(&f->t[0], 0, CAP_REGION, CAP_R, -EBADF);
	assert_lookup_finds(&f->t[0], 1, CAP_REGION, CAP_R);
}

static void lookup_of_another_type_is_eprototype(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];

	create_ok(t, CAP_REGION, 0, RWX);
	create_ok(t, CAP_DOMAIN, 1, CAP_R);
	create_ok(t, CAP_CHANNEL, 2, CAP_R | CAP_W);
	assert_lookup_fails(t, 0, CAP_DOMAIN, 0, -EPROTOTYPE);
	assert_lookup_fails(t, 0, CAP_CHANNEL, CAP_R, -EPROTOTYPE);
	assert_lookup_fails(t, 1, CAP_REGION, CAP_R, -EPROTOTYPE);
	assert_lookup_fails(t, 2, CAP_DOMAIN, 0, -EPROTOTYPE);
	assert_lookup_finds(t, 0, CAP_REGION, RWX);
	assert_lookup_finds(t, 1, CAP_DOMAIN, CAP_R);
	assert_lookup_finds(t, 2, CAP_CHANNEL, CAP_W);
	for (long s = 0; s < 3; s++)
		assert_lookup_finds(t, s, CAP_NONE, 0);
}

static void lookup_without_a_right_is_eperm(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long ro = create_ok(t, CAP_REGION, 0, CAP_R);
	long rw = create_ok(t, CAP_REGION, 1, CAP_R | CAP_W);
	long copy = derive_ok(t, rw, CAP_W, 0);

	assert_lookup_fails(t, ro, CAP_REGION, CAP_W, -EPERM);
	assert_lookup_fails(t, ro, CAP_REGION, CAP_R | CAP_W, -EPERM);
	assert_lookup_fails(t, ro, CAP_NONE, CAP_X, -EPERM);
	assert_lookup_fails(t, rw, CAP_REGION, RWX, -EPERM);
	assert_lookup_fails(t, copy, CAP_REGION, CAP_R, -EPERM);
	assert_lookup_finds(t, ro, CAP_REGION, CAP_R);
	assert_lookup_finds(t, ro, CAP_REGION, 0);
	assert_lookup_finds(t, rw, CAP_REGION, CAP_R | CAP_W);
	assert_lookup_finds(t, rw, CAP_REGION, CAP_W);
	assert_lookup_finds(t, copy, CAP_REGION, CAP_W);
}

/* ---- cap_derive ---------------------------------------------------------- */

static void derive_shares_object_type_and_info(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[2];
	long p = create_ok(t, CAP_DOMAIN, 4, RWX);
	struct cap *parent = at(t, p), *c;

	parent->info = 0x5eed; /* as a domain's exit status would be */
	c = at(t, derive_ok(t, p, CAP_R, 0));
	assert_int_equal(c->slot, 1);
	assert_ptr_equal(c->table, t);
	assert_int_equal(c->type, CAP_DOMAIN);
	assert_ptr_equal(c->object, OBJ(4));
	assert_true(c->info == 0x5eed);
	assert_int_equal(c->rights, CAP_R);
	assert_true(c->badge == 0);
	assert_ptr_equal(c->parent, parent);
	assert_ptr_equal(parent->first_child, c);
	assert_null(c->first_child);
	assert_null(c->next_sibling);
	assert_null(c->prev_sibling);
	assert_int_equal(cap_count, 2);
	assert_int_equal(host_heap_live(), 2);
	assert_int_equal(nevents, 0);
}

static void derive_fills_the_lowest_free_slot(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];

	create_ok(t, CAP_REGION, 0, RWX);
	create_ok(t, CAP_REGION, 1, RWX);
	create_ok(t, CAP_REGION, 2, RWX);
	delete_ok(t, 1);
	assert_int_equal(derive_ok(t, 2, CAP_R, 0), 1);
	assert_int_equal(derive_ok(t, 1, CAP_R, 0), 3);
	assert_sound(f);
}

static void derive_keeps_or_drops_rights(void **state)
{
	static const unsigned keep[] = {RWX,   CAP_R | CAP_W, CAP_W | CAP_X,
					CAP_R, CAP_X,	      0};
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long p = create_ok(t, CAP_REGION, 0, RWX);

	for (size_t i = 0; i < ARRAY_LEN(keep); i++)
		assert_int_equal(at(t, derive_ok(t, p, keep[i], 0))->rights,
				 keep[i]);
	assert_int_equal(at(t, derive_ok(t, 1, CAP_R, 0))->rights, CAP_R);
	assert_sound(f);
}

static void derive_cannot_add_rights(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long rw = create_ok(t, CAP_REGION, 0, CAP_R | CAP_W);
	long r = derive_ok(t, rw, CAP_R, 0);
	long none = derive_ok(t, r, 0, 0);

	snapshot(f);
	assert_int_equal(cap_derive(t, rw, RWX, 0), -EPERM);
	assert_int_equal(cap_derive(t, rw, CAP_X, 0), -EPERM);
	assert_int_equal(cap_derive(t, rw, CAP_R | CAP_X, 0), -EPERM);
	assert_int_equal(cap_derive(t, r, CAP_R | CAP_W, 0), -EPERM);
	assert_int_equal(cap_derive(t, r, CAP_W, 0), -EPERM);
	assert_int_equal(cap_derive(t, none, CAP_R, 0), -EPERM);
	assert_unchanged(f);
	assert_int_equal(at(t, derive_ok(t, none, 0, 0))->rights, 0);
}

static void derive_with_unknown_rights_is_einval(void **state)
{
	static const unsigned unknown[] = {0x8,	     0x10,     0x80,	 0x100,
					   1u << 31, UINT_MAX, RWX | 0x8};
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long p = create_ok(t, CAP_REGION, 0, RWX);

	snapshot(f);
	for (size_t i = 0; i < ARRAY_LEN(unknown); i++)
		assert_int_equal(cap_derive(t, p, unknown[i], 0), -EINVAL);
	assert_unchanged(f);
}

static void derive_follows_the_badge_rules(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long p = create_ok(t, CAP_CHANNEL, 0, RWX);
	long plain = derive_ok(t, p, RWX, 0);
	long b7 = derive_ok(t, p, RWX, 7);
	long any = derive_ok(t, plain, CAP_R, UINT64_MAX);
	long kept = derive_ok(t, b7, CAP_R, 0);
	long same = derive_ok(t, b7, CAP_R, 7);
	long deep = derive_ok(t, kept, 0, 0);

	assert_true(at(t, plain)->badge == 0);
	assert_true(at(t, b7)->badge == 7);
	assert_true(at(t, any)->badge == UINT64_MAX);
	assert_true(at(t, kept)->badge == 7);
	assert_true(at(t, same)->badge == 7);
	assert_true(at(t, deep)->badge == 7);
	snapshot(f);
	assert_int_equal(cap_derive(t, b7, CAP_R, 8), -EPERM);
	assert_int_equal(cap_derive(t, kept, CAP_R, 1), -EPERM);
	assert_int_equal(cap_derive(t, deep, 0, UINT64_MAX), -EPERM);
	assert_int_equal(cap_derive(t, any, CAP_R, 7), -EPERM);
	assert_unchanged(f);
}

static void derive_of_a_bad_slot_is_erange_or_ebadf(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];

	create_ok(t, CAP_REGION, 0, RWX);
	create_ok(t, CAP_REGION, 1, RWX);
	snapshot(f);
	for (size_t i = 0; i < ARRAY_LEN(bad_slots); i++)
		assert_int_equal(cap_derive(t, bad_slots[i], CAP_R, 0),
				 -ERANGE);
	assert_int_equal(cap_derive(t, 2, CAP_R, 0), -EBADF);
	assert_int_equal(cap_derive(t, CAP_SLOTS - 1, CAP_R, 0), -EBADF);
	assert_int_equal(cap_derive(&f->t[1], 0, CAP_R, 0), -EBADF);
	assert_unchanged(f);
}

static void derive_in_a_full_table_is_enospc(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long p = create_ok(t, CAP_REGION, 0, RWX);

	while (cap_table_free(t))
		derive_ok(t, p, CAP_R, 0);
	snapshot(f);
	assert_int_equal(cap_derive(t, p, CAP_R, 0), -ENOSPC);
	assert_int_equal(cap_derive(t, CAP_SLOTS - 1, CAP_R, 0), -ENOSPC);
	assert_unchanged(f);
}

static void derive_without_memory_is_enomem_and_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long p = create_ok(t, CAP_REGION, 0, RWX);

	derive_ok(t, p, CAP_R, 3);
	snapshot(f);
	host_heap_fail_all(true);
	assert_int_equal(cap_derive(t, p, CAP_R, 0), -ENOMEM);
	assert_int_equal(cap_derive(t, 1, CAP_R, 0), -ENOMEM);
	host_heap_fail_all(false);
	assert_unchanged(f);
	assert_int_equal(derive_ok(t, p, CAP_W, 0), 2);
	assert_sound(f);
}

/* ---- cap_delete ---------------------------------------------------------- */

static void delete_of_a_bad_slot_is_erange_or_ebadf(void **state)
{
	struct fixture *f = *state;

	create_ok(&f->t[0], CAP_REGION, 0, RWX);
	snapshot(f);
	for (size_t i = 0; i < ARRAY_LEN(bad_slots); i++)
		assert_int_equal(cap_delete(&f->t[0], bad_slots[i]), -ERANGE);
	assert_int_equal(cap_delete(&f->t[0], 1), -EBADF);
	assert_int_equal(cap_delete(&f->t[1], 0), -EBADF);
	assert_unchanged(f);
}

/*
 * o ─┬─ a ─┬─ b (in t1) ── d (in t2)
 *    │     └─ c
 *    └─ e
 * Deleting a leaves o with children e, b, c; d stays under b.
 */
static void delete_of_a_copy_moves_its_children_up(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long o = create_ok(t, CAP_REGION, 0, RWX);
	long a = derive_ok(t, o, CAP_R | CAP_W, 0);
	long e = derive_ok(t, o, CAP_R, 0);
	long b = derive_into(t, a, &f->t[1], CAP_R);
	long c = derive_ok(t, a, CAP_W, 0);
	long d = derive_into(&f->t[1], b, &f->t[2], CAP_R);
	struct cap *co = at(t, o), *cb = at(&f->t[1], b), *cc = at(t, c);
	struct cap *cd = at(&f->t[2], d);
	const struct cap *const kids[] = {at(t, e), cb, cc};
	const struct where gone = where_is(at(t, a));

	events_reset();
	delete_ok(t, a);
	assert_null(t->slots[a]);
	assert_children(co, kids, ARRAY_LEN(kids));
	assert_children(cb, (const struct cap *const[]){cd}, 1);
	assert_int_equal(cb->rights, CAP_R);
	assert_int_equal(cc->rights, CAP_W);
	assert_dropped(&gone, 1);
	assert_int_equal(ndestroyed, 0);
	assert_int_equal(cap_count, 5);
	assert_sound(f);

	/* They can still be revoked from o. */
	revoke_ok(t, o);
	assert_null(co->first_child);
	assert_int_equal(cap_count, 1);
	assert_int_equal(caps_in(&f->t[1]) + caps_in(&f->t[2]), 0);
	assert_ptr_equal(at(t, o), co);
}

/* o ── a ── b ── c: delete b, then a; c climbs to o. */
static void delete_in_a_chain_links_the_rest_up(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long o = create_ok(t, CAP_DOMAIN, 0, RWX);
	long a = derive_ok(t, o, RWX, 0);
	long b = derive_ok(t, a, CAP_R | CAP_W, 0);
	long c = derive_ok(t, b, CAP_R, 0);
	struct cap *cc = at(t, c);

	delete_ok(t, b);
	assert_ptr_equal(cc->parent, at(t, a));
	assert_children(at(t, a), (const struct cap *const[]){cc}, 1);
	delete_ok(t, a);
	assert_ptr_equal(cc->parent, at(t, o));
	assert_children(at(t, o), (const struct cap *const[]){cc}, 1);
	assert_int_equal(ndropped, 2);
	assert_int_equal(ndestroyed, 0);
	assert_sound(f);
}

static void delete_of_an_original_alone_drops_then_destroys(void **state)
{
	struct fixture *f = *state;
	long o = create_ok(&f->t[3], CAP_DOMAIN, 5, CAP_R);
	const struct where w = where_is(at(&f->t[3], o));

	delete_ok(&f->t[3], o);
	assert_int_equal(nevents, 2);
	assert_dropped(&w, 1);
	assert_destroyed_last(&w, OBJ(5));
	assert_int_equal(cap_count, 0);
}

/*
 * The original o in t0 has copies in every table, two levels deep; u, an
 * original in t1 with a copy in t0, is another object's and stays.
 */
static void delete_of_an_original_deletes_every_copy_everywhere(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long o = create_ok(t, CAP_REGION, 2, RWX);
	long u = create_ok(&f->t[1], CAP_REGION, 3, RWX);
	long uc = derive_into(&f->t[1], u, t, CAP_R);
	long a = derive_ok(t, o, RWX, 0);
	long b = derive_into(t, a, &f->t[1], CAP_R);
	long c = derive_into(t, o, &f->t[2], CAP_W);
	long d = derive_ok(&f->t[2], c, CAP_W, 9);
	long e = derive_into(&f->t[2], d, &f->t[3], 0);
	long g = derive_ok(t, a, CAP_X, 0);
	const struct where w[] = {
		where_is(at(t, o)),	   where_is(at(t, a)),
		where_is(at(&f->t[1], b)), where_is(at(&f->t[2], c)),
		where_is(at(&f->t[2], d)), where_is(at(&f->t[3], e)),
		where_is(at(t, g))};
	struct cap *cu = at(&f->t[1], u), *cuc = at(t, uc);

	events_reset();
	delete_ok(t, o);
	assert_dropped(w, ARRAY_LEN(w));
	assert_destroyed_last(&w[0], OBJ(2));
	assert_int_equal(cap_count, 2);
	assert_int_equal(caps_in(t), 1);
	assert_int_equal(caps_in(&f->t[1]), 1);
	assert_int_equal(caps_in(&f->t[2]) + caps_in(&f->t[3]), 0);
	assert_ptr_equal(at(t, uc), cuc);
	assert_ptr_equal(at(&f->t[1], u), cu);
	assert_children(cu, (const struct cap *const[]){cuc}, 1);
	assert_sound(f);
}

/* A type without operations is deleted, revoked and moved all the same. */
static void a_type_without_operations_needs_none(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long o = create_ok(t, CAP_CHANNEL, 0, RWX);
	long a = derive_ok(t, o, CAP_R, 0);

	derive_ok(t, a, CAP_R, 0);
	derive_ok(t, o, CAP_W, 0);
	move_ok(t, a, &f->t[1]);
	delete_ok(&f->t[1], 0);
	revoke_ok(t, o);
	assert_int_equal(cap_count, 1);
	delete_ok(t, o);
	assert_int_equal(nevents, 0);
	assert_int_equal(cap_count, 0);
}

/* ---- cap_revoke ---------------------------------------------------------- */

static void revoke_of_a_bad_slot_is_erange_or_ebadf(void **state)
{
	struct fixture *f = *state;
	long o = create_ok(&f->t[0], CAP_REGION, 0, RWX);

	derive_ok(&f->t[0], o, CAP_R, 0);
	snapshot(f);
	for (size_t i = 0; i < ARRAY_LEN(bad_slots); i++)
		assert_int_equal(cap_revoke(&f->t[0], bad_slots[i]), -ERANGE);
	assert_int_equal(cap_revoke(&f->t[0], 2), -EBADF);
	assert_int_equal(cap_revoke(&f->t[3], 0), -EBADF);
	assert_unchanged(f);
}

static void revoke_of_a_leaf_changes_nothing(void **state)
{
	struct fixture *f = *state;
	long o = create_ok(&f->t[0], CAP_REGION, 0, RWX);
	long a = derive_ok(&f->t[0], o, CAP_R, 0);

	snapshot(f);
	revoke_ok(&f->t[0], a);
	assert_unchanged(f);
}

/*
 * o ─┬─ a ─┬─ a1 (t1) ─┬─ a11 (t1)
 *    │     │           └─ a12 (t3)
 *    │     └─ a2 (t2)
 *    └─ s ── s1
 * Revoking a removes a1, a11, a12 and a2; a, o, s and s1 stay.
 */
static void revoke_removes_every_descendant_everywhere(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0], *t1 = &f->t[1];
	long o = create_ok(t, CAP_REGION, 1, RWX);
	long a = derive_ok(t, o, RWX, 0);
	long s = derive_ok(t, o, CAP_R, 0);
	long s1 = derive_ok(t, s, CAP_R, 0);
	long a1 = derive_into(t, a, t1, CAP_R | CAP_W);
	long a2 = derive_into(t, a, &f->t[2], CAP_X);
	long a11 = derive_ok(t1, a1, CAP_R, 0);
	long a12 = derive_into(t1, a1, &f->t[3], CAP_W);
	const struct where w[] = {where_is(at(t1, a1)), where_is(at(t1, a11)),
				  where_is(at(&f->t[3], a12)),
				  where_is(at(&f->t[2], a2))};
	struct cap *co = at(t, o), *ca = at(t, a), *cs = at(t, s);

	events_reset();
	revoke_ok(t, a);
	assert_dropped(w, ARRAY_LEN(w));
	assert_int_equal(ndestroyed, 0);
	assert_ptr_equal(at(t, a), ca);
	assert_null(ca->first_child);
	assert_int_equal(ca->rights, RWX);
	assert_children(co, (const struct cap *const[]){ca, cs}, 2);
	assert_children(cs, (const struct cap *const[]){at(t, s1)}, 1);
	assert_int_equal(caps_in(t), 4);
	assert_int_equal(caps_in(t1) + caps_in(&f->t[2]) + caps_in(&f->t[3]),
			 0);
	assert_sound(f);

	events_reset();
	revoke_ok(t, o);
	assert_int_equal(ndropped, 3);
	assert_int_equal(ndestroyed, 0);
	assert_ptr_equal(at(t, o), co);
	assert_null(co->first_child);
	assert_int_equal(cap_count, 1);
	assert_sound(f);
}

/* A chain of n capabilities from a new original in tables[0], slot 0,
 * each derived from the one before; a full table's tip moves on to the
 * next. Returns the last one. */
static struct cap *build_chain(struct cap_table *tables, size_t n)
{
	size_t k = 0;
	long tip = cap_create(&tables[0], CAP_REGION, OBJ(7), RWX);

	assert_int_equal(tip, 0);
	for (size_t i = 1; i < n; i++) {
		if (cap_table_free(&tables[k]) == 0) {
			tip = move_ok(&tables[k], tip, &tables[k + 1]);
			k++;
		}
		tip = derive_ok(&tables[k], tip, i < n / 2 ? RWX : CAP_R,
				i == n / 2 ? 42 : 0);
	}
	return at(&tables[k], tip);
}

static size_t chain_tables(void)
{
	return CHAIN / (CAP_SLOTS - 1) + 2;
}

/* Clears and frees tables from build_chain. */
static void free_chain(struct cap_table *tables)
{
	for (size_t k = 0; k < chain_tables(); k++)
		cap_table_clear(&tables[k]);
	free(tables);
	assert_int_equal(cap_count, 0);
	assert_int_equal(host_heap_live(), 0);
}

/* Revoke is not recursive: every dropped call runs at the same depth. */
static void revoke_of_a_long_chain(void **state)
{
	struct cap_table *tables = calloc(chain_tables(), sizeof(*tables));
	struct cap *tip, *root;
	size_t depth = 0;

	(void)state;
	assert_non_null(tables);
	tip = build_chain(tables, CHAIN);
	for (const struct cap *c = tip; c; c = c->parent)
		depth++;
	assert_int_equal(depth, CHAIN);
	assert_int_equal(cap_count, CHAIN);
	root = at(&tables[0], 0);
	events_reset();
	revoke_ok(&tables[0], 0);
	assert_int_equal(ndropped, CHAIN - 1);
	assert_int_equal(ndestroyed, 0);
	assert_true(frame_high - frame_low < MAX_SPREAD);
	assert_int_equal(cap_count, 1);
	assert_ptr_equal(at(&tables[0], 0), root);
	assert_null(root->first_child);
	for (size_t k = 1; k < chain_tables(); k++)
		assert_int_equal(caps_in(&tables[k]), 0);
	free_chain(tables);
	assert_int_equal(ndestroyed, 1);
}

static void delete_of_the_original_of_a_long_chain(void **state)
{
	struct cap_table *tables = calloc(chain_tables(), sizeof(*tables));

	(void)state;
	assert_non_null(tables);
	build_chain(tables, CHAIN);
	events_reset();
	delete_ok(&tables[0], 0);
	assert_int_equal(ndropped, CHAIN);
	assert_int_equal(ndestroyed, 1);
	assert_true(frame_high - frame_low < MAX_SPREAD);
	assert_int_equal(cap_count, 0);
	free_chain(tables);
}

/* ---- cap_transfer -------------------------------------------------------- */

/*
 * t0: o, a (of o), b (of a), c, d (of c), e; t1: x, -, y. Moving d, a
 * and e puts them in t1's slots 1, 3 and 4.
 */
static void transfer_fills_the_lowest_free_slots_in_order(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0], *t1 = &f->t[1];
	long o = create_ok(t, CAP_REGION, 0, RWX);
	long a = derive_ok(t, o, CAP_R, 0);
	long b = derive_ok(t, a, CAP_R, 0);
	long c = create_ok(t, CAP_DOMAIN, 1, RWX);
	long d = derive_ok(t, c, CAP_R, 5);
	long e = create_ok(t, CAP_CHANNEL, 2, CAP_W);
	const long slots[] = {d, a, e};
	const long want[] = {1, 3, 4};
	long new_slots[] = {UNTOUCHED, UNTOUCHED, UNTOUCHED};
	struct cap *moved[3];
	const struct where w[] = {where_is(at(t, d)), where_is(at(t, a))};

	create_ok(t1, CAP_REGION, 3, RWX);
	create_ok(t1, CAP_REGION, 4, RWX);
	create_ok(t1, CAP_REGION, 5, RWX);
	delete_ok(t1, 1);
	for (size_t i = 0; i < 3; i++)
		moved[i] = at(t, slots[i]);
	events_reset();
	snapshot(f);
	assert_int_equal(cap_transfer(t, slots, 3, t1, new_slots), 0);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(new_slots[i], want[i]);
		assert_ptr_equal(at(t1, want[i]), moved[i]);
		assert_ptr_equal(moved[i]->table, t1);
		assert_int_equal(moved[i]->slot, want[i]);
		assert_null(t->slots[slots[i]]);
		/* The tree does not change. */
		f->saved.caps[0][slots[i]].table = t1;
		f->saved.caps[0][slots[i]].slot = (int)want[i];
		assert_same_cap(moved[i], &f->saved.caps[0][slots[i]]);
	}
	/* Dropped, in order, from t0 (channels have no operations). */
	assert_int_equal(nevents, 2);
	assert_dropped(w, 2);
	assert_ptr_equal(events[0].cap, moved[0]);
	assert_ptr_equal(events[1].cap, moved[1]);
	assert_int_equal(ndestroyed, 0);
	assert_int_equal(cap_count, f->saved.count);
	assert_int_equal(host_heap_live(), f->saved.live);
	assert_ptr_equal(at(t, b)->parent, moved[1]); /* b stayed behind */
	assert_int_equal(caps_in(t), 3);
	assert_int_equal(caps_in(t1), 5);
	assert_sound(f);
}

/* What moved can still be revoked, and deleted with its original. */
static void transfer_keeps_the_derivation_tree(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0], *t1 = &f->t[1];
	long o = create_ok(t, CAP_REGION, 0, RWX);
	long a = derive_ok(t, o, CAP_R, 0);
	long b = derive_ok(t, a, CAP_R, 0);
	long c = create_ok(t, CAP_DOMAIN, 1, RWX);
	long d = derive_ok(t, c, CAP_R, 0);
	const long slots[] = {b, a, d};

	assert_int_equal(cap_transfer(t, slots, 3, t1, NULL), 0);
	assert_ptr_equal(at(t1, 0)->parent, at(t1, 1));
	assert_ptr_equal(at(t1, 1)->parent, at(t, o));
	assert_ptr_equal(at(t1, 2)->parent, at(t, c));
	revoke_ok(t, o);
	assert_int_equal(caps_in(t1), 1);
	events_reset();
	delete_ok(t, c);
	assert_int_equal(caps_in(t1), 0);
	assert_int_equal(ndropped, 2);
	assert_int_equal(ndestroyed, 1);
	assert_int_equal(cap_count, 1);
	assert_sound(f);
}

static void transfer_of_nothing_succeeds(void **state)
{
	struct fixture *f = *state;

	create_ok(&f->t[0], CAP_REGION, 0, RWX);
	snapshot(f);
	assert_int_equal(cap_transfer(&f->t[0], NULL, 0, &f->t[1], NULL), 0);
	assert_unchanged(f);
}

/* Asserts that moving slots[0 .. n) from t0 to t1 fails with want and
 * moves nothing at all. */
static void assert_transfer_refused(struct fixture *f, const long *slots,
				    size_t n, int want)
{
	long new_slots[4] = {UNTOUCHED, UNTOUCHED, UNTOUCHED, UNTOUCHED};
	int err;

	snapshot(f);
	err = cap_transfer(&f->t[0], slots, n, &f->t[1], new_slots);
	if (err != want)
		fail_msg("cap_transfer returned %s, expected %s",
			 errno_name(err), errno_name(want));
	assert_unchanged(f);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(new_slots[i], UNTOUCHED);
}

static void transfer_of_a_bad_slot_moves_nothing(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 4; i++)
		create_ok(&f->t[0], CAP_REGION, i, RWX);
	delete_ok(&f->t[0], 3);
	events_reset();
	assert_transfer_refused(f, (const long[]){0, 1, 3}, 3, -EBADF);
	assert_transfer_refused(f, (const long[]){2, 0, 63}, 3, -EBADF);
	assert_transfer_refused(f, (const long[]){4}, 1, -EBADF);
	for (size_t i = 0; i < ARRAY_LEN(bad_slots); i++) {
		assert_transfer_refused(f, (const long[]){bad_slots[i]}, 1,
					-ERANGE);
		assert_transfer_refused(f, (const long[]){0, 2, bad_slots[i]},
					3, -ERANGE);
	}
}

static void transfer_of_a_slot_twice_is_einval(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 3; i++)
		create_ok(&f->t[0], CAP_REGION, i, RWX);
	assert_transfer_refused(f, (const long[]){0, 1, 0}, 3, -EINVAL);
	assert_transfer_refused(f, (const long[]){2, 2}, 2, -EINVAL);
	assert_transfer_refused(f, (const long[]){1, 0, 2, 1}, 4, -EINVAL);
}

static void transfer_to_its_own_table_is_einval(void **state)
{
	struct fixture *f = *state;
	const long slots[] = {0, 1};

	create_ok(&f->t[0], CAP_REGION, 0, RWX);
	create_ok(&f->t[0], CAP_REGION, 1, RWX);
	snapshot(f);
	assert_int_equal(cap_transfer(&f->t[0], slots, 2, &f->t[0], NULL),
			 -EINVAL);
	assert_int_equal(cap_transfer(&f->t[0], slots, 1, &f->t[0], NULL),
			 -EINVAL);
	assert_unchanged(f);
}

static void transfer_without_room_is_enospc(void **state)
{
	struct fixture *f = *state;
	long new_slots[2];

	for (int i = 0; i < 3; i++)
		create_ok(&f->t[0], CAP_REGION, i, RWX);
	while (cap_table_free(&f->t[1]) > 2)
		create_ok(&f->t[1], CAP_DOMAIN, 5, CAP_R);
	events_reset();
	assert_transfer_refused(f, (const long[]){0, 1, 2}, 3, -ENOSPC);
	assert_transfer_refused(f, (const long[]){2, 1, 0}, 3, -ENOSPC);
	assert_int_equal(cap_transfer(&f->t[0], (const long[]){2, 0}, 2,
				      &f->t[1], new_slots),
			 0);
	assert_int_equal(new_slots[0], CAP_SLOTS - 2);
	assert_int_equal(new_slots[1], CAP_SLOTS - 1);
	assert_ptr_equal(at(&f->t[1], CAP_SLOTS - 2)->object, OBJ(2));
	assert_ptr_equal(at(&f->t[1], CAP_SLOTS - 1)->object, OBJ(0));
	assert_transfer_refused(f, (const long[]){1}, 1, -ENOSPC);
	assert_sound(f);
}

/* ---- cap_table_clear ----------------------------------------------------- */

/*
 * t0 holds a copy of o1 in slot 0, ahead of o1 itself in slot 1, and
 * more copies of o1; copies of o2 (in t1), one of them with a child in
 * t1; and o3, whose copy lives in t2.
 */
static void clear_empties_a_table_of_originals_and_copies(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0], *t1 = &f->t[1];
	long first = create_ok(t, CAP_REGION, 0, RWX);
	long o1 = create_ok(t, CAP_REGION, 1, RWX);
	long o2 = create_ok(t1, CAP_DOMAIN, 2, RWX);
	long p, p1, p2;
	struct cap *co1, *co2 = at(t1, o2);

	delete_ok(t, first);
	assert_int_equal(derive_ok(t, o1, CAP_R, 0), 0);
	derive_ok(t, 0, CAP_R, 0);
	derive_into(t, o1, &f->t[3], CAP_W);
	p = derive_into(t1, o2, t, CAP_R | CAP_W);
	p1 = derive_ok(t, p, CAP_R, 0);
	p2 = derive_into(t, p1, t1, CAP_R);
	derive_into(t, create_ok(t, CAP_REGION, 3, CAP_R), &f->t[2], CAP_R);
	co1 = at(t, o1);
	events_reset();
	cap_table_clear(t);
	assert_int_equal(caps_in(t), 0);
	for (long s = 0; s < CAP_SLOTS; s++)
		assert_null(t->slots[s]);
	/* o1 and o3 are destroyed, once each, after all their copies. */
	assert_int_equal(ndestroyed, 2);
	assert_int_equal(ndropped, 8);
	for (size_t e = 0; e < nevents; e++)
		if (events[e].kind == DESTROYED && events[e].cap == co1)
			for (size_t later = e + 1; later < nevents; later++)
				assert_true(events[later].object != OBJ(1));
	assert_int_equal(caps_in(&f->t[2]) + caps_in(&f->t[3]), 0);
	/* o2 stays, and p2 climbed up to it. */
	assert_int_equal(caps_in(t1), 2);
	assert_children(co2, (const struct cap *const[]){at(t1, p2)}, 1);
	assert_sound(f);
}

static void clear_of_an_empty_table_does_nothing(void **state)
{
	struct fixture *f = *state;

	create_ok(&f->t[1], CAP_REGION, 0, RWX);
	snapshot(f);
	cap_table_clear(&f->t[0]);
	assert_unchanged(f);
}

/* ---- cap_tree_apply and cap_table_free ----------------------------------- */

struct visits {
	const struct cap *seen[16];
	size_t n;
};

static void visit(struct cap *c, void *arg)
{
	struct visits *v = arg;

	assert_true(v->n < ARRAY_LEN(v->seen));
	v->seen[v->n++] = c;
}

/* Asserts that cap_tree_apply(root) visits want[0 .. n) once each, root
 * first and every parent before its children. */
static void assert_visits(struct cap *root, const struct cap *const *want,
			  size_t n)
{
	struct visits v = {.n = 0};

	cap_tree_apply(root, visit, &v);
	assert_int_equal(v.n, n);
	assert_ptr_equal(v.seen[0], root);
	for (size_t i = 0; i < n; i++) {
		size_t found = 0, parent_at = n;

		for (size_t j = 0; j < n; j++) {
			found += v.seen[j] == want[i];
			if (v.seen[j] == v.seen[i]->parent)
				parent_at = j;
		}
		assert_int_equal(found, 1);
		if (i > 0)
			assert_true(parent_at < i);
	}
}

/*
 * o ─┬─ a ─┬─ a1 ── a11
 *    │     └─ a2
 *    └─ b ── b1
 */
static void tree_apply_visits_a_root_and_its_descendants(void **state)
{
	struct fixture *f = *state;
	struct cap_table *t = &f->t[0];
	long o = create_ok(t, CAP_REGION, 0, RWX);
	long b = derive_ok(t, o, RWX, 0);
	long a = derive_ok(t, o, RWX, 0);
	long a1 = derive_into(t, a, &f->t[1], CAP_R);
	long a2 = derive_ok(t, a, CAP_W, 0);
	long a11 = derive_into(&f->t[1], a1, &f->t[2], 0);
	long b1 = derive_ok(t, b, CAP_X, 0);
	struct cap *co = at(t, o), *ca = at(t, a), *cb = at(t, b);
	struct cap *ca1 = at(&f->t[1], a1), *ca2 = at(t, a2);
	struct cap *ca11 = at(&f->t[2], a11), *cb1 = at(t, b1);

	snapshot(f);
	assert_visits(ca, (const struct cap *const[]){ca, ca1, ca2, ca11}, 4);
	assert_visits(cb, (const struct cap *const[]){cb, cb1}, 2);
	assert_visits(ca1, (const struct cap *const[]){ca1, ca11}, 2);
	assert_visits(ca2, (const struct cap *const[]){ca2}, 1);
	assert_visits(ca11, (const struct cap *const[]){ca11}, 1);
	assert_visits(
		co,
		(const struct cap *const[]){co, ca, cb, ca1, ca2, ca11, cb1},
		7);
	assert_unchanged(f);
}

static void count_visit(struct cap *c, void *arg)
{
	(void)c;
	++*(size_t *)arg;
}

static void tree_apply_of_a_long_chain(void **state)
{
	struct cap_table *tables = calloc(chain_tables(), sizeof(*tables));
	struct cap *tip;
	size_t n = 0;

	(void)state;
	assert_non_null(tables);
	tip = build_chain(tables, CHAIN);
	cap_tree_apply(at(&tables[0], 0), count_visit, &n);
	assert_int_equal(n, CHAIN);
	n = 0;
	cap_tree_apply(tip, count_visit, &n);
	assert_int_equal(n, 1);
	free_chain(tables);
}

static void table_free_counts_empty_slots(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cap_table_free(&f->t[0]), CAP_SLOTS);
	create_ok(&f->t[0], CAP_REGION, 0, RWX);
	derive_ok(&f->t[0], 0, CAP_R, 0);
	assert_int_equal(cap_table_free(&f->t[0]), CAP_SLOTS - 2);
	move_ok(&f->t[0], 1, &f->t[1]);
	assert_int_equal(cap_table_free(&f->t[0]), CAP_SLOTS - 1);
	assert_int_equal(cap_table_free(&f->t[1]), CAP_SLOTS - 1);
}

#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(create_fills_the_lowest_free_slot),
		TEST(create_makes_an_original),
		TEST(create_in_a_full_table_is_enospc),
		TEST(create_without_memory_is_enomem_and_changes_nothing),
		TEST(lookup_out_of_range_is_erange),
		TEST(lookup_of_an_empty_slot_is_ebadf),
		TEST(lookup_of_another_type_is_eprototype),
		TEST(lookup_without_a_right_is_eperm),
		TEST(derive_shares_object_type_and_info),
		TEST(derive_fills_the_lowest_free_slot),
		TEST(derive_keeps_or_drops_rights),
		TEST(derive_cannot_add_rights),
		TEST(derive_with_unknown_rights_is_einval),
		TEST(derive_follows_the_badge_rules),
		TEST(derive_of_a_bad_slot_is_erange_or_ebadf),
		TEST(derive_in_a_full_table_is_enospc),
		TEST(derive_without_memory_is_enomem_and_changes_nothing),
		TEST(delete_of_a_bad_slot_is_erange_or_ebadf),
		TEST(delete_of_a_copy_moves_its_children_up),
		TEST(delete_in_a_chain_links_the_rest_up),
		TEST(delete_of_an_original_alone_drops_then_destroys),
		TEST(delete_of_an_original_deletes_every_copy_everywhere),
		TEST(a_type_without_operations_needs_none),
		TEST(revoke_of_a_bad_slot_is_erange_or_ebadf),
		TEST(revoke_of_a_leaf_changes_nothing),
		TEST(revoke_removes_every_descendant_everywhere),
		TEST(revoke_of_a_long_chain),
		TEST(delete_of_the_original_of_a_long_chain),
		TEST(transfer_fills_the_lowest_free_slots_in_order),
		TEST(transfer_keeps_the_derivation_tree),
		TEST(transfer_of_nothing_succeeds),
		TEST(transfer_of_a_bad_slot_moves_nothing),
		TEST(transfer_of_a_slot_twice_is_einval),
		TEST(transfer_to_its_own_table_is_einval),
		TEST(transfer_without_room_is_enospc),
		TEST(clear_empties_a_table_of_originals_and_copies),
		TEST(clear_of_an_empty_table_does_nothing),
		TEST(tree_apply_visits_a_root_and_its_descendants),
		TEST(tree_apply_of_a_long_chain),
		TEST(table_free_counts_empty_slots),
	};

	return cmocka_run_group_tests_name("cap", tests, NULL, NULL);
}
