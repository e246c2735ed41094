/*
 * test_errno.c - host unit tests for kernel/lib/errno.c (errno_name).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/errno.h"

static const struct {
	int code;
	const char *name;
} known[] = {
	{EPERM, "EPERM"},   {ENOENT, "ENOENT"},
	{ESRCH, "ESRCH"},   {EIO, "EIO"},
	{E2BIG, "E2BIG"},   {ENOEXEC, "ENOEXEC"},
	{EBADF, "EBADF"},   {ENOMEM, "ENOMEM"},
	{EFAULT, "EFAULT"}, {EBUSY, "EBUSY"},
	{EEXIST, "EEXIST"}, {EINVAL, "EINVAL"},
	{ENOSPC, "ENOSPC"}, {ERANGE, "ERANGE"},
	{ENOSYS, "ENOSYS"}, {EPROTOTYPE, "EPROTOTYPE"},
	{EAGAIN, "EAGAIN"}, {EPIPE, "EPIPE"},
};

static void name_of_every_known_code(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		assert_string_equal(errno_name(known[i].code), known[i].name);
}

static void name_of_a_negative_code_is_the_same(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		assert_string_equal(errno_name(-known[i].code), known[i].name);
}

static void name_of_zero_is_unknown(void **state)
{
	(void)state;
	assert_string_equal(errno_name(0), "E?");
}

static void name_of_a_gap_in_the_list_is_unknown(void **state)
{
	(void)state;
	assert_string_equal(errno_name(4), "E?");
	assert_string_equal(errno_name(-4), "E?");
}

static void name_past_the_list_is_unknown(void **state)
{
	(void)state;
	assert_string_equal(errno_name(ENOSYS + 1), "E?");
	assert_string_equal(errno_name(-1000), "E?");
	assert_string_equal(errno_name(INT_MAX), "E?");
}

static void name_of_int_min_is_unknown(void **state)
{
	(void)state;
	/* -INT_MIN does not fit in an int: negating it is undefined. */
	assert_string_equal(errno_name(INT_MIN), "E?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_of_every_known_code),
		cmocka_unit_test(name_of_a_negative_code_is_the_same),
		cmocka_unit_test(name_of_zero_is_unknown),
		cmocka_unit_test(name_of_a_gap_in_the_list_is_unknown),
		cmocka_unit_test(name_past_the_list_is_unknown),
		cmocka_unit_test(name_of_int_min_is_unknown),
	};

	return cmocka_run_group_tests_name("errno", tests, NULL, NULL);
}
