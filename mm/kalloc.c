/* Where allocator failures become kernel panics, and only here. */
#include "mm/kalloc.h"
#include "mm/page_alloc.h"
#include "lib/panic.h"
#include "mm/mmu.h"
#include <string.h>
#include "arch/arm64/page.h"

/* noinline: the dump names this function as frame #0 and the caller next. */
__attribute__((noinline))
void *kmalloc_or_panic(size_t size, size_t align)
{
	void *p = kmalloc_aligned(size, align);

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

/* The fault-injection point shared by every fallible allocation. */
static bool injected_failure(void)
{
	return ++alloc_seq == fail_nth;
}

void *kalloc(size_t size)
{
	if (injected_failure())
		return NULL;
	return kzalloc(size);
}

void *kalloc_uninit(size_t size)
{
	if (injected_failure())
		return NULL;
	return kmalloc(size);
}

void *kalloc_pages(unsigned order)
{
	if (injected_failure())
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
