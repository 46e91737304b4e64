/* Basic kernel types, shared by kernel code and by the host unit tests. */
#ifndef BRAMBLE_TYPES_H
#define BRAMBLE_TYPES_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint64_t phys_addr_t;

/*
 * An address in a process's memory, as a system call received it. A type
 * of its own, neither a pointer nor an integer: the kernel cannot
 * dereference it, pass it where a kernel pointer goes, or do arithmetic on
 * it by mistake; it only hands it to mm/uaccess.h (copy_from_user,
 * copy_to_user, strncpy_from_user), which checks it against the process's
 * mappings. Every user pointer argument of a system call has this type.
 */
typedef struct { uint64_t addr; } uaddr_t;

/* A user address from a register or an integer, and back (for arithmetic
 * on addresses that are never dereferenced: mmap, brk, range checks). */
static inline uaddr_t uaddr(uint64_t a)
{
	return (uaddr_t){ a };
}

static inline uint64_t uaddr_val(uaddr_t u)
{
	return u.addr;
}

static inline bool uaddr_is_null(uaddr_t u)
{
	return u.addr == 0;
}

static inline uaddr_t uaddr_add(uaddr_t u, uint64_t off)
{
	return (uaddr_t){ u.addr + off };
}

/* A physical address range [base, base + size). */
struct phys_range {
	phys_addr_t base;
	uint64_t size;
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

#endif
