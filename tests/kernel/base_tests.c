/*
 * base_tests.c - tests of the base every stage has (lab 0): the command
 * line, formatting, and the test machinery itself.
 */
#include "kern/bootinfo.h"
#include "kern/ktest.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/string.h"

/* The command line GRUB passed arrives intact and names this test. */
KTEST(base_cmdline, 0, 1)
{
	struct cmdline cl;

	KT_ASSERT_EQ(cmdline_parse(&cl, bootinfo.cmdline), 0);
	KT_ASSERT(cmdline_get(&cl, "test") != NULL);
	KT_ASSERT(strcmp(cmdline_get(&cl, "test"), "base_cmdline") == 0);
}

static void check_format(const char *expected, const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, expected) != 0)
		KT_FAIL("format \"%s\" gave \"%s\", expected \"%s\"", fmt, buf,
			expected);
}

/* kprintf's engine, in the kernel as built (the host tests cover more). */
KTEST(base_format, 0, 1)
{
	check_format("42 -7 ff", "%d %i %x", 42, -7, 255u);
	check_format("  -42|-42  |-0042", "%5d|%-5d|%05d", -42, -42, -42);
	check_format("0xffffffff80000000", "%p", (void *)0xffffffff80000000);
	check_format("18446744073709551615", "%lu", ~0ul);
	check_format("-9223372036854775808", "%ld", (long)(1ul << 63));
	check_format("[ab] c %", "[%.2s] %c %%", "abc", 'c');
}
