/*
 * cmdline.h - splitting a command line into key=value words.
 *
 * GRUB hands the kernel one string, "test=trap_int3 emu=qemu seed=7".
 * cmdline_parse() copies it and splits it into (key, value) pairs; it does
 * not know which keys exist - the caller checks that (kern/bootargs.c).
 * Words are separated by spaces or tabs; every word must be key=value with
 * a non-empty key; a key may appear once.
 */
#ifndef LIB_CMDLINE_H
#define LIB_CMDLINE_H

#include "lib/types.h"

#define CMDLINE_MAX_LEN	 512
#define CMDLINE_MAX_ARGS 16

struct cmdline_arg {
	const char *key;   /* points into cmdline.text */
	const char *value; /* points into cmdline.text; may be "" */
};

struct cmdline {
	char text[CMDLINE_MAX_LEN]; /* the words, each NUL-terminated */
	int count;
	struct cmdline_arg args[CMDLINE_MAX_ARGS];
	const char *error; /* after a failed parse: what was wrong */
};

/*
 * Parses line into cl. Returns 0, or -EINVAL (a word without '=', an empty
 * key, a repeated key) or -E2BIG (too long, too many words) with cl->error
 * saying which word was wrong.
 */
int cmdline_parse(struct cmdline *cl, const char *line);

/* The value of key, or NULL if the command line does not have it. */
const char *cmdline_get(const struct cmdline *cl, const char *key);

/*
 * Parses a whole string as an unsigned number: decimal, or hex after 0x.
 * Returns 0, or -EINVAL if s is empty, has other characters or overflows.
 */
int parse_u64(const char *s, uint64_t *out);

#endif
