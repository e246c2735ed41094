/*
 * cap.c - capability tables and the derivation tree (cap.h).
 */
#include "cap/cap.h"

#include "lib/errno.h"
#include "mm/heap.h"

size_t cap_count;
static const struct cap_type_ops *type_ops[CAP_TYPES];

void cap_register_type(enum cap_type type, const struct cap_type_ops *ops)
{
	type_ops[type] = ops;
}

/* The lowest free slot of t, or -ENOSPC. */
static long free_slot(const struct cap_table *t)
{
	for (long s = 0; s < CAP_SLOTS; s++)
		if (!t->slots[s])
			return s;
	return -ENOSPC;
}

size_t cap_table_free(const struct cap_table *t)
{
	size_t n = 0;

	for (long s = 0; s < CAP_SLOTS; s++)
		n += !t->slots[s];
	return n;
}

static void place(struct cap_table *t, long slot, struct cap *c)
{
	t->slots[slot] = c;
	c->table = t;
	c->slot = (int)slot;
}

long cap_create(struct cap_table *t, enum cap_type type, void *object,
		unsigned rights)
{
	long slot = free_slot(t);
	struct cap *c;

	if (slot < 0)
		return slot;
	c = kzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = (struct cap){.type = type, .rights = rights, .object = object};
	place(t, slot, c);
	cap_count++;
	return slot;
}

/* The capability in slot of t whatever its type, or NULL and *err. */
static struct cap *slot_get(struct cap_table *t, long slot, int *err)
{
	/* slot comes from user code: check the range before indexing. */
	if (slot < 0 || slot >= CAP_SLOTS) {
		*err = -ERANGE;
		return NULL;
	}
	if (!t->slots[slot]) {
		*err = -EBADF;
		return NULL;
	}
	return t->slots[slot];
}

struct cap *cap_lookup(struct cap_table *t, long slot, enum cap_type type,
		       unsigned rights, int *err)
{
	struct cap *c = slot_get(t, slot, err);

	if (!c)
		return NULL;
	if (type != CAP_NONE && c->type != type) {
		*err = -EPROTOTYPE;
		return NULL;
	}
#if SOL >= 6
	if ((c->rights & rights) != rights) {
		*err = -EPERM;
		return NULL;
	}
#else
	/*
	 * LAB 6: your code here. Until you write it, a capability grants
	 * everything: refuse (-EPERM) one that lacks any of rights.
	 * Tests: cap_lookup_errors, cap_derive_cannot_escalate.
	 */
	(void)rights;
#endif
	return c;
}

/* Links child as the first child of parent. */
static void tree_add_child(struct cap *parent, struct cap *child)
{
	child->parent = parent;
	child->prev_sibling = NULL;
	child->next_sibling = parent->first_child;
	if (parent->first_child)
		parent->first_child->prev_sibling = child;
	parent->first_child = child;
}

/* Takes c out of its parent's list of children (c keeps its own). */
static void tree_unlink(struct cap *c)
{
	if (c->prev_sibling)
		c->prev_sibling->next_sibling = c->next_sibling;
	else if (c->parent)
		c->parent->first_child = c->next_sibling;
	if (c->next_sibling)
		c->next_sibling->prev_sibling = c->prev_sibling;
	c->parent = c->next_sibling = c->prev_sibling = NULL;
}

long cap_derive(struct cap_table *t, long slot, unsigned rights, uint64_t badge)
{
#if SOL >= 6
	int err;
	struct cap *parent = slot_get(t, slot, &err), *child;
	long to;

	if (!parent)
		return err;
	if (rights & ~CAP_RIGHTS_ALL)
		return -EINVAL;
	if ((parent->rights & rights) != rights)
		return -EPERM;
	if (badge == 0)
		badge = parent->badge;
	else if (parent->badge != 0 && badge != parent->badge)
		return -EPERM;
	to = cap_create(t, parent->type, parent->object, rights);
	if (to < 0)
		return to;
	child = t->slots[to];
	child->badge = badge;
	child->info = parent->info;
	tree_add_child(parent, child);
	return to;
#else
	/*
	 * LAB 6: your code here (contract in cap.h).
	 *  1. Find the parent (slot_get, whatever its type).
	 *  2. Refuse unknown rights bits (-EINVAL), and any right the
	 *     parent lacks (-EPERM): rights only shrink.
	 *  3. The badge: 0 keeps the parent's; a parent without a badge
	 *     takes any; a parent with one allows only the same (-EPERM).
	 *  4. cap_create the copy (same type, object), set its badge and
	 *     info, and link it under the parent (tree_add_child).
	 * Tests: cap_derive_cannot_escalate and every other lab 6 test but
	 * cap_region_isolation.
	 */
	(void)t;
	(void)slot;
	(void)rights;
	(void)badge;
	(void)tree_add_child;
	return -ENOSYS;
#endif
}

/*
 * Empties c's slot, tells its type (and, for an original, destroys the
 * object), and frees it. c has no children.
 */
static void remove_leaf(struct cap *c)
{
	const struct cap_type_ops *ops = type_ops[c->type];
	bool original = !c->parent;

	tree_unlink(c);
	c->table->slots[c->slot] = NULL;
	if (ops && ops->dropped)
		ops->dropped(c);
	if (original && ops && ops->destroy)
		ops->destroy(c);
	cap_count--;
	kfree(c);
}

/*
 * LAB 6: deletes everything below c, leaves first; c stays. Each
 * capability must be visited a bounded number of times, and nothing may
 * recurse: a chain may be thousands long and the kernel stack is 16 KiB.
 */
static void delete_descendants(struct cap *c)
{
#if SOL >= 6
	struct cap *n = c;

	/* Go down to a leaf, remove it, go on from its parent. */
	for (;;) {
		struct cap *up;

		while (n->first_child)
			n = n->first_child;
		if (n == c)
			return;
		up = n->parent;
		remove_leaf(n);
		n = up;
	}
#else
	/*
	 * LAB 6: your code here. remove_leaf takes a capability without
	 * children: walk down from c to a leaf (first_child until there is
	 * none), remove it, and go on from its parent, until c has no
	 * children left. Why does this visit each capability a bounded
	 * number of times? (Until you write it, revoke deletes nothing, and
	 * deleting an original leaves its copies naming a dead object.)
	 * Tests: cap_revoke_in_other_domain, cap_revoke_long_chain,
	 * cap_delete_versus_revoke, cap_table_full, cap_1000_rounds_no_leak,
	 * cap_derive_cannot_escalate.
	 */
	(void)c;
	(void)remove_leaf;
#endif
}

int cap_revoke(struct cap_table *t, long slot)
{
	int err;
	struct cap *c = slot_get(t, slot, &err);

	if (!c)
		return err;
	delete_descendants(c);
	return 0;
}

int cap_delete(struct cap_table *t, long slot)
{
	int err;
	struct cap *c = slot_get(t, slot, &err), *child;

	if (!c)
		return err;
	if (!c->parent) {
		/* The original: the object goes, so every copy goes first. */
		delete_descendants(c);
		remove_leaf(c);
		return 0;
	}
	/* A copy: its children move up to its parent, keeping their
	 * rights, which are no more than the parent's either. */
	while ((child = c->first_child) != NULL) {
		tree_unlink(child);
		tree_add_child(c->parent, child);
	}
	remove_leaf(c);
	return 0;
}

int cap_transfer(struct cap_table *from, const long *slots, size_t n,
		 struct cap_table *to, long *new_slots)
{
#if SOL >= 6
	int err;

	if (from == to)
		return -EINVAL;
	/* Check everything before moving anything. */
	for (size_t i = 0; i < n; i++) {
		if (!slot_get(from, slots[i], &err))
			return err;
		for (size_t j = 0; j < i; j++)
			if (slots[j] == slots[i])
				return -EINVAL;
	}
	if (cap_table_free(to) < n)
		return -ENOSPC;
	for (size_t i = 0; i < n; i++) {
		struct cap *c = from->slots[slots[i]];
		const struct cap_type_ops *ops = type_ops[c->type];
		long at = free_slot(to);

		from->slots[slots[i]] = NULL;
		if (ops && ops->dropped)
			ops->dropped(c);
		place(to, at, c);
		if (new_slots)
			new_slots[i] = at;
	}
	return 0;
#else
	/*
	 * LAB 6: your code here (contract in cap.h). All or none: check
	 * every slot (slot_get; and no slot twice) and that to has room
	 * (cap_table_free) before you move the first one. Moving is
	 * emptying the old slot, telling the type (its dropped operation,
	 * while c->table still names from), and place() in to's lowest free
	 * slot. The tree does not change: why is that right?
	 * Tests: cap_spawn_passes_chosen_caps, cap_read_only_cannot_write,
	 * cap_revoke_in_other_domain, cap_view_switch_sets_pte_bits,
	 * cap_revoke_long_chain, cap_delete_versus_revoke.
	 */
	(void)from;
	(void)slots;
	(void)n;
	(void)to;
	(void)new_slots;
	return -ENOSYS;
#endif
}

void cap_table_clear(struct cap_table *t)
{
	/* Deleting an original also empties the slots of its copies, here
	 * and elsewhere: every slot is looked at after the ones before it
	 * are done. */
	for (long s = 0; s < CAP_SLOTS; s++)
		if (t->slots[s])
			cap_delete(t, s);
}

void cap_tree_apply(struct cap *root, void (*fn)(struct cap *c, void *arg),
		    void *arg)
{
	struct cap *n = root;

	/* Preorder, without recursion: down first, then along, then up
	 * until there is a sibling to go along to. */
	for (;;) {
		fn(n, arg);
		if (n->first_child) {
			n = n->first_child;
			continue;
		}
		while (n != root && !n->next_sibling)
			n = n->parent;
		if (n == root)
			return;
		n = n->next_sibling;
	}
}
