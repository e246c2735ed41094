/*
 * abi.h - structures user code hands to the kernel (lab 5).
 *
 * Included by the kernel and by the user library (user/lib/baton.h), so
 * both sides see one definition. Only fixed-size fields: the layout is
 * the ABI.
 */
#ifndef USER_ABI_H
#define USER_ABI_H

#include "lib/types.h"

/* The most continuations one next() may name. */
#define UCONT_MAX_NEXT 16

/* One continuation, as user code names it to next(). */
struct ucont_next {
	uint64_t entry; /* where it starts: code of the domain */
	uint64_t arg;	/* its RDI */
	uint64_t kind;	/* enum event_kind (cont/event.h): NOW, TIMER, INPUT,
			   DOMAIN_EXIT */
	uint64_t key;	/* TIMER: the deadline (clock ns); DOMAIN_EXIT: a
			   handle to the domain (spawn's result) */
};

#endif
