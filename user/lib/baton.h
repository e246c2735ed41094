/*
 * baton.h - the user library: everything a Baton program includes.
 *
 * A program is a freestanding C file with int main(void): crt0.S starts
 * it, and main's return value becomes its exit status. It talks to the
 * kernel only through system calls (syscalls.h, generated from
 * kernel/sys/syscalls.tbl), each returning a negative error code on
 * failure (errno.h: the kernel's own list).
 */
#ifndef USER_BATON_H
#define USER_BATON_H

#include "async.h"
#include "cont/event.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "lib/types.h"
#include "syscalls.h"
#include "user/abi.h"

/* Permissions for region_alloc (the kernel's REGION_R, _W and _X, and
 * the rights CAP_R, _W and _X of the capability it returns). */
#define MEM_R 0x1
#define MEM_W 0x2
#define MEM_X 0x4

#define PAGE_SIZE 4096ul

int main(void);

/* What the parent passed as spawn's arg (the domain's id, for a domain
 * the kernel starts itself). */
extern uint64_t spawn_arg;

/*
 * The time stamp counter. Ring 3 may read it (CR4.TSD is clear); under
 * QEMU with -icount shift=0 it counts guest instructions, which is how
 * the b_ programs measure (make bench).
 */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Formats like the kernel's kprintf (lib/format.h) and writes it out. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes s (without adding a newline). */
void print(const char *s);

#endif
