/*
 * An exec's arguments and environment: the strings copied out of the old
 * program (or given by the kernel for init), end to end with their NULs, in
 * pages of their own that grow as they fill (never the small kernel heap),
 * under Linux's limits (fs/exec.c, uapi/linux/binfmts.h):
 *   - one string, its NUL included, at most MAX_ARG_STRLEN (32 pages);
 *   - all of them, the path exec was given, and a pointer each (argv and
 *     envp) within a quarter of RLIMIT_STACK, at most 3/4 of _STK_LIM and at
 *     least ARG_MAX (32 pages): 2 MiB under the default 8 MiB stack;
 * past either, E2BIG. The buffer stops at the page allocator's largest
 * block, 4 MiB, which only a stack limit over 16 MiB lets the strings reach.
 */
#ifndef BRAMBLE_KERNEL_EXEC_STRINGS_H
#define BRAMBLE_KERNEL_EXEC_STRINGS_H
#include "lib/types.h"

#define MAX_ARG_STRLEN (32 * 4096UL)
#define ARG_MAX        (32 * 4096UL)
#define STK_LIM        (8UL << 20)      /* Linux's _STK_LIM */

struct mm;

struct exec_strings {
	char *buf;           /* 1 << order pages */
	unsigned order;
	size_t used;         /* bytes of strings, NULs included */
	size_t fixed;        /* what the limit also holds: the path and one pointer */
	size_t limit;        /* for all of it, pointers included */
	int argc, envc;
};

/* An empty set for an exec of a path path_len long under stack_rlimit:
 * 0 or -ENOMEM (boot: init's, before fault injection counts). */
int exec_strings_init(struct exec_strings *s, uint64_t stack_rlimit, size_t path_len, bool boot);
void exec_strings_free(struct exec_strings *s);
/* Appends a kernel string: 0, -E2BIG or -ENOMEM. The caller counts it. */
int exec_strings_add(struct exec_strings *s, const char *str, size_t len);
/* Appends the strings of a user NULL-terminated pointer array, counting
 * them in *count: 0, -EFAULT, -E2BIG or -ENOMEM. */
long exec_strings_add_user(struct exec_strings *s, struct mm *mm, uaddr_t uvec, int *count);
/* Replaces the first skip bytes (argv[0], or nothing) by the n strings of
 * parts, which become the first arguments (a "#!" line's interpreter, its
 * argument, the script): 0, -E2BIG or -ENOMEM, s unchanged on error. */
int exec_strings_prepend(struct exec_strings *s, size_t skip, const char *const parts[], int n);
/* The length of the string at offset off. */
size_t exec_strings_len_at(const struct exec_strings *s, size_t off);
#endif
