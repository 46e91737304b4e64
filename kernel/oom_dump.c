/*
 * The one out-of-memory condition that stops Bramble: the kernel's own heap
 * is exhausted for an allocation it cannot do without. The dump tells a
 * reader, without a debugger, what was asked for, by whom, and the state of
 * both allocators (after Linux's warn_alloc and show_mem).
 */
#include "lib/panic.h"
#include "kernel/panic.h"
#include "lib/printk.h"
#include "kernel/ksyms.h"
#include "mm/kheap.h"
#include "mm/page_alloc.h"
#include "mm/alloc_site.h"

#define TOP_HOLDERS 10

static void print_caller(uintptr_t caller)
{
	uintptr_t off;
	const char *name = ksym_lookup(caller - 4, &off);

	if (name)
		kprintf("%s+0x%lx", name, (unsigned long)off);
	else
		kprintf("0x%lx", (unsigned long)caller);
}

static unsigned percent(size_t part, size_t whole)
{
	return whole ? (unsigned)(part * 100 / whole) : 0;
}

static void dump_kheap(void)
{
	struct kheap_stats h;

	kheap_stats(&h);
	kprintf("  kheap: %lu total, %lu used (%u%%), %lu free, largest free block %lu, "
		"%lu live allocations\n",
		(unsigned long)h.total, (unsigned long)h.used, percent(h.used, h.total),
		(unsigned long)h.free, (unsigned long)h.largest_free, (unsigned long)h.live);
	kprintf("    size classes (in use / free):");
	for (int i = 0; i < KHEAP_NCLASSES; i++)
		kprintf(" %lu:%lu/%lu", (unsigned long)h.class_size[i],
			(unsigned long)h.class_in_use[i], (unsigned long)h.class_free[i]);
	kprintf("\n");
}

/* Who holds the heap: the call sites with the most bytes live (as Linux's
 * slab_owner would tell), from the heap's owner tags. */
static void dump_holders(void)
{
	struct alloc_holder top[TOP_HOLDERS];
	size_t n = alloc_heap_holders(top, TOP_HOLDERS);

	kprintf("  top %lu kernel heap holders (bytes, objects, call site):\n", (unsigned long)n);
	for (size_t i = 0; i < n; i++) {
		kprintf("    %8lu %6lu  ", (unsigned long)top[i].bytes, (unsigned long)top[i].count);
		if (top[i].site)
			kprintf("%s (%s:%u)\n", top[i].site->func, top[i].site->file,
				(unsigned)top[i].site->line);
		else
			kprintf("%s\n", top[i].tag ? "(sites past the last tag)" : "(untagged)");
	}
}

static void dump_pages(void)
{
	struct page_stats p;

	page_alloc_stats(&p);
	kprintf("  pages: %lu total, %lu free (%lu KiB); free blocks by order",
		(unsigned long)p.total_pages, (unsigned long)p.free_pages,
		(unsigned long)(p.free_pages * (PAGE_SIZE >> 10)));
	for (int o = 0; o <= PAGE_MAX_ORDER; o++)
		kprintf(" %d:%lu", o, (unsigned long)p.free_blocks[o]);
	kprintf("\n");
}

void oom_panic(size_t size, size_t align, uintptr_t caller)
{
	struct trap_frame tf;

	save_current_regs(&tf);
	panic_begin();
	kprintf("KERNEL PANIC: kernel heap exhausted\n");
	kprintf("  request: %lu bytes, align %lu, from ", (unsigned long)size,
		(unsigned long)align);
	print_caller(caller);
	kprintf("\n");
	dump_kheap();
	dump_holders();
	dump_pages();
	panic_dump_regs(&tf);
	panic_backtrace((uintptr_t)__builtin_return_address(0) - 4,
			CALLER_FP());
	panic_end();
}
