/*
 * earlymap.h - the page tables boot.S built, until lab 3 replaces them.
 */
#ifndef ARCH_EARLYMAP_H
#define ARCH_EARLYMAP_H

/*
 * Removes the identity map of low memory that boot.S needed to turn paging
 * on. Afterwards the lower half is empty: a null pointer, or any user
 * address, faults in the kernel.
 */
void earlymap_drop_identity(void);

#endif
