/*
 * sys_channel.c - the system calls of channels (ipc/channel.h, lab 7).
 *
 * A message is copied in and out in one piece: its fixed part (the
 * counts, caps and regions) and then only the data bytes it uses.
 */
#include "ipc/channel.h"
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "sys/syscall.h"
#include "user/domain.h"

#define MSG_FIXED __builtin_offsetof(struct msg, data)

/*
 * Creates a channel; writes the capabilities to its two ends, each with
 * CAP_R | CAP_W, to ends[0] and ends[1]. Returns 0, -EFAULT (ends not
 * writable), or an error of channel_create.
 */
long sys_channel(vaddr_t ends)
{
	struct cap_table *t = &domain_current()->caps;
	long slots[2];
	int err;

	/* Once the channel exists, writing its ends out must not fail. */
	if (user_prefault(ends, sizeof(slots)) < 0)
		return -EFAULT;
	err = channel_create(t, slots);
	if (err < 0)
		return err;
	return copy_to_user(ends, slots, sizeof(slots));
}

/* Sends the message at msg on end: 0, -EFAULT or channel_send's error. */
long sys_send(long end, vaddr_t msg)
{
	struct msg m;

	if (copy_from_user(&m, msg, MSG_FIXED) < 0)
		return -EFAULT;
	if (m.len > MSG_DATA_MAX)
		return -E2BIG;
	if (copy_from_user(m.data, msg + MSG_FIXED, m.len) < 0)
		return -EFAULT;
	return channel_send(&domain_current()->caps, end, &m);
}

/*
 * Receives the oldest message waiting at end into msg. Returns 0,
 * -EFAULT (msg not writable: nothing is taken), or channel_receive's
 * error.
 */
long sys_receive(long end, vaddr_t msg)
{
	struct msg m;
	int err;

	/* Once the message is taken, writing it out must not fail. */
	if (user_prefault(msg, sizeof(m)) < 0)
		return -EFAULT;
	err = channel_receive(&domain_current()->caps, end, &m);
	if (err < 0)
		return err;
	return copy_to_user(msg, &m, MSG_FIXED + m.len);
}
