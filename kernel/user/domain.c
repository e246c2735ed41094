/*
 * domain.c - creating, running, killing and reclaiming domains (domain.h).
 */
#include "user/domain.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/usermode.h"
#include "cont/clock.h"
#include "cont/cont.h"
#include "kern/bootinfo.h"
#include "kern/console.h"
#include "kern/ktest.h"
#include "kern/lab.h"
#include "kern/panic.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "user/loader.h"
#include "user/ucont.h"
#include "user/view.h"

size_t domain_count;
static int next_id = 1;
static struct domain *current;
static bool syscalls_ready;
static bool verbose_faults;

struct domain *domain_current(void)
{
	return current;
}

void domain_set_current(struct domain *d)
{
	current = d;
	if (d)
		view_switch(d);
}

static void hold_status(struct cap *c, void *d)
{
	c->object = NULL;
	c->info = (uint64_t)(int64_t)((struct domain *)d)->status;
}

void domain_caps_ended(struct domain *d)
{
	if (d->cap)
		cap_tree_apply(d->cap, hold_status, d);
	d->cap = NULL;
}

/* Its parent deleted the original capability to child: it lives on. */
static void domain_cap_destroy(struct cap *c)
{
	struct domain *child = c->object;

	if (child)
		child->cap = NULL;
}

static const struct cap_type_ops domain_cap_ops = {
	.destroy = domain_cap_destroy,
};

int domain_create(const char *name, struct domain **out)
{
	struct domain *d = kzalloc(sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->id = next_id++;
	strlcpy(d->name, name, sizeof(d->name));
	d->state = DOMAIN_LOADED;
	d->arg = (uint64_t)d->id;
	domain_count++;
	*out = d;
	return 0;
}

int domain_add_region(struct domain *d, struct region *r)
{
	for (int i = 0; i < DOMAIN_MAX_REGIONS; i++) {
		if (!d->regions[i]) {
			d->regions[i] = r;
			r->owner = d;
			return 0;
		}
	}
	return -ENOSPC;
}

void domain_reclaim(struct domain *d)
{
#if SOL >= 4
	ucont_cancel_all(d); /* nothing of it may run after this */
	view_leave(d);
	cap_table_clear(&d->caps);
	for (int i = 0; i < DOMAIN_MAX_REGIONS; i++) {
		if (d->regions[i]) {
			region_destroy(d->regions[i]);
			d->regions[i] = NULL;
		}
	}
	/* The segments' regions are gone; now their span can go. */
	if (d->image.pages) {
		vspan_release(&d->image);
		d->image.pages = 0;
	}
#else
	/*
	 * LAB 4: your code here (contract in domain.h).
	 *  0. Call ucont_cancel_all(d) (lab 5), view_leave(d) and
	 *     cap_table_clear(&d->caps) (lab 6), in that order: they are
	 *     written for you.
	 *  1. Destroy every region in d->regions (region_destroy unmaps its
	 *     pages and frees their frames) and empty its slot.
	 *  2. Then, if d->image.pages is not 0, release the span
	 *     (vspan_release) and set pages to 0. Why must this come after
	 *     step 1?
	 * Tests: user_fault_reclaims, user_spawn_many_no_leak.
	 */
	(void)d;
#endif
}

void domain_destroy(struct domain *d)
{
	if (d == current)
		PANIC("domain_destroy: domain %d is running", d->id);
	domain_reclaim(d);
	domain_caps_ended(d);
	domain_count--;
	kfree(d);
}

/* A stack region; the stack pointer starts at its top. */
static int give_stack(struct domain *d)
{
	struct region *stack;
	int err;

	err = region_create(DOMAIN_STACK_PAGES, REGION_R | REGION_W | REGION_U,
			    REGION_GUARDS, &stack);
	if (err < 0)
		return err;
	err = domain_add_region(d, stack);
	if (err < 0) {
		region_destroy(stack);
		return err;
	}
	d->stack_top = stack->start + DOMAIN_STACK_PAGES * PAGE_SIZE;
	return 0;
}

int domain_spawn(const char *name, struct domain **out)
{
	const struct boot_module *m = boot_module_find(name);
	struct domain *d;
	int err;

	if (!m)
		return -ENOENT;
	err = domain_create(name, &d);
	if (err < 0)
		return err;
	err = loader_load(d, phys_to_virt(m->start), m->end - m->start);
	if (err == 0)
		err = give_stack(d);
	if (err < 0) {
		domain_destroy(d);
		return err;
	}
	*out = d;
	return 0;
}

int domain_run(struct domain *d)
{
	struct event start = {.kind = EVENT_NOW};

	if (!syscalls_ready)
		return -ENOSYS;
	if (d->state != DOMAIN_LOADED || current)
		return -EINVAL;
	domain_enter(d, d->entry, d->arg, &start);
	/* Lab 5: then whatever it registered, and the domains it spawned
	 * (which live on after it), until nothing is left. (Only if there
	 * is something: without lab 5 the engine cannot run.) */
	if (d->state == DOMAIN_RUNNING || cont_pending)
		cont_run_until_idle();
	return 0;
}

/*
 * domain_run's user_run returns here, through user_leave: the domain's
 * frames on the kernel stack are abandoned.
 */
void domain_exit(int status)
{
	struct domain *d = current;

	d->state = DOMAIN_EXITED;
	d->status = status;
	domain_reclaim(d);
	user_leave(0);
}

void domain_kill(const char *fmt, ...)
{
	struct domain *d = current;
	va_list ap;

	if (!d)
		PANIC("domain_kill: no domain is running");
#if SOL >= 4
	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
	kprintf("domain %d (%s) killed: %s\n", d->id, d->name, d->why);
	d->state = DOMAIN_KILLED;
	d->status = -1;
	domain_reclaim(d);
	user_leave(0);
#else
	/*
	 * LAB 4: your code here (contract in domain.h).
	 *  1. Format the reason into d->why (vsnprintf, lib/format.h) and
	 *     print the report, exactly: "domain %d (%s) killed: %s\n".
	 *  2. Mark d killed, with status -1.
	 *  3. Reclaim what it owns, then user_leave(0) (usermode.h).
	 * Tests: user_privileged_instruction_killed, user_wild_write_killed,
	 * user_divide_error_killed, user_fault_reclaims.
	 */
	(void)ap;
	(void)fmt;
	lab_missing(4, "domain_kill");
#endif
}

void user_return_check(uint64_t rip)
{
#if SOL >= 4
	if (!user_return_address_ok(rip))
		domain_kill("return address %p is not a canonical user "
			    "address (SYSRET would fault in ring 0)",
			    (void *)rip);
#else
	/*
	 * LAB 4: your code here (contract in arch/x86_64/usermode.h). If rip
	 * is not user_return_address_ok, kill the domain, saying "return
	 * address %p is not a canonical user address". What happens under
	 * Bochs if you do not? (Try it: make grade EMU=bochs T=sysret.)
	 * Test: user_sysret_noncanonical.
	 */
	(void)rip;
#endif
}

/* trap.c calls this for every fault in user mode. */
static void user_fault(struct trapframe *tf, const char *detail)
{
	if (!current)
		panic_trap(tf, "a fault in user mode with no domain running");
	if (verbose_faults)
		trapframe_dump(tf);
	domain_kill("%s (%s) at rip %p%s%s", trap_mnemonic(tf->vector),
		    trap_name(tf->vector), (void *)tf->rip, detail ? ": " : "",
		    detail ? detail : "");
}

int domains_init(bool verbose)
{
	int err = syscall_init();

	verbose_faults = verbose;
	trap_set_user_fault_handler(user_fault);
	view_init();
	cap_register_type(CAP_DOMAIN, &domain_cap_ops);
	clock_tick_hook = ucont_check_budget;
	syscalls_ready = err == 0;
	return err;
}

static uint64_t domains_in_use(void)
{
	return domain_count;
}

KTEST_RESOURCE(domains_in_use, "domains", "domains");

static uint64_t caps_in_use(void)
{
	return cap_count;
}

KTEST_RESOURCE(caps_in_use, "capabilities", "caps");
