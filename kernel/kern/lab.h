/*
 * lab.h - what a lab stub does when it is reached.
 */
#ifndef KERN_LAB_H
#define KERN_LAB_H

#include "lib/compiler.h"

/*
 * Reports that `what`, part of lab `lab`, is not written yet, and stops:
 * inside a test, the test fails with "LAB n: what() is not written yet";
 * outside one, the kernel panics with that message. Stubs that cannot
 * return a sensible error (a trap handler, say) call this instead of
 * hanging.
 */
NORETURN void lab_missing(int lab, const char *what);

#endif
