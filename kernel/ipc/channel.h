/*
 * channel.h - channels: messages, capabilities and pages between domains
 * (lab 7).
 *
 * A channel has two ends, and a domain reaches an end through a
 * capability (CAP_CHANNEL): CAP_W to send on it, CAP_R to receive from
 * it. What one end sends, the other end receives, in order; each end
 * holds at most CHANNEL_QUEUE messages waiting for its receiver.
 *
 * Nothing blocks. A send either queues the whole message at once or
 * fails and changes nothing; a receive takes a message or says that
 * none is there. A continuation that wants the next message waits for
 * EVENT_MESSAGE on the end (cont/event.h); one that found the other end
 * full waits for EVENT_ROOM.
 *
 * A message (ipc/abi.h) carries a little data, which is copied, some
 * capabilities, which move, and whole regions, which move without being
 * copied: the sender's page-table entries are parked (region_park: not
 * present, TLB entries invalidated) before the send returns, the
 * region's capability goes to the receiver, and the receiver's first
 * touch of each page maps the very same frame, at the very same address,
 * so pointers inside the region stay valid. While a message waits, its
 * capabilities belong to no domain: they sit in the message's transit
 * table.
 *
 *   channel_create   a new channel: the original capabilities to its ends
 *   channel_send     check the whole message, then move it (LAB 7)
 *   channel_receive  the oldest message, into the receiver's table (LAB 7)
 *   channel_wait     what a continuation waiting on an end waits for
 *
 * Deleting the original capability to an end closes it (LAB 7): the
 * messages waiting there are destroyed with everything they carry, and
 * the other end gets its events, so that its receiver learns, once the
 * messages already sent are read, that nothing more will come (-EPIPE).
 */
#ifndef IPC_CHANNEL_H
#define IPC_CHANNEL_H

#include "cap/cap.h"
#include "cont/event.h"
#include "ipc/abi.h"
#include "lib/types.h"

/*
 * A message waiting at an end. What it carries waits in its own transit
 * table, in its lowest slots; caps[] and regions[].cap say which holds
 * what. A capability there can still be deleted (its parent revoked,
 * elsewhere): its slot empties, and it arrives as -1; no other message's
 * capability can take the slot.
 */
struct message {
	uint32_t len, ncaps, nregions;
	long caps[MSG_CAPS_MAX];		    /* slots in transit */
	struct msg_region regions[MSG_REGIONS_MAX]; /* cap: a transit slot */
	uint8_t data[MSG_DATA_MAX];
	struct cap_table transit;
};

struct channel_end {
	uint64_t id;		  /* the key of its events; never reused */
	struct channel_end *peer; /* the other end; NULL once it closed */
	struct message queue[CHANNEL_QUEUE]; /* sent to this end */
	unsigned head;			     /* the oldest message */
	unsigned count;			     /* messages waiting */
	struct channel_end *next_closing;    /* see end_cap_destroy */
};

/* Registers the channel capabilities' operations (closing an end). */
void channel_init(void);

/*
 * Creates a channel and puts the original capabilities to its two ends,
 * with CAP_R | CAP_W, in the lowest free slots of t, storing them in
 * ends[0] and ends[1]. Returns 0, -ENOSPC (t lacks two free slots) or
 * -ENOMEM, and then nothing is created.
 */
int channel_create(struct cap_table *t, long ends[2]);

/*
 * LAB 7: sends m on the end in slot of t (t: the sender's table). The
 * whole message is checked first; if anything is wrong nothing moves,
 * and it returns
 *   -ERANGE, -EBADF, -EPROTOTYPE, -EPERM  slot is not an end with CAP_W
 *   -EPIPE   the other end is closed
 *   -EAGAIN  the other end has CHANNEL_QUEUE messages waiting already
 *   -EINVAL  unknown flags; a region not on a page boundary, of no
 *            pages, or only part of a region; a capability or a region
 *            named twice; an end of this very channel among the caps
 *   -E2BIG   more data, caps or regions than ipc/abi.h allows
 *   -ERANGE, -EBADF  a bad slot in caps
 *   -EFAULT  a region's address is in no user region (or, with
 *            MSG_COPY, a range this domain may not read)
 *   -EPERM   a region this domain does not own: t lacks the original
 *            capability to it (regions made for a program, its code
 *            and stack, are not its to give)
 *   -EBUSY   t also holds a copy of a region it sends
 *   -ENOMEM  (MSG_COPY) no memory for the copies
 * and 0 when the message is queued: each region moved has left the
 * sender's view before this returns (region_park), every capability has
 * left t, and the receiving end's EVENT_MESSAGE has fired.
 */
int channel_send(struct cap_table *t, long slot, const struct msg *m);

/*
 * LAB 7: takes the oldest message waiting at the end in slot of t (t:
 * the receiver's table), moving its capabilities and regions into t and
 * writing it to *out: the data, caps[] and regions[].cap with the slots
 * where they arrived (-1 for a capability deleted on the way: revoked
 * by whoever it was derived from), regions[] with their addresses (the
 * sender's).
 * Then fires EVENT_ROOM for the sending end. Returns 0, an error of
 * cap_lookup (an end with CAP_R), -EAGAIN (no message, the other end is
 * open), -EPIPE (no message, and none can come) or -ENOSPC (t lacks
 * room for what the message carries; it stays queued).
 */
int channel_receive(struct cap_table *t, long slot, struct msg *out);

/*
 * For a continuation of t's domain that waits for kind (EVENT_MESSAGE,
 * needing CAP_R, or EVENT_ROOM, needing CAP_W) on the end in slot:
 * returns 0 with *key the key to wait for, 1 if the event has happened
 * already (a message waits, there is room, or the other end closed) with
 * *value its value, or an error of cap_lookup.
 */
int channel_wait(struct cap_table *t, long slot, enum event_kind kind,
		 uint64_t *key, uint64_t *value);

/* Channel ends alive (leak checks). */
extern size_t channel_end_count;

#endif
