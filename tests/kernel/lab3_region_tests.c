/*
 * lab3_region_tests.c - lab 3: virtual space, regions, demand-zero faults.
 */
#include "arch/x86_64/layout.h"
#include "kern/ktest.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "mm/region.h"
#include "mm/vspace.h"

#define PAGE FRAME_SIZE

static void check_space(const struct vspace *s)
{
	char why[160];

	if (vspace_check(s, why, sizeof(why)) < 0)
		KT_FAIL("vspace_check: %s", why);
}

static struct region *new_region(size_t pages, unsigned perms, unsigned flags)
{
	struct region *r = NULL;
	int err = region_create(pages, perms, flags, &r);

	if (err == -ENOSYS)
		KT_FAIL("LAB 3: region_create() failed with ENOSYS: is "
			"vspace_alloc() written?");
	KT_ASSERT_OK(err);
	return r;
}

/* Each page faults in once, zeroed, at its own address. */
KTEST(region_demand_zero, 3, 3)
{
	enum { PAGES = 64 };
	static paddr_t frames_of[PAGES];
	struct region *r = new_region(PAGES, REGION_R | REGION_W, 0);
	size_t faults_before = region_faults_handled;

	KT_ASSERT(r->start >= REGION_LOW_LIMIT && r->start % PAGE == 0);
	for (size_t i = 0; i < PAGES; i++) {
		uint64_t *page = (uint64_t *)(r->start + i * PAGE);

		/* The first touch is at the end of the page, not its start:
		 * the fault address is not page-aligned. */
		KT_ASSERT_EQ(page[PAGE / 8 - 1 - i], 0);
		for (size_t w = 0; w < PAGE / 8; w++)
			if (page[w])
				KT_FAIL("page %zu is not zeroed", i);
		page[i] = i + 1;
	}
	KT_ASSERT_EQ(region_faults_handled - faults_before, PAGES);
	KT_ASSERT_EQ(r->faults, PAGES);
	for (size_t i = 0; i < PAGES; i++) {
		uint64_t flags;

		KT_ASSERT_EQ(((uint64_t *)(r->start + i * PAGE))[i], i + 1);
		KT_ASSERT_OK(paging_translate(paging_root(),
					      r->start + i * PAGE,
					      &frames_of[i], &flags));
		for (size_t j = 0; j < i; j++)
			if (frames_of[j] == frames_of[i])
				KT_FAIL("pages %zu and %zu share a frame", j,
					i);
	}
	KT_ASSERT_EQ(region_faults_handled - faults_before, PAGES);
	region_destroy(r);
}

KTEST(region_write_read_only_faults, 3, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #PF",
		"the region does not allow this access",
		"err=0x3 [protection write kernel]",
		NULL,
	};
	struct region *r = new_region(4, REGION_R, 0);

	KT_ASSERT_EQ(*(volatile uint64_t *)r->start, 0); /* reading is fine */
	ktest_expect_panic(expected);
	*(volatile uint64_t *)r->start = 1;
}

KTEST(region_exec_nx_faults, 3, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #PF",
		"the region does not allow this access",
		"[protection fetch kernel]",
		NULL,
	};
	struct region *r = new_region(1, REGION_R | REGION_W, 0);
	void (*function)(void) = (void (*)(void))r->start;

	*(volatile uint8_t *)r->start = 0xc3; /* ret */
	ktest_expect_panic(expected);
	function();
}

KTEST(region_guard_pages_fault, 3, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #PF",
		"outside any region",
		"[not-present write kernel]",
		NULL,
	};
	struct region *r = new_region(4, REGION_R | REGION_W, REGION_GUARDS);
	struct region *other = new_region(1, REGION_R | REGION_W, 0);

	/* The guards belong to nobody else. */
	KT_ASSERT(region_find(r->start - PAGE) == NULL);
	KT_ASSERT(region_find(r->start + 4 * PAGE) == NULL);
	KT_ASSERT(other->start != r->start - PAGE &&
		  other->start != r->start + 4 * PAGE);
	*(volatile uint64_t *)(r->start + 3 * PAGE) = 1; /* the last page */
	ktest_expect_panic(expected);
	*(volatile uint64_t *)(r->start + 4 * PAGE) = 1; /* the guard */
}

/* Destroying a region gives back its frames and its page tables. */
KTEST(region_free_returns_frames, 3, 2)
{
	size_t free_before = frame_free_count();
	struct region *r = new_region(100, REGION_R | REGION_W, 0);

	for (size_t i = 0; i < 100; i++)
		*(volatile uint8_t *)(r->start + i * PAGE) = 1;
	KT_ASSERT(frame_free_count() <= free_before - 100);
	region_destroy(r);
	KT_ASSERT_EQ(frame_free_count(), free_before);
}

#define SPACE_PAGES 64

/* A private space: allocate, free in another order, merge back. */
KTEST(vspace_alloc_free_coalesce, 3, 3)
{
	static const unsigned orders[] = {0, 3, 5, 0, 2, 1};
	vaddr_t va[6];
	struct vspace s;

	vspace_init(&s, 0, SPACE_PAGES * PAGE);
	KT_ASSERT_OK(vspace_add(&s, 0, SPACE_PAGES * PAGE));
	KT_ASSERT_EQ(s.free_blocks[6], 1);
	for (int i = 0; i < 6; i++) {
		vaddr_t size = PAGE << orders[i];

		KT_ASSERT_OK(vspace_alloc(&s, orders[i], &va[i]));
		KT_ASSERT(va[i] % size == 0 &&
			  va[i] + size <= SPACE_PAGES * PAGE);
		for (int j = 0; j < i; j++)
			KT_ASSERT(va[i] + size <= va[j] ||
				  va[j] + (PAGE << orders[j]) <= va[i]);
		check_space(&s);
	}
	KT_ASSERT_EQ(vspace_free(&s, va[2] + PAGE, 5),
		     -EINVAL); /* misaligned */
	for (int i = 5; i >= 0; i -= 2)
		KT_ASSERT_OK(vspace_free(&s, va[i], orders[i]));
	KT_ASSERT_EQ(vspace_free(&s, va[5], orders[5]), -EINVAL); /* twice */
	for (int i = 4; i >= 0; i -= 2)
		KT_ASSERT_OK(vspace_free(&s, va[i], orders[i]));
	check_space(&s);
	KT_ASSERT_EQ(s.free_blocks[6], 1);
	KT_ASSERT_EQ(s.free_pages, SPACE_PAGES);
	/* Take it all, so no node is left on the heap. */
	KT_ASSERT_OK(vspace_alloc(&s, 6, &va[0]));
}

/* Running out of address space is an error code, not a crash. */
KTEST(vspace_exhaustion_is_an_error, 3, 2)
{
	enum { MANY = 8 };
	struct region *r[MANY];
	struct vspace s;
	vaddr_t va;
	int n = 0, err = 0;

	vspace_init(&s, 0, SPACE_PAGES * PAGE);
	KT_ASSERT_OK(vspace_add(&s, 0, SPACE_PAGES * PAGE));
	for (int i = 0; i < SPACE_PAGES; i++)
		KT_ASSERT_OK(vspace_alloc(&s, 0, &va));
	KT_ASSERT_EQ(vspace_alloc(&s, 0, &va), -ENOMEM);
	KT_ASSERT_EQ(vspace_alloc(&s, VSPACE_MAX_ORDER + 1, &va), -EINVAL);
	/* The kernel's space: the largest regions run out after a few. */
	while (n < MANY &&
	       (err = region_create((size_t)1 << 33, REGION_R, 0, &r[n])) == 0)
		n++;
	KT_ASSERT_EQ(err, -ENOMEM);
	KT_ASSERT(n > 0 && n < MANY);
	for (int i = 0; i < n; i++) {
		KT_ASSERT(r[i]->start >= REGION_LOW_LIMIT);
		KT_ASSERT(r[i]->start + r[i]->pages * PAGE <=
			  REGION_HIGH_LIMIT);
		region_destroy(r[i]);
	}
}

/* Page 0's neighbourhood and the last page are never handed out. */
KTEST(vspace_never_low_or_last_page, 3, 1)
{
	enum { MANY = 64 };
	struct region *r[MANY];

	for (int i = 0; i < MANY; i++) {
		r[i] = new_region(1, REGION_R, 0);
		KT_ASSERT(r[i]->start >= REGION_LOW_LIMIT);
		KT_ASSERT(r[i]->start < REGION_HIGH_LIMIT);
	}
	for (int i = 0; i < MANY; i++)
		region_destroy(r[i]);
	KT_ASSERT(region_find(0) == NULL);
	KT_ASSERT(region_find(REGION_HIGH_LIMIT) == NULL);
}
