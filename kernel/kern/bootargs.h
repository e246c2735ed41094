/*
 * bootargs.h - the kernel's options, read from its command line.
 *
 * docs/protocol.md lists the keys. An unknown key or a bad value is an
 * error: the kernel says which and ends with a failure, rather than
 * running something other than what was asked.
 */
#ifndef KERN_BOOTARGS_H
#define KERN_BOOTARGS_H

#include "lib/cmdline.h"
#include "lib/types.h"

struct bootargs {
	const char *test; /* test=NAME, "list", or NULL */
	const char *emu;  /* emu=qemu|bochs, or NULL */
	uint64_t seed;	  /* seed=N, default 1 */
	bool verbose;	  /* verbose=1 */
	bool bench;	  /* bench=1 */
};

/*
 * Parses line into args (strings point into cl, which must outlive args).
 * Returns 0, or -EINVAL/-E2BIG with a sentence in error saying what was
 * wrong (unknown key, bad value, malformed word).
 */
int bootargs_parse(const char *line, struct cmdline *cl, struct bootargs *args,
		   char *error, size_t error_size);

#endif
