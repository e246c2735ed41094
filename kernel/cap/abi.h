/*
 * abi.h - what user code also knows about capabilities (cap.h): the
 * types, the rights, the size of a table. Included by the user library.
 */
#ifndef CAP_ABI_H
#define CAP_ABI_H

#define CAP_SLOTS 64 /* per table: slot numbers 0 .. 63 */

enum cap_type {
	CAP_NONE,    /* in cap_lookup: any type will do */
	CAP_REGION,  /* a region of memory (mm/region.h) */
	CAP_DOMAIN,  /* a domain: wait for its exit, read its status */
	CAP_CHANNEL, /* one end of a channel (lab 7) */
	CAP_TYPES,
};

/*
 * Rights. What each allows depends on the type: a region's R, W and X
 * are its read, write and execute permissions (the same bits as
 * REGION_R, _W and _X); R on a domain lets its holder wait for its exit.
 */
#define CAP_R	       0x1
#define CAP_W	       0x2
#define CAP_X	       0x4
#define CAP_RIGHTS_ALL (CAP_R | CAP_W | CAP_X)

#endif
