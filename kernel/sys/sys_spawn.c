/*
 * sys_spawn.c - making domains from user code, and what they start with.
 */
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "sys/syscall.h"
#include "user/domain.h"
#include "user/ucont.h"

/*
 * Reads the list of capabilities to pass, and checks that each names
 * one now: before spawn makes anything, and in particular before it
 * fills a free slot with the capability to the child, which the list
 * must not be able to name.
 */
static int read_cap_list(struct domain *parent, vaddr_t caps, size_t ncaps,
			 long *slots)
{
	int err = copy_from_user(slots, caps, ncaps * sizeof(slots[0]));

	for (size_t i = 0; i < ncaps && err == 0; i++)
		if (!cap_lookup(&parent->caps, slots[i], CAP_NONE, 0, &err))
			return err;
	return err;
}

/*
 * Starts the program of module name in a new domain, whose main runs as
 * soon as the caller's continuation ends, with arg (spawn_arg in the
 * user library). The capabilities in the caller's slots caps[0 .. ncaps)
 * move to the child's slots 0 .. ncaps - 1, all or none; the child gets
 * nothing else. Returns the caller's new capability to the child (CAP_R:
 * wait for its exit with an EVENT_DOMAIN_EXIT on it), or -EFAULT, -E2BIG
 * (a name longer than DOMAIN_NAME_MAX - 1, or more than SPAWN_MAX_CAPS
 * capabilities), -ENOENT (no such module), -ENOEXEC, -ENOSPC (no free
 * slot for the new capability), -ENOMEM, or an error of cap_transfer.
 */
long sys_spawn(vaddr_t name, vaddr_t caps, size_t ncaps, uint64_t arg)
{
	struct domain *parent = domain_current(), *child;
	char module[DOMAIN_NAME_MAX];
	struct ucont_next first;
	long len = copy_string_from_user(module, name, sizeof(module)), slot;
	long slots[SPAWN_MAX_CAPS];
	int err;

	if (len < 0)
		return len;
	if (ncaps > SPAWN_MAX_CAPS)
		return -E2BIG;
	err = read_cap_list(parent, caps, ncaps, slots);
	if (err < 0)
		return err;
	err = domain_spawn(module, &child);
	if (err < 0)
		return err;
	child->arg = arg;
	first = (struct ucont_next){
		.entry = child->entry, .arg = arg, .kind = EVENT_NOW};
	err = ucont_register(child, &first, 1);
	slot = err < 0 ? err
		       : cap_create(&parent->caps, CAP_DOMAIN, child, CAP_R);
	if (slot < 0) {
		domain_destroy(child);
		return slot;
	}
	/* The capability to the child exists before anything moves to it:
	 * once moved, nothing can fail. */
	child->cap = parent->caps.slots[slot];
	/* They move: the parent no longer holds them (it derives a copy
	 * first to keep one). */
	err = ncaps ? cap_transfer(&parent->caps, slots, ncaps, &child->caps,
				   NULL)
		    : 0;
	if (err < 0) {
		cap_delete(&parent->caps, slot);
		domain_destroy(child);
		return err;
	}
	child->spawned = true;
	return slot;
}
