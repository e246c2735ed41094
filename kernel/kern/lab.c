/*
 * lab.c - the loud failure of an unwritten lab exercise.
 */
#include "kern/lab.h"

#include "kern/ktest.h"
#include "kern/panic.h"

void lab_missing(int lab, const char *what)
{
	if (ktest_current())
		ktest_fail(NULL, 0, "LAB %d: %s() is not written yet", lab,
			   what);
	PANIC("LAB %d: %s() is not written yet", lab, what);
}
