/*
 * The kernel's allocation entry points: where allocator failures become
 * kernel panics (and only here), and where failures are injected.
 */
#include "mm/kalloc.h"
#include "mm/page_alloc.h"
#include "lib/panic.h"
#include "mm/mmu.h"
#include <string.h>
#include "arch/arm64/page.h"

/* noinline: the dump names this function as frame #0 and the caller next. */
__attribute__((noinline))
void *kmalloc_or_panic_at(size_t size, size_t align, struct alloc_site *site)
{
	void *p = kmalloc_tagged(size, align, site->tag);

	if (!p)
		oom_panic(size, align ? align : KHEAP_MIN_ALIGN,
			  (uintptr_t)__builtin_return_address(0));
	return p;
}

void page_alloc_bug(const char *what, phys_addr_t pa)
{
	panic("page allocator: %s: page 0x%lx", what, (unsigned long)pa);
}

void kheap_bug(const char *what, const void *p)
{
	panic("kernel heap: %s: %p", what, p);
}

static uint64_t fail_nth, alloc_seq;

void fail_alloc_set(uint64_t nth)
{
	fail_nth = nth;
	alloc_seq = 0;
}

/* The task's own count first (Linux's fail-nth: the N-th call fails and the
 * count is then 0), then fail_alloc='s count over every task. */
static bool should_fail(struct alloc_site *site)
{
	uint32_t *nth = alloc_fail_nth_of_current();
	bool fail = false;

	if (nth && *nth)
		fail = --*nth == 0;
	if (++alloc_seq == fail_nth)
		fail = true;
	if (fail)
		__atomic_fetch_add(&site->injected, 1, __ATOMIC_RELAXED);
	return fail;
}

void *kalloc_at(size_t size, struct alloc_site *site)
{
	if (site->kind != ALLOC_BOOT && should_fail(site))
		return NULL;
	void *p = kmalloc_tagged(size, KHEAP_MIN_ALIGN, site->tag);
	if (p)
		memset(p, 0, size);
	return p;
}

void *kalloc_uninit_at(size_t size, struct alloc_site *site)
{
	if (should_fail(site))
		return NULL;
	return kmalloc_tagged(size, KHEAP_MIN_ALIGN, site->tag);
}

void *kalloc_uninit_reuse_at(void *spare, size_t size, struct alloc_site *site)
{
	if (should_fail(site))
		return NULL;
	return spare ? spare : kmalloc_tagged(size, KHEAP_MIN_ALIGN, site->tag);
}

void *kalloc_pages_at(unsigned order, struct alloc_site *site)
{
	if (site->kind != ALLOC_BOOT && should_fail(site))
		return NULL;
	phys_addr_t pa = alloc_pages(order);
	if (!pa)
		return NULL;
	void *va = phys_to_virt(pa);
	for (unsigned i = 0; i < (1u << order); i++)
		clear_page((char *)va + i * PAGE_SIZE);
	return va;
}

void kfree_pages(void *va, unsigned order)
{
	if (va)
		free_pages(virt_to_phys(va), order);
}
