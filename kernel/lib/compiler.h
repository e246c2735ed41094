/*
 * compiler.h - small wrappers around GCC attributes and builtins.
 */
#ifndef LIB_COMPILER_H
#define LIB_COMPILER_H

#define NORETURN	       __attribute__((noreturn))
#define NOINLINE	       __attribute__((noinline))
#define PACKED		       __attribute__((packed))
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#define UNUSED		       __attribute__((unused))

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))

/* Keep the compiler from moving memory accesses across this point. */
#define barrier() __asm__ volatile("" ::: "memory")

#endif
