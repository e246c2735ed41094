/*
 * errno.h - the one list of error codes.
 *
 * Kernel functions that can fail return a negative code from this list
 * (or NULL, for functions that return pointers); system calls return the
 * same negative numbers to user space from lab 4 on. Names and values
 * follow the POSIX ones so they look familiar.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#define EPERM	   1  /* operation not permitted (missing rights) */
#define ENOENT	   2  /* no such object (an unknown name or module) */
#define ESRCH	   3  /* no such domain */
#define EIO	   5  /* a device failed */
#define E2BIG	   7  /* argument list or message too long */
#define ENOEXEC	   8  /* not a valid executable */
#define EBADF	   9  /* a capability slot that is empty */
#define EAGAIN	   11 /* not now: a channel is empty, or full (lab 7) */
#define ENOMEM	   12 /* out of memory (frames, heap or virtual space) */
#define EACCES	   13 /* access forbidden (a write to a read-only region) */
#define EFAULT	   14 /* a bad address (a user pointer, a fault outside regions) */
#define EBUSY	   16 /* the object is in use */
#define EEXIST	   17 /* the object already exists */
#define EINVAL	   22 /* an invalid argument */
#define ENOSPC	   28 /* a fixed-size table or queue is full */
#define EPIPE	   32 /* the other end of the channel is closed (lab 7) */
#define ERANGE	   34 /* a number out of range (a capability slot) */
#define ENOSYS	   38 /* not implemented (a lab stub) */
#define EPROTOTYPE 91 /* a capability of the wrong type for this call */

/* The name of an error code ("ENOMEM"), or "E?" for an unknown one. */
const char *errno_name(int err);

#endif
