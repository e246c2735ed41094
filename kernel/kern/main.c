/*
 * main.c - kmain: from the first line of C to a test, a benchmark or the demo.
 *
 * boot.S calls kmain on the boot stack, with paging on (the early map)
 * and interrupts off. kmain sets up the console, traps and boot
 * information, then does what the command line asks (docs/protocol.md).
 * Each later lab adds its initialisation here, in layer order.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/earlymap.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/machine.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trap.h"
#include "cont/clock.h"
#include "cont/input.h"
#include "ipc/channel.h"
#include "kern/bench.h"
#include "kern/bootargs.h"
#include "kern/console.h"
#include "kern/demo.h"
#include "kern/ktest.h"
#include "kern/multiboot2.h"
#include "kern/panic.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/bootmem.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "mm/region.h"
#include "user/domain.h"

/* The multiboot2 information is small; GRUB puts it below 4 GiB. */
#define MB2_INFO_MAX_SIZE (64 * 1024)

struct bootinfo bootinfo;

static void print_memory_map(void)
{
	uint64_t usable = 0;

	if (bootinfo.mmap_error) {
		kprintf("memory map: not available (%s)%s\n",
			errno_name(bootinfo.mmap_error),
			bootinfo.mmap_error == -ENOSYS
				? ": LAB 1 mb2_parse_mmap() is not written yet"
				: "");
		return;
	}
	kprintf("memory map:\n");
	for (int i = 0; i < bootinfo.mem_count; i++) {
		const struct mem_region *r = &bootinfo.mem[i];

		kprintf("  [%p-%p) %8lu KiB %s\n", (void *)r->base,
			(void *)(r->base + r->length), r->length / 1024,
			mem_type_name(r->type));
		if (r->type == MEM_USABLE)
			usable += r->length;
	}
	kprintf("  %lu KiB usable\n", usable / 1024);
}

static void print_boot_log(void)
{
	kprintf("boot loader: %s\n", bootinfo.loader);
	kprintf("command line: %s\n", bootinfo.cmdline);
	kprintf("kernel image: [%p-%p)\n", (void *)virt_to_phys(__kernel_start),
		(void *)virt_to_phys(__kernel_end));
	print_memory_map();
	for (int i = 0; i < bootinfo.module_count; i++)
		kprintf("module %d: [%p-%p) %s\n", i,
			(void *)bootinfo.modules[i].start,
			(void *)bootinfo.modules[i].end,
			bootinfo.modules[i].name);
}

static void read_boot_information(paddr_t mb2_info)
{
	int err = mb2_parse(phys_to_virt(mb2_info), MB2_INFO_MAX_SIZE, mb2_info,
			    &bootinfo);

	if (err < 0)
		PANIC("the multiboot2 information at %p is malformed (%s)",
		      (void *)mb2_info, errno_name(err));
}

/* Lab 2: all free RAM goes to the frame allocator. */
static void start_frame_allocator(void)
{
	int err;

	bootmem_init(&bootinfo);
	err = frame_init(&bootinfo);
	if (err == -ENOSYS)
		kprintf("frames: LAB 2: the frame allocator is not written "
			"yet; "
			"skipped\n");
	else if (err < 0)
		kprintf("frames: no frame allocator (%s)\n", errno_name(err));
	else
		kprintf("frames: %zu KiB free in %zu frames\n",
			frame_free_count() * FRAME_SIZE / 1024,
			frame_managed_count());
}

/* Lab 3: the kernel's own page tables, then regions mapped on demand. */
static void start_virtual_memory(void)
{
	int err;

	if (!frame_ready()) {
		kprintf("paging, regions: they need the frame allocator (lab "
			"2); skipped\n");
		return;
	}
	err = paging_init();
	if (err == -ENOSYS)
		kprintf("paging: LAB 3: page tables are not written yet; the "
			"boot page tables stay (no W^X, no stack guard)\n");
	else if (err < 0)
		kprintf("paging: the boot page tables stay (%s)\n",
			errno_name(err));
	else
		kprintf("paging: kernel text read-only, data no-execute, "
			"a guard page below the stack\n");
	err = vmem_init();
	if (err < 0)
		kprintf("regions: not available (%s%s)\n", errno_name(err),
			err == -ENOMEM ? ": kmalloc failed; is lab 2's heap "
					 "written?"
				       : "");
}

/* Lab 4: SYSCALL, and the domains that run user programs. */
static void start_user_mode(bool verbose)
{
	int err;

	if (!region_ready()) {
		kprintf("user mode: it needs regions (lab 3); skipped\n");
		return;
	}
	channel_init(); /* lab 7: what closing a channel end does */
	err = domains_init(verbose);
	if (err == -ENOSYS)
		kprintf("user mode: LAB 4: syscall_init() is not written yet; "
			"no program can run\n");
	else if (err < 0)
		kprintf("user mode: not available (%s)\n", errno_name(err));
}

/* Lab 5: the sources of events: the clock's ticks and console input. */
static void start_event_sources(void)
{
	if (!region_ready()) {
		kprintf("events: continuations need the heap and regions (labs "
			"2, 3); skipped\n");
		return;
	}
	clock_start();
	input_start();
}

/* Reads the command line; a bad one ends the run with a clear failure. */
static void read_command_line(struct cmdline *cl, struct bootargs *args)
{
	char error[128];

	if (bootargs_parse(bootinfo.cmdline, cl, args, error, sizeof(error)) <
	    0) {
		kprintf("bad command line: %s\n", error);
		machine_exit(MACHINE_FAIL);
	}
}

void kmain(paddr_t mb2_info)
{
	static struct cmdline cmdline;
	struct bootargs args;

	kmain_tsc = rdtsc();
	console_init();
	kprintf("\nBaton booting\n");
	gdt_init();
	percpu_init();
	trap_init();
	read_boot_information(mb2_info);
	earlymap_drop_identity();
	read_command_line(&cmdline, &args);
	print_boot_log();
	start_frame_allocator();
	if (boot_modules_expand_archives(&bootinfo) > 0)
		kprintf("programs: %d modules in all\n", bootinfo.module_count);
	start_virtual_memory();
	start_user_mode(args.verbose);
	start_event_sources();

	if (args.bench)
		bench_run_all();
	if (args.test && strcmp(args.test, "list") == 0)
		ktest_list();
	ktest_emu = args.emu;
	if (args.test)
		ktest_run(args.test, args.seed);
	demo_run();
	machine_exit(MACHINE_PASS);
}
