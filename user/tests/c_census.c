/*
 * c_census.c - c_give's child: lists its capability table, uses what it
 * was given, then touches a region it was not given (spawn_arg).
 */
#include "baton.h"
#include "check.h"

int main(void)
{
	struct cap_info info, mine[2];
	int count = 0;

	check_begin("c_census");
	for (long s = 0; s < CAP_SLOTS; s++) {
		if (cap_info(s, &info) < 0)
			continue;
		printf("c_census: slot %ld: type %u, rights %u\n", s, info.type,
		       info.rights);
		if (count < 2)
			mine[count] = info;
		count++;
	}
	CHECK(count, 2);
	if (count != 2)
		return check_end();
	CHECK(mine[0].rights, CAP_R);
	CHECK(mine[1].rights, CAP_R | CAP_W);
	printf("c_census: slot 0 holds \"%s\", slot 1 \"%s\"\n",
	       (const char *)mine[0].addr, (const char *)mine[1].addr);
	((char *)mine[1].addr)[0] = 'R'; /* slot 1 may write */
	printf("c_census: %d failures; now the region not given\n",
	       check_failures);
	printf("c_census: read \"%s\"\n", (const char *)spawn_arg);
	return 1;
}
