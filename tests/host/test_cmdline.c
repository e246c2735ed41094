/*
 * test_cmdline.c - host unit tests for kernel/lib/cmdline.c: splitting the
 * kernel command line into key=value words (cmdline_parse, cmdline_get)
 * and reading numbers from it (parse_u64).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/cmdline.h"
#include "lib/errno.h"
#include "lib/string.h"

/* Big enough for every line built here, including too-long ones. */
#define LINE_SPACE (CMDLINE_MAX_LEN + 16)

/* Writes n words "a=1 b=1 c=1 ..." into line, keys a, b, c, ... */
static void make_words(char *line, int n)
{
	char *p = line;

	assert_true(n <= 26);
	for (int i = 0; i < n; i++) {
		*p++ = (char)('a' + i);
		*p++ = '=';
		*p++ = '1';
		*p++ = ' ';
	}
	*p = '\0';
}

/* Writes the word "k=vvv..." of exactly len bytes into line. */
static void make_long_word(char *line, size_t len)
{
	assert_true(len >= 2 && len < LINE_SPACE);
	memset(line, 'v', len);
	line[0] = 'k';
	line[1] = '=';
	line[len] = '\0';
}

/* ---- cmdline_parse: good lines ----------------------------------------- */

static void parse_splits_key_value_words(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "test=trap_int3 emu=qemu seed=7"),
			 0);
	assert_int_equal(cl.count, 3);
	assert_string_equal(cl.args[0].key, "test");
	assert_string_equal(cl.args[0].value, "trap_int3");
	assert_string_equal(cl.args[2].key, "seed");
	assert_string_equal(cl.args[2].value, "7");
	assert_null(cl.error);
}

static void parse_accepts_tabs_and_runs_of_spaces(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "  a=1\t\tb=2 \t  c=3   "), 0);
	assert_int_equal(cl.count, 3);
	assert_string_equal(cmdline_get(&cl, "a"), "1");
	assert_string_equal(cmdline_get(&cl, "b"), "2");
	assert_string_equal(cmdline_get(&cl, "c"), "3");
}

static void parse_of_an_empty_line_gives_no_words(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, ""), 0);
	assert_int_equal(cl.count, 0);
	assert_null(cl.error);
}

static void parse_of_only_blanks_gives_no_words(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, " \t  \t"), 0);
	assert_int_equal(cl.count, 0);
}

static void parse_allows_an_empty_value(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "quiet= x=1"), 0);
	assert_string_equal(cmdline_get(&cl, "quiet"), "");
	assert_string_equal(cmdline_get(&cl, "x"), "1");
}

static void parse_keeps_later_equals_signs_in_the_value(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "opt=a=b"), 0);
	assert_string_equal(cmdline_get(&cl, "opt"), "a=b");
}

static void parse_points_into_its_own_copy(void **state)
{
	const char line[] = "a=1 b=2";
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, line), 0);
	assert_string_equal(line, "a=1 b=2");
	for (int i = 0; i < cl.count; i++) {
		assert_true(cl.args[i].key >= cl.text &&
			    cl.args[i].key < cl.text + sizeof(cl.text));
		assert_true(cl.args[i].value >= cl.text &&
			    cl.args[i].value < cl.text + sizeof(cl.text));
	}
}

static void parse_accepts_the_maximum_number_of_words(void **state)
{
	char line[LINE_SPACE];
	struct cmdline cl;

	(void)state;
	make_words(line, CMDLINE_MAX_ARGS);
	assert_int_equal(cmdline_parse(&cl, line), 0);
	assert_int_equal(cl.count, CMDLINE_MAX_ARGS);
}

static void parse_accepts_the_longest_line(void **state)
{
	char line[LINE_SPACE];
	struct cmdline cl;

	(void)state;
	make_long_word(line, CMDLINE_MAX_LEN - 1);
	assert_int_equal(cmdline_parse(&cl, line), 0);
	assert_int_equal(strlen(cmdline_get(&cl, "k")), CMDLINE_MAX_LEN - 3);
}

static void parse_forgets_the_previous_line(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "novalue"), -EINVAL);
	assert_int_equal(cmdline_parse(&cl, "c=3"), 0);
	assert_int_equal(cl.count, 1);
	assert_null(cl.error);
	assert_null(cmdline_get(&cl, "novalue"));
}

/* ---- cmdline_parse: bad lines ------------------------------------------ */

static void parse_rejects_a_word_without_equals(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "test=x verbose"), -EINVAL);
	assert_non_null(cl.error);
}

static void parse_rejects_an_empty_key(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "a=1 =5"), -EINVAL);
	assert_non_null(cl.error);
}

static void parse_rejects_a_repeated_key(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "seed=1 emu=qemu seed=2"), -EINVAL);
	assert_non_null(cl.error);
}

static void parse_rejects_too_many_words(void **state)
{
	char line[LINE_SPACE];
	struct cmdline cl;

	(void)state;
	make_words(line, CMDLINE_MAX_ARGS + 1);
	assert_int_equal(cmdline_parse(&cl, line), -E2BIG);
	assert_non_null(cl.error);
}

static void parse_rejects_a_line_too_long(void **state)
{
	char line[LINE_SPACE];
	struct cmdline cl;

	(void)state;
	make_long_word(line, CMDLINE_MAX_LEN);
	assert_int_equal(cmdline_parse(&cl, line), -E2BIG);
	assert_non_null(cl.error);
	assert_int_equal(cl.count, 0);
}

/* ---- cmdline_get ------------------------------------------------------- */

static void get_returns_null_for_a_missing_key(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "test=x"), 0);
	assert_null(cmdline_get(&cl, "emu"));
	assert_null(cmdline_get(&cl, "tes"));
	assert_null(cmdline_get(&cl, "testx"));
	assert_null(cmdline_get(&cl, "x"));
}

/* ---- parse_u64 --------------------------------------------------------- */

/* parse_u64 on s, expecting success; returns the number. */
static uint64_t number(const char *s)
{
	uint64_t v = 0;

	assert_int_equal(parse_u64(s, &v), 0);
	return v;
}

/* parse_u64 on s, expecting -EINVAL and *out left alone. */
static void assert_not_a_number(const char *s)
{
	uint64_t v = 0x5a5a;

	assert_int_equal(parse_u64(s, &v), -EINVAL);
	assert_int_equal(v, 0x5a5a);
}

static void u64_reads_decimal(void **state)
{
	(void)state;
	assert_int_equal(number("0"), 0);
	assert_int_equal(number("42"), 42);
	assert_int_equal(number("007"), 7);
}

static void u64_reads_hex_after_0x(void **state)
{
	(void)state;
	assert_int_equal(number("0x1f"), 0x1f);
	assert_int_equal(number("0X1F"), 0x1f);
	assert_int_equal(number("0xDEADbeef"), 0xdeadbeef);
	assert_int_equal(number("0x0"), 0);
}

static void u64_reads_the_largest_value(void **state)
{
	(void)state;
	assert_true(number("18446744073709551615") == UINT64_MAX);
	assert_true(number("0xffffffffffffffff") == UINT64_MAX);
	assert_int_equal(number("0x00000000000000000001"), 1);
}

static void u64_rejects_overflow(void **state)
{
	(void)state;
	assert_not_a_number("18446744073709551616");
	assert_not_a_number("99999999999999999999");
	assert_not_a_number("0x10000000000000000");
}

static void u64_rejects_an_empty_number(void **state)
{
	(void)state;
	assert_not_a_number("");
	assert_not_a_number("0x");
}

static void u64_rejects_other_characters(void **state)
{
	(void)state;
	assert_not_a_number("12a");
	assert_not_a_number("a12");
	assert_not_a_number(" 1");
	assert_not_a_number("1 ");
	assert_not_a_number("-1");
	assert_not_a_number("+1");
	assert_not_a_number("1.5");
	assert_not_a_number("0x1g");
	assert_not_a_number("0b101");
	assert_not_a_number("0x-1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_splits_key_value_words),
		cmocka_unit_test(parse_accepts_tabs_and_runs_of_spaces),
		cmocka_unit_test(parse_of_an_empty_line_gives_no_words),
		cmocka_unit_test(parse_of_only_blanks_gives_no_words),
		cmocka_unit_test(parse_allows_an_empty_value),
		cmocka_unit_test(parse_keeps_later_equals_signs_in_the_value),
		cmocka_unit_test(parse_points_into_its_own_copy),
		cmocka_unit_test(parse_accepts_the_maximum_number_of_words),
		cmocka_unit_test(parse_accepts_the_longest_line),
		cmocka_unit_test(parse_forgets_the_previous_line),
		cmocka_unit_test(parse_rejects_a_word_without_equals),
		cmocka_unit_test(parse_rejects_an_empty_key),
		cmocka_unit_test(parse_rejects_a_repeated_key),
		cmocka_unit_test(parse_rejects_too_many_words),
		cmocka_unit_test(parse_rejects_a_line_too_long),
		cmocka_unit_test(get_returns_null_for_a_missing_key),
		cmocka_unit_test(u64_reads_decimal),
		cmocka_unit_test(u64_reads_hex_after_0x),
		cmocka_unit_test(u64_reads_the_largest_value),
		cmocka_unit_test(u64_rejects_overflow),
		cmocka_unit_test(u64_rejects_an_empty_number),
		cmocka_unit_test(u64_rejects_other_characters),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
