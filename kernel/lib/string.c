/*
 * string.c - memory and string functions, written plainly.
 *
 * Clarity first; only memset and memcpy work a word at a time, because
 * zeroing every new frame (4 KiB) is on the path of every page fault,
 * and copying pages is what the ELF loader (lab 4) and a copying send
 * (lab 7) do.
 *
 * GCC recognises a byte loop that fills memory and may turn it into a
 * call to memset: here that would be memset calling itself. The Makefile
 * passes -fno-tree-loop-distribute-patterns to stop it.
 */
#include "lib/string.h"

/* A word that may alias any object, as char does (GCC's may_alias). */
typedef uint64_t __attribute__((may_alias)) word_t;

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Words, when the two can be aligned together; bytes for the rest. */
	if ((uintptr_t)d % sizeof(word_t) == (uintptr_t)s % sizeof(word_t)) {
		for (; n > 0 && (uintptr_t)d % sizeof(word_t); n--)
			*d++ = *s++;
		for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
			*(word_t *)d = *(const word_t *)s;
			d += sizeof(word_t);
			s += sizeof(word_t);
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: copy from the end backwards. */
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int byte, size_t n)
{
	unsigned char *d = dst;
	word_t pattern = 0x0101010101010101ull * (unsigned char)byte;

	for (; n > 0 && (uintptr_t)d % sizeof(word_t); n--)
		*d++ = (unsigned char)byte;
	for (; n >= sizeof(word_t); n -= sizeof(word_t), d += sizeof(word_t))
		*(word_t *)d = pattern;
	while (n--)
		*d++ = (unsigned char)byte;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == '\0')
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	return n == 0 ? (char *)haystack : NULL;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
