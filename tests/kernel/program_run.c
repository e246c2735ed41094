/*
 * program_run.c - running user programs from tests (program_run.h).
 */
#include "program_run.h"

#include "kern/console.h"
#include "kern/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"

char program_output[8192];

struct domain *program_spawn(const char *name, uint64_t arg)
{
	struct domain *d = NULL;
	int err = domain_spawn(name, &d);

	if (err < 0)
		KT_FAIL("domain_spawn(\"%s\") failed with %d (%s)", name, err,
			errno_name(err));
	d->arg = arg;
	return d;
}

void program_output_clear(void)
{
	program_output[0] = '\0';
}

void program_run(struct domain *d)
{
	size_t used = strlen(program_output);
	int err;

	console_capture_start(program_output + used,
			      sizeof(program_output) - used);
	err = domain_run(d);
	console_capture_stop();
	if (err < 0)
		KT_FAIL("domain_run(%s) failed with %d (%s)", d->name, err,
			errno_name(err));
}

void program_expect_exit(const struct domain *d, int status)
{
	if (d->state == DOMAIN_KILLED)
		KT_FAIL("%s was killed: %s; it printed:\n%s", d->name, d->why,
			program_output);
	if (d->state != DOMAIN_EXITED)
		KT_FAIL("%s has not ended (state %d); it printed:\n%s", d->name,
			d->state, program_output);
	if (d->status != status)
		KT_FAIL("%s ended with status %d, expected %d; it printed:\n%s",
			d->name, d->status, status, program_output);
}

void program_expect_killed(const struct domain *d, const char *why)
{
	if (d->state != DOMAIN_KILLED)
		KT_FAIL("%s was not killed (state %d, status %d); it "
			"printed:\n%s",
			d->name, d->state, d->status, program_output);
	if (!strstr(d->why, why))
		KT_FAIL("%s was killed for \"%s\", expected \"%s\"", d->name,
			d->why, why);
}
