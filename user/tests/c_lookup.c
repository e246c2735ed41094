/*
 * c_lookup.c - forged and misused capabilities get errors, each its own.
 *
 * A slot number out of range, an empty slot, a capability of the wrong
 * type and one without the right needed: four different errors, so a
 * program can tell its bugs apart. Then derive: rights only shrink, and
 * a badge, once set, stays. The exit status counts the checks that
 * failed.
 */
#include "baton.h"
#include "check.h"

#define RANDOM_TRIES 500

static uint64_t state = 0x9e3779b97f4a7c15ul;

/* xorshift64: numbers a forger might try. */
static long random_slot(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (long)state;
}

/* Slots 32 and up are never used here: any number must be refused. */
static void forged_numbers(void)
{
	struct cap_info info;
	int wrong = 0;

	for (int i = 0; i < RANDOM_TRIES; i++) {
		long slot = random_slot();
		long want = -ERANGE;

		if (i % 2) { /* half of them in range, in the empty half */
			slot = CAP_SLOTS / 2 +
			       (long)((uint64_t)slot % (CAP_SLOTS / 2));
			want = -EBADF;
		}
		if (cap_info(slot, &info) != want || close(slot) != want ||
		    cap_derive(slot, CAP_R, 0) != want ||
		    cap_revoke(slot) != want)
			wrong++;
	}
	check("random slot numbers refused", wrong, 0);
}

static void rights_and_types(long region, long child)
{
	struct ucont_next wait = {.entry = (uint64_t)async_entry,
				  .kind = EVENT_DOMAIN_EXIT};
	struct cap_info info;
	long ro, none;

	wait.key = (uint64_t)region; /* a region is not a domain */
	CHECK(next(&wait, 1), -EPROTOTYPE);
	none = cap_derive(child, 0, 0); /* a copy with no rights */
	CHECK(none >= 0, 1);
	wait.key = (uint64_t)none; /* waiting needs CAP_R */
	CHECK(next(&wait, 1), -EPERM);
	ro = cap_derive(region, CAP_R, 0);
	CHECK(cap_info(ro, &info), 0);
	CHECK(info.type, CAP_REGION);
	CHECK(info.rights, CAP_R);
	CHECK(cap_derive(ro, CAP_R | CAP_W, 0), -EPERM); /* only shrink */
	CHECK(cap_derive(region, CAP_R | CAP_X, 0), -EPERM);
	CHECK(cap_derive(region, 0x10 | CAP_R, 0), -EINVAL);
}

static void badges(long region)
{
	struct cap_info info;
	long badged = cap_derive(region, CAP_R, 42), copy;

	CHECK(cap_info(badged, &info), 0);
	CHECK(info.badge, 42);
	CHECK(cap_derive(badged, CAP_R, 43), -EPERM); /* set once */
	copy = cap_derive(badged, CAP_R, 0);	      /* kept */
	CHECK(cap_info(copy, &info), 0);
	CHECK(info.badge, 42);
	CHECK(cap_derive(badged, CAP_R, 42) >= 0, 1); /* the same is fine */
}

int main(void)
{
	struct cap_info info;
	void *addr = NULL;
	long region = region_alloc(1, MEM_R | MEM_W, &addr);
	long child = spawn("child", NULL, 0, 0);

	check_begin("c_lookup");
	CHECK(region, 0);
	CHECK(child, 1);
	CHECK(cap_info(region, &info), 0);
	CHECK(info.addr, (long)addr);
	CHECK(cap_info(-1, &info), -ERANGE);
	CHECK(cap_info(CAP_SLOTS, &info), -ERANGE);
	CHECK(cap_info(1l << 40, &info), -ERANGE);
	CHECK(cap_info(CAP_SLOTS - 1, &info), -EBADF);
	CHECK(cap_info(region, (struct cap_info *)0xffffffff80100000), -EFAULT);
	forged_numbers();
	rights_and_types(region, child);
	badges(region);
	return check_end();
}
