/* Basic kernel types, shared by kernel code and by the host unit tests. */
#ifndef BRAMBLE_TYPES_H
#define BRAMBLE_TYPES_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint64_t phys_addr_t;

/*
 * An address in a process's memory, as a system call received it. An
 * integer, never a pointer: the kernel cannot dereference it by mistake,
 * only hand it to mm/uaccess.h (copy_from_user, copy_to_user,
 * strncpy_from_user), which checks it against the process's mappings.
 * Every user pointer argument of a system call has this type.
 */
typedef uint64_t uaddr_t;

/* A physical address range [base, base + size). */
struct phys_range {
	phys_addr_t base;
	uint64_t size;
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

#endif
