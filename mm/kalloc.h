/*
 * The kernel-side glue around the allocators: the one function that turns
 * heap exhaustion into the OOM panic dump, and the allocator bug reports.
 */
#ifndef BRAMBLE_KALLOC_H
#define BRAMBLE_KALLOC_H
#include "mm/kheap.h"
#include "mm/alloc_site.h"

/* For allocations the kernel cannot do without (boot structures, the first
 * process): never returns NULL; exhaustion is the kernel-heap OOM panic. */
#define kmalloc_or_panic(size, align) kmalloc_or_panic_at(size, align, ALLOC_SITE(ALLOC_MUST))
void *kmalloc_or_panic_at(size_t size, size_t align, struct alloc_site *site);
#endif

/*
 * Fallible allocations: everything reached from a system call uses these,
 * and handles NULL by undoing its work and returning -ENOMEM. Each call
 * site is an alloc_site (mm/alloc_site.h). Two controls fail one of them on
 * purpose, to drive those paths in tests: bootarg fail_alloc=N (the N-th
 * after init starts, counted over every task) and a task's fail-nth
 * (/proc/PID/task/TID/fail-nth, as Linux's: the N-th of that task's own).
 */
#define kalloc(size) kalloc_at(size, ALLOC_SITE(ALLOC_HEAP))   /* zeroed, or NULL */
/* The same, not zeroed: for a record its caller fills in whole at once. */
#define kalloc_uninit(size) kalloc_uninit_at(size, ALLOC_SITE(ALLOC_HEAP))
/* Zeroed pages (linear map VA), or NULL. */
#define kalloc_pages(order) kalloc_pages_at(order, ALLOC_SITE(ALLOC_PAGES))
/* Fallible allocations made only before init starts (no injection reaches
 * them): the boot goes on without what they were for. */
#define kalloc_boot(size) kalloc_at(size, ALLOC_SITE(ALLOC_BOOT))
#define kalloc_pages_boot(order) kalloc_pages_at(order, ALLOC_SITE(ALLOC_BOOT))
void *kalloc_at(size_t size, struct alloc_site *site);
void *kalloc_uninit_at(size_t size, struct alloc_site *site);
/* kalloc_uninit that hands out spare (a record of size bytes its owner kept
 * back from kfree) when not NULL. The fault injection decides first either
 * way, so a test that fails this site fails it whether a spare is there or
 * not. The caller forgets spare when it is returned. */
#define kalloc_uninit_reuse(spare, size) kalloc_uninit_reuse_at(spare, size, ALLOC_SITE(ALLOC_HEAP))
void *kalloc_uninit_reuse_at(void *spare, size_t size, struct alloc_site *site);
void *kalloc_pages_at(unsigned order, struct alloc_site *site);
void kfree_pages(void *va, unsigned order);
void fail_alloc_set(uint64_t nth);
/* The running task's fail-nth count (0: off), or NULL outside a task:
 * provided by the process layer (kernel/proc.c), which owns tasks. */
uint32_t *alloc_fail_nth_of_current(void);
