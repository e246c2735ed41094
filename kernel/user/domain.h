/*
 * domain.h - protection domains: what runs a program, and what owns.
 *
 * A domain is what the kernel blames and what owns things: the regions
 * holding its program and its stack, its waiting continuations (lab 5)
 * and its table of capabilities (cap/cap.h): the memory it asked for,
 * the domains it spawned, what its parent gave it. It runs one user
 * program, from the ELF module it was spawned from,
 * as a set of continuations (user/ucont.h), until the program exits, has
 * nothing left to run, or faults. Either way everything it owned is
 * given back, and the kernel goes on: a domain can only hurt itself.
 *
 *   domain_spawn("hello", &d)   load the module into a new domain
 *   domain_run(d)               run it until it ends (or waits for
 *                               something from outside)
 *   d->state, d->status         how it ended
 *   domain_destroy(d)           forget it
 */
#ifndef USER_DOMAIN_H
#define USER_DOMAIN_H

#include "arch/x86_64/trapframe.h"
#include "cap/cap.h"
#include "lib/compiler.h"
#include "lib/types.h"
#include "mm/region.h"

#define DOMAIN_NAME_MAX	   32
#define DOMAIN_MAX_REGIONS 16
#define DOMAIN_STACK_PAGES 16 /* 64 KiB, with a guard page each side */
#define DOMAIN_WHY_MAX	   160

enum domain_state {
	DOMAIN_LOADED,	/* spawned, not run yet */
	DOMAIN_RUNNING, /* in user mode, or in a system call */
	DOMAIN_EXITED,	/* called exit(status) */
	DOMAIN_KILLED,	/* faulted or broke a rule: see why */
};

struct domain {
	int id;
	char name[DOMAIN_NAME_MAX];
	enum domain_state state;
	struct vspan image; /* the program's addresses (image.pages 0: none) */
	vaddr_t entry;	    /* its first instruction */
	vaddr_t stack_top;  /* its initial stack pointer */
	/* Its own regions, made for it by the kernel: the program's
	 * segments and its stack. Empty slots are NULL. */
	struct region *regions[DOMAIN_MAX_REGIONS];
	/* Everything else it may use: its capabilities (from lab 4 on, as
	 * plain handles; lab 6 adds rights, derive and revoke). */
	struct cap_table caps;
	struct cap *cap;     /* the original capability to it (its parent
			       holds it), or NULL */
	uint64_t arg;	     /* its main's argument (spawn's arg) */
	size_t pending;	     /* user continuations registered (lab 5) */
	uint64_t user_ticks; /* clock ticks the running continuation spent in
			       ring 3 (lab 5: its budget) */
	int status;	     /* exit(status); -1 if killed */
	char why[DOMAIN_WHY_MAX]; /* why it was killed */
	uint64_t syscalls;	  /* system calls made */
	bool spawned; /* by a domain: freed by the kernel at its end */
};

/*
 * Sets up the domain layer: the user-fault handler, and SYSCALL
 * (syscall_init). verbose: print a trap dump when a domain faults.
 * Returns 0, or -ENOSYS if lab 4's SYSCALL set-up is not written.
 */
int domains_init(bool verbose);

/* Creates an empty domain named name. Returns 0 or -ENOMEM. */
int domain_create(const char *name, struct domain **out);

/*
 * Creates a domain running the multiboot2 module called name: loads it
 * (loader.h) and gives it a stack. Returns 0, -ENOENT (no such module),
 * -ENOEXEC (not a program we can load; the console says why) or -ENOMEM.
 */
int domain_spawn(const char *name, struct domain **out);

/*
 * Runs d's program in user mode until it exits or is killed: its first
 * continuation (main), and from lab 5 on the continuations it registers
 * and those of the domains it spawns (which outlive it if they must),
 * until none is ready and no timer is pending. Returns 0 when it ran
 * (see d->state and d->status; a domain waiting for input or for another
 * domain is still DOMAIN_RUNNING), -EINVAL if d is not loaded, -ENOSYS
 * if user mode is not available (lab 4 not written).
 */
int domain_run(struct domain *d);

/* The domain running now (in user mode or in a system call), or NULL. */
struct domain *domain_current(void);

/*
 * Makes d the running domain (NULL: none), installing its view of the
 * address space (view.h). For domain_enter (ucont.h).
 */
void domain_set_current(struct domain *d);

/*
 * d has ended: every capability to it (its parent's and their copies)
 * now holds its exit status instead (cap->info).
 */
void domain_caps_ended(struct domain *d);

/* Gives r to d. Returns 0, or -ENOSPC if d owns DOMAIN_MAX_REGIONS. */
int domain_add_region(struct domain *d, struct region *r);

/*
 * LAB 4: gives back everything d owns: forgets its registered
 * continuations (ucont_cancel_all, lab 5), takes its view out
 * (view_leave) and deletes its capabilities (cap_table_clear), destroys
 * each of its own regions (their frames go back too) and releases its
 * image span. d stays, with no memory. Safe to call twice.
 */
void domain_reclaim(struct domain *d);

/* Reclaims d, then frees it. d must not be running. */
void domain_destroy(struct domain *d);

/* The current domain is done: exit(status). Back to domain_enter. */
NORETURN void domain_exit(int status);

/*
 * LAB 4: the current domain broke a rule: prints the one-line report
 * "domain ID (NAME) killed: WHY", records why, reclaims everything it
 * owns and goes back to domain_run. Used for faults and for system calls
 * whose return would be unsafe.
 */
NORETURN void domain_kill(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Domains alive (created and not destroyed), for leak checks. */
extern size_t domain_count;

#endif
