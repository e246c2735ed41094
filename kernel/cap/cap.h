/*
 * cap.h - capabilities: how a domain names, and may use, a kernel object.
 *
 * A domain never sees a kernel pointer. It holds a table of CAP_SLOTS
 * slots, and user code names an object by the number of a slot: a
 * capability. A capability says what the object is (its type), what its
 * holder may do with it (its rights) and carries a badge, a number that
 * lets a server tell apart the clients it handed copies to. Holding the
 * capability is the permission: there is no access list to consult, and
 * a slot number that was never handed out names nothing.
 *
 * Every capability but the first one to an object was derived from
 * another, with the same or fewer rights: they form a derivation tree,
 * across every domain's table. That tree is what makes revoke exact.
 *
 *   cap_create   the original capability to a new object
 *   cap_lookup   check a slot from user code: range, type, rights
 *   cap_derive   a copy with fewer rights, and maybe a badge (LAB 6)
 *   cap_delete   this capability; its children move up to its parent;
 *                deleting the original destroys the object
 *   cap_revoke   every capability derived from this one, at once (LAB 6:
 *                the walk that deletes them)
 *   cap_transfer move several capabilities to another table, all or
 *                none (LAB 6: at spawn; lab 7 sends them on channels)
 *
 * Pure code, apart from kmalloc: tests/host runs it on the host, and a
 * fuzzer checks it against a model (tests/fuzz/fuzz_cap.c).
 */
#ifndef CAP_CAP_H
#define CAP_CAP_H

#include "cap/abi.h"
#include "lib/types.h"

struct cap_table;

struct cap {
	enum cap_type type;
	unsigned rights; /* CAP_R | ...: never more than its parent's */
	uint64_t badge;	 /* set once, never changed: 0 means none */
	void *object;	 /* the object; NULL once it is gone */
	uint64_t info;	 /* what outlives the object (a domain's status) */
	struct cap_table *table; /* where it lives ... */
	int slot;		 /* ... and in which slot */
	/* The derivation tree: its parent (NULL: the original) and its
	 * children, a doubly linked list of siblings. */
	struct cap *parent;
	struct cap *first_child;
	struct cap *next_sibling;
	struct cap *prev_sibling;
};

struct cap_table {
	struct cap *slots[CAP_SLOTS]; /* NULL: empty */
};

/*
 * What the layers above do when capabilities go. Both are optional.
 * dropped: c has just left its table (deleted, revoked or moved away);
 *          c->table still says which. The view (user/view.c) uses it to
 *          take a region away from a domain's page tables.
 * destroy: the original c is being deleted, after every copy of it: the
 *          object goes too (a region is destroyed, a child domain is let
 *          go of).
 */
struct cap_type_ops {
	void (*dropped)(struct cap *c);
	void (*destroy)(struct cap *c);
};

/* Installs the operations for capabilities of type. */
void cap_register_type(enum cap_type type, const struct cap_type_ops *ops);

/*
 * Puts the original capability to object, of type with rights, in the
 * lowest free slot of t. Returns the slot, -ENOSPC (t is full) or
 * -ENOMEM.
 */
long cap_create(struct cap_table *t, enum cap_type type, void *object,
		unsigned rights);

/*
 * The capability in slot of t, if user code may use it this way;
 * otherwise NULL, and *err says why:
 *   -ERANGE      slot is not 0 .. CAP_SLOTS - 1
 *   -EBADF       the slot is empty
 *   -EPROTOTYPE  it holds another type (type CAP_NONE: any will do)
 *   -EPERM       it lacks some of rights (LAB 6)
 */
struct cap *cap_lookup(struct cap_table *t, long slot, enum cap_type type,
		       unsigned rights, int *err);

/*
 * LAB 6: derives a copy of the capability in slot, with rights (which
 * must be among its own) and badge (0: keep the parent's; a parent with
 * a badge allows only that one), as a child in its derivation tree, in
 * the lowest free slot of t. Returns the new slot, or -ERANGE/-EBADF (as
 * cap_lookup), -EINVAL (unknown rights bits), -EPERM (more rights than
 * the parent, or another badge), -ENOSPC or -ENOMEM.
 */
long cap_derive(struct cap_table *t, long slot, unsigned rights,
		uint64_t badge);

/*
 * Deletes the capability in slot of t. Its children take its place
 * under its parent, so they stay revocable from there. If it is the
 * original, every capability derived from it is deleted first, and then
 * the object is destroyed. Returns 0, -ERANGE or -EBADF.
 */
int cap_delete(struct cap_table *t, long slot);

/*
 * Deletes every capability derived from the one in slot (its children,
 * their children, ...), wherever they are; that one stays. Never
 * recursive (LAB 6: delete_descendants in cap.c): a chain may be
 * thousands long. Returns 0, -ERANGE or -EBADF.
 */
int cap_revoke(struct cap_table *t, long slot);

/*
 * LAB 6: moves the capabilities in slots[0 .. n) of from to the lowest
 * free slots of to, in order, and stores where each went in new_slots
 * (may be NULL). All or none: returns 0, or -ERANGE/-EBADF (a bad slot),
 * -EINVAL (a slot twice, or from == to) or -ENOSPC (to lacks room), and
 * then nothing moved. They keep their place in the derivation tree.
 */
int cap_transfer(struct cap_table *from, const long *slots, size_t n,
		 struct cap_table *to, long *new_slots);

/* Deletes every capability in t (its domain is going). */
void cap_table_clear(struct cap_table *t);

/* How many slots of t are free. */
size_t cap_table_free(const struct cap_table *t);

/* Calls fn(c, arg) for root and everything derived from it. */
void cap_tree_apply(struct cap *root, void (*fn)(struct cap *c, void *arg),
		    void *arg);

/* Capabilities alive, in every table (leak checks). */
extern size_t cap_count;

#endif
