/*
 * host_ipc_stubs.h - stand-ins for the kernel layers channel.c leans on,
 * for tests/host/test_channel.c and tests/fuzz/fuzz_channel.c
 * (tests/host/host_ipc_stubs.c). Only as much as those need:
 *   - a fake region registry (mm/region.h): each region is one kzalloc,
 *     at a made-up page address with a free page after it, and keeps
 *     its contents in a host buffer; each page starts with its address
 *     (so a copy of the wrong pages shows). region_park only counts the
 *     pages it parked; region_destroy frees and counts;
 *   - user memory (mm/usercopy.h): user_range_ok says yes for ranges in
 *     REGION_U regions; copy_from_user copies between host buffers;
 *   - events (cont/cont.h): event_fire logs (kind, key, value), and the
 *     stack frames it ran in.
 * lab_missing stays in each file: a unit test fails, a fuzzer aborts.
 */
#ifndef TESTS_HOST_IPC_STUBS_H
#define TESTS_HOST_IPC_STUBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap/cap.h"
#include "cont/cont.h"
#include "mm/region.h"
#include "mm/usercopy.h"

#define FAKE_FIRST_USER 0x40000000ul /* the first region's address */
#define FIRED_MAX	64	     /* events logged (all are counted) */

struct fake_region {
	struct region r; /* first: what channel.c sees */
	size_t parked;	 /* pages region_park has parked */
	uint8_t *bytes;	 /* its contents (pages * PAGE_SIZE) */
	int tally;	 /* free for the test (fuzz_channel counts originals) */
};

extern struct region *fake_regions; /* newest first, linked by r.next */
extern size_t fake_regions_live, fake_regions_destroyed;

static inline struct fake_region *fake_of(const struct region *r)
{
	return (struct fake_region *)r;
}

/* The host byte behind user address va (which must be in a region). */
uint8_t *fake_byte_at(vaddr_t va);

/* Pages region_park has parked, over all regions alive. */
size_t fake_parked_pages(void);

/* With no region alive: the next one starts at FAKE_FIRST_USER again. */
void fake_regions_restart(void);

/* Type operations for region capabilities: the original's destroy
 * destroys the region, as kernel/user/view.c does. */
extern const struct cap_type_ops fake_region_ops;

extern bool usercopy_faults; /* copy_from_user fails as if it faulted */

struct fired {
	enum event_kind kind;
	uint64_t key, value;
};

extern struct fired fired[FIRED_MAX]; /* the first FIRED_MAX calls */
extern size_t nfired;		      /* every call, even unlogged */
/* The frames event_fire ran in (0, 0: none yet). */
extern uintptr_t fired_frame_low, fired_frame_high;

#endif
