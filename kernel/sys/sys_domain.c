/*
 * sys_domain.c - system calls about the calling domain itself.
 */
#include "lib/errno.h"
#include "sys/syscall.h"
#include "user/domain.h"

/* Does nothing: the cost of a system call and nothing else (make bench). */
long sys_nop(void)
{
	return 0;
}

/* The calling domain's id. */
long sys_self(void)
{
	return domain_current()->id;
}

/* Ends the calling domain with status; never returns to it. */
long sys_exit(int status)
{
	domain_exit(status);
}
