/*
 * abi.h - structures user code and the kernel hand each other (labs 5 to 7).
 *
 * Included by the kernel and by the user library (user/lib/baton.h), so
 * both sides see one definition. Only fixed-size fields: the layout is
 * the ABI.
 */
#ifndef USER_ABI_H
#define USER_ABI_H

#include "cap/abi.h"
#include "ipc/abi.h"
#include "lib/types.h"

/* The most continuations one next() may name. */
#define UCONT_MAX_NEXT 16

/* One continuation, as user code names it to next(). */
struct ucont_next {
	uint64_t entry; /* where it starts: code of the domain */
	uint64_t arg;	/* its RDI */
	uint64_t kind;	/* enum event_kind (cont/event.h): NOW, TIMER, INPUT,
			   DOMAIN_EXIT, MESSAGE, ROOM */
	uint64_t key;	/* TIMER: the deadline (clock ns); DOMAIN_EXIT: a
			   capability to the domain (spawn's result);
			   MESSAGE, ROOM: a capability to a channel end */
};

/* What cap_info() says about a capability (lab 6). */
struct cap_info {
	uint32_t type;	 /* enum cap_type: CAP_REGION, CAP_DOMAIN, ... */
	uint32_t rights; /* CAP_R | CAP_W | CAP_X */
	uint64_t badge;	 /* 0: none */
	uint64_t addr;	 /* a region: its first byte; a domain: its id, or
			    0 once it has ended */
	uint64_t size;	 /* a region: its length in bytes; a domain that
			    has ended: its exit status */
};

#endif
