/*
 * sys_cont.c - system calls of continuations: next() and the clock.
 */
#include "arch/x86_64/usermode.h"
#include "cont/clock.h"
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "sys/syscall.h"
#include "user/ucont.h"

/*
 * Ends the calling continuation, registering the n continuations at
 * list to run after it (none: this one was the last). Returns only on
 * failure, with nothing registered and the continuation going on:
 * -E2BIG (n > UCONT_MAX_NEXT), -EFAULT (list unreadable, or an entry
 * outside the domain's code), -EINVAL (an event kind it may not wait
 * for), -ERANGE, -EBADF, -EPROTOTYPE or -EPERM (a DOMAIN_EXIT key that is not a
 * capability to a domain with CAP_R: cap/cap.h),
 * -ENOSPC (too many waiting already: UCONT_MAX_PENDING) or -ENOMEM.
 */
long sys_next(vaddr_t list, size_t n)
{
	struct ucont_next next[UCONT_MAX_NEXT];
	int err;

	if (n > UCONT_MAX_NEXT)
		return -E2BIG;
	if (n && copy_from_user(next, list, n * sizeof(next[0])) < 0)
		return -EFAULT;
	err = ucont_register(domain_current(), next, n);
	if (err < 0)
		return err;
	user_leave(0); /* back to domain_enter: this continuation is over */
}

/* The monotonic clock, in nanoseconds. */
long sys_clock(void)
{
	return (long)clock_ns();
}
