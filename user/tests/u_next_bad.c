/*
 * u_next_bad.c - next() refuses bad requests, and registers nothing.
 *
 * Each refused call returns an error and the continuation goes on; then
 * a good one must still work. The exit status counts the calls that did
 * not get the right error.
 */
#include "baton.h"

static int failures;

static void check(const char *what, long got, long want)
{
	printf("u_next_bad: %s %s: %s\n", got == want ? "ok  " : "FAIL", what,
	       got < 0 ? errno_name((int)-got) : "accepted");
	failures += got != want;
}

/* After all the refusals, a good request still works. */
static void finish(void *arg, uint64_t value)
{
	(void)arg;
	(void)value;
	printf("u_next_bad: %d failures\n", failures);
	exit(failures);
}

static uint8_t data_bytes[16];

int main(void)
{
	struct ucont_next good = {.entry = (uint64_t)async_entry,
				  .kind = EVENT_NOW};
	struct ucont_next many[UCONT_MAX_NEXT + 1];
	struct ucont_next bad;
	const long nine[9] = {0};

	check("next(NULL, 1)", next(NULL, 1), -EFAULT);
	check("next(kernel, 1)", next((void *)0xffffffff80100000, 1), -EFAULT);
	for (int i = 0; i <= UCONT_MAX_NEXT; i++)
		many[i] = good;
	check("next(17 entries)", next(many, UCONT_MAX_NEXT + 1), -E2BIG);
	bad = good;
	bad.kind = EVENT_JOIN;
	check("kind EVENT_JOIN", next(&bad, 1), -EINVAL);
	bad.kind = 1000;
	check("kind 1000", next(&bad, 1), -EINVAL);
	bad = good;
	bad.entry = (uint64_t)data_bytes;
	check("entry in data", next(&bad, 1), -EFAULT);
	bad.entry = 0xffffffff80100000;
	check("entry in the kernel", next(&bad, 1), -EFAULT);
	bad.entry = 0x0000800000000000;
	check("entry non-canonical", next(&bad, 1), -EFAULT);
	check("spawn(NULL)", spawn(NULL, NULL, 0, 0), -EFAULT);
	check("spawn(\"nope\")", spawn("nope", NULL, 0, 0), -ENOENT);
	check("spawn(a long name)",
	      spawn("a-module-name-far-longer-than-any-domain-name-can-be",
		    NULL, 0, 0),
	      -E2BIG);
	check("spawn(9 capabilities)", spawn("child", nine, 9, 0), -E2BIG);
	check("spawn(unreadable capabilities)",
	      spawn("child", (const long *)0x1000, 1, 0), -EFAULT);
	check("close(-1)", close(-1), -ERANGE);
	check("close(3)", close(3), -EBADF);
	check("close(1 << 40)", close(1l << 40), -ERANGE);
	bad = good;
	bad.kind = EVENT_DOMAIN_EXIT;
	bad.key = 5; /* an empty slot */
	check("wait for the exit of slot 5", next(&bad, 1), -EBADF);
	bad.key = CAP_SLOTS; /* no such slot */
	check("wait for the exit of slot 64", next(&bad, 1), -ERANGE);
	async_now(finish, NULL);
	async_end();
}
