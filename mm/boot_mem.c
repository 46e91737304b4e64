/* Memory bring-up at boot: from the DT's ranges to working allocators. */
#include "mm/boot_mem.h"
#include "mm/memmap.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "mm/kheap.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "lib/printk.h"
#include "lib/panic.h"

#define MAX_RANGES (BI_MAX_MEM + BI_MAX_RSV + 8)

extern const char _text[], _end[];

static struct phys_range ram[BI_MAX_MEM];
static int nram;
static struct phys_range usable[MAX_RANGES];
static int nusable;

/* mem=SIZE: keep the lowest SIZE bytes of RAM, as Linux does. */
static void take_ram(const struct boot_info *bi, uint64_t limit)
{
	uint64_t left = limit ? limit : UINT64_MAX;

	nram = 0;
	for (int i = 0; i < bi->nmem && left; i++) {
		ram[nram] = bi->mem[i];
		if (ram[nram].size > left)
			ram[nram].size = ALIGN_DOWN(left, PAGE_SIZE);
		left -= ram[nram].size;
		if (ram[nram].size)
			nram++;
	}
}

static uint64_t sum_ranges(const struct phys_range *r, int n)
{
	uint64_t s = 0;

	for (int i = 0; i < n; i++)
		s += r[i].size;
	return s;
}

/* Everything the page allocator must never hand out. */
static int collect_reservations(const struct boot_info *bi, struct phys_range *rsv)
{
	int n = 0;

	for (int i = 0; i < bi->nrsv; i++)
		rsv[n++] = bi->rsv[i];
	rsv[n++] = (struct phys_range){ kimage_to_phys(_text), _end - _text };
	rsv[n++] = (struct phys_range){ bi->dtb_phys, bi->dtb_size };
	if (bi->initrd_end > bi->initrd_start)
		rsv[n++] = (struct phys_range){ bi->initrd_start,
						bi->initrd_end - bi->initrd_start };
	return n;
}

static void *carve_or_panic(uint64_t size, const char *what)
{
	phys_addr_t pa = memmap_carve(usable, &nusable, MAX_RANGES, size, PAGE_SIZE);

	if (!pa)
		panic("cannot find %lu KiB of contiguous memory for the %s",
		      (unsigned long)(size >> 10), what);
	return phys_to_virt(pa);
}

static void log_memory(uint64_t kheap_size, size_t meta_size)
{
	struct page_stats st;
	uint64_t total = sum_ranges(ram, nram);
	uint64_t kernel = ALIGN_UP((uint64_t)(_end - _text), PAGE_SIZE);

	page_alloc_stats(&st);
	uint64_t avail = st.free_pages * PAGE_SIZE;
	printk("Memory: %luK/%luK available (%luK kernel, %luK reserved)\n",
	       (unsigned long)(avail >> 10), (unsigned long)(total >> 10),
	       (unsigned long)(kernel >> 10),
	       (unsigned long)((total - avail - kernel) >> 10));
	printk("Kernel heap: %luK; page metadata: %luK; boot page tables: %u\n",
	       (unsigned long)(kheap_size >> 10), (unsigned long)(meta_size >> 10),
	       mmu_early_pool_used());
}

void boot_mem_init(const struct boot_info *bi, const struct bootargs *ba)
{
	struct phys_range rsv[BI_MAX_RSV + 4];
	int nrsv;
	uint64_t kheap_size = ALIGN_UP(ba->kheap_size, PAGE_SIZE);

	take_ram(bi, ba->mem_limit);
	nrsv = collect_reservations(bi, rsv);
	nusable = memmap_subtract(ram, nram, rsv, nrsv, usable, MAX_RANGES);
	if (nusable <= 0)
		panic("no usable memory after reservations");

	/* The linear map covers all of the DT's memory, mem= or not: the initrd
	 * and the DTB may lie above the limit. */
	mmu_init_kernel(bi->mem, bi->nmem);

	/* Metadata is sized for the ranges before carving: carving only shrinks. */
	size_t meta_size = ALIGN_UP(page_alloc_meta_size(usable, nusable) + PAGE_SIZE, PAGE_SIZE);
	void *meta = carve_or_panic(meta_size, "page allocator metadata");
	void *heap = carve_or_panic(kheap_size, "kernel heap (kheap=)");

	if (page_alloc_init(usable, nusable, meta, meta_size) < 0)
		panic("page allocator rejected the memory map");
	kheap_init(heap, kheap_size);
	mmu_use_page_allocator();
	zero_page_init();
	log_memory(kheap_size, meta_size);

	struct page_stats st;
	page_alloc_stats(&st);
	commit_init(st.free_pages);
	printk("Commit limit: %luK of %luK free (no overcommit)\n",
	       (unsigned long)(commit_limit() * (PAGE_SIZE >> 10)),
	       (unsigned long)(st.free_pages * (PAGE_SIZE >> 10)));
}
