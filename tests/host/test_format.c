/*
 * test_format.c - host unit tests for kernel/lib/format.c (vformat,
 * vsnprintf, snprintf), the printf engine behind kprintf.
 *
 * Most tests format into one buffer with fmt() and compare the text. The
 * kernel's snprintf is called under its host name, baton_snprintf (see
 * host_rename.h), so the C library's printf is never involved.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/format.h"
#include "lib/string.h"

static char out[128];

/*
 * Formats into out[] and returns it. Every call here fits in out[], so the
 * return value must be exactly the length of the text.
 */
static const char *PRINTF_LIKE(1, 2) fmt(const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = vsnprintf(out, sizeof(out), format, ap);
	va_end(ap);
	assert_int_equal(n, strlen(out));
	return out;
}

/* ---- plain text and %% ------------------------------------------------- */

static void plain_text_is_copied(void **state)
{
	(void)state;
	assert_string_equal(fmt("hello, kernel"), "hello, kernel");
	assert_string_equal(fmt("%s", ""), "");
}

static void percent_percent_prints_one_percent(void **state)
{
	(void)state;
	assert_string_equal(fmt("100%%"), "100%");
	assert_string_equal(fmt("%%d"), "%d");
}

/* ---- %d %i %u ---------------------------------------------------------- */

static void d_prints_signed_decimal(void **state)
{
	(void)state;
	assert_string_equal(fmt("%d", 0), "0");
	assert_string_equal(fmt("%d", 42), "42");
	assert_string_equal(fmt("%d", -42), "-42");
}

static void i_is_the_same_as_d(void **state)
{
	(void)state;
	assert_string_equal(fmt("%i", -7), "-7");
}

static void d_prints_the_int_extremes(void **state)
{
	(void)state;
	assert_string_equal(fmt("%d", INT_MAX), "2147483647");
	assert_string_equal(fmt("%d", INT_MIN), "-2147483648");
}

static void u_prints_unsigned_decimal(void **state)
{
	(void)state;
	assert_string_equal(fmt("%u", 0u), "0");
	assert_string_equal(fmt("%u", UINT_MAX), "4294967295");
}

/* ---- %x %X ------------------------------------------------------------- */

static void x_prints_lowercase_hex(void **state)
{
	(void)state;
	assert_string_equal(fmt("%x", 0xdeadbeefu), "deadbeef");
	assert_string_equal(fmt("%x", 0u), "0");
}

static void upper_x_prints_uppercase_hex(void **state)
{
	(void)state;
	assert_string_equal(fmt("%X", 0xdeadbeefu), "DEADBEEF");
}

static void x_of_a_negative_int_prints_its_32_bits(void **state)
{
	(void)state;
	assert_string_equal(fmt("%x", (unsigned)-1), "ffffffff");
}

/* ---- lengths l, ll, z -------------------------------------------------- */

static void l_prints_64_bit_values(void **state)
{
	(void)state;
	assert_string_equal(fmt("%lx", 0x123456789abcdef0ul),
			    "123456789abcdef0");
	assert_string_equal(fmt("%ld", -5000000000l), "-5000000000");
	assert_string_equal(fmt("%lu", ULONG_MAX), "18446744073709551615");
}

static void ll_prints_64_bit_values(void **state)
{
	(void)state;
	assert_string_equal(fmt("%llu", (unsigned long long)UINT64_MAX),
			    "18446744073709551615");
	assert_string_equal(fmt("%llX", 0xfedcba9876543210ull),
			    "FEDCBA9876543210");
}

static void ld_and_lld_print_int64_min(void **state)
{
	(void)state;
	assert_string_equal(fmt("%ld", (long)INT64_MIN),
			    "-9223372036854775808");
	assert_string_equal(fmt("%lld", (long long)INT64_MIN),
			    "-9223372036854775808");
	assert_string_equal(fmt("%lli", (long long)INT64_MAX),
			    "9223372036854775807");
}

static void z_prints_size_t_values(void **state)
{
	(void)state;
	assert_string_equal(fmt("%zu", SIZE_MAX), "18446744073709551615");
	assert_string_equal(fmt("%zx", (size_t)0x1000), "1000");
	assert_string_equal(fmt("%zd", (ptrdiff_t)-5), "-5");
}

static void length_takes_the_whole_argument_before_the_next(void **state)
{
	(void)state;
	assert_string_equal(fmt("%llx %d", 0x100000000ull, 7), "100000000 7");
	assert_string_equal(fmt("%zu %d", (size_t)1, 2), "1 2");
}

/* ---- %p ---------------------------------------------------------------- */

static void p_prints_0x_and_16_digits(void **state)
{
	(void)state;
	assert_string_equal(fmt("%p", (void *)0x1234), "0x0000000000001234");
	assert_string_equal(fmt("%p", (void *)0xffffffff80000000ul),
			    "0xffffffff80000000");
}

static void p_of_null_prints_zeros(void **state)
{
	(void)state;
	assert_string_equal(fmt("%p", NULL), "0x0000000000000000");
}

static void p_in_a_wider_field_pads_with_spaces(void **state)
{
	(void)state;
	assert_string_equal(fmt("%20p", (void *)0x1234),
			    "  0x0000000000001234");
}

static void p_left_justified_keeps_16_digits(void **state)
{
	(void)state;
	assert_string_equal(fmt("%-20p|", (void *)0x1234),
			    "0x0000000000001234  |");
}

/* ---- %s ---------------------------------------------------------------- */

static void s_prints_the_string(void **state)
{
	(void)state;
	assert_string_equal(fmt("<%s>", "baton"), "<baton>");
}

static void s_of_null_prints_null_in_parentheses(void **state)
{
	(void)state;
	assert_string_equal(fmt("%s", (char *)NULL), "(null)");
}

static void s_precision_limits_the_bytes_printed(void **state)
{
	(void)state;
	assert_string_equal(fmt("%.3s", "abcdef"), "abc");
	assert_string_equal(fmt("%.10s", "abc"), "abc");
	assert_string_equal(fmt("%.0s", "abc"), "");
}

static void s_precision_never_reads_past_it(void **state)
{
	/* No NUL: ASan reports a read past the array. */
	const char unterminated[4] = {'w', 'x', 'y', 'z'};

	(void)state;
	assert_string_equal(fmt("%.4s", unterminated), "wxyz");
}

static void s_precision_star_comes_from_the_arguments(void **state)
{
	(void)state;
	assert_string_equal(fmt("%.*s|", 2, "abcdef"), "ab|");
}

static void s_negative_precision_star_means_no_precision(void **state)
{
	(void)state;
	assert_string_equal(fmt("%.*s", -1, "abcdef"), "abcdef");
}

static void s_precision_applies_to_null_too(void **state)
{
	(void)state;
	assert_string_equal(fmt("%.3s", (char *)NULL), "(nu");
}

/* ---- %c ---------------------------------------------------------------- */

static void c_prints_one_character(void **state)
{
	(void)state;
	assert_string_equal(fmt("[%c]", 'x'), "[x]");
}

static void c_honours_the_width(void **state)
{
	(void)state;
	assert_string_equal(fmt("%3c|%-3c|", 'a', 'b'), "  a|b  |");
}

/* ---- width and flags --------------------------------------------------- */

static void width_pads_on_the_left_with_spaces(void **state)
{
	(void)state;
	assert_string_equal(fmt("%5d", 42), "   42");
	assert_string_equal(fmt("%5d", -42), "  -42");
	assert_string_equal(fmt("%6s", "abc"), "   abc");
	assert_string_equal(fmt("%5x", 0xabu), "   ab");
}

static void width_never_truncates(void **state)
{
	(void)state;
	assert_string_equal(fmt("%2d", 12345), "12345");
	assert_string_equal(fmt("%2s", "abcd"), "abcd");
}

static void minus_flag_pads_on_the_right(void **state)
{
	(void)state;
	assert_string_equal(fmt("%-5d|", 42), "42   |");
	assert_string_equal(fmt("%-6s|", "abc"), "abc   |");
}

static void zero_flag_pads_numbers_with_zeros(void **state)
{
	(void)state;
	assert_string_equal(fmt("%05d", 42), "00042");
	assert_string_equal(fmt("%08x", 0xbeefu), "0000beef");
	assert_string_equal(fmt("%016lx", 0xfful), "00000000000000ff");
}

static void zero_padding_goes_after_the_sign(void **state)
{
	(void)state;
	assert_string_equal(fmt("%05d", -42), "-0042");
}

static void star_width_comes_from_the_arguments(void **state)
{
	(void)state;
	assert_string_equal(fmt("%*d", 5, 42), "   42");
	assert_string_equal(fmt("%-*s|", 4, "ab"), "ab  |");
}

static void negative_star_width_left_justifies(void **state)
{
	(void)state;
	assert_string_equal(fmt("%*d|", -5, 42), "42   |");
}

/* ---- formats GCC warns about ------------------------------------------- */

/* These formats are odd or wrong on purpose: keep GCC from refusing them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

static void minus_flag_overrides_zero_flag(void **state)
{
	(void)state;
	assert_string_equal(fmt("%-05d|", 42), "42   |");
}

static void unknown_conversion_prints_itself(void **state)
{
	(void)state;
	assert_string_equal(fmt("%q"), "%q");
	assert_string_equal(fmt("a%yb"), "a%yb");
}

static void unknown_conversion_takes_no_argument(void **state)
{
	(void)state;
	assert_string_equal(fmt("%q %d", 5), "%q 5");
}

static void unknown_flag_shows_as_written(void **state)
{
	(void)state;
	assert_string_equal(fmt("%#x", 0x10u), "%#x");
}

static void percent_at_the_end_prints_itself(void **state)
{
	(void)state;
	assert_string_equal(fmt("50%"), "50%");
	assert_string_equal(fmt("50%l"), "50%");
}

#pragma GCC diagnostic pop

/* ---- snprintf: buffer size and return value ---------------------------- */

static void snprintf_returns_the_length_it_wrote(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(snprintf(buf, sizeof(buf), "%d-%s", 12, "ab"), 5);
	assert_string_equal(buf, "12-ab");
}

static void snprintf_of_an_exact_fit_is_not_truncated(void **state)
{
	char buf[6];

	(void)state;
	assert_int_equal(snprintf(buf, sizeof(buf), "hello"), 5);
	assert_string_equal(buf, "hello");
}

static void snprintf_truncates_and_returns_the_full_length(void **state)
{
	char buf[4]; /* exactly 4: ASan reports a write past it */

	(void)state;
	assert_int_equal(snprintf(buf, sizeof(buf), "hello"), 5);
	assert_string_equal(buf, "hel");
}

static void snprintf_truncates_inside_a_conversion(void **state)
{
	char buf[4];

	(void)state;
	assert_int_equal(snprintf(buf, sizeof(buf), "%d", 123456), 6);
	assert_string_equal(buf, "123");
}

static void snprintf_writes_nothing_past_size(void **state)
{
	char buf[8] = "XXXXXXX";

	(void)state;
	snprintf(buf, 3, "abcdef");
	assert_memory_equal(buf, "ab\0XXXX", sizeof(buf));
}

static void snprintf_of_size_one_writes_only_the_nul(void **state)
{
	char buf[2] = "X";

	(void)state;
	assert_int_equal(snprintf(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
}

static void snprintf_of_size_zero_writes_nothing(void **state)
{
	char buf[2] = "X";

	(void)state;
	assert_int_equal(snprintf(buf, 0, "abc%d", 42), 5);
	assert_string_equal(buf, "X");
	assert_int_equal(snprintf(NULL, 0, "%s", "measure me"), 10);
}

/* ---- vformat: the sink interface --------------------------------------- */

struct collector {
	char text[32];
	int len;
};

static void collect(char c, void *arg)
{
	struct collector *col = arg;

	assert_true(col->len < (int)sizeof(col->text) - 1);
	col->text[col->len++] = c;
}

static int format_to(struct collector *col, const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = vformat(collect, col, format, ap);
	va_end(ap);
	return n;
}

static void vformat_hands_each_character_to_the_sink(void **state)
{
	struct collector col = {.len = 0};

	(void)state;
	assert_int_equal(format_to(&col, "x=%d, %s", 5, "ok"), 7);
	assert_int_equal(col.len, 7);
	assert_string_equal(col.text, "x=5, ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_text_is_copied),
		cmocka_unit_test(percent_percent_prints_one_percent),
		cmocka_unit_test(d_prints_signed_decimal),
		cmocka_unit_test(i_is_the_same_as_d),
		cmocka_unit_test(d_prints_the_int_extremes),
		cmocka_unit_test(u_prints_unsigned_decimal),
		cmocka_unit_test(x_prints_lowercase_hex),
		cmocka_unit_test(upper_x_prints_uppercase_hex),
		cmocka_unit_test(x_of_a_negative_int_prints_its_32_bits),
		cmocka_unit_test(l_prints_64_bit_values),
		cmocka_unit_test(ll_prints_64_bit_values),
		cmocka_unit_test(ld_and_lld_print_int64_min),
		cmocka_unit_test(z_prints_size_t_values),
		cmocka_unit_test(
			length_takes_the_whole_argument_before_the_next),
		cmocka_unit_test(p_prints_0x_and_16_digits),
		cmocka_unit_test(p_of_null_prints_zeros),
		cmocka_unit_test(p_in_a_wider_field_pads_with_spaces),
		cmocka_unit_test(p_left_justified_keeps_16_digits),
		cmocka_unit_test(s_prints_the_string),
		cmocka_unit_test(s_of_null_prints_null_in_parentheses),
		cmocka_unit_test(s_precision_limits_the_bytes_printed),
		cmocka_unit_test(s_precision_never_reads_past_it),
		cmocka_unit_test(s_precision_star_comes_from_the_arguments),
		cmocka_unit_test(s_negative_precision_star_means_no_precision),
		cmocka_unit_test(s_precision_applies_to_null_too),
		cmocka_unit_test(c_prints_one_character),
		cmocka_unit_test(c_honours_the_width),
		cmocka_unit_test(width_pads_on_the_left_with_spaces),
		cmocka_unit_test(width_never_truncates),
		cmocka_unit_test(minus_flag_pads_on_the_right),
		cmocka_unit_test(zero_flag_pads_numbers_with_zeros),
		cmocka_unit_test(zero_padding_goes_after_the_sign),
		cmocka_unit_test(minus_flag_overrides_zero_flag),
		cmocka_unit_test(star_width_comes_from_the_arguments),
		cmocka_unit_test(negative_star_width_left_justifies),
		cmocka_unit_test(unknown_conversion_prints_itself),
		cmocka_unit_test(unknown_conversion_takes_no_argument),
		cmocka_unit_test(unknown_flag_shows_as_written),
		cmocka_unit_test(percent_at_the_end_prints_itself),
		cmocka_unit_test(snprintf_returns_the_length_it_wrote),
		cmocka_unit_test(snprintf_of_an_exact_fit_is_not_truncated),
		cmocka_unit_test(
			snprintf_truncates_and_returns_the_full_length),
		cmocka_unit_test(snprintf_truncates_inside_a_conversion),
		cmocka_unit_test(snprintf_writes_nothing_past_size),
		cmocka_unit_test(snprintf_of_size_one_writes_only_the_nul),
		cmocka_unit_test(snprintf_of_size_zero_writes_nothing),
		cmocka_unit_test(vformat_hands_each_character_to_the_sink),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
