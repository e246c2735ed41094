/*
 * check.h - self-checking test programs: compare, print, count.
 *
 *	check_begin("c_full");
 *	CHECK(close(-1), -ERANGE);
 *	...
 *	return check_end();
 *
 * Each CHECK prints one line, "c_full: ok   close(-1): -34 (ERANGE)" or
 * "FAIL" with what was expected, so a failing test's log says which call
 * went wrong. check_end prints the count of failures and returns it: the
 * program's exit status, which the kernel test looks at.
 */
#ifndef USER_CHECK_H
#define USER_CHECK_H

/* Names the program in every line printed. */
void check_begin(const char *program);

/* Compares got with want, prints the line, counts a failure. */
void check(const char *what, long got, long want);

#define CHECK(call, want) check(#call, (long)(call), (long)(want))

/* Checks that fail without a line each (loops): counted, then reported. */
extern int check_failures;

/* Prints "PROGRAM: N failures" and returns N. */
int check_end(void);

#endif
