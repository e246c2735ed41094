/*
 * c_churn.c - 1,000 rounds of allocating, deriving, revoking and
 * closing; the kernel test checks that no frame, region or capability
 * is left over.
 */
#include "baton.h"
#include "check.h"

#define ROUNDS 1000

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

int main(void)
{
	check_begin("c_churn");
	for (int i = 0; i < ROUNDS; i++)
		check_failures += round_trip(i);
	return check_end();
}
