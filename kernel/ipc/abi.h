/*
 * abi.h - a message, as user code and the kernel both see it (lab 7).
 *
 * Included by the kernel and by the user library. Only fixed-size
 * fields: the layout is the ABI. A message has three parts:
 *   - data: up to MSG_DATA_MAX bytes, always copied;
 *   - caps: up to MSG_CAPS_MAX capabilities, which move from the
 *     sender's table to the receiver's (any type: a channel end, a
 *     domain, a region);
 *   - regions: up to MSG_REGIONS_MAX whole regions, named by address,
 *     which move (zero-copy: the same frames, at the same address), or,
 *     with MSG_COPY, are copied into new regions for the receiver.
 */
#ifndef IPC_ABI_H
#define IPC_ABI_H

#include "lib/types.h"

#define MSG_DATA_MAX	64
#define MSG_CAPS_MAX	4
#define MSG_REGIONS_MAX 4
#define CHANNEL_QUEUE	8 /* messages waiting at one end, at most */

/* msg.flags */
#define MSG_COPY 0x1 /* copy the regions instead of moving them */

struct msg_region {
	uint64_t addr;	/* its first byte: a page boundary */
	uint64_t pages; /* its length, in pages */
	int64_t cap;	/* receive: the receiver's capability to it */
};

struct msg {
	uint32_t flags;	   /* MSG_COPY, or 0 */
	uint32_t len;	   /* bytes of data */
	uint32_t ncaps;	   /* entries of caps used */
	uint32_t nregions; /* entries of regions used */
	/* send: the sender's slots; receive: where they arrived */
	int64_t caps[MSG_CAPS_MAX];
	struct msg_region regions[MSG_REGIONS_MAX];
	uint8_t data[MSG_DATA_MAX]; /* last: only len bytes travel */
};

#endif
