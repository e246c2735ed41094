/*
 * sys_spawn.c - making domains from user code, and letting go of them.
 */
#include "lib/errno.h"
#include "mm/usercopy.h"
#include "sys/syscall.h"
#include "user/domain.h"
#include "user/ucont.h"

/* A free slot in d's handle table? */
static bool has_free_handle(const struct domain *d)
{
	for (int h = 0; h < DOMAIN_MAX_HANDLES; h++)
		if (d->handles[h].type == HANDLE_EMPTY)
			return true;
	return false;
}

/*
 * Starts the program of module name in a new domain, whose main runs as
 * soon as the caller's continuation ends. Returns a handle to it (wait
 * for its exit with an EVENT_DOMAIN_EXIT on that handle), or -EFAULT,
 * -E2BIG (a name longer than DOMAIN_NAME_MAX - 1), -ENOENT (no such
 * module), -ENOEXEC, -ENOSPC (the caller's handle table is full) or
 * -ENOMEM.
 */
long sys_spawn(vaddr_t name)
{
	struct domain *parent = domain_current(), *child;
	char module[DOMAIN_NAME_MAX];
	struct ucont_next first;
	long len = copy_string_from_user(module, name, sizeof(module));
	int err;

	if (len < 0)
		return len;
	if (!has_free_handle(parent))
		return -ENOSPC;
	err = domain_spawn(module, &child);
	if (err < 0)
		return err;
	first = (struct ucont_next){.entry = child->entry,
				    .arg = (uint64_t)child->id,
				    .kind = EVENT_NOW};
	err = ucont_register(child, &first, 1);
	if (err < 0) {
		domain_destroy(child);
		return err;
	}
	child->spawned = true;
	return handle_add_child(parent, child);
}

/* Lets go of a handle (a child still running lives on). 0 or -EBADF. */
long sys_close(long handle)
{
	return handle_close(domain_current(), handle);
}
