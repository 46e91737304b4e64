/*
 * The commit limit (Linux's overcommit mode 2, no swap): memory is charged
 * when it is promised, so a process learns of exhaustion from a system call
 * and a fault on charged memory never fails.
 *
 * Charged: every page a process may come to own — private writable and
 * file-backed mappings, shared anonymous mappings, the stack, the ELF image,
 * the brk heap — and the kernel pages that serve it: user page tables and
 * kernel stacks. Uncharged pages are the kernel's own (boot structures).
 *
 * Locking: the kernel lock (kernel/spinlock.h): a charge and the change it
 * pays for are one step, whatever CPU makes them.
 */
#ifndef BRAMBLE_COMMIT_H
#define BRAMBLE_COMMIT_H
#include "lib/types.h"
#include "mm/page_alloc.h"
#include "lib/uapi/errno.h"

/* Sets the limit from the free pages once boot-time allocation is done. */
void commit_init(uint64_t free_pages);
/* Memory joined the allocator after boot (the initrd's): the limit grows. */
void commit_add_pages(uint64_t pages);
/* The counter, in pages; written only by commit_init, commit_add_pages
 * and the two below. */
struct commit_counter {
	uint64_t limit, used;
};
extern struct commit_counter commit_pages;
/* More uncharged than charged: a kernel bug (a panic). */
void commit_underflow(uint64_t pages) __attribute__((noreturn, cold));

/* 0, or -ENOMEM when pages more would pass the limit. Inline, as the
 * uncharge: every brk, mmap and munmap takes one. */
static inline int commit_charge(uint64_t pages)
{
	if (pages > commit_pages.limit - commit_pages.used)
		return -ENOMEM;
	commit_pages.used += pages;
	return 0;
}

static inline void commit_uncharge(uint64_t pages)
{
	if (__builtin_expect(pages > commit_pages.used, 0))
		commit_underflow(pages);
	commit_pages.used -= pages;
}

uint64_t commit_used(void);
uint64_t commit_limit(void);
void charged_page_missing(void) __attribute__((noreturn, cold));

/* A page for memory the caller has charged: the limit guarantees it, so
 * none free is a kernel bug (a panic). */
static inline phys_addr_t alloc_charged_page(void)
{
	phys_addr_t pa = alloc_pages(0);

	if (!pa)
		charged_page_missing();
	return pa;
}
#endif
