/*
 * lab2_frame_tests.c - lab 2: the buddy allocator of physical frames.
 *
 * Every test ends with the allocator as it found it: the kernel's leak
 * accounting (kern/ktest.h) fails a test that keeps a frame.
 */
#include "arch/x86_64/layout.h"
#include "kern/console.h"
#include "kern/ktest.h"
#include "lab2_helpers.h"
#include "lib/format.h"
#include "lib/random.h"
#include "lib/string.h"
#include "mm/bootmem.h"
#include "mm/frame.h"

#define FOUR_GIB 0x100000000ul

static void check_invariants(void)
{
	char why[160];

	if (frame_check(why, sizeof(why)) < 0)
		KT_FAIL("frame_check: %s", why);
}

static bool overlaps(paddr_t a, paddr_t a_end, paddr_t b, paddr_t b_end)
{
	return a < b_end && b < a_end;
}

/* May the frame at pa be handed out? Decided from first principles. */
static bool frame_should_be_free_ram(paddr_t pa)
{
	paddr_t end = pa + FRAME_SIZE, used_start, used_end;
	bool usable = false;

	if (pa < FRAME_LOW_LIMIT)
		return false;
	for (int i = 0; i < bootinfo.mem_count; i++) {
		const struct mem_region *r = &bootinfo.mem[i];
		paddr_t r_end = r->base + r->length;

		if (r->type == MEM_USABLE && r->base <= pa && end <= r_end)
			usable = true;
		if (r->type != MEM_USABLE && overlaps(pa, end, r->base, r_end))
			return false;
	}
	bootmem_used(&used_start, &used_end);
	for (int i = 0; i < bootinfo.module_count; i++)
		if (overlaps(pa, end, bootinfo.modules[i].start,
			     bootinfo.modules[i].end))
			return false;
	return usable &&
	       !overlaps(pa, end, virt_to_phys(__kernel_start),
			 virt_to_phys(__kernel_end)) &&
	       !overlaps(pa, end, bootinfo.info_start, bootinfo.info_end) &&
	       !overlaps(pa, end, used_start, used_end);
}

/* The end of the highest usable region: nothing above it is RAM. */
static paddr_t ram_end(void)
{
	paddr_t end = 0;

	for (int i = 0; i < bootinfo.mem_count; i++)
		if (bootinfo.mem[i].type == MEM_USABLE)
			end = MAX(end, bootinfo.mem[i].base +
					       bootinfo.mem[i].length);
	return MIN(end, FOUR_GIB);
}

/* The allocator owns exactly the frames of free RAM, and no others. */
KTEST(frame_init_from_map, 2, 3)
{
	size_t expected = 0;

	require_frames();
	/* Every frame up to the end of RAM, and a few MiB past it. */
	for (paddr_t pa = 0; pa < ram_end() + 0x400000; pa += FRAME_SIZE) {
		bool owned = frame_kind(pa) != BUDDY_RESERVED;

		if (frame_should_be_free_ram(pa))
			expected++;
		else if (owned)
			KT_FAIL("the frame at %p is not free RAM, but the "
				"allocator owns it",
				(void *)pa);
	}
	KT_ASSERT_EQ(frame_managed_count(), expected);
	KT_ASSERT(frame_free_count() <= frame_managed_count());
	check_invariants();
}

/* Whole frames inside a region: the exclusive end, rounding, clipping. */
KTEST(frame_region_edges, 2, 2)
{
	paddr_t s = 0, e = 0, last_end = 0;

	KT_ASSERT(frame_range_inside(0x100000, 0x7ee0000, 0x100000, FOUR_GIB,
				     &s, &e));
	KT_ASSERT(s == 0x100000 && e == 0x7fe0000);
	/* Exactly one frame: [0x1000, 0x2000), end exclusive. */
	KT_ASSERT(frame_range_inside(0x1000, 0x1000, 0, FOUR_GIB, &s, &e));
	KT_ASSERT(s == 0x1000 && e == 0x2000);
	/* A partial last frame is not usable: rounding must not run past. */
	KT_ASSERT(frame_range_inside(0x1000, 0x1fff, 0, FOUR_GIB, &s, &e));
	KT_ASSERT(s == 0x1000 && e == 0x2000);
	KT_ASSERT(frame_range_inside(0x100001, 0x2fff, 0, FOUR_GIB, &s, &e));
	KT_ASSERT(s == 0x101000 && e == 0x103000);
	/* No whole frame at all. */
	KT_ASSERT(!frame_range_inside(0x1800, 0x1000, 0, FOUR_GIB, &s, &e));
	KT_ASSERT(!frame_range_inside(0x9f000, 0x1000, 0x100000, FOUR_GIB, &s,
				      &e));
	/* Clipped to [lo, hi). */
	KT_ASSERT(
		frame_range_inside(0x7000000, 0x2000000, 0, 0x8000000, &s, &e));
	KT_ASSERT(s == 0x7000000 && e == 0x8000000);
	/* On the real map: the last frame of each usable region is owned
	 * (unless something else lives there), the frame after it is not. */
	for (int i = 0; i < bootinfo.mem_count; i++) {
		const struct mem_region *r = &bootinfo.mem[i];

		if (r->type != MEM_USABLE || r->base + r->length <= 0x100000)
			continue;
		last_end = ALIGN_DOWN(r->base + r->length, (paddr_t)FRAME_SIZE);
		if (frame_should_be_free_ram(last_end - FRAME_SIZE))
			KT_ASSERT(frame_kind(last_end - FRAME_SIZE) !=
				  BUDDY_RESERVED);
		if (!frame_should_be_free_ram(last_end))
			KT_ASSERT(frame_kind(last_end) == BUDDY_RESERVED);
	}
	KT_ASSERT(last_end != 0);
}

static bool all_zero(const void *p, size_t n)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < n / 8; i++)
		if (w[i])
			return false;
	return true;
}

/* Every order: aligned, zeroed on request, really usable, given back. */
KTEST(frame_alloc_every_order, 2, 3)
{
	size_t free_before = frame_free_count();
	paddr_t pa;

	require_frames();
	for (unsigned order = 0; order <= FRAME_MAX_ORDER; order++) {
		size_t size = (size_t)FRAME_SIZE << order;

		KT_ASSERT_OK(frame_alloc(order, FRAME_ZERO, &pa));
		if (pa % size != 0)
			KT_FAIL("order %u block at %p is not aligned", order,
				(void *)pa);
		KT_ASSERT(frame_kind(pa) == BUDDY_USED);
		KT_ASSERT_EQ(frame_free_count(),
			     free_before - ((size_t)1 << order));
		if (!all_zero(phys_to_virt(pa), size))
			KT_FAIL("order %u block at %p is not zeroed", order,
				(void *)pa);
		memset(phys_to_virt(pa), 0xa5, size);
		KT_ASSERT_OK(frame_free(pa, order));
		KT_ASSERT_EQ(frame_free_count(), free_before);
	}
	KT_ASSERT_EQ(frame_alloc(FRAME_MAX_ORDER + 1, 0, &pa), -EINVAL);
	check_invariants();
}

#define MANY 1000
static paddr_t many[MANY];

/* Freeing everything, in any order, merges back to the same blocks. */
KTEST(frame_coalesce_restores_blocks, 2, 3)
{
	size_t blocks_before[FRAME_MAX_ORDER + 1];
	struct random rng;

	require_frames();
	random_seed(&rng, ktest_seed());
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		blocks_before[k] = frame_free_blocks(k);
	for (int i = 0; i < MANY; i++)
		KT_ASSERT_OK(frame_alloc(0, 0, &many[i]));
	check_invariants();
	for (int i = MANY - 1; i > 0; i--) { /* shuffle: free in any order */
		int j = (int)random_below(&rng, (uint64_t)i + 1);
		paddr_t t = many[i];

		many[i] = many[j];
		many[j] = t;
	}
	for (int i = 0; i < MANY; i++)
		KT_ASSERT_OK(frame_free(many[i], 0));
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		if (frame_free_blocks(k) != blocks_before[k])
			KT_FAIL("order %u: %zu free blocks, %zu before: not "
				"coalesced back",
				k, frame_free_blocks(k), blocks_before[k]);
	check_invariants();
}

/* Running out is an error code, not a crash; everything comes back. */
KTEST(frame_exhaustion_oom, 2, 3)
{
	size_t free_before = frame_free_count();
	paddr_t chain, pa = 0x1234;

	require_frames();
	KT_ASSERT(free_before > 1000);
	KT_ASSERT_EQ(take_all_frames(&chain), free_before);
	KT_ASSERT_EQ(frame_free_count(), 0);
	KT_ASSERT_EQ(frame_alloc(0, 0, &pa), -ENOMEM);
	KT_ASSERT_EQ(frame_alloc(FRAME_MAX_ORDER, 0, &pa), -ENOMEM);
	KT_ASSERT_EQ(pa, 0x1234); /* untouched on failure */
	check_invariants();
	give_back_frames(chain);
	KT_ASSERT_EQ(frame_free_count(), free_before);
	check_invariants();
}

/*
 * frame_check must notice a broken allocator, not just pass: a free
 * block's list links live in its first bytes (buddy.h), so writing over
 * them is a corruption it has to report.
 */
KTEST(frame_check_detects_corruption, 2, 2)
{
	paddr_t pinned[64], buddy;
	struct buddy_free_block *node, saved;
	char why[160];
	int n = 0;

	require_frames();
	/* Pin order-0 frames until one's buddy is a free order-0 block. */
	do {
		KT_ASSERT_OK(frame_alloc(0, 0, &pinned[n]));
		buddy = pinned[n++] ^ FRAME_SIZE;
	} while (frame_kind(buddy) != BUDDY_FREE && n < 64);
	KT_ASSERT(frame_kind(buddy) == BUDDY_FREE);
	check_invariants();
	node = phys_to_virt(buddy);
	saved = *node;
	node->prev = (struct buddy_free_block *)0x1234;
	if (frame_check(why, sizeof(why)) == 0) {
		*node = saved;
		KT_FAIL("frame_check did not notice a free block whose prev "
			"link points to 0x1234");
	}
	*node = saved;
	check_invariants();
	while (n > 0)
		KT_ASSERT_OK(frame_free(pinned[--n], 0));
}

static char messages[1024];

/* Expects frame_free(pa, order) to be refused with a message saying so. */
static void expect_refused(paddr_t pa, unsigned order, const char *what)
{
	size_t free_before = frame_free_count();
	int err;

	console_capture_start(messages, sizeof(messages));
	err = frame_free(pa, order);
	console_capture_stop();
	if (err != -EINVAL)
		KT_FAIL("frame_free(%p, %u), %s: returned %d, not -EINVAL",
			(void *)pa, order, what, err);
	if (!strstr(messages, "refused"))
		KT_FAIL("frame_free(%p, %u), %s: no message printed",
			(void *)pa, order, what);
	KT_ASSERT_EQ(frame_free_count(), free_before);
}

/* Every misuse of frame_free is caught and changes nothing. */
KTEST(frame_bad_free_detected, 2, 3)
{
	paddr_t a, b;

	require_frames();
	KT_ASSERT_OK(frame_alloc(1, 0, &a));
	KT_ASSERT_OK(frame_alloc(0, 0, &b));
	expect_refused(a + FRAME_SIZE, 1, "misaligned for order 1");
	expect_refused(a + FRAME_SIZE, 0, "inside a block");
	expect_refused(a, 0, "wrong order");
	expect_refused(a + 8, 1, "not a frame address");
	expect_refused(virt_to_phys(__text_start), 0, "the kernel image");
	expect_refused(0x1000, 0, "the first MiB");
	expect_refused(FOUR_GIB * 2, 0, "beyond memory");
	KT_ASSERT_OK(frame_free(b, 0));
	expect_refused(b, 0, "a double free");
	KT_ASSERT_OK(frame_free(a, 1));
	expect_refused(a, 1, "a double free");
	check_invariants();
}

#define HELD 256

/* Thousands of random allocations and frees; the invariants always hold. */
KTEST(frame_random_sequence, 2, 3)
{
	static struct {
		paddr_t pa;
		unsigned order;
	} held[HELD];
	size_t free_before = frame_free_count();
	struct random rng;
	int count = 0, allocated = 0;

	require_frames();
	random_seed(&rng, ktest_seed());
	for (int step = 1; step <= 5000; step++) {
		if (count < HELD && random_below(&rng, 100) < 55) {
			unsigned order = (unsigned)random_below(&rng, 6);

			if (frame_alloc(order, 0, &held[count].pa) == 0) {
				held[count++].order = order;
				allocated++;
			}
		} else if (count > 0) {
			int i = (int)random_below(&rng, (uint64_t)count);

			KT_ASSERT_OK(frame_free(held[i].pa, held[i].order));
			held[i] = held[--count];
		}
		if (step % 250 == 0)
			check_invariants();
	}
	while (count > 0) {
		count--;
		KT_ASSERT_OK(frame_free(held[count].pa, held[count].order));
	}
	KT_ASSERT(allocated > 1000); /* the sequence really ran */
	KT_ASSERT_EQ(frame_free_count(), free_before);
	check_invariants();
}
