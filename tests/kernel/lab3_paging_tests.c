/*
 * lab3_paging_tests.c - lab 3: page tables and the kernel's own mappings.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "kern/ktest.h"
#include "kern/symbols.h"
#include "mm/frame.h"
#include "mm/paging.h"

/* Far from every region: the lower half's top quarter. */
#define TEST_VA 0x0000700000000000ul

static void require_paging(void)
{
	uint64_t flags;
	paddr_t pa;

	if (paging_translate(paging_root(), (vaddr_t)__text_start, &pa,
			     &flags) == -ENOSYS)
		KT_FAIL("LAB 3: the paging functions are not written yet");
}

/* Map, translate, protect, unmap: each as paging.h promises. */
KTEST(paging_map_translate_unmap, 3, 3)
{
	pte_t *root = paging_root();
	uint64_t flags = 0;
	paddr_t pa, got = 0;

	require_paging();
	KT_ASSERT_OK(frame_alloc(0, FRAME_ZERO, &pa));
	KT_ASSERT_OK(paging_map(root, TEST_VA, pa, PTE_W | PTE_NX));
	KT_ASSERT_OK(paging_translate(root, TEST_VA + 0x123, &got, &flags));
	KT_ASSERT_EQ(got, pa + 0x123);
	KT_ASSERT((flags & (PTE_P | PTE_W | PTE_NX)) ==
		  (PTE_P | PTE_W | PTE_NX));
	/* The same memory through both addresses. */
	*(volatile uint64_t *)TEST_VA = 0x1234567890abcdef;
	KT_ASSERT_EQ(*(uint64_t *)phys_to_virt(pa), 0x1234567890abcdef);
	KT_ASSERT_EQ(paging_map(root, TEST_VA, pa, 0), -EEXIST);
	KT_ASSERT_EQ(paging_map(root, TEST_VA + 8, pa, 0), -EINVAL);
	KT_ASSERT_EQ(paging_map(root, 0x0000800000000000, pa, 0), -EINVAL);
	KT_ASSERT_EQ(paging_map(root, TEST_VA + 0x1000, pa, PTE_PS), -EINVAL);
	KT_ASSERT_OK(paging_protect(root, TEST_VA, PTE_NX));
	KT_ASSERT_OK(paging_translate(root, TEST_VA, &got, &flags));
	KT_ASSERT(!(flags & PTE_W));
	/* Executable: no level above the leaf may say NX. */
	*(uint8_t *)phys_to_virt(pa) = 0xc3; /* ret */
	KT_ASSERT_OK(paging_protect(root, TEST_VA, 0));
	((void (*)(void))TEST_VA)();
	KT_ASSERT_OK(paging_unmap(root, TEST_VA, &got));
	KT_ASSERT_EQ(got, pa);
	KT_ASSERT_EQ(paging_translate(root, TEST_VA, &got, &flags), -ENOENT);
	KT_ASSERT_EQ(paging_unmap(root, TEST_VA, &got), -ENOENT);
	KT_ASSERT_OK(frame_free(pa, 0));
	/* The kernel image and the direct map translate too (large pages). */
	KT_ASSERT_OK(
		paging_translate(root, (vaddr_t)__text_start, &got, &flags));
	KT_ASSERT_EQ(got, virt_to_phys(__text_start));
	KT_ASSERT_OK(
		paging_translate(root, DIRECT_MAP + 0x345678, &got, &flags));
	KT_ASSERT_EQ(got, 0x345678);
	/* The leak accounting checks that the tables were freed. */
}

/* After unmap, the old translation must be gone from the TLB too. */
KTEST(paging_unmap_invalidates_tlb, 3, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #PF",
		"at 0x0000700000000000",
		"TRAP 14 #PF Page fault err=0x0 [not-present read kernel]",
		NULL,
	};
	pte_t *root = paging_root();
	paddr_t pa;

	require_paging();
	KT_ASSERT_OK(frame_alloc(0, FRAME_ZERO, &pa));
	KT_ASSERT_OK(paging_map(root, TEST_VA, pa, PTE_NX));
	KT_ASSERT_EQ(*(volatile uint64_t *)TEST_VA, 0); /* now in the TLB */
	KT_ASSERT_OK(paging_unmap(root, TEST_VA, NULL));
	ktest_expect_panic(expected);
	(void)*(volatile uint64_t *)TEST_VA;
}

/* After protect takes W away, the TLB must not remember it. */
KTEST(paging_protect_invalidates_tlb, 3, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #PF",
		"err=0x3 [protection write kernel]",
		NULL,
	};
	pte_t *root = paging_root();
	paddr_t pa;

	require_paging();
	KT_ASSERT_OK(frame_alloc(0, FRAME_ZERO, &pa));
	KT_ASSERT_OK(paging_map(root, TEST_VA, pa, PTE_W | PTE_NX));
	*(volatile uint64_t *)TEST_VA = 1; /* now in the TLB, writable */
	KT_ASSERT_OK(paging_protect(root, TEST_VA, PTE_NX));
	ktest_expect_panic(expected);
	*(volatile uint64_t *)TEST_VA = 2;
}

/* The kernel's text is read-only: writing to it faults. */
KTEST(kernel_text_read_only, 3, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #PF",
		"err=0x3 [protection write kernel]",
		NULL,
	};
	uint64_t flags;
	paddr_t pa;

	require_paging();
	KT_ASSERT_OK(paging_translate(paging_root(), symbols_address("kmain"),
				      &pa, &flags));
	KT_ASSERT(!(flags & PTE_W));
	ktest_expect_panic(expected);
	*(volatile uint8_t *)symbols_address("kmain") = 0xcc;
}

/* The kernel's data cannot be executed. */
KTEST(kernel_data_no_execute, 3, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #PF",
		"err=0x11 [protection fetch kernel]",
		NULL,
	};
	static uint8_t code[16] = {0xc3}; /* ret */
	void (*function)(void) = (void (*)(void))(void *)code;

	require_paging();
	ktest_expect_panic(expected);
	function();
}

/* Deep enough to run through the 16 KiB boot stack several times over. */
static NOINLINE int recurse(int depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	if (depth > 1000)
		return frame[0];
	return recurse(depth + 1) + frame[0];
}

/*
 * Running off the bottom of the boot stack hits the unmapped guard page:
 * the CPU cannot push the page fault's frame there either, so it raises a
 * double fault, which runs on its own IST stack and reports it.
 */
KTEST(kernel_stack_guard_faults, 3, 2)
{
	static const char *const expected[] = {
		"PANIC: ",
		"unexpected #DF",
		"TRAP 8 #DF Double fault",
		NULL,
	};
	uint64_t flags;
	paddr_t pa;

	require_paging();
	KT_ASSERT_EQ(paging_translate(paging_root(), (vaddr_t)boot_stack_guard,
				      &pa, &flags),
		     -ENOENT);
	ktest_expect_panic(expected);
	recurse(0);
}
