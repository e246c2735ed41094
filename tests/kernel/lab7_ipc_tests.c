/*
 * lab7_ipc_tests.c - lab 7: channels that move pages between domains.
 *
 * The first tests drive channels directly, with capability tables
 * standing in for the domains' (as the system calls do): what a send
 * checks, what it moves, what a close reclaims. The others run programs
 * (user/tests/i_*.c) that pass messages between real domains and check
 * what they receive; the kernel test looks at how each domain ended.
 * The leak check after each test counts channel ends, capabilities,
 * regions and frames.
 */
#include "cont/cont.h"
#include "ipc/channel.h"
#include "kern/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/region.h"
#include "program_run.h"

#define PAGE	      FRAME_SIZE
#define MANY_MESSAGES 10000
#define CLOSE_CHAIN   2000 /* ends closing each other: no recursion */

/* Two tables, standing for two domains, and a channel between them:
 * a's end in a's table, b's end in b's. */
struct pair {
	struct cap_table *a, *b;
	long a_end, b_end;
};

static struct cap_table *new_table(void)
{
	struct cap_table *t = kzalloc(sizeof(*t));

	KT_ASSERT(t != NULL);
	return t;
}

static void pair_open(struct pair *p)
{
	long ends[2];

	p->a = new_table();
	p->b = new_table();
	KT_ASSERT_OK(channel_create(p->a, ends));
	p->a_end = ends[0];
	KT_ASSERT_OK(cap_transfer(p->a, &ends[1], 1, p->b, &p->b_end));
}

static void pair_close(struct pair *p)
{
	cap_table_clear(p->a);
	cap_table_clear(p->b);
	kfree(p->a);
	kfree(p->b);
}

/* A user region of pages pages, its original capability in t; the
 * kernel writes fill into every page (so each is mapped). */
static struct region *region_in(struct cap_table *t, size_t pages, int fill,
				long *slot)
{
	struct region *r;

	KT_ASSERT_OK(
		region_create(pages, REGION_R | REGION_W | REGION_U, 0, &r));
	*slot = cap_create(t, CAP_REGION, r, CAP_R | CAP_W);
	KT_ASSERT(*slot >= 0);
	memset((void *)r->start, fill, pages * PAGE);
	return r;
}

/* A message carrying the whole of region r. */
static struct msg region_msg(const struct region *r)
{
	struct msg m = {.nregions = 1};

	m.regions[0] = (struct msg_region){r->start, r->pages, 0};
	return m;
}

static bool page_mapped(vaddr_t va)
{
	paddr_t pa;
	uint64_t flags;

	return paging_translate(paging_root(), va, &pa, &flags) == 0;
}

/* Is the page at va parked: its entry in use, but not present? */
static bool page_parked(vaddr_t va)
{
	return paging_next_used(paging_root(), va, va + PAGE) == va &&
	       !page_mapped(va);
}

/* The slot of t holding a capability to object, or -1. */
static long slot_of(const struct cap_table *t, const void *object)
{
	for (long s = 0; s < CAP_SLOTS; s++)
		if (t->slots[s] && t->slots[s]->object == object)
			return s;
	return -1;
}

/*
 * A moved region keeps its frames and its address: the sender's entries
 * are parked and their TLB entries gone before the send returns (a read
 * after the send faults, though the TLB held the page), and the receiver's
 * first touch maps the very same frame, with nothing copied or zeroed.
 */
KTEST(ipc_move_parks_pages, 7, 3)
{
	struct pair p;
	struct msg m, out;
	struct region *r;
	paddr_t frame, again;
	size_t free_frames, unparked;
	long slot;

	pair_open(&p);
	r = region_in(p.a, 2, 0x5e, &slot);
	KT_ASSERT_OK(paging_translate(paging_root(), r->start, &frame, NULL));
	m = region_msg(r);
	free_frames = frame_free_count();
	KT_ASSERT_OK(channel_send(p.a, p.a_end, &m));
	KT_ASSERT(p.a->slots[slot] == NULL); /* the capability left a */
	KT_ASSERT(page_parked(r->start));
	KT_ASSERT(page_parked(r->start + PAGE));
	KT_ASSERT_OK(channel_receive(p.b, p.b_end, &out));
	KT_ASSERT_EQ(out.nregions, 1);
	KT_ASSERT_EQ(out.regions[0].addr, r->start);
	KT_ASSERT_EQ(out.regions[0].pages, 2);
	KT_ASSERT_EQ(slot_of(p.b, r), out.regions[0].cap);
	KT_ASSERT_EQ(p.b->slots[out.regions[0].cap]->parent, NULL);
	unparked = region_pages_unparked;
	barrier(); /* the read below changes the counter, behind C's back */
	KT_ASSERT_EQ(*(volatile uint8_t *)(r->start + 7), 0x5e);
	barrier();
	KT_ASSERT_EQ(region_pages_unparked, unparked + 1); /* it faulted */
	KT_ASSERT_OK(paging_translate(paging_root(), r->start, &again, NULL));
	KT_ASSERT_EQ(again, frame);
	KT_ASSERT_EQ(frame_free_count(), free_frames);
	KT_ASSERT(page_parked(r->start + PAGE)); /* untouched: still parked */
	pair_close(&p); /* destroys r, parked page and all */
}

/*
 * What a sender may not send: a region not on a page boundary, of no
 * pages, only part of one, one it does not own (another table's, or only
 * a copy), one it also holds a copy of, one named twice, memory in no
 * user region. Each is refused with its own error, and nothing moves.
 */
KTEST(ipc_send_checks_regions, 7, 3)
{
	struct cap_table *other = new_table();
	struct region *r1, *r2, *theirs, *shared, *kernel_only;
	long s1, s2, s3, s4, copy, theirs_copy;
	struct pair p;
	struct msg m;

	pair_open(&p);
	r1 = region_in(p.a, 1, 1, &s1);
	r2 = region_in(p.a, 2, 2, &s2);
	theirs = region_in(other, 1, 3, &s3);
	shared = region_in(p.a, 1, 4, &s4);
	copy = cap_derive(p.a, s4, CAP_R, 0);
	KT_ASSERT(copy >= 0);
	theirs_copy = cap_derive(other, s3, CAP_R, 0);
	KT_ASSERT_OK(cap_transfer(other, &theirs_copy, 1, p.a, &theirs_copy));
	KT_ASSERT_OK(region_create(1, REGION_R | REGION_W, 0, &kernel_only));

	m = region_msg(r1);
	m.regions[0].addr += 8;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL); /* unaligned */
	m = region_msg(r1);
	m.regions[0].pages = 0;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL); /* empty */
	m.regions[0].pages = 2;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL); /* too long */
	m = region_msg(r2);
	m.regions[0].pages = 1;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL); /* part */
	m.regions[0].addr += PAGE;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL); /* part */
	m = region_msg(theirs);
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EPERM); /* a copy */
	m = region_msg(shared);
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EBUSY);
	m = region_msg(kernel_only);
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EFAULT);
	m = region_msg(r1);
	m.regions[1] = m.regions[0];
	m.nregions = 2;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL); /* twice */
	KT_ASSERT_OK(cap_delete(p.a, theirs_copy));
	m = region_msg(theirs);
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EPERM); /* none */

	/* Nothing moved, nothing was parked, nothing is queued. */
	KT_ASSERT(p.a->slots[s1] && p.a->slots[s1]->object == r1);
	KT_ASSERT(p.a->slots[s2] && p.a->slots[s2]->object == r2);
	KT_ASSERT(page_mapped(r1->start) && page_mapped(r2->start + PAGE));
	KT_ASSERT_EQ(channel_receive(p.b, p.b_end, &m), -EAGAIN);
	m = region_msg(r2); /* and the whole of r2 is fine */
	KT_ASSERT_OK(channel_send(p.a, p.a_end, &m));
	region_destroy(kernel_only);
	cap_table_clear(other);
	kfree(other);
	pair_close(&p);
}

/*
 * One bad capability in a message that also moves a region and another
 * capability: nothing moves, not even the good parts. The message
 * limits, and a receiver without room, are refused the same way.
 */
KTEST(ipc_send_all_or_nothing, 7, 3)
{
	struct region *r, *carried;
	long region_slot, carried_slot, peer_copy;
	struct pair p;
	struct msg m, out;

	pair_open(&p);
	r = region_in(p.a, 1, 0x11, &region_slot);
	carried = region_in(p.a, 1, 0x22, &carried_slot);
	m = region_msg(r);
	m.len = 3;
	memcpy(m.data, "abc", 3);
	m.ncaps = 2;
	m.caps[0] = carried_slot;
	m.caps[1] = 40; /* empty */
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EBADF);
	m.caps[1] = CAP_SLOTS;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -ERANGE);
	m.caps[1] = carried_slot; /* twice */
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL);
	m.caps[1] = region_slot; /* also in regions */
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL);
	peer_copy = cap_derive(p.b, p.b_end, CAP_R, 0);
	KT_ASSERT_OK(cap_transfer(p.b, &peer_copy, 1, p.a, &peer_copy));
	m.caps[1] = peer_copy; /* the receiving end, into its own queue */
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL);
	m.caps[1] = p.a_end; /* the sending end: the peer's queue */
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL);
	m.ncaps = 1;
	m.len = MSG_DATA_MAX + 1;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -E2BIG);
	m.len = 3;
	m.nregions = MSG_REGIONS_MAX + 1;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -E2BIG);
	m.nregions = 1;
	m.flags = 0x80;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL);
	m.flags = 0;

	KT_ASSERT(p.a->slots[region_slot] && p.a->slots[carried_slot]);
	KT_ASSERT(page_mapped(r->start));
	KT_ASSERT_EQ(channel_receive(p.b, p.b_end, &out), -EAGAIN);

	KT_ASSERT_OK(channel_send(p.a, p.a_end, &m)); /* now all of it */
	KT_ASSERT(!p.a->slots[region_slot] && !p.a->slots[carried_slot]);
	/* A receiver without room for two capabilities gets -ENOSPC, and
	 * the message waits. */
	for (long s = 0; cap_table_free(p.b) > 1; s++)
		if (!p.b->slots[s])
			KT_ASSERT(cap_derive(p.b, p.b_end, CAP_R, 0) >= 0);
	KT_ASSERT_EQ(channel_receive(p.b, p.b_end, &out), -ENOSPC);
	KT_ASSERT_OK(cap_revoke(p.b, p.b_end));
	KT_ASSERT_OK(channel_receive(p.b, p.b_end, &out));
	KT_ASSERT_EQ(out.len, 3);
	KT_ASSERT_EQ(memcmp(out.data, "abc", 3), 0);
	KT_ASSERT_EQ(out.ncaps, 1);
	KT_ASSERT(p.b->slots[out.caps[0]]->object == carried);
	KT_ASSERT(p.b->slots[out.regions[0].cap]->object == r);
	KT_ASSERT_EQ(*(volatile uint8_t *)carried->start, 0x22);

	/* A copy revoked on the way arrives as -1; the next message is
	 * not confused by the slot it left. */
	m = (struct msg){.ncaps = 1};
	m.caps[0] = cap_derive(p.b, out.caps[0], CAP_R, 0);
	KT_ASSERT(m.caps[0] >= 0);
	KT_ASSERT_OK(channel_send(p.b, p.b_end, &m));
	m.caps[0] = cap_derive(p.b, out.caps[0], CAP_R, 0);
	KT_ASSERT_OK(channel_send(p.b, p.b_end, &m));
	KT_ASSERT_OK(cap_revoke(p.b, out.caps[0])); /* both copies go */
	m.caps[0] = out.regions[0].cap;		    /* r: still there */
	KT_ASSERT_OK(channel_send(p.b, p.b_end, &m));
	KT_ASSERT_OK(channel_receive(p.a, p.a_end, &out));
	KT_ASSERT_EQ(out.ncaps, 1);
	KT_ASSERT_EQ(out.caps[0], -1);
	KT_ASSERT_OK(channel_receive(p.a, p.a_end, &out));
	KT_ASSERT_EQ(out.caps[0], -1);
	KT_ASSERT_OK(channel_receive(p.a, p.a_end, &out));
	KT_ASSERT(out.caps[0] >= 0 && p.a->slots[out.caps[0]]->object == r);
	pair_close(&p);
}

static void note_event(void *state, const struct event *why)
{
	*(uint64_t *)state = why->value + 1;
}

/*
 * A channel holds CHANNEL_QUEUE messages; then send says -EAGAIN, and a
 * continuation can wait for room (EVENT_ROOM), which a receive makes.
 * Messages arrive in the order sent; a receiver can wait for one
 * (EVENT_MESSAGE). channel_wait checks the capability like a lookup.
 */
KTEST(ipc_full_channel, 7, 2)
{
	uint64_t key, value, room = 0, message = 0;
	long send_only;
	struct pair p;
	struct msg m = {.len = 1}, out;

	pair_open(&p);
	KT_ASSERT_EQ(channel_wait(p.b, p.b_end, EVENT_MESSAGE, &key, &value),
		     0);
	KT_ASSERT_OK(cont_wait(EVENT_MESSAGE, key, note_event, &message));
	for (int i = 0; i < CHANNEL_QUEUE; i++) {
		m.data[0] = (uint8_t)i;
		KT_ASSERT_OK(channel_send(p.a, p.a_end, &m));
	}
	KT_ASSERT(cont_run_one());
	KT_ASSERT_EQ(message, 1 + 1); /* woken by the first, value 1 */
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EAGAIN);
	KT_ASSERT_EQ(channel_wait(p.a, p.a_end, EVENT_ROOM, &key, &value), 0);
	KT_ASSERT_OK(cont_wait(EVENT_ROOM, key, note_event, &room));
	KT_ASSERT(!cont_run_one()); /* still full */
	KT_ASSERT_OK(channel_receive(p.b, p.b_end, &out));
	KT_ASSERT_EQ(out.data[0], 0);
	KT_ASSERT(cont_run_one());
	KT_ASSERT_EQ(room, 1 + 1);
	KT_ASSERT_EQ(channel_wait(p.a, p.a_end, EVENT_ROOM, &key, &value), 1);
	KT_ASSERT_EQ(value, 1);
	m.data[0] = CHANNEL_QUEUE;
	KT_ASSERT_OK(channel_send(p.a, p.a_end, &m));
	for (int i = 1; i <= CHANNEL_QUEUE; i++) {
		KT_ASSERT_OK(channel_receive(p.b, p.b_end, &out));
		KT_ASSERT_EQ(out.data[0], i); /* in the order sent */
	}
	KT_ASSERT_EQ(channel_receive(p.b, p.b_end, &out), -EAGAIN);
	KT_ASSERT_EQ(channel_wait(p.b, 60, EVENT_MESSAGE, &key, &value),
		     -EBADF);
	send_only = cap_derive(p.b, p.b_end, CAP_W, 0);
	KT_ASSERT(send_only >= 0);
	KT_ASSERT_EQ(channel_wait(p.b, send_only, EVENT_MESSAGE, &key, &value),
		     -EPERM);
	KT_ASSERT_EQ(channel_receive(p.b, send_only, &out), -EPERM);
	pair_close(&p);
}

/*
 * Closing an end: the messages waiting there are destroyed with what
 * they carry (regions, and ends, which close in their turn: here a chain
 * of CLOSE_CHAIN, each waiting in the next one's queue); the other end
 * is woken, reads what was sent before, and then gets -EPIPE.
 */
KTEST(ipc_close_wakes_peer, 7, 3)
{
	size_t regions_before = 0, ends_before = channel_end_count;
	uint64_t key, value, woken = 0;
	struct pair p;
	struct msg m = {.len = 1}, out;
	long slot, prev[2], ends[2];

	pair_open(&p);
	KT_ASSERT_OK(channel_send(p.a, p.a_end, &m)); /* for b, later */
	for (int i = 0; i < 2; i++) {		      /* for a: never read */
		struct region *r = region_in(p.b, 1, i, &slot);
		struct msg gift = region_msg(r);

		KT_ASSERT_OK(channel_send(p.b, p.b_end, &gift));
		regions_before++;
	}
	KT_ASSERT_EQ(channel_wait(p.b, p.b_end, EVENT_ROOM, &key, &value), 1);
	KT_ASSERT_OK(channel_receive(p.b, p.b_end, &out));
	KT_ASSERT_EQ(channel_wait(p.b, p.b_end, EVENT_MESSAGE, &key, &value),
		     0);
	KT_ASSERT_OK(cont_wait(EVENT_MESSAGE, key, note_event, &woken));

	/* A chain: each end waits, as a capability, in the next's queue. */
	KT_ASSERT_OK(channel_create(p.a, prev));
	for (int i = 0; i < CLOSE_CHAIN; i++) {
		m = (struct msg){.ncaps = 1, .caps = {prev[1]}};
		KT_ASSERT_OK(channel_create(p.a, ends));
		KT_ASSERT_OK(channel_send(p.a, ends[0], &m));
		KT_ASSERT_OK(cap_delete(p.a, prev[0]));
		prev[0] = ends[0];
		prev[1] = ends[1];
	}
	KT_ASSERT_EQ(channel_end_count, ends_before + 2 + CLOSE_CHAIN + 2);
	KT_ASSERT_OK(cap_delete(p.a, prev[0]));
	KT_ASSERT_OK(cap_delete(p.a, prev[1])); /* the whole chain closes */
	KT_ASSERT_EQ(channel_end_count, ends_before + 2);

	KT_ASSERT_OK(cap_delete(p.a, p.a_end));
	KT_ASSERT_EQ(channel_end_count, ends_before + 1);
	KT_ASSERT(cont_run_one()); /* b's receiver woke */
	KT_ASSERT_EQ(woken, 0 + 1);
	KT_ASSERT_EQ(channel_receive(p.b, p.b_end, &out), -EPIPE);
	KT_ASSERT_EQ(channel_send(p.b, p.b_end, &m), -EPIPE);
	KT_ASSERT_EQ(channel_wait(p.b, p.b_end, EVENT_MESSAGE, &key, &value),
		     1);
	KT_ASSERT_EQ(value, 0);
	KT_ASSERT_EQ(channel_wait(p.b, p.b_end, EVENT_ROOM, &key, &value), 1);
	KT_ASSERT_EQ(value, 0);
	pair_close(&p); /* the leak check: the two gifts went with a */

	/* A continuation waiting on an end that closes wakes too. */
	pair_open(&p);
	KT_ASSERT_EQ(channel_wait(p.a, p.a_end, EVENT_MESSAGE, &key, &value),
		     0);
	woken = 0;
	KT_ASSERT_OK(cont_wait(EVENT_MESSAGE, key, note_event, &woken));
	KT_ASSERT_OK(cap_delete(p.a, p.a_end));
	KT_ASSERT(cont_run_one());
	KT_ASSERT_EQ(woken, 0 + 1);
	pair_close(&p);
}

/*
 * MANY_MESSAGES messages, half each way: a region that goes there and
 * back (touched on each side), a capability with it, and every so often
 * a copy instead. Nothing may be left over: no frame, region,
 * capability or end (the leak check after the test counts them).
 */
KTEST(ipc_many_messages_no_leak, 7, 3)
{
	struct cap_table *side[2];
	struct region *ball, *token;
	long end[2], ball_slot, token_slot;
	struct pair p;

	pair_open(&p);
	side[0] = p.a;
	side[1] = p.b;
	end[0] = p.a_end;
	end[1] = p.b_end;
	ball = region_in(p.a, 1, 0, &ball_slot);
	token = region_in(p.a, 1, 0, &token_slot);
	for (int i = 0; i < MANY_MESSAGES; i++) {
		struct cap_table *from = side[i % 2], *to = side[(i + 1) % 2];
		struct msg m = region_msg(ball), out;
		uint64_t *count = (uint64_t *)ball->start;

		KT_ASSERT_EQ(*count, (uint64_t)i);
		(*count)++;
		if (i % 100 == 99) {
			m.flags = MSG_COPY; /* the copy travels, ball stays */
			KT_ASSERT_OK(channel_send(from, end[i % 2], &m));
			KT_ASSERT_OK(
				channel_receive(to, end[(i + 1) % 2], &out));
			KT_ASSERT(out.regions[0].addr != ball->start);
			KT_ASSERT_EQ(*(uint64_t *)out.regions[0].addr,
				     (uint64_t)i + 1);
			KT_ASSERT_OK(cap_delete(to, out.regions[0].cap));
			m.flags = 0;
		}
		m.ncaps = 1;
		m.caps[0] = token_slot;
		KT_ASSERT_OK(channel_send(from, end[i % 2], &m));
		KT_ASSERT_OK(channel_receive(to, end[(i + 1) % 2], &out));
		KT_ASSERT(to->slots[out.regions[0].cap]->object == ball);
		KT_ASSERT(to->slots[out.caps[0]]->object == token);
		token_slot = out.caps[0];
	}
	KT_ASSERT_EQ(*(uint64_t *)ball->start, (uint64_t)MANY_MESSAGES);
	pair_close(&p);
}

/*
 * MSG_COPY: the receiver gets a new region with the bytes as they were
 * at the send; the sender keeps its own, and may change it afterwards.
 * A range the sender may not read is refused.
 */
KTEST(ipc_copy_send, 7, 2)
{
	struct region *mine, *kernel_only;
	struct pair p;
	struct msg m, out;
	long slot;

	pair_open(&p);
	mine = region_in(p.a, 3, 0x77, &slot);
	m = region_msg(mine);
	m.flags = MSG_COPY;
	m.regions[0].pages = 2; /* a copy may be of part of a region */
	KT_ASSERT_OK(channel_send(p.a, p.a_end, &m));
	KT_ASSERT(p.a->slots[slot] != NULL); /* still the sender's */
	KT_ASSERT(page_mapped(mine->start));
	memset((void *)mine->start, 0x11, 2 * PAGE);
	KT_ASSERT_OK(channel_receive(p.b, p.b_end, &out));
	KT_ASSERT(out.regions[0].addr != mine->start);
	KT_ASSERT_EQ(out.regions[0].pages, 2);
	for (size_t i = 0; i < 2 * PAGE; i += 511)
		KT_ASSERT_EQ(((uint8_t *)out.regions[0].addr)[i], 0x77);
	KT_ASSERT(p.b->slots[out.regions[0].cap]->parent == NULL);
	KT_ASSERT_OK(region_create(1, REGION_R | REGION_W, 0, &kernel_only));
	m.regions[0] = (struct msg_region){kernel_only->start, 1, 0};
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EFAULT);
	m.regions[0].addr = mine->start + 1;
	KT_ASSERT_EQ(channel_send(p.a, p.a_end, &m), -EINVAL);
	region_destroy(kernel_only);
	pair_close(&p);
}

/* ---- Between domains ------------------------------------------------------ */

/*
 * A page that moved keeps, for a domain that holds a read-only copy,
 * exactly that: its first touch after the move maps the page again with
 * that domain's rights, not the region's (i_lend, i_watch).
 */
KTEST(ipc_moved_page_keeps_rights, 7, 2)
{
	struct domain *d = program_spawn("i_lend", 0);

	program_run(d);
	program_expect_exit(d, 0);
	KT_ASSERT_CONTAINS(program_output,
			   "i_watch: the note says \"lent, then moved\"");
	KT_ASSERT_CONTAINS(program_output,
			   "holds no capability that allows it");
	domain_destroy(d);
}

/* Twenty rounds of a counter and a page, there and back (i_ping). */
KTEST(ipc_ping_pong, 7, 3)
{
	struct domain *d = program_spawn("i_ping", 0);

	program_run(d);
	program_expect_exit(d, 0);
	domain_destroy(d);
}

/* A page with a linked list in it, through three domains (i_pipe). */
KTEST(ipc_pipeline_pointers_valid, 7, 3)
{
	struct domain *d = program_spawn("i_pipe", 0);

	program_run(d);
	program_expect_exit(d, 0);
	KT_ASSERT_CONTAINS(program_output, "i_pipe sink: the page arrived");
	domain_destroy(d);
}

/*
 * After the send, the sender's write to the page kills it, though the
 * TLB held a writable translation; the receiver finds exactly the bytes
 * written before the send (i_give, i_take).
 */
KTEST(ipc_sender_loses_page, 7, 3)
{
	struct domain *d = program_spawn("i_give", 0);

	program_run(d);
	program_expect_killed(d, "holds no capability that allows it");
	KT_ASSERT_CONTAINS(program_output, "i_take: 0 failures");
	domain_destroy(d);
}

/*
 * A domain killed with messages in flight both ways: the three it sent
 * arrive intact, the two sent to it are reclaimed, and its partner loses
 * nothing of its own (i_doomed, i_sink).
 */
KTEST(ipc_killed_with_messages_in_flight, 7, 3)
{
	struct domain *d = program_spawn("i_doomed", 0);

	program_run(d);
	program_expect_killed(d, "write to");
	KT_ASSERT_CONTAINS(program_output, "i_sink: 0 failures");
	domain_destroy(d);
}
