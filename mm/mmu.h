/*
 * The kernel's page tables (TTBR1) and the linear map. The descriptor bits
 * are arch/arm64/pgtable-hwdef.h's, the walker mm/pgtable.h's.
 */
#ifndef BRAMBLE_MMU_H
#define BRAMBLE_MMU_H
#include "lib/types.h"
#include "arch/arm64/memory.h"
#include "arch/arm64/pgtable-prot.h"
#include "mm/pgtable.h"

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)(PAGE_OFFSET + pa);
}

static inline phys_addr_t virt_to_phys(const void *va)
{
	return (uintptr_t)va - PAGE_OFFSET;
}

/* Records where the image was loaded (start.S passes the physical base). */
void mmu_set_image_base(phys_addr_t phys_base);
phys_addr_t kimage_to_phys(const void *kimage_va);
/* The kernel's translation table (TTBR1), for a CPU turning its MMU on. */
phys_addr_t mmu_kernel_root_phys(void);

/* Maps [pa, pa + size) at va in the tree rooted at the L1 table root, with
 * 2 MiB blocks where alignment allows when blocks is true. Page-table pages
 * come from pt_alloc_page(). Returns 0 or -1 (no page-table page; what was
 * mapped stays mapped). */
int map_range(pte_t *root, uint64_t va, phys_addr_t pa, uint64_t size,
	      uint64_t prot, bool blocks);

/* Device memory: maps size bytes at pa (Device-nGnRE, never executable)
 * and returns its kernel virtual address, or 0. Page-granular, cached by
 * nothing: call once per device. */
uintptr_t ioremap(phys_addr_t pa, uint64_t size);

/* Builds the final kernel tables: the linear map of every RAM range, the
 * image W^X from the linker's section symbols, and the MMIO already
 * ioremapped; then switches TTBR1 to them. */
void mmu_init_kernel(const struct phys_range *ram, int nram);

/* Page-table pages: a small static pool at boot, the page allocator once
 * mmu_use_page_allocator() has been called. Returns a zeroed table's kernel
 * virtual address, or NULL. */
pte_t *pt_alloc_page(void);
void mmu_use_page_allocator(void);
/* A kernel table's physical address and back: tables are in the image (the
 * boot pool, start.S's tables) or in the linear map. */
phys_addr_t table_to_phys(const pte_t *table);
pte_t *phys_to_table(phys_addr_t pa);

/* Kernel mappings made and removed after boot, page by page (the
 * kernel-stack area, kernel/kstack.c). The tables over [va, va + size) are made
 * once at boot by mmu_prepare_kernel_tables (-1: no memory), so that mapping
 * there never allocates: mmu_map_kernel_pages fails (-1) only outside them.
 * Unmapping flushes the TLBs of every CPU. */
int mmu_prepare_kernel_tables(uint64_t va, uint64_t size);
int mmu_map_kernel_pages(uint64_t va, phys_addr_t pa, uint64_t size, uint64_t prot);
void mmu_unmap_kernel_pages(uint64_t va, uint64_t size);

/* Walks the kernel's tables: every valid page or block must be UXN and not
 * EL0-accessible, and PXN unless it is read-only kernel text; the first that
 * is not is a panic naming its address. Run at boot with vm_check=on. */
void mmu_check_kernel_tables(void);

/* Statistics for the boot log. */
unsigned mmu_early_pool_used(void);
#endif
