/*
 * Page tables: 4 KiB granule, 39-bit VAs, three levels (L1 1 GiB, L2 2 MiB,
 * L3 4 KiB). One mapping routine serves the kernel (TTBR1) and user
 * address spaces (TTBR0).
 */
#ifndef BRAMBLE_MMU_H
#define BRAMBLE_MMU_H
#include "lib/types.h"
#include "arch/arm64/memory.h"

typedef uint64_t pte_t;

#define PTE_VALID      (1UL << 0)
#define PTE_TABLE      (3UL << 0)     /* L1/L2 table, L3 page */
#define PTE_BLOCK      (1UL << 0)
#define PTE_ATTR(i)    ((uint64_t)(i) << 2)
#define PTE_USER       (1UL << 6)     /* AP[1]: EL0 access */
#define PTE_RDONLY     (1UL << 7)     /* AP[2] */
#define PTE_SH_INNER   (3UL << 8)
#define PTE_AF         (1UL << 10)
#define PTE_NG         (1UL << 11)
#define PTE_PXN        (1UL << 53)
#define PTE_UXN        (1UL << 54)
#define PTE_ADDR_MASK  0x0000fffffffff000UL

/* Attribute sets. */
#define PROT_KERNEL_RW    (PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_PXN | PTE_UXN)
#define PROT_KERNEL_RO    (PROT_KERNEL_RW | PTE_RDONLY)
#define PROT_KERNEL_RX    (PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_RDONLY | PTE_UXN)
#define PROT_DEVICE       (PTE_ATTR(MT_DEVICE_nGnRE) | PTE_AF | PTE_PXN | PTE_UXN)

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
phys_addr_t table_to_phys(const pte_t *table);
pte_t *phys_to_table(phys_addr_t pa);

/* Statistics for the boot log. */
unsigned mmu_early_pool_used(void);
#endif
