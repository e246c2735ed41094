/*
 * sys_console.c - writing to the console, and reading its input.
 */
#include "cont/input.h"
#include "kern/console.h"
#include "lib/errno.h"
#include "mm/region.h"
#include "mm/usercopy.h"
#include "sys/syscall.h"

/*
 * Prints len bytes from the user's buf. The whole range is checked first,
 * so a bad buffer prints nothing; the bytes are then copied in pieces
 * into a kernel buffer, never printed straight from user memory (which
 * another piece of the program could change, or unmap, under us).
 * Returns len, -EFAULT or -E2BIG (len > SYS_WRITE_MAX).
 */
long sys_write(vaddr_t buf, size_t len)
{
	char chunk[128];

	if (len > SYS_WRITE_MAX)
		return -E2BIG;
	if (len == 0)
		return 0;
	if (!user_range_ok(buf, len, REGION_R))
		return -EFAULT;
	for (size_t done = 0; done < len;) {
		size_t n = MIN(len - done, sizeof(chunk));

		if (copy_from_user(chunk, buf + done, n) < 0)
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			console_putc(chunk[i]);
		done += n;
	}
	return (long)len;
}

/*
 * Moves up to len bytes of console input that have arrived to the
 * user's buf; returns how many (0: none yet: wait for EVENT_INPUT). It
 * never waits. -EFAULT if buf is not writable user memory (then no byte
 * is consumed), -E2BIG if len > SYS_WRITE_MAX.
 */
long sys_read(vaddr_t buf, size_t len)
{
	char chunk[128];
	size_t done = 0;

	if (len > SYS_WRITE_MAX)
		return -E2BIG;
	if (len == 0)
		return 0;
	if (!user_range_ok(buf, len, REGION_R | REGION_W))
		return -EFAULT;
	while (done < len) {
		size_t n = input_read(chunk, MIN(len - done, sizeof(chunk)));

		if (n == 0)
			break;
		if (copy_to_user(buf + done, chunk, n) < 0)
			return -EFAULT;
		done += n;
	}
	return (long)done;
}
