/*
 * handle.h - a domain's handles: small numbers that name kernel objects.
 *
 * User code never sees a kernel pointer. When spawn() makes a child
 * domain, the parent gets a handle: the index of a slot in its own
 * table, which names the child. Every system call that takes a handle
 * looks it up in the caller's table and checks it, so a number that was
 * never handed out, or names something else, is an error and never an
 * object. (Lab 6 turns handles into capabilities, with rights.)
 *
 * A child may end before its parent asks about it: the slot then keeps
 * its exit status until the parent closes it.
 */
#ifndef USER_HANDLE_H
#define USER_HANDLE_H

#include "lib/types.h"

#define DOMAIN_MAX_HANDLES 16

struct domain;

enum handle_type {
	HANDLE_EMPTY,
	HANDLE_DOMAIN, /* a child domain */
};

struct handle {
	enum handle_type type;
	struct domain *child; /* while it lives; NULL once it has ended */
	int id;		      /* the child's id */
	int status;	      /* its exit status, once it has ended */
};

/* Gives parent a handle to child. Returns the slot, or -ENOSPC. */
long handle_add_child(struct domain *parent, struct domain *child);

/*
 * The handle h of d, if it is a slot in range holding an object of type;
 * otherwise NULL, and *err says why (-EBADF).
 */
struct handle *handle_get(struct domain *d, long h, enum handle_type type,
			  int *err);

/* Empties slot h of d. Returns 0 or -EBADF. */
int handle_close(struct domain *d, long h);

/* child has ended: its parent's handle keeps the status. */
void handle_child_ended(struct domain *child);

/* d is going away: every handle is closed (its children live on). */
void handles_release(struct domain *d);

#endif
