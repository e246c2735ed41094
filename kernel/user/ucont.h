/*
 * ucont.h - user continuations: how a domain's program runs (lab 5).
 *
 * A domain is single-threaded and never blocks. Its program is a set of
 * continuations: an entry point and an argument, waiting for an event.
 * The kernel enters one in ring 3 with RDI = its argument, RSI = the
 * event's kind and RDX = its value, on the domain's stack, which starts
 * fresh at its top every time. The continuation ends with one system
 * call, next(), naming the continuations that should run after it and
 * the event each waits for (none: it is done), or with exit(status).
 * When the last continuation ends without registering any, the domain
 * has finished (status 0). A continuation that runs in ring 3 for more
 * than UCONT_BUDGET_TICKS clock ticks is not preempted: it is killed,
 * with its domain.
 */
#ifndef USER_UCONT_H
#define USER_UCONT_H

#include "arch/x86_64/trapframe.h"
#include "cont/event.h"
#include "lib/types.h"
#include "user/abi.h"
#include "user/domain.h"

#define UCONT_MAX_PENDING  256	 /* registered and waiting, per domain */
#define UCONT_BUDGET_TICKS 100ul /* about 100 ms of running in ring 3 */

/*
 * Runs one continuation of d now, on this stack, until it ends: next(),
 * exit, or death. If that ended the domain, fires its EVENT_DOMAIN_EXIT.
 */
void domain_enter(struct domain *d, uint64_t entry, uint64_t arg,
		  const struct event *why);

/*
 * Registers the continuations next[0 .. n) of d, all or none; the key of
 * a DOMAIN_EXIT wait is a capability of d to a domain, with CAP_R; of a
 * MESSAGE or ROOM wait, to a channel end, with CAP_R or CAP_W (lab 7).
 * Returns 0, -E2BIG (n too large),
 * -EINVAL (an event kind user code may not wait for), -EFAULT (an entry
 * outside d's executable regions), an error of cap_lookup (the key),
 * -ENOSPC (d would have more than UCONT_MAX_PENDING waiting) or -ENOMEM.
 */
int ucont_register(struct domain *d, const struct ucont_next *next, size_t n);

/* Forgets every continuation d has registered (d ended). */
void ucont_cancel_all(struct domain *d);

/* Called on every clock tick: kills a continuation over its budget. */
void ucont_check_budget(struct trapframe *tf);

#endif
