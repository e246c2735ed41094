/*
 * ar.c - walking the members of an ar archive (ar.h).
 */
#include "lib/ar.h"

#include "lib/errno.h"
#include "lib/string.h"

#define AR_MAGIC       "!<arch>\n"
#define AR_MAGIC_SIZE  8
#define AR_HEADER_SIZE 60
#define AR_NAME_FIELD  16
#define AR_SIZE_AT     48
#define AR_SIZE_FIELD  10
#define AR_END_AT      58

bool ar_is_archive(const void *image, size_t size)
{
	return size >= AR_MAGIC_SIZE &&
	       memcmp(image, AR_MAGIC, AR_MAGIC_SIZE) == 0;
}

/* A decimal field padded with spaces; false if it is anything else. */
static bool parse_size(const char *field, size_t *out)
{
	size_t value = 0;
	int i = 0;

	for (; i < AR_SIZE_FIELD && field[i] >= '0' && field[i] <= '9'; i++)
		value = value * 10 + (size_t)(field[i] - '0');
	if (i == 0)
		return false;
	for (; i < AR_SIZE_FIELD; i++)
		if (field[i] != ' ')
			return false;
	*out = value;
	return true;
}

/* "hello/   " -> "hello"; "/" and "//" stay as they are. */
static void copy_name(const char *field, char *name)
{
	int n = AR_NAME_FIELD;

	while (n > 0 && field[n - 1] == ' ')
		n--;
	if (n > 1 && field[n - 1] == '/' && field[0] != '/')
		n--;
	n = n < AR_NAME_MAX - 1 ? n : AR_NAME_MAX - 1;
	memcpy(name, field, (size_t)n);
	name[n] = '\0';
}

int ar_next(const void *image, size_t size, size_t *cursor, struct ar_member *m)
{
	const char *bytes = image;

	if (*cursor == 0)
		*cursor = AR_MAGIC_SIZE;
	for (;;) {
		const char *header = bytes + *cursor;

		if (*cursor == size)
			return 0;
		if (*cursor > size || size - *cursor < AR_HEADER_SIZE)
			return -EINVAL; /* a partial header */
		if (header[AR_END_AT] != '`' || header[AR_END_AT + 1] != '\n' ||
		    !parse_size(header + AR_SIZE_AT, &m->size))
			return -EINVAL;
		m->offset = *cursor + AR_HEADER_SIZE;
		if (m->size > size - m->offset)
			return -EINVAL; /* the data runs past the end */
		copy_name(header, m->name);
		*cursor = m->offset + m->size + (m->size & 1);
		if (*cursor > size)
			*cursor = size; /* a missing last pad byte is fine */
		if (m->name[0] != '/')
			return 1;
	}
}
