/*
 * fuzz_buddy.c - a libFuzzer target for the buddy allocator
 * (kernel/mm/buddy.c).
 *
 * Each input is a program: a sequence of operations on a fresh allocator
 * of about NFRAMES frames (16 MiB, four blocks of the largest order, all
 * reserved at first), small enough that the fuzzer soon reaches
 * exhaustion and deep merging. A reference model runs alongside: one
 * entry per frame saying reserved, free or used, and the list of held
 * blocks. After every operation the allocator must agree with the model
 * (check_all), and every call must return what the model predicts.
 *
 * Encoding: the first byte sets the allocator's size, NFRAMES frames, or
 * for 0xc0 + n NFRAMES - n: then the last largest block is cut short, and
 * some buddies lie past the end. Then one byte per operation, its low two
 * bits the kind, the other six its argument; some kinds read more bytes.
 * A missing byte reads as 0.
 *   OP_ALLOC  alloc of order arg % 11; arg 62: BUDDY_MAX_ORDER + 1,
 *             arg 63: UINT_MAX (both must be refused with -EINVAL)
 *   OP_FREE   + 1 byte: free held block (arg << 8 | byte) % held
 *   OP_BOGUS  + 3 bytes: a free built to be wrong (bogus_free); when it
 *             happens to name a held block, it is a good free instead
 *   OP_ADD    + 4 bytes: start frame (u16 % frames) and count
 *             (1 + u16 % frames); adds the first reserved frame from
 *             start on and the reserved frames after it, up to count
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
#include "lib/string.h"
#include "mm/buddy.h"

#define BASE	    0x40000000ul /* the pretend physical address of frame 0 */
#define NFRAMES	    4096	 /* 16 MiB: four blocks of the largest order */
#define CUT_SHORT   0xc0 /* a size byte from here on: NFRAMES - (byte - it) */
#define WINDOW_SIZE ((size_t)NFRAMES * BUDDY_FRAME_SIZE)
#define UNTOUCHED   0x1234ul /* in *pa before a call that must not set it */
#define TAG	    0x7a67a67a67a67a67ul /* marks held blocks' memory */

#define FRAME(i)  (BASE + (paddr_t)(i)*BUDDY_FRAME_SIZE)
#define INDEX(pa) ((size_t)(((pa)-BASE) / BUDDY_FRAME_SIZE))

/* A state byte as struct buddy describes it: kind on top, then order. */
#define STATE(kind, order) ((uint8_t)((kind) << 6 | (order)))
#define KIND(state)	   ((enum buddy_kind)((state) >> 6))

enum { OP_ALLOC, OP_FREE, OP_BOGUS, OP_ADD };

/* ---- the allocator and its model ----------------------------------------- */

enum model_kind { M_RESERVED, M_FREE, M_USED };

struct held {
	paddr_t pa;
	unsigned order;
};

static struct buddy b;
static size_t nframes;	/* the size of this input's allocator */
static uint8_t *state;	/* nframes bytes: ASan sees a read past them */
static uint8_t *window; /* allocated once, by the first input */

static uint8_t model[NFRAMES];	  /* enum model_kind of each frame */
static int held_at[NFRAMES];	  /* index in held[] of the block
					starting here, or -1 */
static struct held held[NFRAMES]; /* the allocated blocks */
static size_t nheld;
static size_t model_free, model_managed; /* counts of frames */

/* What a refused call must leave alone (snapshot). */
static struct buddy saved;
static uint8_t saved_state[NFRAMES];
static struct buddy_free_block saved_links[NFRAMES];

/* The first bytes of frame i: free-list links, or a held block's tag. */
static uint64_t *frame_words(size_t i)
{
	return (uint64_t *)(window + i * BUDDY_FRAME_SIZE);
}

static struct buddy_free_block *frame_links(size_t i)
{
	return (struct buddy_free_block *)(window + i * BUDDY_FRAME_SIZE);
}

/* A fresh allocator of n frames, all reserved, and its model. */
NO_COVERAGE static void reset(size_t n)
{
	if (!window) {
		window = aligned_alloc(BUDDY_FRAME_SIZE, WINDOW_SIZE);
		CHECK(window != NULL);
	}
	nframes = n;
	state = malloc(n);
	CHECK(state != NULL);
	buddy_init(&b, BASE, n, state, window);
	__builtin_memset(model, M_RESERVED, sizeof(model));
	for (size_t i = 0; i < NFRAMES; i++)
		held_at[i] = -1;
	nheld = model_free = model_managed = 0;
}

NO_COVERAGE static void snapshot(void)
{
	__builtin_memcpy(&saved, &b, sizeof(b));
	__builtin_memcpy(saved_state, state, nframes);
	for (size_t i = 0; i < nframes; i++)
		saved_links[i] = *frame_links(i);
}

NO_COVERAGE static void check_unchanged(void)
{
	CHECK(__builtin_memcmp(&saved, &b, sizeof(b)) == 0);
	CHECK(__builtin_memcmp(saved_state, state, nframes) == 0);
	for (size_t i = 0; i < nframes; i++)
		CHECK(saved_links[i].next == frame_links(i)->next &&
		      saved_links[i].prev == frame_links(i)->prev);
}

/* Each frame's kind and each block's order agree with the model. */
NO_COVERAGE static void check_frames(void)
{
	for (size_t i = 0; i < nframes; i++) {
		enum buddy_kind kind = KIND(state[i]);

		switch (model[i]) {
		case M_RESERVED:
			CHECK(kind == BUDDY_RESERVED);
			break;
		case M_FREE:
			CHECK(kind == BUDDY_FREE || kind == BUDDY_INSIDE);
			break;
		case M_USED:
			if (held_at[i] < 0)
				CHECK(kind == BUDDY_INSIDE);
			else
				CHECK(state[i] ==
				      STATE(BUDDY_USED,
					    held[held_at[i]].order));
			break;
		}
	}
}

/* The allocator wrote nothing into the memory of a held block. */
NO_COVERAGE static void check_tags(void)
{
	for (size_t h = 0; h < nheld; h++) {
		uint64_t *words = frame_words(INDEX(held[h].pa));

		CHECK(words[0] == (TAG ^ held[h].pa));
		CHECK(words[1] == ~(TAG ^ held[h].pa));
	}
}

/* Everything that must hold after every operation. */
NO_COVERAGE static void check_all(void)
{
	char why[160];

	if (buddy_check(&b, why, sizeof(why)) != 0) {
		fprintf(stderr, "buddy_check: %s\n", why);
		abort();
	}
	CHECK(b.free_frames == model_free);
	CHECK(b.managed_frames == model_managed);
	check_frames();
	check_tags();
}

/* ---- operations ---------------------------------------------------------- */

static void do_alloc(unsigned order)
{
	bool valid = order <= BUDDY_MAX_ORDER;
	bool fits =
		valid && model_has_aligned_run(model, nframes, order, M_FREE);
	paddr_t pa = UNTOUCHED;
	size_t first, size;
	int err;

	if (!fits)
		snapshot();
	err = buddy_alloc(&b, order, &pa);
	if (!fits) {
		CHECK(err == (valid ? -ENOMEM : -EINVAL));
		CHECK(pa == UNTOUCHED);
		check_unchanged();
		return;
	}
	CHECK(err == 0);
	size = (size_t)1 << order;
	CHECK(pa >= BASE && (pa - BASE) % (size * BUDDY_FRAME_SIZE) == 0);
	first = INDEX(pa);
	CHECK(first + size <= nframes);
	/* Overlaps no held block and no reserved frame. */
	for (size_t i = first; i < first + size; i++) {
		CHECK(model[i] == M_FREE);
		model[i] = M_USED;
	}
	held_at[first] = (int)nheld;
	held[nheld++] = (struct held){pa, order};
	model_free -= size;
	frame_words(first)[0] = TAG ^ pa;
	frame_words(first)[1] = ~(TAG ^ pa);
}

/* Forgets held block h; the model's frames become free. */
static void model_release(size_t h)
{
	size_t first = INDEX(held[h].pa);
	size_t size = (size_t)1 << held[h].order;

	for (size_t i = first; i < first + size; i++)
		model[i] = M_FREE;
	model_free += size;
	held_at[first] = -1;
	held[h] = held[--nheld];
	if (h < nheld)
		held_at[INDEX(held[h].pa)] = (int)h;
}

/* The held block that starts at pa with this order, or -1. */
static int held_block(paddr_t pa, unsigned order)
{
	size_t i;

	if (pa < BASE || (pa - BASE) % BUDDY_FRAME_SIZE)
		return -1;
	i = INDEX(pa);
	if (i >= nframes || held_at[i] < 0 || held[held_at[i]].order != order)
		return -1;
	return held_at[i];
}

/* Frees (pa, order): it must succeed iff the model holds that block. */
static void do_free(paddr_t pa, unsigned order, bool want_why)
{
	int h = held_block(pa, order);
	const char *why = NULL;
	int err;

	if (h >= 0) {
		CHECK(buddy_free(&b, pa, order, want_why ? &why : NULL) == 0);
		model_release((size_t)h);
		return;
	}
	snapshot();
	err = buddy_free(&b, pa, order, want_why ? &why : NULL);
	CHECK(err == -EINVAL);
	CHECK(!want_why || (why != NULL && why[0] != '\0'));
	check_unchanged();
}

/*
 * A free that names something other than a held block. The last block
 * freed gives double frees; it may have been allocated again since, so
 * do_free asks the model rather than assuming a refusal.
 */
static void bogus_free(unsigned variant, const uint8_t arg[3],
		       const struct held *last)
{
	const paddr_t outside[] = {0,
				   BASE - BUDDY_FRAME_SIZE,
				   BASE - (4ul << 20),
				   FRAME(nframes),
				   FRAME(nframes) + (1ul << 32),
				   UINT64_MAX & ~0xffful};
	unsigned u16 = (unsigned)arg[0] << 8 | arg[1];
	struct held h = nheld ? held[u16 % nheld] : *last;
	bool want_why = arg[2] & 0x80;
	unsigned byte = arg[2] & 0x7f;
	size_t size;

	switch (variant % 8) {
	case 0: /* a double free */
		do_free(last->pa, last->order, want_why);
		break;
	case 1: /* another order */
		do_free(h.pa,
			(h.order + 1 + byte % BUDDY_MAX_ORDER) %
				(BUDDY_MAX_ORDER + 1),
			want_why);
		break;
	case 2: /* a frame inside the block, or past it */
		do_free(h.pa + (1 + byte % ((1u << h.order) + 1)) *
					(paddr_t)BUDDY_FRAME_SIZE,
			h.order, want_why);
		break;
	case 3: /* not frame-aligned */
		do_free(h.pa + 1 + byte * 32, h.order, want_why);
		break;
	case 4: /* any frame, a little past the end too, any order */
		do_free(FRAME(u16 % (nframes + 64)), byte % 12, want_why);
		break;
	case 5: /* outside the range */
		do_free(outside[byte % (sizeof(outside) / sizeof(outside[0]))],
			byte % 3, want_why);
		break;
	case 6: /* an order above the largest */
		do_free(h.pa, BUDDY_MAX_ORDER + 1 + byte, want_why);
		break;
	case 7: /* misaligned: half a block past a multiple of its size */
		size = (size_t)2 << byte % BUDDY_MAX_ORDER;
		do_free(FRAME(INDEX(h.pa) / size * size + size / 2),
			1 + byte % BUDDY_MAX_ORDER, want_why);
		break;
	}
}

/* Adds reserved frames from the first one at or after start (wrapping). */
static void do_add(size_t start, size_t count)
{
	size_t first = start, end;

	while (model[first] != M_RESERVED) {
		first = (first + 1) % nframes;
		if (first == start)
			return; /* nothing left to add */
	}
	end = first;
	while (end < nframes && end - first < count && model[end] == M_RESERVED)
		model[end++] = M_FREE;
	buddy_add_range(&b, FRAME(first), FRAME(end));
	model_free += end - first;
	model_managed += end - first;
}

/* ---- the input ----------------------------------------------------------- */

/* struct input and next_byte are in fuzz_common.h. */
static unsigned next_u16(struct input *in)
{
	unsigned hi = next_byte(in);

	return hi << 8 | next_byte(in);
}

static void run_op(struct input *in, struct held *last)
{
	uint8_t op = next_byte(in);
	unsigned arg = op >> 2;

	switch (op & 3) {
	case OP_ALLOC:
		do_alloc(arg == 63   ? UINT_MAX
			 : arg == 62 ? BUDDY_MAX_ORDER + 1
				     : arg % (BUDDY_MAX_ORDER + 1));
		break;
	case OP_FREE: {
		unsigned pick = arg << 8 | next_byte(in);

		if (nheld) {
			*last = held[pick % nheld];
			do_free(last->pa, last->order, pick & 1);
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
	case OP_ADD: {
		unsigned start = next_u16(in) % nframes;

		do_add(start, 1 + next_u16(in) % nframes);
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size, 0};
	struct held last = {FRAME(0), 0}; /* no block freed yet */
	uint8_t cut = next_byte(&in);

	reset(NFRAMES - (cut >= CUT_SHORT ? cut - CUT_SHORT : 0));
	check_all();
	while (in.pos < in.size) {
		run_op(&in, &last);
		check_all();
	}
	free(state);
	return 0;
}
