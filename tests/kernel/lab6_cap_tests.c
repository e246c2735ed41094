/*
 * lab6_cap_tests.c - lab 6: capabilities and each domain's view.
 *
 * The first tests drive the capability tables directly, as the system
 * calls do; the others run programs (user/tests/c_*.c) that check their
 * own system calls and exit with the number of checks that failed, and
 * look at how they and their children ended. The leak check after each
 * test counts capabilities, regions and frames.
 */
#include "cap/cap.h"
#include "kern/ktest.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/region.h"
#include "program_run.h"
#include "user/view.h"

#define CHAIN_LENGTH	10000 /* deeper than a recursive walk can go */
#define CHAIN_PER_TABLE (CAP_SLOTS / 2) /* room left to derive in */
#define CHAIN_TABLES	(CHAIN_LENGTH / CHAIN_PER_TABLE + 1)

/* A user region of one page, and the original capability to it in t. */
static struct region *region_in(struct cap_table *t, long want_slot)
{
	struct region *r;
	long slot;

	KT_ASSERT_OK(region_create(1, REGION_R | REGION_W | REGION_U, 0, &r));
	slot = cap_create(t, CAP_REGION, r, CAP_R | CAP_W);
	KT_ASSERT_EQ(slot, want_slot);
	return r;
}

static struct cap_table *new_table(void)
{
	struct cap_table *t = kzalloc(sizeof(*t));

	KT_ASSERT(t != NULL);
	return t;
}

/* Rights only shrink; a badge is set once; lookups check rights. */
KTEST(cap_derive_cannot_escalate, 6, 2)
{
	struct cap_table *t = new_table();
	size_t before = cap_count;
	int err;

	region_in(t, 0);
	KT_ASSERT_EQ(cap_derive(t, 0, CAP_R, 0), 1);
	KT_ASSERT_EQ(cap_derive(t, 1, CAP_R | CAP_W, 0), -EPERM);
	KT_ASSERT_EQ(cap_derive(t, 0, CAP_R | CAP_X, 0), -EPERM);
	KT_ASSERT_EQ(cap_derive(t, 0, 0x80, 0), -EINVAL);
	KT_ASSERT_EQ(cap_derive(t, 5, CAP_R, 0), -EBADF);
	KT_ASSERT_EQ(cap_derive(t, -1, CAP_R, 0), -ERANGE);
	KT_ASSERT(!cap_lookup(t, 1, CAP_REGION, CAP_W, &err));
	KT_ASSERT_EQ(err, -EPERM);
	KT_ASSERT(!cap_lookup(t, 1, CAP_DOMAIN, 0, &err));
	KT_ASSERT_EQ(err, -EPROTOTYPE);
	KT_ASSERT(cap_lookup(t, 1, CAP_REGION, CAP_R, &err) == t->slots[1]);
	KT_ASSERT_EQ(cap_derive(t, 1, CAP_R, 7), 2); /* badged */
	KT_ASSERT_EQ(cap_derive(t, 2, CAP_R, 8), -EPERM);
	KT_ASSERT_EQ(cap_derive(t, 2, CAP_R, 0), 3);
	KT_ASSERT_EQ(t->slots[3]->badge, 7);
	KT_ASSERT(t->slots[3]->parent == t->slots[2]);
	KT_ASSERT_EQ(cap_count, before + 4);
	KT_ASSERT_OK(cap_delete(t, 0)); /* the original: everything goes */
	KT_ASSERT_EQ(cap_count, before);
	KT_ASSERT_EQ(cap_table_free(t), CAP_SLOTS);
	kfree(t);
}

/* Delete takes one capability (its children move up); revoke takes all
 * below one, which stays. */
KTEST(cap_delete_versus_revoke, 6, 2)
{
	struct cap_table *t = new_table(), *other = new_table();
	struct cap *a, *c;

	region_in(t, 0);
	KT_ASSERT_EQ(cap_derive(t, 0, CAP_R | CAP_W, 0), 1); /* b */
	KT_ASSERT_EQ(cap_derive(t, 1, CAP_R, 0), 2);	     /* c */
	KT_ASSERT_EQ(cap_transfer(t, (long[]){2}, 1, other, NULL), 0);
	a = t->slots[0];
	c = other->slots[0];
	KT_ASSERT(c && c->parent == t->slots[1]);
	KT_ASSERT_OK(cap_delete(t, 1)); /* b */
	KT_ASSERT(other->slots[0] == c);
	KT_ASSERT(c->parent == a);
	KT_ASSERT_EQ(cap_derive(t, 0, CAP_R, 0), 1); /* d */
	KT_ASSERT_OK(cap_revoke(t, 0));
	KT_ASSERT(other->slots[0] == NULL);
	KT_ASSERT(t->slots[1] == NULL);
	KT_ASSERT(t->slots[0] == a && a->first_child == NULL);
	KT_ASSERT_OK(cap_delete(t, 0));
	KT_ASSERT_EQ(cap_delete(t, 0), -EBADF);
	kfree(t);
	kfree(other);
}

/* A chain of CHAIN_LENGTH copies across tables, revoked from its root;
 * then another, deleted from its root with the region. A recursive walk
 * would run off the kernel stack. */
KTEST(cap_revoke_long_chain, 6, 2)
{
	struct cap_table *tables[CHAIN_TABLES];
	size_t before = cap_count;

	for (int i = 0; i < CHAIN_TABLES; i++)
		tables[i] = new_table();
	region_in(tables[0], 0);
	for (int round = 0; round < 2; round++) {
		struct cap *last = tables[0]->slots[0];

		for (int i = 1; i <= CHAIN_LENGTH; i++) {
			struct cap_table *t = tables[i / CHAIN_PER_TABLE];
			long s = cap_derive(last->table, last->slot, CAP_R, 0);

			KT_ASSERT(s >= 0);
			if (last->table->slots[s]->table != t)
				KT_ASSERT_OK(cap_transfer(
					last->table, (long[]){s}, 1, t, &s));
			last = t->slots[s];
		}
		KT_ASSERT_EQ(cap_count, before + CHAIN_LENGTH + 1);
		if (round == 0)
			KT_ASSERT_OK(cap_revoke(tables[0], 0));
		else
			KT_ASSERT_OK(cap_delete(tables[0], 0));
		KT_ASSERT_EQ(cap_count, before + (round == 0));
	}
	for (int i = 0; i < CHAIN_TABLES; i++) {
		KT_ASSERT_EQ(cap_table_free(tables[i]), CAP_SLOTS);
		kfree(tables[i]);
	}
}

/* The flags of the page at va. */
static uint64_t pte_flags(vaddr_t va)
{
	uint64_t flags = 0;
	paddr_t pa;

	KT_ASSERT_OK(paging_translate(paging_root(), va, &pa, &flags));
	return flags;
}

/*
 * Two domains, each holding a region (one also a read-only copy of the
 * other's): installing a view shows exactly its regions, with its
 * rights (the union, for a region held twice), and hides the rest.
 */
KTEST(cap_view_switch_sets_pte_bits, 6, 2)
{
	struct domain *a, *b;
	struct region *ra, *rb;
	struct domain *before = view_installed();

	KT_ASSERT_OK(domain_create("view-a", &a));
	KT_ASSERT_OK(domain_create("view-b", &b));
	ra = region_in(&a->caps, 0);
	rb = region_in(&b->caps, 0);
	KT_ASSERT_EQ(cap_derive(&b->caps, 0, CAP_R, 0), 1);
	KT_ASSERT_OK(cap_transfer(&b->caps, (long[]){1}, 1, &a->caps, NULL));
	*(volatile char *)ra->start = 1; /* mapped by the kernel: hidden */
	*(volatile char *)rb->start = 2;
	KT_ASSERT(!(pte_flags(ra->start) & PTE_U));
	view_switch(a);
	KT_ASSERT(pte_flags(ra->start) & PTE_U);
	KT_ASSERT(pte_flags(ra->start) & PTE_W);
	KT_ASSERT(pte_flags(rb->start) & PTE_U);    /* through the copy ... */
	KT_ASSERT(!(pte_flags(rb->start) & PTE_W)); /* ... read-only */
	view_switch(b);
	KT_ASSERT(!(pte_flags(ra->start) & PTE_U));
	KT_ASSERT(pte_flags(rb->start) & PTE_U);
	KT_ASSERT(pte_flags(rb->start) & PTE_W);
	/* b gives its region away while its view is installed: gone. */
	KT_ASSERT_OK(cap_transfer(&b->caps, (long[]){0}, 1, &a->caps, NULL));
	KT_ASSERT(!(pte_flags(rb->start) & PTE_U));
	/* a now holds rb read-only (slot 1), then read-write (slot 2), and
	 * ra read-write (slot 0), then read-only (slot 3): the union of a
	 * region's capabilities counts, whatever their order. */
	KT_ASSERT_EQ(cap_derive(&a->caps, 0, CAP_R, 0), 3);
	view_switch(a);
	KT_ASSERT(pte_flags(ra->start) & PTE_W);
	KT_ASSERT(pte_flags(rb->start) & PTE_W);
	view_switch(before);
	domain_destroy(a);
	domain_destroy(b);
}

/* Runs name with arg; it must exit 0 and say "NAME: 0 failures". */
static struct domain *run_checks(const char *name, uint64_t arg)
{
	struct domain *d = program_spawn(name, arg);
	char summary[64];

	program_output_clear();
	program_run(d);
	program_expect_exit(d, 0);
	snprintf(summary, sizeof(summary), "%s: 0 failures", name);
	KT_ASSERT_CONTAINS(program_output, summary);
	return d;
}

/* Out of range, empty, wrong type, missing rights: four errors. */
KTEST(cap_lookup_errors, 6, 2)
{
	domain_destroy(run_checks("c_lookup", 0));
}

/* A read-only copy: reads work, a write kills, the bytes stay. */
KTEST(cap_read_only_cannot_write, 6, 3)
{
	domain_destroy(run_checks("c_ro", 0));
	KT_ASSERT_CONTAINS(program_output,
			   "c_ro_child: read \"written by c_ro\"");
	KT_ASSERT_CONTAINS(program_output, "c_ro_child: 0 failures");
	KT_ASSERT_CONTAINS(program_output, "(c_ro_child) killed: #PF");
	KT_ASSERT_CONTAINS(program_output, "write to");
}

/* Revoke reaches into another domain, after it touched the page. */
KTEST(cap_revoke_in_other_domain, 6, 3)
{
	domain_destroy(run_checks("c_revoke", 0));
	KT_ASSERT_CONTAINS(program_output, "c_rev_child: read \"shared\"");
	KT_ASSERT_CONTAINS(program_output, "c_rev_child: 0 failures");
	KT_ASSERT_CONTAINS(program_output, "(c_rev_child) killed: #PF");
}

/* A full table: -ENOSPC from derive, region_alloc and spawn. */
KTEST(cap_table_full, 6, 2)
{
	domain_destroy(run_checks("c_full", 0));
}

/* spawn gives the child what the parent chose and nothing else. */
KTEST(cap_spawn_passes_chosen_caps, 6, 3)
{
	domain_destroy(run_checks("c_give", 0));
	KT_ASSERT_CONTAINS(program_output,
			   "c_census: slot 0 holds \"region 1\", slot 1 "
			   "\"region 0\"");
	KT_ASSERT_CONTAINS(program_output, "c_census: 0 failures");
	KT_ASSERT_CONTAINS(program_output, "(c_census) killed: #PF");
}

/* 1,000 rounds of derive and revoke leave nothing behind. */
KTEST(cap_1000_rounds_no_leak, 6, 3)
{
	domain_destroy(run_checks("c_churn", 0));
}

enum probe { PROBE_READ, PROBE_WRITE, PROBE_EXEC, PROBE_SYSCALL };

/* Runs c_probe against addr; it must be killed (or get EFAULT). */
static void probe(enum probe how, vaddr_t addr, const char *why)
{
	struct domain *d = program_spawn("c_probe", (uint64_t)how << 56 | addr);

	program_run(d);
	if (how == PROBE_SYSCALL)
		program_expect_exit(d, 0);
	else
		program_expect_killed(d, why);
	domain_destroy(d);
}

/*
 * c_owner keeps a secret in a region and stays alive; c_probe, with no
 * capability, may not read, write or run it, nor pass it to the kernel;
 * nor run the owner's code. After the owner frees it, still nothing.
 */
KTEST(cap_region_isolation, 6, 4)
{
	struct domain *owner = program_spawn("c_owner", 0);
	const struct region *secret;
	vaddr_t gone;

	program_output_clear();
	program_run(owner);
	KT_ASSERT_EQ(owner->state, DOMAIN_RUNNING); /* waiting for input */
	KT_ASSERT(owner->caps.slots[0] != NULL);
	secret = owner->caps.slots[0]->object;
	probe(PROBE_READ, secret->start, "read from");
	probe(PROBE_WRITE, secret->start, "write to");
	probe(PROBE_EXEC, secret->start, "fetch at");
	probe(PROBE_EXEC, owner->entry, "fetch at");
	probe(PROBE_SYSCALL, secret->start, NULL);
	KT_ASSERT(!strstr(program_output, "c_probe: read"));
	KT_ASSERT_EQ(memcmp((const void *)secret->start, "owner's secret", 15),
		     0);
	gone = secret->start;
	KT_ASSERT_OK(cap_delete(&owner->caps, 0)); /* the owner frees it */
	probe(PROBE_READ, gone, "outside any region");
	domain_destroy(owner);
}
