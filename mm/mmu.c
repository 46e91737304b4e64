/* Kernel page tables: early ioremap, the linear map and the W^X image map. */
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "lib/panic.h"
#include "arch/arm64/mmu_context.h"
#include "arch/arm64/tlbflush.h"
#include <string.h>

#define EARLY_PT_POOL 48   /* tables before the page allocator exists */

extern pte_t swapper_l1[];
extern const char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];
extern const char boot_stack_guard[];   /* boot/start.S: BOOT_STACK_SIZE, never mapped */

static phys_addr_t image_phys_base;
static pte_t *kernel_root = swapper_l1;
static bool use_page_allocator;
static pte_t early_pool[EARLY_PT_POOL][PTRS_PER_TABLE] __attribute__((aligned(4096)));
static unsigned early_pool_used;
static uintptr_t ioremap_next = IOREMAP_BASE;

void mmu_set_image_base(phys_addr_t phys_base)
{
	image_phys_base = phys_base;
}

phys_addr_t kimage_to_phys(const void *kimage_va)
{
	return (uintptr_t)kimage_va - KIMAGE_VADDR + image_phys_base;
}

static bool in_kimage(uintptr_t va)
{
	return va >= KIMAGE_VADDR;
}

/* Tables live either in the image (the boot pool, start.S's tables) or in
 * pages from the page allocator, reached through the linear map. */
phys_addr_t table_to_phys(const pte_t *table)
{
	uintptr_t va = (uintptr_t)table;
	return in_kimage(va) ? kimage_to_phys(table) : virt_to_phys(table);
}

pte_t *phys_to_table(phys_addr_t pa)
{
	/* From _text: the TEXT_OFFSET below it is RAM the allocator hands out. */
	phys_addr_t img_start = kimage_to_phys(_text);
	phys_addr_t img_end = kimage_to_phys(_end);

	if (pa >= img_start && pa < img_end)
		return (pte_t *)(uintptr_t)(pa - image_phys_base + KIMAGE_VADDR);
	return phys_to_virt(pa);
}

void mmu_use_page_allocator(void)
{
	use_page_allocator = true;
}

unsigned mmu_early_pool_used(void)
{
	return early_pool_used;
}

pte_t *pt_alloc_page(void)
{
	pte_t *t;

	if (use_page_allocator) {
		phys_addr_t pa = alloc_pages(0);
		if (!pa)
			return NULL;
		t = phys_to_virt(pa);
	} else {
		if (early_pool_used == EARLY_PT_POOL)
			return NULL;
		t = early_pool[early_pool_used++];
	}
	memset(t, 0, PAGE_SIZE);
	return t;
}

static const struct pt_ops kernel_pt = { .table = phys_to_table, .phys = table_to_phys };

static pte_t *kernel_table_alloc(void *unused)
{
	(void)unused;
	return pt_alloc_page();
}

int map_range(pte_t *root, uint64_t va, phys_addr_t pa, uint64_t size,
	      uint64_t prot, bool blocks)
{
	uint64_t end = va + size;

	while (va < end) {
		pte_t *e2 = pt_walk(&kernel_pt, root, va, 2, kernel_table_alloc, NULL);
		if (!e2)
			return -1;
		if (blocks && !(va & (L2_SIZE - 1)) && !(pa & (L2_SIZE - 1)) &&
		    end - va >= L2_SIZE && !(*e2 & PTE_VALID)) {
			*e2 = pa | prot | PTE_BLOCK;
			va += L2_SIZE;
			pa += L2_SIZE;
			continue;
		}
		pte_t *l3 = pt_next(&kernel_pt, e2, kernel_table_alloc, NULL);
		if (!l3)
			return -1;
		l3[pt_index(va, 3)] = pa | prot | PTE_PAGE;
		va += PAGE_SIZE;
		pa += PAGE_SIZE;
	}
	dsb(ishst);
	isb();
	return 0;
}

uintptr_t ioremap(phys_addr_t pa, uint64_t size)
{
	phys_addr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t len = ALIGN_UP(pa + size, PAGE_SIZE) - base;
	uintptr_t va = ioremap_next;

	if (!size || len > IOREMAP_BASE + IOREMAP_SIZE - va)
		return 0;
	if (map_range(kernel_root, va, base, len, PROT_DEVICE, false) < 0)
		return 0;
	ioremap_next += len + PAGE_SIZE;   /* a guard page between devices */
	return va + (pa - base);
}

/* The image, section by section: text RX, rodata RO, data and BSS RW but
 * for the boot stack's guard, left out. */
static void map_image_wx(pte_t *root)
{
	const struct {
		const char *start, *end;
		uint64_t prot;
	} parts[] = {
		{ _text, _etext, PROT_KERNEL_RX },
		{ _rodata, _erodata, PROT_KERNEL_RO },
		{ _data, boot_stack_guard, PROT_KERNEL_RW },
		{ boot_stack_guard + BOOT_STACK_SIZE, _end, PROT_KERNEL_RW },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(parts); i++) {
		uintptr_t s = (uintptr_t)parts[i].start, e = (uintptr_t)parts[i].end;
		if (map_range(root, s, kimage_to_phys(parts[i].start), e - s,
			      parts[i].prot, false) < 0)
			panic("no page tables for the kernel image");
	}
}

/* RAM at PAGE_OFFSET + pa, never executable; the image's own alias read-only. */
static void map_linear(pte_t *root, const struct phys_range *ram, int nram)
{
	phys_addr_t img_s = kimage_to_phys(_text), img_e = kimage_to_phys(_end);

	for (int i = 0; i < nram; i++) {
		phys_addr_t s = ram[i].base, e = ram[i].base + ram[i].size;
		int err = 0;

		if (img_s < e && img_e > s) {
			err |= map_range(root, PAGE_OFFSET + s, s, img_s - s, PROT_KERNEL_RW, true);
			err |= map_range(root, PAGE_OFFSET + img_s, img_s, img_e - img_s,
					 PROT_KERNEL_RO, true);
			err |= map_range(root, PAGE_OFFSET + img_e, img_e, e - img_e,
					 PROT_KERNEL_RW, true);
		} else {
			err = map_range(root, PAGE_OFFSET + s, s, e - s, PROT_KERNEL_RW, true);
		}
		if (err)
			panic("no page tables for the linear map");
	}
}

phys_addr_t mmu_kernel_root_phys(void)
{
	return table_to_phys(kernel_root);
}

void mmu_init_kernel(const struct phys_range *ram, int nram)
{
	pte_t *root = pt_alloc_page();

	if (!root)
		panic("no page table for the kernel root");
	map_linear(root, ram, nram);
	map_image_wx(root);
	/* Devices ioremapped so far keep their tables. */
	for (unsigned i = pt_index(IOREMAP_BASE, 1);
	     i <= pt_index(IOREMAP_BASE + IOREMAP_SIZE - 1, 1); i++)
		root[i] = kernel_root[i];

	cpu_replace_ttbr1(table_to_phys(root));
	kernel_root = root;
}

/* ---- mappings made after boot: the kernel-stack area ------------------------ */

int mmu_prepare_kernel_tables(uint64_t va, uint64_t size)
{
	for (uint64_t a = ALIGN_DOWN(va, L2_SIZE); a < va + size; a += L2_SIZE) {
		pte_t *e2 = pt_walk(&kernel_pt, kernel_root, a, 2, kernel_table_alloc, NULL);
		if (!e2 || !pt_next(&kernel_pt, e2, kernel_table_alloc, NULL))
			return -1;
	}
	dsb(ishst);
	return 0;
}

/* The last-level entry of va, in tables mmu_prepare_kernel_tables made. */
static pte_t *kernel_pte(uint64_t va)
{
	pte_t *e2 = pt_walk(&kernel_pt, kernel_root, va, 2, NULL, NULL);
	pte_t *l3 = e2 && (*e2 & PTE_TYPE_MASK) == PTE_TABLE ? pt_next(&kernel_pt, e2, NULL, NULL)
							     : NULL;
	return l3 ? &l3[pt_index(va, 3)] : NULL;
}

int mmu_map_kernel_pages(uint64_t va, phys_addr_t pa, uint64_t size, uint64_t prot)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		if (!kernel_pte(va + off))
			return -1;
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		*kernel_pte(va + off) = (pa + off) | prot | PTE_PAGE;
	/* The entries were invalid and flushed when unmapped: no TLB holds them. */
	dsb(ishst);
	isb();
	return 0;
}

void mmu_unmap_kernel_pages(uint64_t va, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		pte_t *e = kernel_pte(va + off);
		if (e)
			*e = 0;
	}
	flush_tlb_kernel_range(va, va + size);
}

/* ---- the kernel's tables checked ------------------------------------------- */

/* One leaf (a page or a block of size bytes at va): never EL0's, never
 * executable by EL0 (UXN), executable by EL1 only inside the text, which is
 * read-only (W^X). */
static void check_kernel_leaf(uint64_t va, uint64_t size, pte_t e)
{
	uintptr_t text_s = (uintptr_t)_text, text_e = (uintptr_t)_etext;

	if (e & PTE_USER)
		panic("kernel tables: the page at %lx is accessible to EL0", (unsigned long)va);
	if (!(e & PTE_UXN))
		panic("kernel tables: the page at %lx is executable by EL0 (no UXN)",
		      (unsigned long)va);
	if (e & PTE_PXN)
		return;
	if (va < text_s || va + size > text_e)
		panic("kernel tables: the page at %lx outside the kernel text is executable (no PXN)",
		      (unsigned long)va);
	if (!(e & PTE_RDONLY))
		panic("kernel tables: the text page at %lx is writable and executable",
		      (unsigned long)va);
}

/* The entries of the table t at level, over the VA from base; blocks and
 * pages are leaves. */
static void check_kernel_table(const pte_t *t, int level, uint64_t base)
{
	for (unsigned i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t e = t[i];
		uint64_t va = base + ((uint64_t)i << PT_LEVEL_SHIFT(level));
		if (!(e & PTE_VALID))
			continue;
		if (level < 3 && (e & PTE_TYPE_MASK) == PTE_TABLE)
			check_kernel_table(pt_table(&kernel_pt, e), level + 1, va);
		else
			check_kernel_leaf(va, 1UL << PT_LEVEL_SHIFT(level), e);
	}
}

void mmu_check_kernel_tables(void)
{
	/* TTBR1's VA range: the top 2^VA_BITS bytes. */
	check_kernel_table(kernel_root, 1, ~0UL << VA_BITS);
}
