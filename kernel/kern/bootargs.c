/*
 * bootargs.c - checking the command line's keys and values.
 */
#include "kern/bootargs.h"

#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"

static int parse_flag(const char *value, bool *out)
{
	if (strcmp(value, "1") == 0 || strcmp(value, "0") == 0) {
		*out = value[0] == '1';
		return 0;
	}
	return -EINVAL;
}

/* Stores one key's value in args; returns 0 or -EINVAL. */
static int parse_arg(const struct cmdline_arg *a, struct bootargs *args)
{
	if (strcmp(a->key, "test") == 0) {
		args->test = a->value;
		return a->value[0] ? 0 : -EINVAL;
	}
	if (strcmp(a->key, "emu") == 0) {
		args->emu = a->value;
		return strcmp(a->value, "qemu") == 0 ||
				       strcmp(a->value, "bochs") == 0
			       ? 0
			       : -EINVAL;
	}
	if (strcmp(a->key, "seed") == 0)
		return parse_u64(a->value, &args->seed);
	if (strcmp(a->key, "verbose") == 0)
		return parse_flag(a->value, &args->verbose);
	if (strcmp(a->key, "bench") == 0)
		return parse_flag(a->value, &args->bench);
	return -ENOENT;
}

int bootargs_parse(const char *line, struct cmdline *cl, struct bootargs *args,
		   char *error, size_t error_size)
{
	int err = cmdline_parse(cl, line);

	*args = (struct bootargs){.seed = 1};
	if (err < 0) {
		snprintf(error, error_size, "%s", cl->error);
		return err;
	}
	for (int i = 0; i < cl->count; i++) {
		const struct cmdline_arg *a = &cl->args[i];

		err = parse_arg(a, args);
		if (err == -ENOENT) {
			snprintf(error, error_size,
				 "unknown key '%s' (known: test emu seed "
				 "verbose bench)",
				 a->key);
			return -EINVAL;
		}
		if (err < 0) {
			snprintf(error, error_size, "bad value '%s=%s'", a->key,
				 a->value);
			return -EINVAL;
		}
	}
	return 0;
}
