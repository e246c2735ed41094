/*
 * fuzz_cap.c - a libFuzzer target for capability tables and the
 * derivation tree (kernel/cap/cap.c).
 *
 * Each input is a program: a sequence of operations on NTABLES tables
 * holding capabilities to NOBJECTS objects of each of two types, small
 * enough that the fuzzer soon fills tables and grows deep trees across
 * them, with kmalloc failing when the input says so. A reference model
 * runs alongside: one entry per live capability (its parent, rights,
 * badge, type, object, info, table and slot) and the entry each slot
 * holds. Every call must return what the model predicts, and after every
 * operation the kernel must agree with the model (check_all): each slot
 * holds the capability the model says, with the fields it says (so a
 * badge never changes), whose table and slot point back to it; the
 * parent and sibling links agree with the model's tree, both ways; no
 * capability has a right its parent lacks; cap_tree_apply visits a
 * capability and what was derived from it, each once, and nothing else;
 * cap_count and the heap's live allocations equal the model's count.
 * Only a create or derive that passed its checks may call kmalloc. The
 * type operations check each call against the model: dropped exactly
 * for the capabilities that leave a table, while their table and slot
 * still say where they were (in order, for a transfer), all from about
 * the same stack depth (nothing recurses); destroy exactly for the
 * originals deleted, each after every copy of it. At the end every
 * table is cleared, and nothing may be left.
 *
 * Encoding: one byte per operation, its low three bits the kind, the
 * other five its argument; most kinds read more bytes. A missing byte
 * reads as 0. T is table arg % 4. A slot byte names slot byte % 64,
 * except 252-255: the out-of-range -1, CAP_SLOTS, 2^32 and LONG_MAX.
 *   OP_CREATE   + 1 byte b: cap_create in T, of type arg >> 2 & 1 (region
 *               or domain), object b >> 3 % 3 of that type, rights b & 7
 *   OP_DERIVE   + 3 bytes: slot, rights (the whole byte: bits above
 *               CAP_RIGHTS_ALL are invalid), badge (badges[byte % 4]);
 *               cap_derive in T
 *   OP_DELETE   + 1 byte: slot; cap_delete in T
 *   OP_REVOKE   + 1 byte: slot; cap_revoke in T
 *   OP_TRANSFER + 1 byte b, then b % 4 slot bytes: cap_transfer of those
 *               slots from T to table arg >> 2 & 3 (T again: -EINVAL);
 *               new_slots is NULL if b & 4
 *   OP_CLEAR    cap_table_clear of T
 *   OP_LOOKUP   + 2 bytes: slot, b: cap_lookup in T of type b % 4
 *               (CAP_NONE .. CAP_CHANNEL) with rights b >> 2
 *   OP_FAIL     the (1 + arg % 4)th kmalloc from now fails, once
 * tests/fuzz/make_corpus.py writes seeds in this encoding.
 *
 * Run it with `make fuzz` (tests/host/host.mk).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

#include "cap/cap.h"
#include "lib/errno.h"

#include "host_heap.h"

#define NTABLES	  4
#define NOBJECTS  3 /* per type */
#define MAX_CAPS  (NTABLES * CAP_SLOTS)
#define UNTOUCHED (-7) /* in new_slots before a call that must not set it */

enum {
	OP_CREATE,
	OP_DERIVE,
	OP_DELETE,
	OP_REVOKE,
	OP_TRANSFER,
	OP_CLEAR,
	OP_LOOKUP,
	OP_FAIL
};

static const uint64_t badges[] = {0, 1, 2, UINT64_MAX};
static const enum cap_type types[] = {CAP_REGION, CAP_DOMAIN};

/* ---- the tables and their model ------------------------------------------ */

struct mcap {
	bool alive;
	int parent; /* index in m[], or -1: the original */
	enum cap_type type;
	unsigned rights;
	uint64_t badge; /* as it was made: it never changes */
	void *object;
	uint64_t info;
	int table, slot;
	struct cap *kc; /* the kernel's capability */
};

static struct cap_table tables[NTABLES];
static char objects[2][NOBJECTS];
static struct mcap m[MAX_CAPS];
static int mslot[NTABLES][CAP_SLOTS]; /* index in m[], or -1: empty */
static size_t mlive;
static uint64_t last_info;

/*
 * What the operation under way must do to m[i], decided before the
 * call: leaving (dropped once), destroyed (an original: destroy once,
 * after the dropped of every leaving copy of it: copies_left[i] of them,
 * counted down as they are dropped). root[i] is i's original.
 */
static bool leaving[MAX_CAPS], destroyed[MAX_CAPS];
static bool dropped_done[MAX_CAPS], destroy_done[MAX_CAPS];
static int root[MAX_CAPS], copies_left[MAX_CAPS];
static int drop_order[MAX_CAPS]; /* for a transfer: in this order */
static size_t ndrop_order, ndropped, ndestroyed;
static bool ordered;
/* The stack frames the dropped calls ran in: cap.c does not recurse, so
 * they lie within MAX_SPREAD bytes whatever the depth of the tree. */
static uintptr_t frame_low, frame_high;
#define MAX_SPREAD 2048

/* The model entry of kernel capability c, from its table and slot. */
NO_COVERAGE static int entry_of(const struct cap *c)
{
	ptrdiff_t t = c->table - tables;
	int i;

	CHECK(t >= 0 && t < NTABLES);
	CHECK(c->slot >= 0 && c->slot < CAP_SLOTS);
	i = mslot[t][c->slot];
	CHECK(i >= 0 && m[i].kc == c);
	return i;
}

/* c->table and c->slot still say where c was (the model is not yet
 * updated), and c has left that slot. */
NO_COVERAGE static void on_dropped(struct cap *c)
{
	uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
	int i = entry_of(c);

	if (frame_low == 0 || frame < frame_low)
		frame_low = frame;
	if (frame > frame_high)
		frame_high = frame;

	CHECK(c->table->slots[c->slot] != c);
	CHECK(leaving[i] && !dropped_done[i]);
	dropped_done[i] = true;
	if (ordered)
		CHECK(ndropped < ndrop_order && drop_order[ndropped] == i);
	ndropped++;
	if (root[i] != i)
		copies_left[root[i]]--;
}

NO_COVERAGE static void on_destroy(struct cap *c)
{
	int i = entry_of(c);

	CHECK(destroyed[i] && !destroy_done[i]);
	CHECK(copies_left[i] == 0);
	CHECK(c->parent == NULL && c->first_child == NULL);
	CHECK(c->object == m[i].object);
	destroy_done[i] = true;
	ndestroyed++;
}

static const struct cap_type_ops logged_ops = {on_dropped, on_destroy};

/*
 * The model's tree in preorder: order[] lists the live entries, each
 * after its parent, and what is derived from m[i] is exactly what lies
 * in order[pos[i] + 1 .. pos[i] + tree_size[i]) (in_tree). root[i] is
 * i's original; nkids[i] how many were derived from it directly.
 */
static int order[MAX_CAPS], pos[MAX_CAPS], tree_size[MAX_CAPS];
static int nkids[MAX_CAPS];
static int norder;

NO_COVERAGE static void model_tree(void)
{
	static int first_kid[MAX_CAPS], next_kid[MAX_CAPS], stack[MAX_CAPS];
	int n = 0;

	for (int i = 0; i < MAX_CAPS; i++) {
		first_kid[i] = -1;
		nkids[i] = 0;
		tree_size[i] = 1;
	}
	for (int i = MAX_CAPS; i-- > 0;)
		if (m[i].alive && m[i].parent >= 0) {
			next_kid[i] = first_kid[m[i].parent];
			first_kid[m[i].parent] = i;
			nkids[m[i].parent]++;
		} else if (m[i].alive) {
			stack[n++] = i;
		}
	for (norder = 0; n > 0; norder++) {
		int i = stack[--n];

		order[norder] = i;
		pos[i] = norder;
		root[i] = m[i].parent < 0 ? i : root[m[i].parent];
		for (int k = first_kid[i]; k >= 0; k = next_kid[k])
			stack[n++] = k;
	}
	CHECK((size_t)norder == mlive);
	for (int k = norder; k-- > 0;)
		if (m[order[k]].parent >= 0)
			tree_size[m[order[k]].parent] += tree_size[order[k]];
}

/* Is m[j] m[i] or derived from it? */
static bool in_tree(int j, int i)
{
	return pos[j] >= pos[i] && pos[j] < pos[i] + tree_size[i];
}

/* Forgets what the last operation was to do. */
NO_COVERAGE static void plan_reset(void)
{
	for (int i = 0; i < MAX_CAPS; i++) {
		leaving[i] = destroyed[i] = false;
		dropped_done[i] = destroy_done[i] = false;
		copies_left[i] = 0;
	}
	model_tree();
	ndrop_order = ndropped = ndestroyed = 0;
	ordered = false;
	frame_low = frame_high = 0;
}

static void plan_leave(int i)
{
	if (leaving[i])
		return;
	leaving[i] = true;
	if (root[i] != i)
		copies_left[root[i]]++;
}

/* m[i] and everything derived from it leave; i's object is destroyed. */
static void plan_original_deleted(int i)
{
	for (int k = pos[i]; k < pos[i] + tree_size[i]; k++)
		plan_leave(order[k]);
	destroyed[i] = true;
}

/* Everything derived from m[i] leaves. */
static void plan_descendants_leave(int i)
{
	for (int k = pos[i] + 1; k < pos[i] + tree_size[i]; k++)
		plan_leave(order[k]);
}

/* After the call: everything planned has gone, and what was derived
 * from something gone now hangs from its closest ancestor that stays. */
NO_COVERAGE static void model_apply(void)
{
	CHECK(ndropped == ndrop_order || !ordered);
	CHECK(frame_high - frame_low < MAX_SPREAD);
	for (int i = 0; i < MAX_CAPS; i++) {
		CHECK(leaving[i] == dropped_done[i]);
		CHECK(destroyed[i] == destroy_done[i]);
		if (!m[i].alive || leaving[i])
			continue;
		while (m[i].parent >= 0 && leaving[m[i].parent])
			m[i].parent = m[m[i].parent].parent;
	}
	for (int i = 0; i < MAX_CAPS; i++)
		if (leaving[i]) {
			m[i].alive = false;
			mslot[m[i].table][m[i].slot] = -1;
			mlive--;
		}
}

static long model_free_slot(int t)
{
	for (long s = 0; s < CAP_SLOTS; s++)
		if (mslot[t][s] < 0)
			return s;
	return -ENOSPC;
}

static size_t model_free_count(int t)
{
	size_t n = 0;

	for (long s = 0; s < CAP_SLOTS; s++)
		n += mslot[t][s] < 0;
	return n;
}

/* A new model entry for kernel capability kc in slot s of table t. */
static int model_add(int t, long s, struct cap *kc)
{
	int i = 0;

	while (i < MAX_CAPS && m[i].alive)
		i++;
	CHECK(i < MAX_CAPS);
	m[i] = (struct mcap){.alive = true,
			     .parent = -1,
			     .table = t,
			     .slot = (int)s,
			     .kc = kc};
	mslot[t][s] = i;
	mlive++;
	return i;
}

/* The model's answer to slot_get: the entry, or -1 and *err. */
static int model_slot(int t, long slot, int *err)
{
	if (slot < 0 || slot >= CAP_SLOTS) {
		*err = -ERANGE;
		return -1;
	}
	if (mslot[t][slot] < 0) {
		*err = -EBADF;
		return -1;
	}
	return mslot[t][slot];
}

/* ---- checks -------------------------------------------------------------- */

static int visits, visit_root;
static unsigned visit_stamp, stamp[MAX_CAPS];

/* cap_tree_apply visits each of visit_root's tree once, and no more. */
NO_COVERAGE static void visit(struct cap *c, void *arg)
{
	int i = entry_of(c);

	(void)arg;
	CHECK(in_tree(i, visit_root) && stamp[i] != visit_stamp);
	CHECK(visits > 0 || i == visit_root);
	stamp[i] = visit_stamp;
	visits++;
}

NO_COVERAGE static void check_tree_apply(int i)
{
	visits = 0;
	visit_root = i;
	visit_stamp++;
	cap_tree_apply(m[i].kc, visit, NULL);
	CHECK(visits == tree_size[i]);
}

/* One capability agrees with its model entry; its children list holds
 * exactly as many as the model's, each linked back to it. */
NO_COVERAGE static void check_cap(int t, long s)
{
	const struct cap *c = tables[t].slots[s], *k, *prev = NULL;
	const struct mcap *e = &m[mslot[t][s]];
	int n = 0;

	CHECK(c == e->kc && c->table == &tables[t] && c->slot == s);
	CHECK(c->type == e->type && c->rights == e->rights);
	CHECK(c->badge == e->badge && c->object == e->object);
	CHECK(c->info == e->info);
	if (e->parent < 0) {
		CHECK(!c->parent && !c->prev_sibling && !c->next_sibling);
	} else {
		CHECK(c->parent == m[e->parent].kc);
		CHECK((c->rights & ~c->parent->rights) == 0);
	}
	for (k = c->first_child; k; k = k->next_sibling) {
		CHECK(n < nkids[mslot[t][s]]);
		CHECK(k->parent == c && k->prev_sibling == prev);
		entry_of(k);
		prev = k;
		n++;
	}
	CHECK(n == nkids[mslot[t][s]]);
}

/*
 * Everything that must hold after every operation. cap_tree_apply is
 * checked from every original, and from each capability of one table,
 * a different one each step.
 */
NO_COVERAGE static void check_all(void)
{
	static unsigned step;
	int apply_table = step++ % NTABLES;

	model_tree();
	for (int t = 0; t < NTABLES; t++) {
		for (long s = 0; s < CAP_SLOTS; s++) {
			int i = mslot[t][s];

			if (i < 0) {
				CHECK(tables[t].slots[s] == NULL);
				continue;
			}
			check_cap(t, s);
			if (t == apply_table || m[i].parent < 0)
				check_tree_apply(i);
		}
		CHECK(cap_table_free(&tables[t]) == model_free_count(t));
	}
	CHECK(cap_count == mlive);
	CHECK(host_heap_live() == mlive);
}

/* ---- operations ---------------------------------------------------------- */

static void do_create(int t, enum cap_type type, void *object, unsigned rights)
{
	long want = model_free_slot(t), got;
	size_t calls = host_heap_calls();
	int i;

	if (want >= 0 && host_heap_fail_in() == 1)
		want = -ENOMEM;
	got = cap_create(&tables[t], type, object, rights);
	CHECK(got == want);
	CHECK(host_heap_calls() == calls + (want == -ENOSPC ? 0 : 1));
	if (got < 0)
		return;
	i = model_add(t, got, tables[t].slots[got]);
	m[i].type = type;
	m[i].rights = rights;
	m[i].object = object;
	/* What the layers above keep in info (a domain's exit status). */
	m[i].info = tables[t].slots[got]->info = ++last_info;
}

/* What cap_derive must answer, before it allocates anything. */
static long derive_verdict(int t, long slot, unsigned rights, uint64_t badge)
{
	int err, p = model_slot(t, slot, &err);

	if (p < 0)
		return err;
	if (rights & ~CAP_RIGHTS_ALL)
		return -EINVAL;
	if (rights & ~m[p].rights)
		return -EPERM;
	if (badge && m[p].badge && badge != m[p].badge)
		return -EPERM;
	return model_free_slot(t);
}

static void do_derive(int t, long slot, unsigned rights, uint64_t badge)
{
	long want = derive_verdict(t, slot, rights, badge), got;
	bool allocates = want >= 0;
	size_t calls = host_heap_calls();
	int i, p;

	if (allocates && host_heap_fail_in() == 1)
		want = -ENOMEM;
	got = cap_derive(&tables[t], slot, rights, badge);
	CHECK(got == want);
	CHECK(host_heap_calls() == calls + allocates);
	if (got < 0)
		return;
	p = mslot[t][slot];
	i = model_add(t, got, tables[t].slots[got]);
	m[i].parent = p;
	m[i].type = m[p].type;
	m[i].rights = rights;
	m[i].badge = badge ? badge : m[p].badge;
	m[i].object = m[p].object;
	m[i].info = m[p].info;
}

static void do_delete(int t, long slot)
{
	int err = 0, i = model_slot(t, slot, &err);

	plan_reset();
	if (i >= 0 && m[i].parent < 0)
		plan_original_deleted(i);
	else if (i >= 0)
		plan_leave(i);
	CHECK(cap_delete(&tables[t], slot) == err);
	model_apply();
}

static void do_revoke(int t, long slot)
{
	int err = 0, i = model_slot(t, slot, &err);

	plan_reset();
	if (i >= 0)
		plan_descendants_leave(i);
	CHECK(cap_revoke(&tables[t], slot) == err);
	if (i >= 0)
		CHECK(m[i].kc->first_child == NULL);
	model_apply();
}

/* What cap_transfer must answer, checking in cap.h's order. */
static int transfer_verdict(int from, const long *slots, size_t n, int to)
{
	int err;

	if (from == to)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (model_slot(from, slots[i], &err) < 0)
			return err;
		for (size_t j = 0; j < i; j++)
			if (slots[j] == slots[i])
				return -EINVAL;
	}
	return model_free_count(to) < n ? -ENOSPC : 0;
}

/* Moves the model's entries: each to the lowest free slot of to. */
static void model_transfer(int from, const long *slots, size_t n, int to,
			   const long *new_slots)
{
	for (size_t k = 0; k < n; k++) {
		int i = mslot[from][slots[k]];
		long s = model_free_slot(to);

		CHECK(new_slots == NULL || new_slots[k] == s);
		mslot[from][slots[k]] = -1;
		mslot[to][s] = i;
		m[i].table = to;
		m[i].slot = (int)s;
	}
}

static void do_transfer(int from, const long *slots, size_t n, int to,
			bool want_slots)
{
	long new_slots[3] = {UNTOUCHED, UNTOUCHED, UNTOUCHED};
	int want = transfer_verdict(from, slots, n, to);

	plan_reset();
	ordered = true;
	for (size_t k = 0; want == 0 && k < n; k++) {
		int i = mslot[from][slots[k]];

		leaving[i] = true; /* leaves from, not the tree */
		drop_order[ndrop_order++] = i;
	}
	CHECK(cap_transfer(&tables[from], slots, n, &tables[to],
			   want_slots ? new_slots : NULL) == want);
	CHECK(ndropped == ndrop_order);
	if (want != 0) {
		for (size_t k = 0; k < 3; k++)
			CHECK(new_slots[k] == UNTOUCHED);
		return;
	}
	model_transfer(from, slots, n, to, want_slots ? new_slots : NULL);
	plan_reset(); /* nothing left the model */
}

/*
 * Every capability in t goes; with each original, everything derived
 * from it. What else was derived from a copy in t climbs up.
 */
static void do_clear(int t)
{
	plan_reset();
	for (long s = 0; s < CAP_SLOTS; s++) {
		int i = mslot[t][s];

		if (i >= 0 && m[i].parent < 0)
			plan_original_deleted(i);
		else if (i >= 0)
			plan_leave(i);
	}
	cap_table_clear(&tables[t]);
	model_apply();
	for (long s = 0; s < CAP_SLOTS; s++)
		CHECK(tables[t].slots[s] == NULL);
}

static void do_lookup(int t, long slot, enum cap_type type, unsigned rights)
{
	int err = 0, got_err = 1, i = model_slot(t, slot, &err);
	struct cap *got = cap_lookup(&tables[t], slot, type, rights, &got_err);

	if (i >= 0 && type != CAP_NONE && type != m[i].type)
		err = -EPROTOTYPE;
	else if (i >= 0 && (rights & ~m[i].rights))
		err = -EPERM;
	if (err) {
		CHECK(got == NULL && got_err == err);
		return;
	}
	CHECK(got == m[i].kc);
}

/* ---- the input ----------------------------------------------------------- */

/* The input: struct input and next_byte are in fuzz_common.h. */
static long next_slot(struct input *in)
{
	return next_slot_of(in, CAP_SLOTS);
}

static void run_transfer(struct input *in, unsigned arg)
{
	uint8_t b = next_byte(in);
	long slots[3];
	size_t n = b % 4;

	for (size_t k = 0; k < n; k++)
		slots[k] = next_slot(in);
	do_transfer(arg % 4, slots, n, arg >> 2 & 3, !(b & 4));
}

static void run_op(struct input *in)
{
	uint8_t op = next_byte(in), b;
	unsigned arg = op >> 3;
	int t = arg % 4;
	long slot;

	switch (op & 7) {
	case OP_CREATE:
		b = next_byte(in);
		do_create(t, types[arg >> 2 & 1],
			  &objects[arg >> 2 & 1][(b >> 3) % NOBJECTS], b & 7);
		break;
	case OP_DERIVE:
		slot = next_slot(in);
		b = next_byte(in);
		do_derive(t, slot, b, badges[next_byte(in) % 4]);
		break;
	case OP_DELETE:
		do_delete(t, next_slot(in));
		break;
	case OP_REVOKE:
		do_revoke(t, next_slot(in));
		break;
	case OP_TRANSFER:
		run_transfer(in, arg);
		break;
	case OP_CLEAR:
		do_clear(t);
		break;
	case OP_LOOKUP:
		slot = next_slot(in);
		b = next_byte(in);
		do_lookup(t, slot, (enum cap_type)(b % 4), b >> 2);
		break;
	case OP_FAIL:
		host_heap_fail_nth(1 + arg % 4);
		break;
	}
}

/* Empty tables and model; the type operations that check the calls. */
static void reset(void)
{
	cap_register_type(CAP_REGION, &logged_ops);
	cap_register_type(CAP_DOMAIN, &logged_ops);
	for (int i = 0; i < MAX_CAPS; i++)
		m[i].alive = false;
	for (int t = 0; t < NTABLES; t++)
		for (long s = 0; s < CAP_SLOTS; s++) {
			CHECK(tables[t].slots[s] == NULL);
			mslot[t][s] = -1;
		}
	mlive = 0;
	host_heap_fail_nth(0);
	CHECK(cap_count == 0 && host_heap_live() == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size, 0};

	reset();
	while (in.pos < in.size) {
		size_t calls = host_heap_calls();
		uint8_t kind = in.data[in.pos] & 7;

		run_op(&in);
		/* Only those allocate. */
		if (kind != OP_CREATE && kind != OP_DERIVE)
			CHECK(host_heap_calls() == calls);
		check_all();
	}
	host_heap_fail_nth(0);
	for (int t = 0; t < NTABLES; t++) {
		do_clear(t);
		check_all();
	}
	CHECK(mlive == 0 && cap_count == 0 && host_heap_live() == 0);
	return 0;
}
