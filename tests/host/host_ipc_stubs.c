/*
 * host_ipc_stubs.c - the fake region registry, user memory and events
 * that channel.c calls on the host (see host_ipc_stubs.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "host_ipc_stubs.h"

#include "arch/x86_64/layout.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/heap.h"

/* ---- a fake region registry (mm/region.h) -------------------------------- */

struct region *fake_regions;
size_t fake_regions_live, fake_regions_destroyed;
static vaddr_t next_start = FAKE_FIRST_USER;

static void stub_bug(const char *what)
{
	fprintf(stderr, "host_ipc_stubs: %s\n", what);
	abort();
}

/* Like the kernel's: one allocation (it may fail), no frame yet. */
int region_create(size_t pages, unsigned perms, unsigned flags,
		  struct region **out)
{
	struct fake_region *fr;

	(void)flags;
	if (pages == 0)
		return -EINVAL;
	fr = kzalloc(sizeof(*fr));
	if (!fr)
		return -ENOMEM;
	fr->bytes = calloc(pages, PAGE_SIZE); /* host memory, not counted */
	if (!fr->bytes)
		stub_bug("the host is out of memory");
	for (size_t p = 0; p < pages; p++) {
		vaddr_t va = next_start + p * PAGE_SIZE;

		memcpy(fr->bytes + p * PAGE_SIZE, &va, sizeof(va));
	}
	fr->r = (struct region){.start = next_start,
				.pages = pages,
				.perms = perms,
				.next = fake_regions};
	next_start += (pages + 1) * PAGE_SIZE; /* a hole after each one */
	fake_regions = &fr->r;
	fake_regions_live++;
	*out = &fr->r;
	return 0;
}

struct region *region_find(vaddr_t va)
{
	for (struct region *r = fake_regions; r; r = r->next)
		if (va >= r->start && va - r->start < r->pages * PAGE_SIZE)
			return r;
	return NULL;
}

/* Pretends every page was mapped: counts them all as parked. */
size_t region_park(struct region *r)
{
	fake_of(r)->parked += r->pages;
	return r->pages;
}

void region_destroy(struct region *r)
{
	struct region **p = &fake_regions;

	while (*p != r) {
		if (!*p)
			stub_bug("region_destroy of a region not registered");
		p = &(*p)->next;
	}
	*p = r->next;
	free(fake_of(r)->bytes);
	kfree(fake_of(r));
	fake_regions_live--;
	fake_regions_destroyed++;
}

uint8_t *fake_byte_at(vaddr_t va)
{
	struct region *r = region_find(va);

	if (!r)
		stub_bug("a user address in no region");
	return fake_of(r)->bytes + (va - r->start);
}

size_t fake_parked_pages(void)
{
	size_t n = 0;

	for (const struct region *r = fake_regions; r; r = r->next)
		n += fake_of(r)->parked;
	return n;
}

void fake_regions_restart(void)
{
	if (fake_regions)
		stub_bug("fake_regions_restart with regions alive");
	next_start = FAKE_FIRST_USER;
}

static void region_cap_destroy(struct cap *c)
{
	region_destroy(c->object);
}

const struct cap_type_ops fake_region_ops = {.destroy = region_cap_destroy};

/* ---- user memory (mm/usercopy.h) ----------------------------------------- */

bool usercopy_faults;

/* Every page of the range in a REGION_U region that allows perms. */
bool user_range_ok(vaddr_t va, size_t n, unsigned perms)
{
	if (n == 0 || va + n < va)
		return false;
	for (vaddr_t p = va & ~(vaddr_t)(PAGE_SIZE - 1); p < va + n;
	     p += PAGE_SIZE) {
		const struct region *r = region_find(p);

		if (!r || !(r->perms & REGION_U) || (r->perms & perms) != perms)
			return false;
	}
	return true;
}

/* dst is a region's address too (channel.c copies into a new region):
 * the bytes go from one region's host buffer to the other's. Regions
 * never touch (a hole after each), so one range is in one region. */
int copy_from_user(void *dst, vaddr_t src, size_t n)
{
	if (usercopy_faults || !user_range_ok(src, n, REGION_R))
		return -EFAULT;
	memcpy(fake_byte_at((vaddr_t)dst), fake_byte_at(src), n);
	return 0;
}

/* ---- events (cont/cont.h) ------------------------------------------------ */

struct fired fired[FIRED_MAX];
size_t nfired;
uintptr_t fired_frame_low, fired_frame_high;

size_t event_fire(enum event_kind kind, uint64_t key, uint64_t value)
{
	uintptr_t frame = (uintptr_t)__builtin_frame_address(0);

	if (fired_frame_low == 0 || frame < fired_frame_low)
		fired_frame_low = frame;
	if (frame > fired_frame_high)
		fired_frame_high = frame;
	if (nfired < FIRED_MAX)
		fired[nfired] = (struct fired){kind, key, value};
	nfired++;
	return 0; /* no continuation waits here */
}
