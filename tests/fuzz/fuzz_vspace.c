/*
 * fuzz_vspace.c - a libFuzzer target for the virtual-space allocator
 * (kernel/mm/vspace.c).
 *
 * Each input is a program: a sequence of operations on a fresh space of a
 * few hundred pages, small enough that the fuzzer soon reaches exhaustion
 * and deep merging, with kmalloc failing when the input says so. A
 * reference model runs alongside: one entry per page saying never added,
 * free or used, and the list of held blocks. After every operation the
 * allocator must agree with the model (check_all), every call must return
 * what the model predicts, and a refused call must change nothing. At the
 * end every held block is freed, and the free blocks must be exactly
 * those the space started with.
 *
 * Encoding: the first byte chooses the space. Bit 0: NPAGES pages at BASE,
 * or ODD_PAGES pages at ODD_BASE (aligned to its largest block only, so
 * some buddies lie past the end). Bits 1-3 and 4-6: how many pages at the
 * start and at the end are never added. Bit 7: the range is added in two
 * pieces, the upper one first, split at the page the next byte gives.
 * Then one byte per operation, its low two bits the kind, the other six
 * its argument; some kinds read more bytes. A missing byte reads as 0.
 *   OP_ALLOC  alloc of order arg % 10 (9 never fits); arg 61:
 *             VSPACE_MAX_ORDER (-ENOMEM); 62: VSPACE_MAX_ORDER + 1 and
 *             63: UINT_MAX (both -EINVAL)
 *   OP_FREE   + 1 byte: free held block (arg << 8 | byte) % held
 *   OP_BOGUS  + 3 bytes: a free built to be wrong (bogus_free)
 *   OP_FAIL   the (1 + arg % 12)th kmalloc from now fails, once; the
 *             call that meets it must return -ENOMEM and change nothing
 * tests/fuzz/make_corpus.py writes seeds in this encoding.
 *
 * Run it with `make fuzz` (tests/host/host.mk).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

#include "lib/errno.h"
#include "mm/heap.h"
#include "mm/vspace.h"

#include "host_heap.h"

#define PAGE	  VSPACE_PAGE
#define BASE	  0x40000000ul /* NPAGES pages, aligned to all of them */
#define NPAGES	  256
#define ODD_BASE  0x40080000ul /* ODD_PAGES pages, aligned to 128 pages */
#define ODD_PAGES 200
#define MAX_NODES NPAGES   /* free blocks, at most one per page */
#define UNTOUCHED 0x1234ul /* in *va before a call that must not set it */

#define SIZE(order) (PAGE << (order))

enum { OP_ALLOC, OP_FREE, OP_BOGUS, OP_FAIL };

/* ---- the space and its model --------------------------------------------- */

enum model_kind { M_OUTSIDE, M_FREE, M_USED };

struct block {
	vaddr_t start;
	unsigned order;
};

static struct vspace s;
static vaddr_t space_start;
static size_t npages; /* the size of this input's space */

static uint8_t model[NPAGES];	  /* enum model_kind of each page */
static int held_at[NPAGES];	  /* index in held[] of the block
					starting here, or -1 */
static struct block held[NPAGES]; /* the allocated blocks */
static size_t nheld, model_free;

/* The free blocks once the range was added, by address. */
static struct block initial[MAX_NODES];
static size_t ninitial;

/* What a refused call must leave alone (snapshot). */
static struct vspace saved;
static struct saved_node {
	const struct vspace_block *node, *next, *prev;
	vaddr_t start;
} saved_nodes[MAX_NODES];
static size_t nsaved, saved_live;

static size_t page_of(vaddr_t va)
{
	return (size_t)((va - space_start) / PAGE);
}

NO_COVERAGE static void snapshot(void)
{
	saved = s;
	nsaved = 0;
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		for (struct vspace_block *b = s.free[k]; b; b = b->next) {
			CHECK(nsaved < MAX_NODES);
			saved_nodes[nsaved++] = (struct saved_node){
				b, b->next, b->prev, b->start};
		}
	saved_live = host_heap_live();
}

NO_COVERAGE static void check_unchanged(void)
{
	size_t i = 0;

	CHECK(__builtin_memcmp(&saved, &s, sizeof(s)) == 0);
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		for (struct vspace_block *b = s.free[k]; b; b = b->next) {
			const struct saved_node *n = &saved_nodes[i++];

			CHECK(i <= nsaved);
			CHECK(n->node == b && n->start == b->start);
			CHECK(n->next == b->next && n->prev == b->prev);
		}
	CHECK(i == nsaved);
	CHECK(host_heap_live() == saved_live);
}

/*
 * The free blocks cover exactly the model's free pages, each once: so
 * they overlap no held block and no page that was never added.
 */
NO_COVERAGE static void check_free_blocks(void)
{
	bool covered[NPAGES] = {false};
	size_t pages = 0, nodes = 0;

	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		for (struct vspace_block *b = s.free[k]; b; b = b->next) {
			size_t first = page_of(b->start);

			CHECK(b->start >= space_start);
			CHECK(first + ((size_t)1 << k) <= npages);
			for (size_t i = first; i < first + ((size_t)1 << k);
			     i++) {
				CHECK(model[i] == M_FREE && !covered[i]);
				covered[i] = true;
				pages++;
			}
			nodes++;
		}
	CHECK(pages == model_free);
	CHECK(nodes == host_heap_live()); /* no node leaked or lost */
}

/* Everything that must hold after every operation. */
NO_COVERAGE static void check_all(void)
{
	char why[160];

	if (vspace_check(&s, why, sizeof(why)) != 0) {
		fprintf(stderr, "vspace_check: %s\n", why);
		abort();
	}
	CHECK(s.start == space_start && s.end == space_start + npages * PAGE);
	CHECK(s.free_pages == model_free);
	check_free_blocks();
}

static int by_start(const void *a, const void *b)
{
	const struct block *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The free blocks, sorted by address; returns how many. */
static size_t list_free_blocks(struct block *out)
{
	size_t n = 0;

	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++)
		for (struct vspace_block *b = s.free[k]; b; b = b->next) {
			CHECK(n < MAX_NODES);
			out[n++] = (struct block){b->start, k};
		}
	qsort(out, n, sizeof(*out), by_start);
	return n;
}

/* Adds pages [first, end) to the space and the model. */
static void add_pages(size_t first, size_t end)
{
	CHECK(vspace_add(&s, space_start + first * PAGE,
			 space_start + end * PAGE) == 0);
	for (size_t i = first; i < end; i++)
		model[i] = M_FREE;
	model_free += end - first;
}

/* A fresh space, its range added as the first byte (cfg) says. */
static void reset(uint8_t cfg, uint8_t split)
{
	size_t head = cfg >> 1 & 7, tail = cfg >> 4 & 7, mid;

	space_start = cfg & 1 ? ODD_BASE : BASE;
	npages = cfg & 1 ? ODD_PAGES : NPAGES;
	vspace_init(&s, space_start, space_start + npages * PAGE);
	__builtin_memset(model, M_OUTSIDE, sizeof(model));
	for (size_t i = 0; i < NPAGES; i++)
		held_at[i] = -1;
	nheld = model_free = 0;
	host_heap_fail_nth(0);
	if (cfg & 0x80) {
		mid = head + split % (npages - head - tail + 1);
		add_pages(mid, npages - tail);
		add_pages(head, mid);
	} else {
		add_pages(head, npages - tail);
	}
	ninitial = list_free_blocks(initial);
}

/* kfrees every node: the space is forgotten. */
static void release_nodes(void)
{
	for (unsigned k = 0; k <= VSPACE_MAX_ORDER; k++) {
		struct vspace_block *b = s.free[k];

		while (b) {
			struct vspace_block *next = b->next;

			kfree(b);
			b = next;
		}
	}
	CHECK(host_heap_live() == 0);
}

/* ---- operations ---------------------------------------------------------- */

static void do_alloc(unsigned order)
{
	bool valid = order <= VSPACE_MAX_ORDER;
	bool fits =
		valid && model_has_aligned_run(model, npages, order, M_FREE);
	vaddr_t va = UNTOUCHED;
	size_t first, size, refused;
	int err;

	snapshot();
	refused = host_heap_refused();
	err = vspace_alloc(&s, order, &va);
	if (!fits || host_heap_refused() != refused) {
		CHECK(err == (valid ? -ENOMEM : -EINVAL));
		CHECK(va == UNTOUCHED);
		check_unchanged();
		return;
	}
	CHECK(err == 0);
	size = (size_t)1 << order;
	CHECK(va >= space_start && (va - space_start) % SIZE(order) == 0);
	first = page_of(va);
	CHECK(first + size <= npages);
	/* Overlaps no held block and no page never added. */
	for (size_t i = first; i < first + size; i++) {
		CHECK(model[i] == M_FREE);
		model[i] = M_USED;
	}
	held_at[first] = (int)nheld;
	held[nheld++] = (struct block){va, order};
	model_free -= size;
}

/* Forgets held block h; the model's pages become free. */
static void model_release(size_t h)
{
	size_t first = page_of(held[h].start);
	size_t size = (size_t)1 << held[h].order;

	for (size_t i = first; i < first + size; i++)
		model[i] = M_FREE;
	model_free += size;
	held_at[first] = -1;
	held[h] = held[--nheld];
	if (h < nheld)
		held_at[page_of(held[h].start)] = (int)h;
}

enum verdict { V_HELD, V_REFUSED, V_UNDEFINED };

/*
 * What vspace.h promises for freeing (va, order): success for a held
 * block, -EINVAL for a bad order, a block misaligned, outside the space,
 * or overlapping a free block. Anything else (part of a held block, pages
 * never added) is a caller's bug it does not promise to catch.
 */
NO_COVERAGE static enum verdict judge(vaddr_t va, unsigned order, int *h)
{
	size_t first;

	if (order > VSPACE_MAX_ORDER || (va - space_start) % SIZE(order) ||
	    va < space_start || va >= s.end || SIZE(order) > s.end - va)
		return V_REFUSED;
	first = page_of(va);
	for (size_t i = first; i < first + ((size_t)1 << order); i++)
		if (model[i] == M_FREE)
			return V_REFUSED;
	*h = held_at[first];
	if (*h >= 0 && held[*h].order == order)
		return V_HELD;
	return V_UNDEFINED;
}

static void do_free(vaddr_t va, unsigned order)
{
	int h = -1;
	enum verdict v = judge(va, order, &h);
	size_t refused;
	bool heap_failed; /* a kmalloc of this call failed */
	int err;

	if (v == V_UNDEFINED)
		return;
	snapshot();
	refused = host_heap_refused();
	err = vspace_free(&s, va, order);
	heap_failed = host_heap_refused() != refused;
	if (v == V_HELD && !heap_failed) {
		CHECK(err == 0);
		model_release((size_t)h);
		return;
	}
	/* A refusal may come from the heap too, if kmalloc came first. */
	CHECK(err == (v == V_HELD ? -ENOMEM : -EINVAL) ||
	      (heap_failed && err == -ENOMEM));
	check_unchanged();
}

/* The free block number pick % count, as (start, order); false if none. */
static bool pick_free_block(unsigned pick, struct block *out)
{
	static struct block blocks[MAX_NODES];
	size_t n = list_free_blocks(blocks);

	if (n == 0)
		return false;
	*out = blocks[pick % n];
	return true;
}

/*
 * A free that names something other than a held block. The last block
 * freed gives double frees; it may have been allocated again since, so
 * do_free asks the model rather than assuming a refusal.
 */
static void bogus_free(unsigned variant, const uint8_t arg[3],
		       const struct block *last)
{
	const vaddr_t end = s.end;
	const vaddr_t outside[] = {0,
				   space_start - PAGE,
				   space_start - SIZE(8),
				   end,
				   end + PAGE,
				   end + (1ul << 32),
				   LONG_MAX & ~0xffful,
				   UINT64_MAX & ~0xffful};
	unsigned u16 = (unsigned)arg[0] << 8 | arg[1];
	struct block h = nheld ? held[u16 % nheld] : *last;
	unsigned byte = arg[2];
	struct block fb;

	switch (variant % 8) {
	case 0: /* a double free */
		do_free(last->start, last->order);
		break;
	case 1: /* another order */
		do_free(h.start, (h.order + 1 + byte % 10) % 11);
		break;
	case 2: /* a page inside the block, or past it */
		do_free(h.start + (1 + byte % ((1u << h.order) + 1)) * PAGE,
			h.order);
		break;
	case 3: /* not page-aligned */
		do_free(h.start + 1 + (byte & 0x7f) * 32, h.order);
		break;
	case 4: /* any page, a little outside the space too, any order */
		do_free(space_start + (vaddr_t)(u16 % (npages + 16)) * PAGE -
				8 * PAGE,
			byte % 12);
		break;
	case 5: /* outside the space */
		do_free(outside[byte % (sizeof(outside) / sizeof(outside[0]))],
			byte / 8 % 10);
		break;
	case 6: /* an order above the largest */
		do_free(h.start,
			byte == 0xff ? UINT_MAX : VSPACE_MAX_ORDER + 1 + byte);
		break;
	case 7: /* a free block, or its half, or its parent */
		if (pick_free_block(u16, &fb))
			do_free(fb.start + (byte & 4 ? SIZE(fb.order) / 2 : 0),
				fb.order + byte % 3 - (fb.order > 0));
		break;
	}
}

/* ---- the input ----------------------------------------------------------- */

/* struct input and next_byte are in fuzz_common.h. */
static void run_op(struct input *in, struct block *last)
{
	uint8_t op = next_byte(in);
	unsigned arg = op >> 2;

	switch (op & 3) {
	case OP_ALLOC:
		do_alloc(arg == 63   ? UINT_MAX
			 : arg == 62 ? VSPACE_MAX_ORDER + 1
			 : arg == 61 ? VSPACE_MAX_ORDER
				     : arg % 10);
		break;
	case OP_FREE: {
		unsigned pick = arg << 8 | next_byte(in);

		if (nheld) {
			*last = held[pick % nheld];
			do_free(last->start, last->order);
		}
		break;
	}
	case OP_BOGUS: {
		uint8_t bytes[3];

		for (int i = 0; i < 3; i++)
			bytes[i] = next_byte(in);
		bogus_free(arg, bytes, last);
		break;
	}
	case OP_FAIL:
		host_heap_fail_nth(1 + arg % 12);
		break;
	}
}

/* Frees every held block: the free blocks must be the initial ones. */
static void free_everything(void)
{
	static struct block now[MAX_NODES];
	size_t n;

	host_heap_fail_nth(0);
	while (nheld) {
		CHECK(vspace_free(&s, held[nheld - 1].start,
				  held[nheld - 1].order) == 0);
		model_release(nheld - 1);
		check_all();
	}
	n = list_free_blocks(now);
	CHECK(n == ninitial);
	for (size_t i = 0; i < n; i++)
		CHECK(now[i].start == initial[i].start &&
		      now[i].order == initial[i].order);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size, 0};
	uint8_t cfg = next_byte(&in);
	struct block last;

	reset(cfg, cfg & 0x80 ? next_byte(&in) : 0);
	last = (struct block){space_start, 0}; /* no block freed yet */
	check_all();
	while (in.pos < in.size) {
		run_op(&in, &last);
		check_all();
	}
	free_everything();
	release_nodes();
	return 0;
}
