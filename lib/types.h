/* Basic kernel types, shared by kernel code and by the host unit tests. */
#ifndef BRAMBLE_TYPES_H
#define BRAMBLE_TYPES_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint64_t phys_addr_t;

/* A physical address range [base, base + size). */
struct phys_range {
	phys_addr_t base;
	uint64_t size;
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

#endif
