/*
 * program_run.h - running a user program from a test, and checking its end.
 *
 * For the tests of lab 6 on: spawn a program (with the argument its main
 * sees as spawn_arg), run it and whatever it spawns until nothing is left
 * to run, keeping what it printed, then check how it ended.
 */
#ifndef TESTS_KERNEL_PROGRAM_RUN_H
#define TESTS_KERNEL_PROGRAM_RUN_H

#include "lib/types.h"
#include "user/domain.h"

/* What the programs run by program_run printed, NUL-terminated. */
extern char program_output[8192];

/* Spawns module name with arg, or fails the test. */
struct domain *program_spawn(const char *name, uint64_t arg);

/*
 * Runs d (from program_spawn) until nothing is left to run, capturing the
 * console in program_output (appended to what is there).
 */
void program_run(struct domain *d);

/* Forgets what earlier runs printed. */
void program_output_clear(void);

/* Fails the test unless d exited with status. */
void program_expect_exit(const struct domain *d, int status);

/* Fails the test unless d was killed for a reason containing why. */
void program_expect_killed(const struct domain *d, const char *why);

#endif
