/* Memory bring-up at boot: from the DT's ranges to working allocators. */
#include "mm/boot_mem.h"
#include "mm/memmap.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "mm/kheap.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "lib/printk.h"
#include "lib/panic.h"
#include <string.h>

#define MAX_RANGES (BI_MAX_MEM + BI_MAX_RSV + 8)

extern const char _text[], _end[];

static struct phys_range ram[BI_MAX_MEM];
static int nram;
static struct phys_range usable[MAX_RANGES];
static int nusable;
/* The initrd's whole pages in RAM that nothing else reserves: held by the
 * page allocator while its files are unpacked (boot_mem_hold_initrd), some
 * kept as the files' own pages (boot_mem_claim_initrd_pages), the others
 * freed once nothing reads the archive (boot_mem_release_initrd). */
static struct phys_range initrd_free[MAX_RANGES];
static int ninitrd_free;
static bool initrd_held;          /* initrd_free is in the allocator, allocated */
static uint64_t *initrd_claimed;  /* a bit per page of initrd_free, in order */
static uint64_t initrd_given_back; /* bytes freed early, when holding failed */

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
	/* A spin table's page: the other CPUs poll their release slots there
	 * (and the firmware's loop they run is usually in it) until started,
	 * and one that never starts polls it for good. */
	for (int i = 0; i < bi->ncpu; i++)
		if (bi->cpu[i].method == CPU_ENABLE_SPIN_TABLE && bi->cpu[i].release)
			rsv[n++] = (struct phys_range){ ALIGN_DOWN(bi->cpu[i].release, PAGE_SIZE),
							PAGE_SIZE };
	return n;
}

/* initrd_free: the initrd's whole pages, in RAM, minus the other n
 * reservations in rsv. RAM is the DT's, mem= or not: as Linux on arm64
 * (arm64_memblock_init), an initrd above the limit still gives its pages. */
static void find_initrd_pages(const struct boot_info *bi, const struct phys_range *rsv, int n)
{
	uint64_t s = ALIGN_UP(bi->initrd_start, PAGE_SIZE), e = ALIGN_DOWN(bi->initrd_end, PAGE_SIZE);
	struct phys_range in_ram[BI_MAX_MEM];
	int k = 0;

	ninitrd_free = 0;
	if (e <= s)
		return;
	for (int i = 0; i < bi->nmem; i++) {
		const struct phys_range *m = &bi->mem[i];
		uint64_t lo = m->base > s ? m->base : s;
		uint64_t hi = m->base + m->size < e ? m->base + m->size : e;
		if (lo < hi)
			in_ram[k++] = (struct phys_range){ lo, hi - lo };
	}
	/* A reservation of the initrd itself (U-Boot adds a /memreserve/ for
	 * it) does not keep its pages once unpacked, as on Linux. */
	struct phys_range others[BI_MAX_RSV + 4];
	int m = 0;
	for (int i = 0; i < n; i++)
		if (!(rsv[i].base >= ALIGN_DOWN(bi->initrd_start, PAGE_SIZE) &&
		      rsv[i].base + rsv[i].size <= ALIGN_UP(bi->initrd_end, PAGE_SIZE)))
			others[m++] = rsv[i];
	int got = memmap_subtract(in_ram, k, others, m, initrd_free, MAX_RANGES);
	ninitrd_free = got > 0 ? got : 0;
}

static uint64_t initrd_pages(void)
{
	return sum_ranges(initrd_free, ninitrd_free) >> PAGE_SHIFT;
}

/* The bit of pa in initrd_claimed: its index, and in *left the pages of
 * its range from it on; -1 if pa is no page of initrd_free. */
static int64_t initrd_page_index(phys_addr_t pa, uint64_t *left)
{
	uint64_t before = 0;

	for (int i = 0; i < ninitrd_free; i++) {
		const struct phys_range *r = &initrd_free[i];
		if (pa >= r->base && pa - r->base < r->size) {
			*left = (r->size - (pa - r->base)) >> PAGE_SHIFT;
			return (int64_t)(before + ((pa - r->base) >> PAGE_SHIFT));
		}
		before += r->size >> PAGE_SHIFT;
	}
	return -1;
}

static bool claimed(uint64_t k)
{
	return initrd_claimed[k / 64] & (1ULL << (k % 64));
}

/* A held zone could not be added (no room): the zones before it give
 * their pages back free, and leave initrd_free; the rest join the
 * allocator free at release, as without holding. */
static void give_back_held(int added)
{
	uint64_t pages = 0;

	for (int i = 0; i < added; i++) {
		for (uint64_t off = 0; off < initrd_free[i].size; off += PAGE_SIZE)
			free_pages(initrd_free[i].base + off, 0);
		pages += initrd_free[i].size >> PAGE_SHIFT;
	}
	commit_add_pages(pages);
	initrd_given_back = pages * PAGE_SIZE;
	ninitrd_free -= added;
	memmove(initrd_free, initrd_free + added, (size_t)ninitrd_free * sizeof(*initrd_free));
	kfree(initrd_claimed);
	initrd_claimed = NULL;
}

void boot_mem_hold_initrd(void)
{
	uint64_t words = (initrd_pages() + 63) / 64;

	if (!words || !(initrd_claimed = kalloc_boot(words * sizeof(uint64_t))))
		return;
	for (int i = 0; i < ninitrd_free; i++)
		if (page_alloc_add_zone_held(&initrd_free[i]) < 0) {
			give_back_held(i);
			return;
		}
	commit_add_pages(initrd_pages());
	initrd_held = true;
}

uint64_t boot_mem_claim_initrd_pages(phys_addr_t pa, uint64_t n)
{
	uint64_t left = 0, got = 0;
	int64_t k = initrd_held ? initrd_page_index(pa, &left) : -1;

	if (k < 0)
		return 0;
	for (; got < n && got < left && !claimed((uint64_t)k + got); got++)
		initrd_claimed[(k + got) / 64] |= 1ULL << ((k + got) % 64);
	return got;
}

void boot_mem_unclaim_initrd_pages(phys_addr_t pa, uint64_t n)
{
	uint64_t left = 0;
	int64_t k = n && initrd_held ? initrd_page_index(pa, &left) : -1;

	for (uint64_t j = 0; k >= 0 && j < n && j < left; j++)
		initrd_claimed[(k + j) / 64] &= ~(1ULL << ((k + j) % 64));
}

/* Frees the held pages no file kept: the bytes freed. */
static uint64_t free_unclaimed(void)
{
	uint64_t k = 0, freed = 0;

	for (int i = 0; i < ninitrd_free; i++)
		for (uint64_t off = 0; off < initrd_free[i].size; off += PAGE_SIZE, k++)
			if (!claimed(k)) {
				free_pages(initrd_free[i].base + off, 0);
				freed += PAGE_SIZE;
			}
	return freed;
}

uint64_t boot_mem_release_initrd(void)
{
	uint64_t pages = 0, freed;

	if (initrd_held) {
		freed = free_unclaimed();
		kfree(initrd_claimed);
		initrd_claimed = NULL;
		initrd_held = false;
		ninitrd_free = 0;
		return freed;
	}
	for (int i = 0; i < ninitrd_free; i++)
		if (page_alloc_add_zone(&initrd_free[i]) == 0)
			pages += initrd_free[i].size >> PAGE_SHIFT;
	ninitrd_free = 0;
	commit_add_pages(pages);
	return pages * PAGE_SIZE + initrd_given_back;
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
	printk("Kernel heap: %luK (owner map %luK); page metadata: %luK; boot page tables: %u\n",
	       (unsigned long)(kheap_size >> 10),
	       (unsigned long)(kheap_owner_map_size(kheap_size) >> 10),
	       (unsigned long)(meta_size >> 10), mmu_early_pool_used());
}

void boot_mem_init(const struct boot_info *bi, const struct bootargs *ba)
{
	struct phys_range rsv[BI_MAX_RSV + BI_MAX_CPUS + 4];
	int nrsv;
	uint64_t kheap_size = ALIGN_UP(ba->kheap_size, PAGE_SIZE);

	take_ram(bi, ba->mem_limit);
	nrsv = collect_reservations(bi, rsv);
	find_initrd_pages(bi, rsv, nrsv);
	if (bi->initrd_end > bi->initrd_start)
		rsv[nrsv++] = (struct phys_range){ bi->initrd_start, bi->initrd_end - bi->initrd_start };
	nusable = memmap_subtract(ram, nram, rsv, nrsv, usable, MAX_RANGES);
	if (nusable <= 0)
		panic("no usable memory after reservations");

	/* The linear map covers all of the DT's memory, mem= or not: the initrd
	 * and the DTB may lie above the limit. */
	mmu_init_kernel(bi->mem, bi->nmem);

	/* Metadata is sized for the ranges before carving: carving only shrinks. */
	struct phys_range all[2 * MAX_RANGES];
	int nall = 0;
	for (int i = 0; i < nusable; i++)
		all[nall++] = usable[i];
	for (int i = 0; i < ninitrd_free && nall < PAGE_MAX_ZONES; i++)
		all[nall++] = initrd_free[i];
	size_t meta_size = ALIGN_UP(page_alloc_meta_size(all, nall) + PAGE_SIZE, PAGE_SIZE);
	void *meta = carve_or_panic(meta_size, "page allocator metadata");
	void *heap = carve_or_panic(kheap_size, "kernel heap (kheap=)");
	/* Outside the heap, so kheap= stays the heap's whole size. */
	size_t owners_size = ALIGN_UP(kheap_owner_map_size(kheap_size), PAGE_SIZE);
	void *owners = carve_or_panic(owners_size, "kernel heap owner map");

	if (page_alloc_init(usable, nusable, meta, meta_size) < 0)
		panic("page allocator rejected the memory map");
	kheap_init(heap, kheap_size);
	alloc_sites_init();
	kheap_track_owners(owners);
	mmu_use_page_allocator();
	zero_page_init();
	log_memory(kheap_size, meta_size);

	struct page_stats st;
	page_alloc_stats(&st);
	commit_init(st.free_pages);
	printk("Commit limit: %luK of %luK free (no overcommit)\n",
	       (unsigned long)(commit_limit() * (PAGE_SIZE >> 10)),
	       (unsigned long)(st.free_pages * (PAGE_SIZE >> 10)));
	page_alloc_hot_cache(true);
}
