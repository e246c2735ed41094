/*
 * bochs.h - Bochs's magic breakpoint.
 *
 * `xchg %bx, %bx` does nothing on a real CPU or in QEMU. Under Bochs with
 * `magic_break: enabled=1` it stops the simulation in the internal debugger
 * (`make bochs-debug`), right here, with every register intact.
 */
#ifndef ARCH_BOCHS_H
#define ARCH_BOCHS_H

#define BOCHS_BREAK() __asm__ volatile("xchg %%bx, %%bx" ::: "memory")

#endif
