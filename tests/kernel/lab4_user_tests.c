/*
 * lab4_user_tests.c - lab 4: programs in ring 3, system calls, faults.
 *
 * Each test spawns a program from user/ or user/tests/ (a multiboot2
 * module), runs it to its end and checks how it ended and what it
 * printed. After every test the kernel checks that every frame, region,
 * span and domain came back (KTEST_RESOURCE), so a domain that is killed
 * but not reclaimed fails the test that killed it.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/usermode.h"
#include "kern/bootinfo.h"
#include "kern/console.h"
#include "kern/ktest.h"
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "user/domain.h"
#include "user/loader.h"

static char output[4096];

/* Runs d to its end, capturing what it prints into output. */
static void run(struct domain *d)
{
	int err;

	console_capture_start(output, sizeof(output));
	err = domain_run(d);
	console_capture_stop();
	if (err == -ENOSYS)
		KT_FAIL("domain_run: ENOSYS: user mode is off (LAB 4: "
			"syscall_init() is not written yet)");
	KT_ASSERT_OK(err);
}

/* Spawns the module name. */
static struct domain *spawn(const char *name)
{
	struct domain *d = NULL;
	int err = domain_spawn(name, &d);

	if (err == -ENOSYS)
		KT_FAIL("domain_spawn(\"%s\"): ENOSYS: loading needs lab 4's "
			"elf_parse(), elf_relocate() and loader_load()",
			name);
	if (err < 0)
		KT_FAIL("domain_spawn(\"%s\") failed with %d (%s)", name, err,
			errno_name(err));
	return d;
}

/* Spawns the module name and runs it to its end. */
static struct domain *run_program(const char *name)
{
	struct domain *d = spawn(name);

	run(d);
	return d;
}

/* The program ran to exit(0). */
static void expect_success(const char *name)
{
	struct domain *d = run_program(name);

	if (d->state == DOMAIN_KILLED)
		KT_FAIL("%s was killed: %s", name, d->why);
	KT_ASSERT_EQ(d->state, DOMAIN_EXITED);
	if (d->status != 0)
		KT_FAIL("%s exited with status %d; it printed:\n%s", name,
			d->status, output);
	domain_destroy(d);
}

/* Owns nothing: no region, no image span. */
static void expect_reclaimed(const struct domain *d)
{
	for (int i = 0; i < DOMAIN_MAX_REGIONS; i++)
		if (d->regions[i])
			KT_FAIL("domain %d still owns the region at %p", d->id,
				(void *)d->regions[i]->start);
	KT_ASSERT_EQ(d->image.pages, 0);
}

/* The program was killed, why says so, and it owns nothing any more. */
static void expect_killed(const char *name, const char *why)
{
	struct domain *d = run_program(name);

	KT_ASSERT_EQ(d->state, DOMAIN_KILLED);
	if (!strstr(d->why, why))
		KT_FAIL("%s was killed for \"%s\", expected \"%s\"", name,
			d->why, why);
	KT_ASSERT_CONTAINS(output, "killed: ");
	KT_ASSERT_CONTAINS(output, name);
	expect_reclaimed(d);
	domain_destroy(d);
}

KTEST(user_hello, 4, 2)
{
	struct domain *d = run_program("hello");

	if (d->state == DOMAIN_KILLED)
		KT_FAIL("hello was killed: %s", d->why);
	KT_ASSERT_EQ(d->state, DOMAIN_EXITED);
	KT_ASSERT_EQ(d->status, 0);
	KT_ASSERT_CONTAINS(output, "hello from ring 3");
	/* self, one write and exit: each counted by the dispatcher. */
	KT_ASSERT_EQ(d->syscalls, 3);
	domain_destroy(d);
}

/* SYSCALL's four registers hold what syscall_init() promised. */
KTEST(syscall_msrs_configured, 4, 1)
{
	uint64_t masked = RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC;

	KT_ASSERT(rdmsr(MSR_EFER) & EFER_SCE);
	KT_ASSERT_EQ(rdmsr(MSR_LSTAR), (uint64_t)syscall_entry);
	KT_ASSERT_EQ(rdmsr(MSR_STAR) >> 32 & 0xffff, SEG_KCODE);
	KT_ASSERT_EQ(rdmsr(MSR_STAR) >> 48 & 0xfffc, SEG_UCODE32);
	if ((rdmsr(MSR_SFMASK) & masked) != masked)
		KT_FAIL("SFMASK is 0x%lx: IF, DF, TF and AC (0x%lx) must all "
			"be cleared on entry",
			rdmsr(MSR_SFMASK), masked);
	/* Long mode and NX are in EFER too: still on? */
	KT_ASSERT(rdmsr(MSR_EFER) & (1ul << 8));
	KT_ASSERT(rdmsr(MSR_EFER) & (1ul << 11));
}

KTEST(user_syscall_preserves_registers, 4, 1)
{
	expect_success("t_regs");
}

KTEST(user_syscall_bad_arguments, 4, 2)
{
	expect_success("t_args");
	KT_ASSERT_CONTAINS(output, "t_args: 0 failures");
}

KTEST(user_privileged_instruction_killed, 4, 1)
{
	expect_killed("t_priv", "#GP");
}

KTEST(user_wild_write_killed, 4, 1)
{
	expect_killed("t_wild", "#PF");
	KT_ASSERT_CONTAINS(output, "write to 0xffffffff80100000");
}

KTEST(user_divide_error_killed, 4, 1)
{
	expect_killed("t_div", "#DE");
}

KTEST(user_stack_overflow_killed, 4, 1)
{
	/* The guard page lies in the stack's span but in no region. */
	expect_killed("t_recurse", "outside any region");
}

/* Code is not writable, data is not executable. */
KTEST(user_wx_enforced, 4, 1)
{
	expect_killed("t_write_text", "write to");
	expect_killed("t_exec_data", "fetch at");
}

/*
 * A killed domain's memory is given back at once, and its addresses can
 * no longer be touched; the next program runs as if nothing happened.
 */
KTEST(user_fault_reclaims, 4, 2)
{
	struct domain *d = spawn("t_wild");
	vaddr_t owned[DOMAIN_MAX_REGIONS];
	int n = 0;

	for (int i = 0; i < DOMAIN_MAX_REGIONS; i++)
		if (d->regions[i])
			owned[n++] = d->regions[i]->start;
	KT_ASSERT(n >= 2); /* the program's segments and its stack */
	run(d);
	KT_ASSERT_EQ(d->state, DOMAIN_KILLED);
	expect_reclaimed(d);
	for (int i = 0; i < n; i++)
		if (region_find(owned[i]))
			KT_FAIL("the region at %p outlived its domain",
				(void *)owned[i]);
	domain_destroy(d);
	expect_success("hello");
}

/*
 * SYSRET to a non-canonical address faults in ring 0 on Intel CPUs and
 * in Bochs (CVE-2012-0217): the kernel must never try. Entry points are
 * set by hand here; in lab 5 user code chooses them.
 */
KTEST(user_sysret_noncanonical, 4, 2)
{
	static const vaddr_t bad[] = {0x0000800000000000, 0xffffffff80100000};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct domain *d = spawn("hello");

		d->entry = bad[i];
		run(d);
		KT_ASSERT_EQ(d->state, DOMAIN_KILLED);
		if (!strstr(d->why, "not a canonical user address"))
			KT_FAIL("entry %p: killed for \"%s\"", (void *)bad[i],
				d->why);
		expect_reclaimed(d);
		domain_destroy(d);
	}
	expect_success("hello");
}

/* ---- Corrupt ELF files ---------------------------------------------------- */

/* Offsets in the ELF64 header and program headers (System V gABI). */
#define E_PHOFF	    0x20
#define E_PHNUM	    0x38
#define PHDR_SIZE   56
#define P_TYPE	    0x00
#define P_FLAGS	    0x04
#define P_OFFSET    0x08
#define P_VADDR	    0x10
#define P_MEMSZ	    0x28
#define PT_LOAD	    1
#define RELA_INFO   8
#define RELA_SIZE   24
#define R_X86_64_64 1

#define ELF_COPY_MAX (64 * 1024)

static uint8_t *elf_copy;
static size_t elf_size;

static uint64_t get64(size_t at)
{
	uint64_t v;

	memcpy(&v, elf_copy + at, 8);
	return v;
}

static void put64(size_t at, uint64_t v)
{
	memcpy(elf_copy + at, &v, 8);
}

/* The file offset of the n-th PT_LOAD program header. */
static size_t load_header(int n)
{
	size_t phoff = get64(E_PHOFF);
	uint16_t phnum;

	memcpy(&phnum, elf_copy + E_PHNUM, 2);
	for (int i = 0; i < phnum; i++) {
		size_t at = phoff + (size_t)i * PHDR_SIZE;

		if (elf_copy[at + P_TYPE] == PT_LOAD && n-- == 0)
			return at;
	}
	KT_FAIL("the test program has too few PT_LOAD segments");
}

/* A fresh copy of the program t_reloc (three segments, relocations). */
static void fresh_copy(void)
{
	const struct boot_module *m = boot_module_find("t_reloc");

	if (!m)
		KT_FAIL("no module t_reloc");
	elf_size = m->end - m->start;
	KT_ASSERT(elf_size <= ELF_COPY_MAX);
	memcpy(elf_copy, phys_to_virt(m->start), elf_size);
}

/* Loading elf_copy[0 .. size) fails with want and leaves nothing. */
static void expect_refused(const char *what, size_t size, int want,
			   const char *message)
{
	struct domain *d = NULL;
	int err;

	KT_ASSERT_OK(domain_create("corrupt", &d));
	console_capture_start(output, sizeof(output));
	err = loader_load(d, elf_copy, size);
	console_capture_stop();
	if (err != want)
		KT_FAIL("%s: loader_load returned %d (%s), expected %s", what,
			err, errno_name(err), errno_name(want));
	if (!strstr(output, message))
		KT_FAIL("%s: the loader said \"%s\", expected \"%s\"", what,
			output, message);
	expect_reclaimed(d);
	domain_destroy(d);
	fresh_copy();
}

KTEST(user_corrupt_elf_rejected, 4, 2)
{
	struct elf_info info;
	size_t text, data;

	elf_copy = kmalloc(ELF_COPY_MAX);
	KT_ASSERT(elf_copy);
	fresh_copy();
	text = load_header(0);
	data = load_header(2);

	expect_refused("truncated headers", 100, -ENOEXEC, "loader: corrupt:");
	expect_refused("truncated segments", elf_size / 4, -ENOEXEC,
		       "outside the file");
	elf_copy[1] = 'X';
	expect_refused("bad magic", elf_size, -ENOEXEC, "loader: corrupt:");
	/* The data moved onto the text's first page (still congruent). */
	put64(data + P_VADDR,
	      get64(text + P_VADDR) + get64(data + P_OFFSET) % 4096);
	expect_refused("overlapping segments", elf_size, -ENOEXEC, "overlap");
	put64(data + P_MEMSZ, 1ul << 40);
	expect_refused("a huge segment", elf_size, -ENOEXEC, "beyond");
	put64(data + P_MEMSZ, 32ul << 20);
	expect_refused("a 32 MiB program", elf_size, -E2BIG, "the limit");
	elf_copy[text + P_FLAGS] |= ELF_W;
	expect_refused("a W+X segment", elf_size, -ENOEXEC, "W^X");

	/* Relocations are checked when applied: after the regions exist. */
	KT_ASSERT_OK(elf_parse(elf_copy, elf_size, &info));
	KT_ASSERT(info.nrela > 0);
	put64(info.rela + RELA_INFO, R_X86_64_64);
	expect_refused("a relocation of another type", elf_size, -ENOEXEC,
		       "loader: corrupt:");
	put64(info.rela, 0); /* r_offset 0: not in a writable segment */
	expect_refused("a relocation into code", elf_size, -ENOEXEC,
		       "loader: corrupt:");
	kfree(elf_copy);
}

/* ---- Loading -------------------------------------------------------------- */

KTEST(user_bss_zeroed, 4, 1)
{
	expect_success("t_bss");
	KT_ASSERT_CONTAINS(output, "0 wrong");
}

/* The address after "main at " in output. */
static vaddr_t printed_main(void)
{
	const char *at = strstr(output, "main at 0x");
	vaddr_t va = 0;

	KT_ASSERT(at);
	for (at += 10; (*at >= '0' && *at <= '9') || (*at >= 'a' && *at <= 'f');
	     at++)
		va = va * 16 +
		     (vaddr_t)(*at <= '9' ? *at - '0' : *at - 'a' + 10);
	return va;
}

/* Two copies of one program, loaded at once, each runs at its own base. */
KTEST(user_runs_at_nonzero_base, 4, 1)
{
	struct domain *d[2];
	vaddr_t main_at[2], base[2];

	d[0] = spawn("hello");
	d[1] = spawn("hello");
	KT_ASSERT(d[0]->image.start != d[1]->image.start);
	for (int i = 0; i < 2; i++) {
		size_t pages = d[i]->image.pages; /* exit gives it back */

		base[i] = d[i]->image.start;
		KT_ASSERT(base[i] != 0);
		run(d[i]);
		KT_ASSERT_EQ(d[i]->state, DOMAIN_EXITED);
		main_at[i] = printed_main();
		if (main_at[i] < base[i] ||
		    main_at[i] >= base[i] + pages * PAGE_SIZE)
			KT_FAIL("domain %d: main at %p, outside its image "
				"[%p, +%zu pages)",
				d[i]->id, (void *)main_at[i], (void *)base[i],
				pages);
	}
	KT_ASSERT_EQ(main_at[0] - base[0], main_at[1] - base[1]);
	domain_destroy(d[0]);
	domain_destroy(d[1]);
	expect_success("t_reloc");
}

/* Many programs, faulting and not: afterwards, not one frame is missing. */
KTEST(user_spawn_many_no_leak, 4, 2)
{
	static const char *const programs[] = {"hello", "t_div", "t_wild",
					       "t_bss", "t_args"};
	size_t free_before = 0;

	for (int round = 0; round < 21; round++) {
		for (size_t i = 0; i < ARRAY_SIZE(programs); i++)
			domain_destroy(run_program(programs[i]));
		if (round == 0) /* the heap's slabs exist from here on */
			free_before = frame_free_count();
	}
	KT_ASSERT_EQ(frame_free_count(), free_before);
	KT_ASSERT_EQ(domain_count, 0);
}
