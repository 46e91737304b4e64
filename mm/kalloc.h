/*
 * The kernel-side glue around the allocators: the one function that turns
 * heap exhaustion into the OOM panic dump, and the allocator bug reports.
 */
#ifndef BRAMBLE_KALLOC_H
#define BRAMBLE_KALLOC_H
#include "mm/kheap.h"

/* For allocations the kernel cannot do without (boot structures, the first
 * process): never returns NULL; exhaustion is the kernel-heap OOM panic. */
void *kmalloc_or_panic(size_t size, size_t align);
#endif

/*
 * Fallible allocations: everything reached from a system call uses these,
 * and handles NULL by undoing its work and returning -ENOMEM. Bootarg
 * fail_alloc=N makes the N-th of them fail, to drive those paths in tests.
 */
void *kalloc(size_t size);              /* zeroed kernel-heap memory, or NULL */
/* The same, not zeroed: for a record its caller fills in whole at once. */
void *kalloc_uninit(size_t size);
void *kalloc_pages(unsigned order);     /* zeroed pages (linear map VA), or NULL */
void kfree_pages(void *va, unsigned order);
void fail_alloc_set(uint64_t nth);
