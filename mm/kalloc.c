/* Where allocator failures become kernel panics, and only here. */
#include "mm/kalloc.h"
#include "mm/page_alloc.h"
#include "kernel/oom_dump.h"
#include "kernel/panic.h"

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
