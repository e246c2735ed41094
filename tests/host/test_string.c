/*
 * test_string.c - host unit tests for kernel/lib/string.c.
 *
 * The kernel's functions are called under their host names (baton_memcpy,
 * ...; see host_rename.h), so these tests exercise the kernel's code, not
 * the C library's, under ASan and UBSan. Buffers without a terminating NUL
 * let ASan prove that the bounded functions stay inside their bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/string.h"

/* ---- memcpy ------------------------------------------------------------ */

static void memcpy_copies_n_bytes_and_returns_dst(void **state)
{
	char dst[8] = "xxxxxxx";

	(void)state;
	assert_ptr_equal(memcpy(dst, "abc", 3), dst);
	assert_string_equal(dst, "abcxxxx");
}

static void memcpy_of_zero_bytes_changes_nothing(void **state)
{
	char dst[4] = "xyz";

	(void)state;
	memcpy(dst, "abc", 0);
	assert_string_equal(dst, "xyz");
}

/*
 * Every alignment of source and destination, every length up to 40: the
 * word loop and the byte loops before and after it must meet exactly,
 * and not one byte outside [dst, dst + n) may change.
 */
static void memcpy_is_exact_at_every_alignment(void **state)
{
	unsigned char src[64], dst[64], want[64];

	(void)state;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (size_t so = 0; so < 8; so++)
		for (size_t d_off = 0; d_off < 8; d_off++)
			for (size_t n = 0; n <= 40; n++) {
				for (size_t i = 0; i < sizeof(dst); i++)
					dst[i] = want[i] = 0xee;
				for (size_t i = 0; i < n; i++)
					want[d_off + i] = src[so + i];
				memcpy(dst + d_off, src + so, n);
				assert_memory_equal(dst, want, sizeof(dst));
			}
}

/* ---- memmove ----------------------------------------------------------- */

static void memmove_handles_overlap_with_dst_above_src(void **state)
{
	char buf[] = "abcdefgh";

	(void)state;
	assert_ptr_equal(memmove(buf + 2, buf, 5), buf + 2);
	assert_string_equal(buf, "ababcdeh");
}

static void memmove_handles_overlap_with_dst_below_src(void **state)
{
	char buf[] = "abcdefgh";

	(void)state;
	assert_ptr_equal(memmove(buf, buf + 2, 5), buf);
	assert_string_equal(buf, "cdefgfgh");
}

static void memmove_onto_itself_changes_nothing(void **state)
{
	char buf[] = "abcdef";

	(void)state;
	assert_ptr_equal(memmove(buf, buf, 6), buf);
	assert_string_equal(buf, "abcdef");
}

static void memmove_copies_disjoint_buffers(void **state)
{
	char dst[6] = "-----";

	(void)state;
	memmove(dst, "12345", 5);
	assert_string_equal(dst, "12345");
}

/* ---- memset ------------------------------------------------------------ */

static void memset_fills_n_bytes_and_returns_dst(void **state)
{
	char buf[6] = "abcde";

	(void)state;
	assert_ptr_equal(memset(buf + 1, 'z', 3), buf + 1);
	assert_string_equal(buf, "azzze");
}

static void memset_uses_only_the_low_byte_of_the_value(void **state)
{
	unsigned char buf[3] = {0};

	(void)state;
	memset(buf, 0x1ab, sizeof(buf));
	assert_int_equal(buf[0], 0xab);
	assert_int_equal(buf[2], 0xab);
}

/* ---- memcmp ------------------------------------------------------------ */

static void memcmp_of_equal_bytes_is_zero(void **state)
{
	(void)state;
	assert_int_equal(memcmp("abcd", "abcd", 4), 0);
}

static void memcmp_sign_follows_the_first_difference(void **state)
{
	(void)state;
	assert_true(memcmp("abcd", "abdd", 4) < 0);
	assert_true(memcmp("abdd", "abcd", 4) > 0);
}

static void memcmp_compares_bytes_as_unsigned(void **state)
{
	(void)state;
	assert_true(memcmp("\x80", "\x01", 1) > 0);
	assert_true(memcmp("\x01", "\xff", 1) < 0);
}

static void memcmp_looks_at_only_n_bytes(void **state)
{
	(void)state;
	assert_int_equal(memcmp("abcX", "abcY", 3), 0);
	assert_int_equal(memcmp("X", "Y", 0), 0);
}

static void memcmp_does_not_stop_at_nul(void **state)
{
	(void)state;
	assert_true(memcmp("a\0b", "a\0c", 3) < 0);
}

/* ---- strlen, strnlen --------------------------------------------------- */

static void strlen_counts_bytes_before_the_nul(void **state)
{
	(void)state;
	assert_int_equal(strlen(""), 0);
	assert_int_equal(strlen("baton"), 5);
	assert_int_equal(strlen("ab\0cd"), 2);
}

static void strnlen_stops_at_the_nul(void **state)
{
	(void)state;
	assert_int_equal(strnlen("abc", 10), 3);
}

static void strnlen_stops_at_max_without_reading_further(void **state)
{
	/* No NUL anywhere: ASan reports any read past the array. */
	const char unterminated[4] = {'a', 'b', 'c', 'd'};

	(void)state;
	assert_int_equal(strnlen(unterminated, sizeof(unterminated)), 4);
	assert_int_equal(strnlen(unterminated, 2), 2);
	assert_int_equal(strnlen(unterminated, 0), 0);
}

/* ---- strcmp, strncmp --------------------------------------------------- */

static void strcmp_of_equal_strings_is_zero(void **state)
{
	(void)state;
	assert_int_equal(strcmp("", ""), 0);
	assert_int_equal(strcmp("kernel", "kernel"), 0);
}

static void strcmp_sign_follows_the_first_difference(void **state)
{
	(void)state;
	assert_true(strcmp("abc", "abd") < 0);
	assert_true(strcmp("abd", "abc") > 0);
}

static void strcmp_orders_a_prefix_first(void **state)
{
	(void)state;
	assert_true(strcmp("ab", "abc") < 0);
	assert_true(strcmp("abc", "ab") > 0);
	assert_true(strcmp("", "a") < 0);
}

static void strcmp_compares_bytes_as_unsigned(void **state)
{
	(void)state;
	assert_true(strcmp("\xe9", "e") > 0);
}

static void strncmp_looks_at_only_n_bytes(void **state)
{
	(void)state;
	assert_int_equal(strncmp("abcX", "abcY", 3), 0);
	assert_true(strncmp("abcX", "abcY", 4) < 0);
	assert_int_equal(strncmp("X", "Y", 0), 0);
}

static void strncmp_stops_at_a_common_nul(void **state)
{
	(void)state;
	assert_int_equal(strncmp("ab\0X", "ab\0Y", 4), 0);
}

static void strncmp_orders_a_prefix_first(void **state)
{
	(void)state;
	assert_true(strncmp("ab", "abc", 5) < 0);
	assert_true(strncmp("abc", "ab", 5) > 0);
}

static void strncmp_compares_bytes_as_unsigned(void **state)
{
	(void)state;
	assert_true(strncmp("\xe9", "e", 1) > 0);
}

/* ---- strchr ------------------------------------------------------------ */

static void strchr_finds_the_first_occurrence(void **state)
{
	const char *s = "banana";

	(void)state;
	assert_ptr_equal(strchr(s, 'a'), s + 1);
	assert_ptr_equal(strchr(s, 'b'), s);
}

static void strchr_returns_null_when_absent(void **state)
{
	(void)state;
	assert_null(strchr("banana", 'x'));
	assert_null(strchr("", 'x'));
}

static void strchr_of_nul_finds_the_terminator(void **state)
{
	const char *s = "key=value";

	(void)state;
	assert_ptr_equal(strchr(s, '\0'), s + 9);
}

static void strchr_converts_the_int_to_char(void **state)
{
	const char *s = "caf\xe9";

	(void)state;
	/* 0xe9 as an int (as getc would return it) still matches the char. */
	assert_ptr_equal(strchr(s, 0xe9), s + 3);
}

/* ---- strstr ------------------------------------------------------------ */

static void strstr_finds_the_needle_anywhere(void **state)
{
	const char *s = "test=trap_int3";

	(void)state;
	assert_ptr_equal(strstr(s, "test"), s);
	assert_ptr_equal(strstr(s, "trap"), s + 5);
	assert_ptr_equal(strstr(s, "int3"), s + 10);
}

static void strstr_finds_the_first_of_several(void **state)
{
	const char *s = "abcabc";

	(void)state;
	assert_ptr_equal(strstr(s, "bc"), s + 1);
}

static void strstr_retries_after_a_partial_match(void **state)
{
	const char *s = "aaab";

	(void)state;
	assert_ptr_equal(strstr(s, "aab"), s + 1);
}

static void strstr_returns_null_when_absent(void **state)
{
	(void)state;
	assert_null(strstr("abc", "abd"));
	assert_null(strstr("abc", "abcd"));
	assert_null(strstr("", "a"));
}

static void strstr_of_empty_needle_is_the_haystack(void **state)
{
	const char *s = "abc";
	const char *empty = "";

	(void)state;
	assert_ptr_equal(strstr(s, ""), s);
	assert_ptr_equal(strstr(empty, ""), empty);
}

/* ---- strlcpy ----------------------------------------------------------- */

static void strlcpy_copies_a_string_that_fits(void **state)
{
	char dst[8] = "xxxxxxx";

	(void)state;
	assert_int_equal(strlcpy(dst, "abc", sizeof(dst)), 3);
	assert_string_equal(dst, "abc");
}

static void strlcpy_copies_an_exact_fit_whole(void **state)
{
	char dst[4];

	(void)state;
	assert_int_equal(strlcpy(dst, "abc", sizeof(dst)), 3);
	assert_string_equal(dst, "abc");
}

static void strlcpy_truncates_and_returns_the_source_length(void **state)
{
	char dst[4];

	(void)state;
	assert_int_equal(strlcpy(dst, "abcdef", sizeof(dst)), 6);
	assert_string_equal(dst, "abc");
}

static void strlcpy_into_one_byte_writes_only_the_nul(void **state)
{
	char dst[2] = "x";

	(void)state;
	assert_int_equal(strlcpy(dst, "abc", 1), 3);
	assert_string_equal(dst, "");
}

static void strlcpy_of_size_zero_writes_nothing(void **state)
{
	char dst[2] = "x";

	(void)state;
	assert_int_equal(strlcpy(dst, "abc", 0), 3);
	assert_string_equal(dst, "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcpy_copies_n_bytes_and_returns_dst),
		cmocka_unit_test(memcpy_of_zero_bytes_changes_nothing),
		cmocka_unit_test(memcpy_is_exact_at_every_alignment),
		cmocka_unit_test(memmove_handles_overlap_with_dst_above_src),
		cmocka_unit_test(memmove_handles_overlap_with_dst_below_src),
		cmocka_unit_test(memmove_onto_itself_changes_nothing),
		cmocka_unit_test(memmove_copies_disjoint_buffers),
		cmocka_unit_test(memset_fills_n_bytes_and_returns_dst),
		cmocka_unit_test(memset_uses_only_the_low_byte_of_the_value),
		cmocka_unit_test(memcmp_of_equal_bytes_is_zero),
		cmocka_unit_test(memcmp_sign_follows_the_first_difference),
		cmocka_unit_test(memcmp_compares_bytes_as_unsigned),
		cmocka_unit_test(memcmp_looks_at_only_n_bytes),
		cmocka_unit_test(memcmp_does_not_stop_at_nul),
		cmocka_unit_test(strlen_counts_bytes_before_the_nul),
		cmocka_unit_test(strnlen_stops_at_the_nul),
		cmocka_unit_test(strnlen_stops_at_max_without_reading_further),
		cmocka_unit_test(strcmp_of_equal_strings_is_zero),
		cmocka_unit_test(strcmp_sign_follows_the_first_difference),
		cmocka_unit_test(strcmp_orders_a_prefix_first),
		cmocka_unit_test(strcmp_compares_bytes_as_unsigned),
		cmocka_unit_test(strncmp_looks_at_only_n_bytes),
		cmocka_unit_test(strncmp_stops_at_a_common_nul),
		cmocka_unit_test(strncmp_orders_a_prefix_first),
		cmocka_unit_test(strncmp_compares_bytes_as_unsigned),
		cmocka_unit_test(strchr_finds_the_first_occurrence),
		cmocka_unit_test(strchr_returns_null_when_absent),
		cmocka_unit_test(strchr_of_nul_finds_the_terminator),
		cmocka_unit_test(strchr_converts_the_int_to_char),
		cmocka_unit_test(strstr_finds_the_needle_anywhere),
		cmocka_unit_test(strstr_finds_the_first_of_several),
		cmocka_unit_test(strstr_retries_after_a_partial_match),
		cmocka_unit_test(strstr_returns_null_when_absent),
		cmocka_unit_test(strstr_of_empty_needle_is_the_haystack),
		cmocka_unit_test(strlcpy_copies_a_string_that_fits),
		cmocka_unit_test(strlcpy_copies_an_exact_fit_whole),
		cmocka_unit_test(
			strlcpy_truncates_and_returns_the_source_length),
		cmocka_unit_test(strlcpy_into_one_byte_writes_only_the_nul),
		cmocka_unit_test(strlcpy_of_size_zero_writes_nothing),
	};

	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
