/*
 * event.h - the things a continuation can wait for (lab 5).
 *
 * Every wait names an event by a kind and a key: "now", "the clock
 * reaches deadline key", "console input", "domain key exits", and, in lab
 * 7, "a message on channel key". When the event happens, each
 * continuation waiting for it becomes ready, and runs with a struct
 * event saying what happened (the value: the deadline, the exit status,
 * ...).
 */
#ifndef CONT_EVENT_H
#define CONT_EVENT_H

#include "lib/types.h"

enum event_kind {
	EVENT_NOW,	   /* at once, after what is already ready */
	EVENT_TIMER,	   /* key: a deadline on the clock, in ns */
	EVENT_INPUT,	   /* console input arrived (key 0) */
	EVENT_DOMAIN_EXIT, /* key: the domain's id; value: its status */
	EVENT_JOIN,	   /* a join: every event it waited for happened */
	EVENT_MESSAGE,	   /* key: a channel end; a message waits there, or
			      the other end closed (lab 7) */
	EVENT_ROOM,	   /* key: a channel end; its messages have room
			      again, or the other end closed (lab 7) */
	EVENT_KINDS,
};

/* What woke a continuation. */
struct event {
	enum event_kind kind;
	uint64_t value; /* TIMER: the deadline; DOMAIN_EXIT: the status;
			   JOIN: how many events it waited for; MESSAGE:
			   messages waiting; ROOM: places free */
};

/* One thing to wait for: a kind and its key (cont_join). */
struct wait {
	enum event_kind kind;
	uint64_t key;
};

#endif
