/*
 * errno.c - names of the error codes, for messages.
 */
#include "lib/errno.h"

#include "lib/compiler.h"

static const char *const errno_names[] = {
	[EPERM] = "EPERM",   [ENOENT] = "ENOENT",	  [ESRCH] = "ESRCH",
	[EIO] = "EIO",	     [E2BIG] = "E2BIG",		  [ENOEXEC] = "ENOEXEC",
	[EBADF] = "EBADF",   [ENOMEM] = "ENOMEM",	  [EACCES] = "EACCES",
	[EFAULT] = "EFAULT", [EBUSY] = "EBUSY",		  [EEXIST] = "EEXIST",
	[EINVAL] = "EINVAL", [ENOSPC] = "ENOSPC",	  [ERANGE] = "ERANGE",
	[ENOSYS] = "ENOSYS", [EPROTOTYPE] = "EPROTOTYPE", [EAGAIN] = "EAGAIN",
	[EPIPE] = "EPIPE",
};

const char *errno_name(int err)
{
	/* Negate as unsigned: -INT_MIN does not fit in an int. */
	unsigned int code = err < 0 ? -(unsigned int)err : (unsigned int)err;

	if (code >= ARRAY_SIZE(errno_names) || !errno_names[code])
		return "E?";
	return errno_names[code];
}
