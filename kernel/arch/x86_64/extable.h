/*
 * extable.h - recovering from faults the kernel expects.
 *
 * A few kernel instructions may fault on purpose: copying from or to a
 * user address that turns out to be unmapped or forbidden (lab 4). Each
 * such instruction is listed, with the address to continue at, in the
 * exception table (section .extable: pairs of addresses, written by the
 * assembly that needs them, as usercopy.S does). A fault handler that
 * cannot resolve a kernel-mode fault asks extable_fixup(): if the
 * faulting instruction is listed, the trap returns to its fix-up code,
 * which reports an error instead of the kernel panicking.
 */
#ifndef ARCH_EXTABLE_H
#define ARCH_EXTABLE_H

#include "arch/x86_64/trapframe.h"

/*
 * If tf->rip is a listed instruction, sets tf->rip to its fix-up address
 * and returns true; else returns false and changes nothing.
 */
bool extable_fixup(struct trapframe *tf);

#endif
