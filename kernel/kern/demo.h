/*
 * demo.h - what `make run` shows when no test is asked for.
 */
#ifndef KERN_DEMO_H
#define KERN_DEMO_H

/* Shows off each lab's subsystem in turn; returns when done. */
void demo_run(void);

#endif
