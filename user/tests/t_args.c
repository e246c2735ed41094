/*
 * t_args.c - hostile system-call arguments get errors, never a crash.
 *
 * Every call below passes something a careless kernel would follow: a
 * null pointer, kernel addresses, non-canonical ones, a buffer that runs
 * off the end of its region, sizes too large, numbers no system call
 * has. Each must come back with the right error code; the exit status is
 * the number of calls that did not.
 */
#include "baton.h"

static int failures;

static void check(const char *what, long got, long want)
{
	bool ok = got == want;

	printf("t_args: %s %s: %ld (%s)\n", ok ? "ok  " : "FAIL", what, got,
	       got < 0 ? errno_name((int)-got) : "no error");
	if (!ok) {
		printf("t_args:      expected %ld\n", want);
		failures++;
	}
}

#define CHECK(call, want) check(#call, (call), (want))

static void bad_buffers(void)
{
	CHECK(write(NULL, 5), -EFAULT);
	CHECK(write((const char *)0x1000, 5), -EFAULT);
	CHECK(write((const char *)0xffffffff80100000, 16), -EFAULT);
	CHECK(write((const char *)0xffff800000000000, 16), -EFAULT);
	CHECK(write((const char *)0x0000800000000000, 8), -EFAULT);
	CHECK(write((const char *)0x8000000000000000, 8), -EFAULT);
	CHECK(write((const char *)-8l, 16), -EFAULT); /* wraps around */
}

/* A buffer that starts in a region and runs past its end. */
static void straddling_buffers(void)
{
	void *base = NULL;
	long r = region_alloc(1, MEM_R | MEM_W, &base);
	char *end;

	check("region_alloc(1, MEM_R | MEM_W, &base) >= 0", r >= 0, 1);
	if (r < 0)
		return;
	end = (char *)base + PAGE_SIZE;
	memcpy(end - 3, "ok\n", 3);
	CHECK(write(end - 3, 3), 3);
	CHECK(write(end - 3, 4), -EFAULT);
	CHECK(write(end - 3, 1ul << 62), -E2BIG);
	CHECK(write(end - 3, 0), 0);
	CHECK(close(r), 0);			      /* frees it */
	CHECK(write((const char *)base, 1), -EFAULT); /* freed: gone */
	CHECK(close(r), -EBADF);		      /* and not twice */
}

static void bad_regions(void)
{
	void *addr;

	CHECK(region_alloc(0, MEM_R, &addr), -EINVAL);
	CHECK(region_alloc(1ul << 40, MEM_R, &addr), -EINVAL);
	CHECK(region_alloc(1, 0x10 | MEM_R, &addr), -EINVAL);
	CHECK(region_alloc(1, MEM_W, &addr), -EINVAL); /* not readable */
	CHECK(region_alloc(1, MEM_R | MEM_W | MEM_X, &addr), -EINVAL);
	CHECK(region_alloc(1, MEM_R, (void **)0xffffffff80100000), -EFAULT);
	CHECK(close(-1), -ERANGE);
	CHECK(close(1l << 40), -ERANGE);
}

/* Numbers beyond the table, including ones a 32-bit index would wrap. */
static void bad_numbers(void)
{
	CHECK(syscall0(SYSCALL_COUNT), -ENOSYS); /* one past the end */
	CHECK(syscall0(200), -ENOSYS);
	CHECK(syscall0(-1), -ENOSYS);
	CHECK(syscall0(0x100000000l | SYS_nop), -ENOSYS);
	CHECK(syscall0(0x100000000l | SYS_exit), -ENOSYS);
}

int main(void)
{
	bad_buffers();
	straddling_buffers();
	bad_regions();
	bad_numbers();
	printf("t_args: %d failures\n", failures);
	return failures;
}
