/*
 * demo.c - a short tour of what the kernel can do, for `make run`.
 *
 * Each lab adds its part at the end; a part whose lab is not written yet
 * stops the demo with a message naming the lab.
 */
#include "kern/demo.h"

#include "arch/x86_64/cpu.h"
#include "cap/cap.h"
#include "cont/cont.h"
#include "ipc/channel.h"
#include "kern/backtrace.h"
#include "kern/console.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/region.h"
#include "user/domain.h"

/*
 * Lab 1: a breakpoint trap is handled and execution resumes after it.
 * (Before lab 1 is written, trap_dispatch's stub stops here and says so.)
 */
static void demo_breakpoint(void)
{
	kprintf("demo: executing int3 ...\n");
	__asm__ volatile("int3");
	kprintf("demo: ... and back after the breakpoint\n");
}

/* Lab 1: where are we? A symbolized backtrace of this very call. */
static NOINLINE void demo_backtrace(void)
{
	kprintf("demo: the call chain that led here:\n");
	backtrace_print(0, read_rbp());
}

/* Lab 2: frames from the buddy allocator, objects from the heap. */
static void demo_memory(void)
{
	size_t free_before = frame_free_count();
	paddr_t block;
	char *name;

	if (!frame_ready()) {
		kprintf("demo: memory skipped (LAB 2: no frame allocator)\n");
		return;
	}
	if (frame_alloc(4, FRAME_ZERO, &block) < 0 || !(name = kmalloc(64))) {
		kprintf("demo: out of memory already?\n");
		return;
	}
	snprintf(name, 64, "a heap string at %p", (void *)name);
	kprintf("demo: a 64 KiB block at physical %p, and %s\n", (void *)block,
		name);
	kfree(name);
	frame_free(block, 4);
	kprintf("demo: freed both: %zu free frames before, %zu after\n",
		free_before, frame_free_count());
}

/* Lab 3: a region costs nothing until touched; each page faults in once. */
static void demo_regions(void)
{
	size_t free_before = frame_free_count();
	struct region *r;
	int err = region_create(1024, REGION_R | REGION_W, REGION_GUARDS, &r);

	if (err < 0) {
		kprintf("demo: regions skipped (%s: is lab 3 written?)\n",
			errno_name(err));
		return;
	}
	kprintf("demo: a 4 MiB region at %p, nothing mapped yet\n",
		(void *)r->start);
	for (int i = 0; i < 1024; i += 256)
		*(volatile uint64_t *)(r->start + (vaddr_t)i * FRAME_SIZE) = 1;
	kprintf("demo: touched 4 of its pages: %zu page faults, %zu frames "
		"used (the pages and their page tables)\n",
		r->faults, free_before - frame_free_count());
	region_destroy(r);
	kprintf("demo: destroyed it: every frame is back (%zu free)\n",
		frame_free_count());
}

/*
 * Lab 4: programs in ring 3; one exits, one faults, and both clean up.
 * (Its main sees arg as spawn_arg: for a program with roles, lab 7.)
 * Returns its exit status, or -1 if it did not exit.
 */
static int demo_program_with(const char *name, uint64_t arg)
{
	struct domain *d;
	int err = domain_spawn(name, &d), status = -1;

	if (err == 0) {
		d->arg = arg;
		err = domain_run(d);
	}
	if (err < 0) {
		kprintf("demo: programs skipped (%s: is lab 4 written?)\n",
			errno_name(err));
		return -1;
	}
	if (d->state == DOMAIN_EXITED) {
		kprintf("demo: %s exited with status %d after %lu system "
			"calls\n",
			name, d->status, d->syscalls);
		status = d->status;
	}
	domain_destroy(d);
	return status;
}

static void demo_program(const char *name)
{
	demo_program_with(name, 0);
}

static void demo_programs(void)
{
	size_t free_before = frame_free_count();

	kprintf("demo: running the program hello in its own domain\n");
	demo_program("hello");
	kprintf("demo: running t_div, which divides by zero\n");
	demo_program("t_div");
	kprintf("demo: the kernel goes on; %zu free frames before, %zu "
		"after\n",
		free_before, frame_free_count());
}

/*
 * Lab 5: programs made of continuations. clock ticks on timer events;
 * parent spawns three children and joins on their exits, all on one
 * kernel stack.
 */
static void demo_continuations(void)
{
	kprintf("demo: clock: three timer continuations, 100 ms apart\n");
	demo_program("clock");
	kprintf("demo: parent: spawns three children, joins on their exits\n");
	demo_program("parent");
	kprintf("demo: %zu continuations and %zu domains left over\n",
		cont_pending, domain_count);
}

/*
 * Lab 6: share lends its child a read-only capability to a note; the
 * child reads it at the same address and dies when it writes.
 */
static void demo_capabilities(void)
{
	kprintf("demo: share: lends its child a read-only view of a note\n");
	demo_program("share");
	kprintf("demo: %zu capabilities and %zu domains left over\n", cap_count,
		domain_count);
}

/*
 * Lab 7: a pipeline of three domains, each spawned with one capability,
 * moving pages along two channels; then what the kernel saw.
 */
static void demo_channels(void)
{
	size_t parked = region_pages_parked, mapped = region_pages_unparked;
	size_t free_before = frame_free_count();

	kprintf("demo: pipeline: source -> upcase -> sink, pages moved along "
		"two channels\n");
	if (demo_program_with("pipeline", 0) != 0) {
		kprintf("demo: the pipeline did not finish (is lab 7 "
			"written?)\n");
		return;
	}
	kprintf("demo: the kernel parked %zu page-table entries (a page "
		"leaving its sender) and mapped %zu of them again (the "
		"receiver's first touch); no page was copied\n",
		region_pages_parked - parked, region_pages_unparked - mapped);
	kprintf("demo: %zu free frames before, %zu after; %zu channel ends, "
		"%zu capabilities and %zu domains left over\n",
		free_before, frame_free_count(), channel_end_count, cap_count,
		domain_count);
}

void demo_run(void)
{
	kprintf("demo: Baton is running\n");
	demo_breakpoint();
	demo_backtrace();
	demo_memory();
	demo_regions();
	demo_programs();
	demo_continuations();
	demo_capabilities();
	demo_channels();
	kprintf("demo: done\n");
}
