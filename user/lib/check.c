/*
 * check.c - self-checking test programs (check.h).
 */
#include "check.h"

#include "baton.h"

static const char *program = "?";
int check_failures;

void check_begin(const char *name)
{
	program = name;
}

void check(const char *what, long got, long want)
{
	bool ok = got == want;

	printf("%s: %s %s: %ld (%s)\n", program, ok ? "ok  " : "FAIL", what,
	       got, got < 0 ? errno_name((int)-got) : "no error");
	if (!ok) {
		printf("%s:      expected %ld (%s)\n", program, want,
		       want < 0 ? errno_name((int)-want) : "no error");
		check_failures++;
	}
}

int check_end(void)
{
	printf("%s: %d failures\n", program, check_failures);
	return check_failures;
}
