/*
 * host_rename.h - gives the kernel's C-library functions their own names
 * when kernel code is compiled for the host (tests/host, tests/fuzz).
 *
 * kernel/lib defines memcpy, strlen, snprintf and friends. Linked into a
 * host program they would clash with the C library and with the
 * sanitizers' interceptors, and the tests would not know whose version
 * they were testing. Every host build force-includes this header
 * (gcc -include) before anything else, so the kernel files and the tests
 * that include the kernel headers all see baton_memcpy, baton_strlen, ...
 * Build with -fno-builtin as well, so the compiler does not treat calls
 * as the standard functions it knows.
 *
 * A host test takes these functions from the kernel headers. It should
 * not include the C library's <string.h>, whose declarations would be
 * renamed too and then describe the kernel's functions.
 */
#ifndef TESTS_HOST_RENAME_H
#define TESTS_HOST_RENAME_H

#define memcpy	  baton_memcpy
#define memmove	  baton_memmove
#define memset	  baton_memset
#define memcmp	  baton_memcmp
#define strlen	  baton_strlen
#define strnlen	  baton_strnlen
#define strcmp	  baton_strcmp
#define strncmp	  baton_strncmp
#define strchr	  baton_strchr
#define strstr	  baton_strstr
#define strlcpy	  baton_strlcpy
#define snprintf  baton_snprintf
#define vsnprintf baton_vsnprintf

#endif
