/*
 * handle.c - handle tables (handle.h).
 */
#include "user/handle.h"

#include "lib/errno.h"
#include "user/domain.h"

long handle_add_child(struct domain *parent, struct domain *child)
{
	for (long h = 0; h < DOMAIN_MAX_HANDLES; h++) {
		if (parent->handles[h].type == HANDLE_EMPTY) {
			parent->handles[h] = (struct handle){
				.type = HANDLE_DOMAIN,
				.child = child,
				.id = child->id,
			};
			child->parent = parent;
			child->parent_handle = h;
			return h;
		}
	}
	return -ENOSPC;
}

struct handle *handle_get(struct domain *d, long h, enum handle_type type,
			  int *err)
{
	/* h comes from user code: check the range before indexing. */
	if (h < 0 || h >= DOMAIN_MAX_HANDLES || d->handles[h].type != type) {
		*err = -EBADF;
		return NULL;
	}
	return &d->handles[h];
}

int handle_close(struct domain *d, long h)
{
	int err;
	struct handle *slot = handle_get(d, h, HANDLE_DOMAIN, &err);

	if (!slot)
		return err;
	if (slot->child)
		slot->child->parent = NULL; /* it lives on, an orphan */
	*slot = (struct handle){.type = HANDLE_EMPTY};
	return 0;
}

void handle_child_ended(struct domain *child)
{
	struct handle *slot;

	if (!child->parent)
		return;
	slot = &child->parent->handles[child->parent_handle];
	slot->child = NULL;
	slot->status = child->status;
	child->parent = NULL;
}

void handles_release(struct domain *d)
{
	for (long h = 0; h < DOMAIN_MAX_HANDLES; h++)
		if (d->handles[h].type != HANDLE_EMPTY)
			handle_close(d, h);
}
