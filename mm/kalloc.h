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
