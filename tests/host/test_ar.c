/*
 * test_ar.c - host unit tests of the ar archive reader (lib/ar.h).
 *
 * Archives are built here, byte by byte, in the format `ar` writes;
 * one real archive made by binutils is checked too (by the build: the
 * kernel finds its programs in one at every boot).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "lib/ar.h"
#include "lib/errno.h"
#include "lib/string.h"

static char image[1024];
static size_t used;

static void start(void)
{
	memcpy(image, "!<arch>\n", 8);
	used = 8;
}

/* Appends a member: its 60-byte header, its data, the pad byte. */
static void add(const char *name, const char *data, size_t size)
{
	char header[61];

	snprintf(header, sizeof(header), "%-16s%-12s%-6s%-6s%-8s%-10zu`\n",
		 name, "0", "0", "0", "644", size);
	memcpy(image + used, header, 60);
	used += 60;
	memcpy(image + used, data, size);
	used += size;
	if (size & 1)
		image[used++] = '\n';
}

static void reads_members_in_order(void **state)
{
	struct ar_member m;
	size_t cursor = 0;

	(void)state;
	start();
	add("hello/", "abc", 3);
	add("t_bss/", "wxyz", 4);
	assert_true(ar_is_archive(image, used));
	assert_int_equal(ar_next(image, used, &cursor, &m), 1);
	assert_string_equal(m.name, "hello");
	assert_int_equal(m.size, 3);
	assert_memory_equal(image + m.offset, "abc", 3);
	assert_int_equal(ar_next(image, used, &cursor, &m), 1);
	assert_string_equal(m.name, "t_bss");
	assert_memory_equal(image + m.offset, "wxyz", 4);
	assert_int_equal(ar_next(image, used, &cursor, &m), 0);
}

static void skips_the_symbol_and_name_tables(void **state)
{
	struct ar_member m;
	size_t cursor = 0;

	(void)state;
	start();
	add("/", "\0\0\0\0", 4);
	add("//", "long-name/\n", 11);
	add("prog/", "x", 1);
	assert_int_equal(ar_next(image, used, &cursor, &m), 1);
	assert_string_equal(m.name, "prog");
	assert_int_equal(ar_next(image, used, &cursor, &m), 0);
}

static void an_empty_archive_has_no_members(void **state)
{
	struct ar_member m;
	size_t cursor = 0;

	(void)state;
	start();
	assert_int_equal(ar_next(image, used, &cursor, &m), 0);
}

static void refuses_what_is_not_an_archive(void **state)
{
	(void)state;
	assert_false(ar_is_archive("\x7f"
				   "ELF",
				   4));
	assert_false(ar_is_archive("!<arch>", 7));
}

/* Every truncation of a good archive: an error or fewer members,
 * never a member that runs past the end. */
static void truncated_archives_are_refused(void **state)
{
	(void)state;
	start();
	add("one/", "12345", 5);
	add("two/", "678", 3);
	for (size_t size = 8; size < used; size++) {
		struct ar_member m;
		size_t cursor = 0;
		int r;

		while ((r = ar_next(image, size, &cursor, &m)) == 1)
			assert_true(m.offset + m.size <= size);
		assert_true(r == 0 || r == -EINVAL);
	}
}

static void bad_sizes_are_refused(void **state)
{
	struct ar_member m;
	size_t cursor = 0;

	(void)state;
	start();
	add("big/", "ab", 2);
	memcpy(image + 8 + 48, "99999999  ", 10); /* past the end */
	assert_int_equal(ar_next(image, used, &cursor, &m), -EINVAL);
	cursor = 0;
	memcpy(image + 8 + 48, "-1        ", 10); /* not a number */
	assert_int_equal(ar_next(image, used, &cursor, &m), -EINVAL);
	cursor = 0;
	memcpy(image + 8 + 48, "2         ", 10);
	image[8 + 58] = 'X'; /* the header's end mark */
	assert_int_equal(ar_next(image, used, &cursor, &m), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_members_in_order),
		cmocka_unit_test(skips_the_symbol_and_name_tables),
		cmocka_unit_test(an_empty_archive_has_no_members),
		cmocka_unit_test(refuses_what_is_not_an_archive),
		cmocka_unit_test(truncated_archives_are_refused),
		cmocka_unit_test(bad_sizes_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
