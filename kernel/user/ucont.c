/*
 * ucont.c - user continuations: registering, entering, budgets (ucont.h).
 */
#include "user/ucont.h"

#include "arch/x86_64/usermode.h"
#include "cont/clock.h"
#include "cont/cont.h"
#include "ipc/channel.h"
#include "lib/errno.h"
#include "mm/heap.h"
#include "mm/region.h"
#include "user/view.h"

/* The kernel's record of a registered user continuation. */
struct ucont {
	struct domain *domain;
	uint64_t entry;
	uint64_t arg;
};

void domain_enter(struct domain *d, uint64_t entry, uint64_t arg,
		  const struct event *why)
{
	domain_set_current(d);
	d->state = DOMAIN_RUNNING;
	d->user_ticks = 0;
	user_run(entry, d->stack_top, arg, why->kind, why->value);
	domain_set_current(NULL);
	if (d->state == DOMAIN_RUNNING && d->pending == 0) {
		/* Nothing left to run, and it did not say exit: done, 0. */
		d->state = DOMAIN_EXITED;
		d->status = 0;
		domain_reclaim(d);
	}
	if (d->state == DOMAIN_RUNNING)
		return;
	domain_caps_ended(d);
	event_fire(EVENT_DOMAIN_EXIT, (uint64_t)d->id,
		   (uint64_t)(int64_t)d->status);
	if (d->spawned) /* nobody else will free it */
		domain_destroy(d);
}

/* The kernel continuation that enters a user continuation. */
static void run_ucont(void *state, const struct event *why)
{
	struct ucont u = *(struct ucont *)state;

	kfree(state);
	u.domain->pending--;
	domain_enter(u.domain, u.entry, u.arg, why);
}

/* Is entry in a region d may execute? */
static bool entry_ok(const struct domain *d, uint64_t entry)
{
	const struct region *r = region_find(entry);

	return user_return_address_ok(entry) && r && (r->perms & REGION_U) &&
	       (view_rights(d, r) & REGION_X);
}

static bool kind_ok(uint64_t kind)
{
	return kind == EVENT_NOW || kind == EVENT_TIMER ||
	       kind == EVENT_INPUT || kind == EVENT_DOMAIN_EXIT ||
	       kind == EVENT_MESSAGE || kind == EVENT_ROOM;
}

static bool state_in(void *state, void *set)
{
	struct ucont **records = set;

	for (size_t i = 0; i < UCONT_MAX_NEXT && records[i]; i++)
		if (records[i] == state)
			return true;
	return false;
}

static bool state_of_domain(void *state, void *d)
{
	return ((struct ucont *)state)->domain == d;
}

/*
 * A MESSAGE or ROOM key is a capability of d to a channel end: wait for
 * the end's event, or at once if it has happened already (lab 7).
 */
static int translate_channel(struct domain *d, struct ucont_next *n)
{
	uint64_t key = 0, value = 0;
	int ready = channel_wait(&d->caps, (long)n->key,
				 (enum event_kind)n->kind, &key, &value);

	if (ready < 0)
		return ready;
	if (ready) {
		n->kind = EVENT_NOW;
		n->key = value;
	} else {
		n->key = key;
	}
	return 0;
}

/*
 * What the kernel waits for, for one user request: a DOMAIN_EXIT key is
 * a capability of d to a domain, with CAP_R. A child that has already
 * ended makes it a NOW whose value is the child's status. Returns 0, or
 * an error of cap_lookup.
 */
static int translate(struct domain *d, struct ucont_next *n)
{
	struct cap *c;
	int err;

	if (n->kind == EVENT_MESSAGE || n->kind == EVENT_ROOM)
		return translate_channel(d, n);
	if (n->kind != EVENT_DOMAIN_EXIT)
		return 0;
	c = cap_lookup(&d->caps, (long)n->key, CAP_DOMAIN, CAP_R, &err);
	if (!c)
		return err;
	if (c->object) {
		n->key = (uint64_t)((struct domain *)c->object)->id;
	} else {
		n->kind = EVENT_NOW;
		n->key = c->info;
	}
	return 0;
}

int ucont_register(struct domain *d, const struct ucont_next *user_next,
		   size_t n)
{
	struct ucont *records[UCONT_MAX_NEXT + 1] = {0};
	struct ucont_next next[UCONT_MAX_NEXT];
	int err = 0;

	if (n > UCONT_MAX_NEXT)
		return -E2BIG;
	/* A domain may not fill the kernel's heap with waiting records. */
	if (d->pending + n > UCONT_MAX_PENDING)
		return -ENOSPC;
	for (size_t i = 0; i < n; i++) {
		next[i] = user_next[i];
		if (!kind_ok(next[i].kind))
			return -EINVAL;
		if (!entry_ok(d, next[i].entry))
			return -EFAULT;
		err = translate(d, &next[i]);
		if (err < 0)
			return err;
	}
	for (size_t i = 0; i < n && !err; i++) {
		records[i] = kmalloc(sizeof(struct ucont));
		if (!records[i]) {
			err = -ENOMEM;
			break;
		}
		*records[i] = (struct ucont){d, next[i].entry, next[i].arg};
		err = cont_wait((enum event_kind)next[i].kind, next[i].key,
				run_ucont, records[i]);
		if (err < 0) {
			kfree(records[i]);
			records[i] = NULL;
		}
	}
	if (err < 0) {
		/* All or none: take back the ones already registered. */
		cont_cancel(run_ucont, state_in, records, kfree);
		return err;
	}
	d->pending += n;
	return 0;
}

void ucont_cancel_all(struct domain *d)
{
	d->pending -= cont_cancel(run_ucont, state_of_domain, d, kfree);
}

void ucont_check_budget(struct trapframe *tf)
{
	struct domain *d = domain_current();

	/*
	 * Only ticks that interrupt ring 3 count: time the kernel spends on
	 * the domain's behalf (a slow serial port under Bochs, say) is not
	 * the program's running away. Interrupts are off in the kernel, so
	 * a tick due during a system call arrives, once, after it.
	 */
	if (!d || !trapframe_from_user(tf))
		return;
	if (++d->user_ticks > UCONT_BUDGET_TICKS)
		domain_kill("a continuation ran for %lu clock ticks in user "
			    "mode without ending (its budget)",
			    UCONT_BUDGET_TICKS);
}
