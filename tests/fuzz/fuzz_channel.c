/*
 * fuzz_channel.c - a libFuzzer target for channels (kernel/ipc/channel.c,
 * with kernel/cap/cap.c).
 *
 * Each input is a program: a sequence of operations on NTABLES domain
 * tables: create a channel, send (data, capabilities, regions moved or
 * copied, flags good and bad), receive, wait, delete a capability (which
 * closes an end, or destroys a region, when it is the original), derive
 * a copy, revoke the copies of one, make a region, move a capability to
 * another table, and make kmalloc fail. A model runs alongside: for every end alive, its peer
 * and the messages waiting there, each with the kernel capabilities it
 * carries (the model learns from kfree when one of them is deleted on
 * the way: it must then arrive as -1). Every call must return what the
 * model predicts (channel.h's contract, its errors checked in channel.c's
 * order: the contract does not say which of two errors comes first), and
 * after every operation (check_all):
 *   - every capability is in exactly one table, a domain table or the
 *     transit table of a message waiting at a live end, whose table and
 *     slot point back to it; there are cap_count of them;
 *   - each message's transit table holds exactly what that message still
 *     carries, in the slots its record names (0, 1, ...: anything
 *     elsewhere, or in a record not in use, would leave the count above
 *     short); each end's queue agrees with the model, and peers point
 *     at each other; when an end is freed, all its records are empty;
 *   - no message carries an end of the channel it waits in (either end:
 *     channel_send refuses both);
 *   - an original capability in flight is deleted only with the end
 *     whose queue holds it (copies may go: their parent was revoked or
 *     deleted);
 *   - every live end and region has exactly one original capability;
 *     channel_end_count is the number of ends alive;
 *   - the heap holds exactly the capabilities, ends and regions alive.
 * A refused send changes nothing: the domain tables, the queues, the
 * regions (none parked), the counts, and it fires no event. A receive
 * returns the oldest message, as it was sent, what it still carries in
 * the lowest free slots and -1 for what was deleted on the way. At the
 * end every domain table is cleared, and then the ends still alive must
 * be exactly those that no domain reached through original capabilities
 * (mark_reached), nothing else may be left.
 *
 * Those ends are a known limitation, not a bug to step round: channels
 * X and Y, an end of X waiting in Y's queue and an end of Y in X's, held
 * by no domain, can never close (labs/lab7-ipc.md, "Cycles";
 * tests/host/test_channel.c, cycle_across_two_channels_is_not_collected).
 * They are tolerated while the program runs and collected at the end by
 * deleting their originals where they wait, so that the leak check
 * still sees everything else.
 *
 * Encoding: one byte per operation, its low three bits the kind, the
 * other five its argument arg; most kinds read more bytes. A missing
 * byte reads as 0. T is table arg % 3. A slot byte names slot byte % 64,
 * except 252-255: the out-of-range -1, CAP_SLOTS, 2^32 and LONG_MAX.
 *   OP_CREATE   channel_create in T
 *   OP_SEND     + slot, shape s, length, then a slot byte per capability
 *               and a region byte per region: channel_send on the end in
 *               slot of T. s & 3 capabilities, s >> 2 & 3 regions, s &
 *               0x10: MSG_COPY; s >> 5: 4 makes it 4 and 4, 5 and 6 one
 *               too many caps or regions (after reading s & 3 and s >> 2 &
 *               3 bytes for them), 7 an unknown flag. The data is
 *               length % 72 bytes, stamped with the send's number. A
 *               region byte r names region r & 31 (modulo the regions
 *               alive, newest first) as a whole, or (r >> 5) 4: 8 bytes
 *               in, 5: one page more, 6: no pages, 7: one page less, or
 *               the page after it if it has only one.
 *   OP_RECEIVE  + slot: channel_receive on the end in slot of T
 *   OP_CLOSE    + slot: cap_delete in T
 *   OP_DERIVE   + slot, rights byte: cap_derive in T, rights byte & 7
 *   OP_REGION   + byte b: a region of 1 + b % 3 pages, read-only if b &
 *               0x40, without REGION_U if b & 0x80; its original in T
 *   OP_MOVE     + slot: cap_transfer of it from T to table arg / 3 % 3
 *   OP_OTHER    arg & 1: the (1 + (arg >> 1) % 4)th kmalloc from now
 *               fails, once; otherwise + slot, in table (arg >> 1 & 3) %
 *               3: arg & 16, cap_revoke; else channel_wait for
 *               EVENT_MESSAGE, EVENT_ROOM if arg & 8
 * tests/fuzz/make_corpus.py writes seeds in this encoding.
 *
 * The heap, regions, user memory and events are the stand-ins of
 * tests/host/host_heap.c and host_ipc_stubs.c; kfree tells the model
 * what it frees (model_freed).
 *
 * Run it with `make fuzz` (tests/host/host.mk).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

#include "arch/x86_64/layout.h"
#include "cap/cap.h"
#include "cont/cont.h"
#include "ipc/channel.h"
#include "kern/lab.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/region.h"
#include "mm/usercopy.h"

#include "host_heap.h"
#include "host_ipc_stubs.h"

#define NTABLES	    3
#define MAX_ENDS    64 /* alive at once; creating more is skipped */
#define MAX_REGIONS 48 /* made by OP_REGION, alive at once */
#define URW	    (REGION_R | REGION_W | REGION_U)

enum {
	OP_CREATE,
	OP_SEND,
	OP_RECEIVE,
	OP_CLOSE,
	OP_DERIVE,
	OP_REGION,
	OP_MOVE,
	OP_OTHER
};

/* ---- the lab stubs (kern/lab.h) ------------------------------------------ */

/* Only a student's tree reaches it. */
void lab_missing(int lab, const char *what)
{
	fprintf(stderr, "LAB %d: %s() is not written yet\n", lab, what);
	abort();
}

/* ---- the model ---------------------------------------------------------------- */

/* A message waiting, as the receiver must get it. A capability deleted
 * on the way is NULL here (cap_freed): it arrives as -1. */
struct mmsg {
	uint32_t len, ncaps, nregions;
	uint8_t data[MSG_DATA_MAX];
	struct cap *caps[MSG_CAPS_MAX];		  /* the kernel's, moving */
	struct cap *rcaps[MSG_REGIONS_MAX];	  /* each region's capability */
	bool copy[MSG_CAPS_MAX];		  /* caps[k] was derived */
	struct msg_region where[MSG_REGIONS_MAX]; /* address and pages */
};

struct mend {
	struct channel_end *e; /* NULL: a free entry */
	int peer;	       /* its index, or -1 once it closed */
	struct mmsg q[CHANNEL_QUEUE];
	unsigned head, count;
	int originals; /* original capabilities found by check_all */
	bool reached;  /* through originals, from the domain tables */
	bool doomed;   /* an original it carries was deleted: it is closing */
};

static struct cap_table tables[NTABLES];
static struct mend ends[MAX_ENDS];
static size_t nends; /* alive */
static uint64_t sends;

NO_COVERAGE static int end_index(const void *e)
{
	for (int i = 0; i < MAX_ENDS; i++)
		if (ends[i].e && ends[i].e == e)
			return i;
	return -1;
}

/* Capabilities in t (cap_table_free is under test, and traced). */
NO_COVERAGE static size_t used_slots(const struct cap_table *t)
{
	size_t n = 0;

	for (long s = 0; s < CAP_SLOTS; s++)
		n += t->slots[s] != NULL;
	return n;
}

NO_COVERAGE static bool same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
	while (n > 0 && *a == *b) {
		a++;
		b++;
		n--;
	}
	return n == 0;
}

/* kfree of a model end: it closed. Its queue and every transit table
 * must be empty by now; its peer forgets it. */
static void end_freed(const void *p)
{
	int i = end_index(p);

	if (i < 0)
		return;
	CHECK(ends[i].e->count == 0);
	for (unsigned j = 0; j < CHANNEL_QUEUE; j++)
		CHECK(used_slots(&ends[i].e->queue[j].transit) == 0);
	if (ends[i].peer >= 0)
		ends[ends[i].peer].peer = -1;
	ends[i].e = NULL;
	nends--;
}

/* kfree of a capability a waiting message carries: deleted on the way.
 * A copy may go (its parent revoked or deleted); an original goes only
 * when the end whose queue holds it closes (check_all: doomed). */
static void cap_freed(const void *p)
{
	for (int i = 0; i < MAX_ENDS; i++) {
		struct mend *m = &ends[i];

		for (unsigned j = 0; m->e && j < m->count; j++) {
			struct mmsg *q = &m->q[(m->head + j) % CHANNEL_QUEUE];

			for (uint32_t k = 0; k < q->ncaps; k++)
				if (q->caps[k] == p) {
					q->caps[k] = NULL;
					m->doomed |= !q->copy[k];
				}
			for (uint32_t k = 0; k < q->nregions; k++)
				if (q->rcaps[k] == p) {
					q->rcaps[k] = NULL;
					m->doomed = true; /* always originals */
				}
		}
	}
}

/* kfree tells the model when what goes is an end or a capability. */
static void model_freed(const void *p)
{
	end_freed(p);
	cap_freed(p);
}

static int model_add_end(struct channel_end *e)
{
	int i = 0;

	while (i < MAX_ENDS && ends[i].e)
		i++;
	CHECK(i < MAX_ENDS);
	ends[i] = (struct mend){.e = e, .peer = -1};
	nends++;
	return i;
}

/* ---- checks -------------------------------------------------------------------- */

static size_t caps_seen;

/* One capability found in slot s of table t. */
NO_COVERAGE static void check_cap(const struct cap_table *t, long s)
{
	const struct cap *c = t->slots[s];

	caps_seen++;
	CHECK(c->table == t && c->slot == s);
	CHECK((c->rights & ~CAP_RIGHTS_ALL) == 0);
	if (c->parent)
		CHECK(c->parent->type == c->type &&
		      c->parent->object == c->object);
	if (c->type == CAP_CHANNEL) {
		int i = end_index(c->object);

		CHECK(i >= 0); /* never a closed end */
		ends[i].originals += !c->parent;
	} else {
		const struct region *r = fake_regions;

		CHECK(c->type == CAP_REGION);
		while (r && r != c->object)
			r = r->next;
		CHECK(r != NULL); /* never a destroyed region */
		fake_of(r)->tally += !c->parent;
	}
}

/* Each transit table of an end holds what its message still carries,
 * in slots 0, 1, ... where its record says, and each capability there
 * passes check_cap; none is to an end of this channel; the queue agrees
 * with the model. Only those slots are looked at: a capability anywhere
 * else (or in a record not in use) would leave check_all's count short
 * of cap_count. */
NO_COVERAGE static void check_queue(const struct mend *m)
{
	const struct channel_end *e = m->e;
	const struct channel_end *peer = m->peer >= 0 ? ends[m->peer].e : NULL;

	CHECK(e->count == m->count && e->head == m->head);
	CHECK(e->peer == peer);
	if (peer)
		CHECK(peer->peer == e);
	CHECK(!m->doomed); /* it would have closed by now */
	for (unsigned j = 0; j < m->count; j++) {
		unsigned at = (m->head + j) % CHANNEL_QUEUE;
		const struct mmsg *want = &m->q[at];
		const struct message *q = &e->queue[at];
		size_t carried = 0, held = 0, n;
		uint64_t used = 0;

		CHECK(q->len == want->len && q->ncaps == want->ncaps &&
		      q->nregions == want->nregions);
		n = q->ncaps + q->nregions;
		CHECK(n <= CAP_SLOTS);
		for (size_t s = 0; s < n; s++)
			if (q->transit.slots[s]) {
				check_cap(&q->transit, (long)s);
				held++;
			}
		for (uint32_t k = 0; k < n; k++) {
			long s = k < q->ncaps
					 ? q->caps[k]
					 : (long)q->regions[k - q->ncaps].cap;
			const struct cap *c =
				k < q->ncaps ? want->caps[k]
					     : want->rcaps[k - q->ncaps];

			CHECK(s >= 0 && (size_t)s < n && !(used >> s & 1));
			used |= (uint64_t)1 << s;
			CHECK(q->transit.slots[s] == c);
			carried += c != NULL;
			if (c && c->type == CAP_CHANNEL)
				CHECK(c->object != e && c->object != peer);
		}
		CHECK(held == carried);
	}
}

/* Marks the ends whose originals are in t and not marked yet, pushing
 * them on stack (of n): returns the new n. */
NO_COVERAGE static int mark_in(const struct cap_table *t, int *stack, int n)
{
	for (long s = 0; s < CAP_SLOTS; s++) {
		const struct cap *c = t->slots[s];
		int k;

		if (!c || c->type != CAP_CHANNEL || c->parent)
			continue;
		k = end_index(c->object);
		if (!ends[k].reached) {
			ends[k].reached = true;
			stack[n++] = k;
		}
	}
	return n;
}

/* Marks what clearing the domain tables would close: the ends whose
 * originals are there, or in the transit tables of ends marked. Returns
 * how many. */
NO_COVERAGE static size_t mark_reached(void)
{
	int stack[MAX_ENDS], n = 0;
	size_t marked = 0;

	for (int i = 0; i < MAX_ENDS; i++)
		ends[i].reached = false;
	for (int t = 0; t < NTABLES; t++)
		n = mark_in(&tables[t], stack, n);
	marked = (size_t)n;
	while (n > 0) {
		int before, i = stack[--n];

		before = n;
		for (unsigned j = 0; j < CHANNEL_QUEUE; j++)
			n = mark_in(&ends[i].e->queue[j].transit, stack, n);
		marked += (size_t)(n - before);
	}
	return marked;
}

/* Everything that must hold after every operation. */
NO_COVERAGE static void check_all(void)
{
	caps_seen = 0;
	for (int i = 0; i < MAX_ENDS; i++)
		ends[i].originals = 0;
	for (struct region *r = fake_regions; r; r = r->next)
		fake_of(r)->tally = 0;
	for (int t = 0; t < NTABLES; t++)
		for (long s = 0; s < CAP_SLOTS; s++)
			if (tables[t].slots[s])
				check_cap(&tables[t], s);
	for (int i = 0; i < MAX_ENDS; i++)
		if (ends[i].e)
			check_queue(&ends[i]);
	CHECK(caps_seen == cap_count);
	for (int i = 0; i < MAX_ENDS; i++)
		CHECK(!ends[i].e || ends[i].originals == 1);
	for (struct region *r = fake_regions; r; r = r->next)
		CHECK(fake_of(r)->tally == 1);
	CHECK(channel_end_count == nends);
	CHECK(host_heap_live() == cap_count + nends + fake_regions_live);
}

/* ---- what the kernel must answer ---------------------------------------------- */

/* cap_lookup's answer: the capability, or NULL and *err. */
static struct cap *lookup(const struct cap_table *t, long slot,
			  enum cap_type type, unsigned rights, int *err)
{
	struct cap *c;

	if (slot < 0 || slot >= CAP_SLOTS) {
		*err = -ERANGE;
		return NULL;
	}
	c = t->slots[slot];
	if (!c)
		*err = -EBADF;
	else if (type != CAP_NONE && c->type != type)
		*err = -EPROTOTYPE;
	else if ((c->rights & rights) != rights)
		*err = -EPERM;
	else
		return c;
	return NULL;
}

/* The slots a send moves, caps first (its "plan"). */
struct moves {
	long slot[MSG_CAPS_MAX + MSG_REGIONS_MAX];
	size_t n;
};

static bool listed(const struct moves *mv, long slot)
{
	for (size_t i = 0; i < mv->n; i++)
		if (mv->slot[i] == slot)
			return true;
	return false;
}

/* A region to move: whole, the sender's own, not also held as a copy. */
static int region_verdict(const struct cap_table *t,
			  const struct msg_region *mr, struct moves *mv)
{
	const struct region *r;
	long original = -1;
	bool copies = false;

	if (mr->addr % PAGE_SIZE || mr->pages == 0)
		return -EINVAL;
	r = region_find(mr->addr);
	if (!r || !(r->perms & REGION_U))
		return -EFAULT;
	if (r->start != mr->addr || r->pages != mr->pages)
		return -EINVAL;
	for (long s = 0; s < CAP_SLOTS; s++) {
		const struct cap *c = t->slots[s];

		if (c && c->type == CAP_REGION && c->object == r) {
			copies |= c->parent != NULL;
			original = c->parent ? original : s;
		}
	}
	if (original < 0)
		return -EPERM;
	if (copies)
		return -EBUSY;
	if (listed(mv, original))
		return -EINVAL;
	mv->slot[mv->n++] = original;
	return 0;
}

/* What channel_send(t, slot, m) must return; *to: the receiving end. */
static int send_verdict(const struct cap_table *t, long slot,
			const struct msg *m, int *to, struct moves *mv)
{
	const struct cap *c;
	int err, e;

	*to = -1;
	c = lookup(t, slot, CAP_CHANNEL, CAP_W, &err);
	if (!c)
		return err;
	e = end_index(c->object);
	*to = ends[e].peer;
	if (*to < 0)
		return -EPIPE;
	if (ends[*to].count == CHANNEL_QUEUE)
		return -EAGAIN;
	if (m->flags & ~MSG_COPY)
		return -EINVAL;
	if (m->len > MSG_DATA_MAX || m->ncaps > MSG_CAPS_MAX ||
	    m->nregions > MSG_REGIONS_MAX)
		return -E2BIG;
	mv->n = 0;
	for (uint32_t i = 0; i < m->ncaps; i++) {
		c = lookup(t, (long)m->caps[i], CAP_NONE, 0, &err);
		if (!c)
			return err;
		if (c->type == CAP_CHANNEL &&
		    (c->object == ends[*to].e || c->object == ends[e].e))
			return -EINVAL; /* an end of this channel */
		if (listed(mv, (long)m->caps[i]))
			return -EINVAL;
		mv->slot[mv->n++] = (long)m->caps[i];
	}
	for (uint32_t i = 0; i < m->nregions; i++) {
		const struct msg_region *mr = &m->regions[i];

		err = 0;
		if (!(m->flags & MSG_COPY))
			err = region_verdict(t, mr, mv);
		else if (mr->addr % PAGE_SIZE || mr->pages == 0 ||
			 mr->pages > REGION_HIGH_LIMIT / PAGE_SIZE)
			err = -EINVAL;
		else if (!user_range_ok(mr->addr, mr->pages * PAGE_SIZE,
					REGION_R))
			err = -EFAULT;
		if (err < 0)
			return err;
	}
	/* Each copy allocates twice: its region, then its capability. */
	if ((m->flags & MSG_COPY) && host_heap_fail_in() > 0 &&
	    host_heap_fail_in() <= 2 * m->nregions)
		return -ENOMEM;
	return 0;
}

/* ---- operations ---------------------------------------------------------------- */

static void do_create(int t)
{
	long want = used_slots(&tables[t]) > CAP_SLOTS - 2 ? -ENOSPC : 0;
	long got[2];
	int a, b;

	if (nends + 2 > MAX_ENDS)
		return;
	if (want == 0 && host_heap_fail_in() >= 1 && host_heap_fail_in() <= 4)
		want = -ENOMEM; /* two ends, two capabilities */
	CHECK(channel_create(&tables[t], got) == want);
	if (want < 0)
		return;
	a = model_add_end(tables[t].slots[got[0]]->object);
	b = model_add_end(tables[t].slots[got[1]]->object);
	CHECK(ends[a].e->id != ends[b].e->id);
	for (int i = 0; i < MAX_ENDS; i++)
		CHECK(!ends[i].e || i == a || i == b ||
		      (ends[i].e->id != ends[a].e->id &&
		       ends[i].e->id != ends[b].e->id));
	ends[a].peer = b;
	ends[b].peer = a;
}

/* The sender's table, the counts and the regions, before a send. */
struct before {
	struct cap_table t;
	size_t caps, heap, ends, regions, parked, heap_calls;
};

/* After a send refused: nothing changed (the queues: check_all). */
static void check_refused(const struct before *b, const struct cap_table *t)
{
	for (long s = 0; s < CAP_SLOTS; s++)
		CHECK(t->slots[s] == b->t.slots[s]);
	CHECK(cap_count == b->caps && host_heap_live() == b->heap);
	CHECK(channel_end_count == b->ends && fake_regions_live == b->regions);
	CHECK(fake_parked_pages() == b->parked && nfired == 0);
}

/* After a send went through: the model's queue gets the message. */
static void model_sent(int to, const struct msg *m, const struct before *b,
		       const struct moves *mv, const struct cap_table *t)
{
	struct mend *d = &ends[to];
	struct mmsg *q = &d->q[(d->head + d->count) % CHANNEL_QUEUE];
	const struct message *kq =
		&d->e->queue[(d->head + d->count) % CHANNEL_QUEUE];
	size_t parked = 0;

	*q = (struct mmsg){
		.len = m->len, .ncaps = m->ncaps, .nregions = m->nregions};
	memcpy(q->data, m->data, m->len);
	for (uint32_t k = 0; k < m->ncaps; k++) {
		q->caps[k] = b->t.slots[mv->slot[k]];
		q->copy[k] = q->caps[k]->parent != NULL;
	}
	for (uint32_t k = 0; k < m->nregions; k++) {
		long s = (long)kq->regions[k].cap;
		const struct cap *rc;
		const struct region *r;

		CHECK(s >= 0 && s < CAP_SLOTS);
		rc = kq->transit.slots[s];
		CHECK(rc && rc->type == CAP_REGION && !rc->parent);
		r = rc->object;
		q->rcaps[k] = (struct cap *)rc;
		q->where[k] = (struct msg_region){r->start, r->pages, 0};
		CHECK(r->pages == m->regions[k].pages);
		if (m->flags & MSG_COPY) {
			CHECK(r->start != m->regions[k].addr);
			CHECK(same_bytes(fake_of(r)->bytes,
					 fake_byte_at(m->regions[k].addr),
					 r->pages * PAGE_SIZE));
		} else {
			CHECK(rc == b->t.slots[mv->slot[m->ncaps + k]]);
			CHECK(r->start == m->regions[k].addr);
			parked += r->pages;
		}
	}
	d->count++;
	/* What moved left the sender; nothing else there changed. */
	for (long s = 0; s < CAP_SLOTS; s++)
		CHECK(t->slots[s] == (listed(mv, s) ? NULL : b->t.slots[s]));
	CHECK(fake_parked_pages() == b->parked + parked);
	CHECK(host_heap_calls() ==
	      b->heap_calls + ((m->flags & MSG_COPY) ? 2 * m->nregions : 0));
	CHECK(nfired == 1 && fired[0].kind == EVENT_MESSAGE &&
	      fired[0].key == d->e->id && fired[0].value == d->count);
}

static void do_send(int t, long slot, const struct msg *m)
{
	struct before b = {tables[t],	      cap_count,
			   host_heap_live(),  channel_end_count,
			   fake_regions_live, fake_parked_pages(),
			   host_heap_calls()};
	struct moves mv;
	int to, want, got;

	want = send_verdict(&tables[t], slot, m, &to, &mv);
	got = channel_send(&tables[t], slot, m);
	CHECK(got == want);
	if (got < 0)
		check_refused(&b, &tables[t]);
	else
		model_sent(to, m, &b, &mv, &tables[t]);
}

/* The k-th thing q carries, in message order (caps, then regions). */
static struct cap *carried(const struct mmsg *q, uint32_t k)
{
	return k < q->ncaps ? q->caps[k] : q->rcaps[k - q->ncaps];
}

/* What channel_receive must return, and where each thing the message
 * carries lands: the lowest free slots, in message order, or -1 for what
 * was deleted on the way (only what is left needs room). */
static int receive_verdict(const struct cap_table *t, long slot, int *from,
			   long *arrive)
{
	const struct mmsg *q;
	const struct cap *c;
	size_t left = 0;
	long s = 0;
	int err;

	c = lookup(t, slot, CAP_CHANNEL, CAP_R, &err);
	if (!c)
		return err;
	*from = end_index(c->object);
	if (ends[*from].count == 0)
		return ends[*from].peer >= 0 ? -EAGAIN : -EPIPE;
	q = &ends[*from].q[ends[*from].head];
	for (uint32_t k = 0; k < q->ncaps + q->nregions; k++) {
		arrive[k] = -1;
		if (!carried(q, k))
			continue;
		left++;
		while (s < CAP_SLOTS && t->slots[s])
			s++;
		if (s == CAP_SLOTS)
			return -ENOSPC;
		arrive[k] = s++;
	}
	CHECK(cap_table_free(t) >= left);
	return 0;
}

static void do_receive(int t, long slot)
{
	long arrive[MSG_CAPS_MAX + MSG_REGIONS_MAX];
	struct cap_table saved = tables[t];
	size_t calls = host_heap_calls();
	struct msg out;
	struct mend *e;
	const struct mmsg *q;
	int from, want = receive_verdict(&tables[t], slot, &from, arrive);

	CHECK(channel_receive(&tables[t], slot, &out) == want);
	CHECK(host_heap_calls() == calls);
	if (want < 0) {
		for (long s = 0; s < CAP_SLOTS; s++)
			CHECK(tables[t].slots[s] == saved.slots[s]);
		CHECK(nfired == 0);
		return;
	}
	/* The oldest message, as it was sent. */
	e = &ends[from];
	q = &e->q[e->head];
	CHECK(out.flags == 0 && out.len == q->len);
	CHECK(memcmp(out.data, q->data, q->len) == 0);
	CHECK(out.ncaps == q->ncaps && out.nregions == q->nregions);
	for (uint32_t k = 0; k < q->ncaps + q->nregions; k++) {
		long s = k < q->ncaps ? (long)out.caps[k]
				      : (long)out.regions[k - q->ncaps].cap;

		CHECK(s == arrive[k]);
		CHECK(s < 0 || tables[t].slots[s] == carried(q, k));
	}
	for (uint32_t k = 0; k < q->nregions; k++)
		CHECK(out.regions[k].addr == q->where[k].addr &&
		      out.regions[k].pages == q->where[k].pages);
	/* What arrived is all that changed in t. */
	for (long s = 0; s < CAP_SLOTS; s++) {
		bool landed = false;

		for (uint32_t k = 0; k < q->ncaps + q->nregions; k++)
			landed |= arrive[k] == s;
		if (!landed)
			CHECK(tables[t].slots[s] == saved.slots[s]);
	}
	e->head = (e->head + 1) % CHANNEL_QUEUE;
	e->count--;
	if (e->peer < 0)
		CHECK(nfired == 0);
	else
		CHECK(nfired == 1 && fired[0].kind == EVENT_ROOM &&
		      fired[0].key == ends[e->peer].e->id &&
		      fired[0].value == CHANNEL_QUEUE - e->count);
}

static void do_wait(int t, long slot, enum event_kind kind)
{
	bool message = kind == EVENT_MESSAGE;
	uint64_t key = 0, value = 0, want_key = 0, want_value = 0;
	const struct cap *c;
	const struct mend *e;
	int err, want;

	c = lookup(&tables[t], slot, CAP_CHANNEL, message ? CAP_R : CAP_W,
		   &err);
	if (!c) {
		CHECK(channel_wait(&tables[t], slot, kind, &key, &value) ==
		      err);
		return;
	}
	e = &ends[end_index(c->object)];
	if (message) {
		want = e->count || e->peer < 0;
		want_value = e->count;
	} else {
		want = e->peer < 0 || ends[e->peer].count < CHANNEL_QUEUE;
		want_value =
			e->peer < 0 ? 0 : CHANNEL_QUEUE - ends[e->peer].count;
	}
	want_key = want ? 0 : e->e->id;
	CHECK(channel_wait(&tables[t], slot, kind, &key, &value) == want);
	CHECK(want ? value == want_value : key == want_key);
}

/* cap_revoke: the copies it deletes in flight, the model learns of
 * from kfree. */
static void do_revoke(int t, long slot)
{
	int err = 0;

	if (slot < 0 || slot >= CAP_SLOTS)
		err = -ERANGE;
	else if (!tables[t].slots[slot])
		err = -EBADF;
	CHECK(cap_revoke(&tables[t], slot) == err);
	CHECK(nfired == 0); /* copies only: no end closes */
}

/* Deletes a capability; the model learns of closed ends from kfree. */
static void do_close(int t, long slot)
{
	int err = 0;

	if (slot < 0 || slot >= CAP_SLOTS)
		err = -ERANGE;
	else if (!tables[t].slots[slot])
		err = -EBADF;
	CHECK(cap_delete(&tables[t], slot) == err);
}

static void do_region(int t, uint8_t b)
{
	unsigned perms = b & 0x40 ? REGION_R | REGION_U : URW;
	struct region *r;

	if (b & 0x80)
		perms &= ~(unsigned)REGION_U;
	if (fake_regions_live >= MAX_REGIONS ||
	    region_create(1 + b % 3, perms, 0, &r) < 0)
		return;
	if (cap_create(&tables[t], CAP_REGION, r, CAP_R | CAP_W) < 0)
		region_destroy(r);
}

/* ---- the input ------------------------------------------------------------------ */

/* The input: struct input and next_byte are in fuzz_common.h. */
static long next_slot(struct input *in)
{
	return next_slot_of(in, CAP_SLOTS);
}

/* A region byte: which region, and how well it is named. */
static struct msg_region next_region(struct input *in)
{
	uint8_t b = next_byte(in);
	const struct region *r = fake_regions;

	if (!r) /* nothing to name: the hole before the first region */
		return (struct msg_region){FAKE_FIRST_USER - PAGE_SIZE, 1, 0};
	for (unsigned k = b & 31; k > 0; k--)
		r = r->next ? r->next : fake_regions;
	switch (b >> 5) {
	case 4:
		return (struct msg_region){r->start + 8, r->pages, 0};
	case 5:
		return (struct msg_region){r->start, r->pages + 1, 0};
	case 6:
		return (struct msg_region){r->start, 0, 0};
	case 7:
		if (r->pages > 1)
			return (struct msg_region){r->start, r->pages - 1, 0};
		return (struct msg_region){r->start + PAGE_SIZE, 1, 0};
	default:
		return (struct msg_region){r->start, r->pages, 0};
	}
}

static void run_send(struct input *in, int t)
{
	long slot = next_slot(in);
	uint8_t shape = next_byte(in);
	struct msg m = {.len = next_byte(in) % 72,
			.ncaps = shape & 3,
			.nregions = shape >> 2 & 3,
			.flags = shape & 0x10 ? MSG_COPY : 0};

	if (shape >> 5 == 4) {
		m.ncaps = MSG_CAPS_MAX;
		m.nregions = MSG_REGIONS_MAX;
	}
	sends++;
	for (uint32_t i = 0; i < m.len && i < MSG_DATA_MAX; i++)
		m.data[i] = (uint8_t)(sends >> (i % 8 * 8)) ^ (uint8_t)i;
	for (uint32_t i = 0; i < m.ncaps; i++)
		m.caps[i] = next_slot(in);
	for (uint32_t i = 0; i < m.nregions; i++)
		m.regions[i] = next_region(in);
	/* Too much, or a bad flag, after the bytes the counts say were read. */
	if (shape >> 5 == 5)
		m.ncaps = MSG_CAPS_MAX + 1;
	else if (shape >> 5 == 6)
		m.nregions = MSG_REGIONS_MAX + 1;
	else if (shape >> 5 == 7)
		m.flags |= 0x100;
	do_send(t, slot, &m);
}

static void run_other(struct input *in, unsigned arg)
{
	int t = (arg >> 1 & 3) % 3;

	if (arg & 1) {
		host_heap_fail_nth(1 + (arg >> 1) % 4);
		return;
	}
	if (arg & 16)
		do_revoke(t, next_slot(in));
	else
		do_wait(t, next_slot(in), arg & 8 ? EVENT_ROOM : EVENT_MESSAGE);
}

static void run_op(struct input *in)
{
	uint8_t op = next_byte(in);
	unsigned arg = op >> 3;
	int t = arg % 3;
	long slot;

	switch (op & 7) {
	case OP_CREATE:
		do_create(t);
		break;
	case OP_SEND:
		run_send(in, t);
		break;
	case OP_RECEIVE:
		do_receive(t, next_slot(in));
		break;
	case OP_CLOSE:
		do_close(t, next_slot(in));
		break;
	case OP_DERIVE:
		slot = next_slot(in);
		cap_derive(&tables[t], slot, next_byte(in) & 7, 0);
		break;
	case OP_REGION:
		do_region(t, next_byte(in));
		break;
	case OP_MOVE:
		slot = next_slot(in);
		cap_transfer(&tables[t], &slot, 1, &tables[arg / 3 % 3], NULL);
		break;
	case OP_OTHER:
		run_other(in, arg);
		break;
	}
}

/* The original capability to the end of ends[i], wherever it sits. */
static struct cap *original_of(int i)
{
	for (int k = 0; k < MAX_ENDS; k++)
		for (unsigned j = 0; ends[k].e && j < CHANNEL_QUEUE; j++) {
			const struct cap_table *t =
				&ends[k].e->queue[j].transit;

			for (long s = 0; s < CAP_SLOTS; s++)
				if (t->slots[s] &&
				    t->slots[s]->object == ends[i].e &&
				    !t->slots[s]->parent)
					return t->slots[s];
		}
	return NULL;
}

/*
 * After the domain tables are cleared: the ends still alive wait in each
 * other's queues, across channels (the known limitation, see the top).
 * Delete their originals where they sit, as a collector would, until
 * none is left.
 */
static void collect_stranded(void)
{
	for (int i = 0; nends > 0; i = (i + 1) % MAX_ENDS) {
		struct cap *c;

		if (!ends[i].e)
			continue;
		c = original_of(i);
		CHECK(c != NULL);
		cap_delete(c->table, c->slot);
	}
}

static void reset(void)
{
	cap_register_type(CAP_REGION, &fake_region_ops);
	cap_register_type(CAP_DOMAIN, NULL);
	channel_init();
	for (int t = 0; t < NTABLES; t++)
		for (long s = 0; s < CAP_SLOTS; s++)
			CHECK(tables[t].slots[s] == NULL);
	for (int i = 0; i < MAX_ENDS; i++)
		ends[i] = (struct mend){.e = NULL, .peer = -1};
	nends = 0;
	sends = 0;
	host_heap_fail_nth(0);
	host_heap_on_free(model_freed);
	fake_regions_restart();
	CHECK(cap_count == 0 && channel_end_count == 0);
	CHECK(fake_regions_live == 0 && host_heap_live() == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size, 0};
	size_t stranded;

	reset();
	while (in.pos < in.size) {
		nfired = 0;
		run_op(&in);
		check_all();
	}
	host_heap_fail_nth(0);
	/* Clearing the domain tables closes exactly the ends reached. */
	stranded = nends - mark_reached();
	for (int t = 0; t < NTABLES; t++) {
		cap_table_clear(&tables[t]);
		check_all();
	}
	CHECK(nends == stranded);
	collect_stranded();
	CHECK(cap_count == 0 && channel_end_count == 0);
	CHECK(fake_regions_live == 0 && host_heap_live() == 0);
	return 0;
}
