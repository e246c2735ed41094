/*
 * c_churn.c - 1,000 rounds of allocating, deriving, revoking and
 * closing; the kernel test checks that no frame, region or capability
 * is left over.
 */
#include "baton.h"
#include "check.h"

#define ROUNDS 1000
#define BATCH  10

/* One round; returns how many of its calls went wrong. */
static int round_trip(int i)
{
	struct cap_info info;
	volatile char *addr;
	long region = region_alloc(1, MEM_R | MEM_W, (void **)&addr);
	long ro, badged, rw;
	int wrong = 0;

	if (region < 0)
		return 1;
	addr[0] = (char)i; /* a frame, mapped on demand */
	ro = cap_derive(region, CAP_R, 0);
	badged = cap_derive(ro, CAP_R, (uint64_t)i + 1);
	rw = cap_derive(region, CAP_R | CAP_W, 0);
	wrong += ro < 0 || badged < 0 || rw < 0;
	wrong += cap_revoke(region) != 0;
	wrong += cap_info(badged, &info) != -EBADF;
	wrong += cap_info(rw, &info) != -EBADF;
	wrong += addr[0] != (char)i;
	wrong += close(region) != 0;
	return wrong;
}

/*
 * BATCH rounds per continuation: a continuation must end within its
 * budget (100 clock ticks in ring 3). Under Bochs a round's system calls
 * take long enough that a tick is often due when one returns, and it is
 * counted in ring 3: 50 rounds in one continuation were too many.
 */
static void batch(void *arg, uint64_t value)
{
	int first = (int)(uintptr_t)arg;

	(void)value;
	for (int i = first; i < first + BATCH; i++)
		check_failures += round_trip(i);
	if (first + BATCH < ROUNDS)
		async_now(batch, (void *)(uintptr_t)(first + BATCH));
	else
		exit(check_end());
}

int main(void)
{
	check_begin("c_churn");
	async_now(batch, (void *)0);
	async_end();
}
