/*
 * string.h - the few C-library string and memory functions the kernel uses.
 *
 * GCC may emit calls to memcpy, memmove, memset and memcmp on its own (for
 * struct copies, for example), so these four must exist under exactly these
 * names even in a freestanding kernel.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include "lib/types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int byte, size_t n);
int memcmp(const void *a, const void *b, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* The first occurrence of needle in haystack, or NULL. */
char *strstr(const char *haystack, const char *needle);
/*
 * Copies at most size - 1 bytes of src into dst and always terminates dst
 * (when size > 0). Returns strlen(src): a result >= size means truncated.
 */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
