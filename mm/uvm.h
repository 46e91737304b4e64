/*
 * User page tables (TTBR0): building, changing and freeing the tables of a
 * struct mm. Tables are made when a page is installed, from the charge the
 * VMA layer took for every table its mappings could need (mm->pt_charged);
 * range operations cost what the tables hold, not the range's length.
 */
#ifndef BRAMBLE_UVM_H
#define BRAMBLE_UVM_H
#include "mm/vm.h"
#include "arch/arm64/cacheflush.h"     /* sync_icache */
#include "arch/arm64/pgtable-prot.h"   /* PTE_SW_OWNED, PTE_SW_NONE */
#include "arch/arm64/tlbflush.h"       /* flush_tlb_page */

/* The spans of one L3 and one L2 table: the tables of spans a range covers
 * only in part are freed by the VMA layer, where the mappings are known. */
#define UVM_L3_SPAN (1UL << 21)
#define UVM_L2_SPAN (1UL << 30)

int uvm_init(struct mm *mm);
/* The last tables and the ASID of an address space whose mappings are
 * gone (uvm_unmap_unused, uvm_drop_l3_unused over each). */
void uvm_free(struct mm *mm);
/* The walks of the two lookups below, for a span other than the hint's. */
pte_t *uvm_pte_walk(struct mm *mm, uint64_t va);
pte_t *uvm_pte_alloc_walk(struct mm *mm, uint64_t va);

/* va's entry in the L3 table of the last lookup (mm->l3_hint), or NULL
 * when that table maps another span. */
static inline pte_t *uvm_pte_hinted(const struct mm *mm, uint64_t va)
{
	if (mm->l3_hint && mm->l3_hint_va == (va & ~(UVM_L3_SPAN - 1)))
		return &mm->l3_hint[(va >> PAGE_SHIFT) & (UVM_L3_SPAN / PAGE_SIZE - 1)];
	return NULL;
}

/* va's entry, or NULL when no table. Faults come in runs over one span (a
 * loop touching a buffer), and an unmap or a lookup follows the faults of
 * its span (a brk shrink after the touch): the hint answers those inline. */
static inline pte_t *uvm_pte(struct mm *mm, uint64_t va)
{
	pte_t *e = uvm_pte_hinted(mm, va);
	return e ? e : uvm_pte_walk(mm, va);
}

/* va's entry, its tables made from the mm's table charge if missing. */
static inline pte_t *uvm_pte_alloc(struct mm *mm, uint64_t va)
{
	pte_t *e = uvm_pte_hinted(mm, va);
	return e ? e : uvm_pte_alloc_walk(mm, va);
}
void uvm_install(struct mm *mm, uint64_t va, phys_addr_t pa, uint32_t prot, bool owned);

static inline phys_addr_t pte_page(pte_t e)
{
	return e & PTE_ADDR_MASK;
}

/* The page read faults in never-written private memory map (set once by
 * zero_page_init, read-only everywhere). */
extern phys_addr_t uvm_zero_pa;
static inline phys_addr_t zero_page(void)
{
	return uvm_zero_pa;
}
void zero_page_init(void);

/* The entry mapping pa with prot (owned: the mapping holds a reference). */
static inline pte_t uvm_make_pte(phys_addr_t pa, uint32_t prot, bool owned)
{
	pte_t e = pa | (owned ? PTE_SW_OWNED : 0);

	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return e | PTE_SW_NONE;
	e |= PTE_PAGE | PROT_USER;
	/* The zero page is never writable, whatever the mapping allows. */
	if (!(prot & PROT_WRITE) || pa == uvm_zero_pa)
		e |= PTE_RDONLY;
	if (!(prot & PROT_EXEC))
		e |= PTE_UXN;
	return e;
}

/* uvm_install at entry e, va's entry (from uvm_pte): the entries of one L3
 * table are consecutive, so a walk over a range looks each table up once.
 * Inline: every demand fault ends here. */
static inline void uvm_install_at(struct mm *mm, pte_t *e, uint64_t va, phys_addr_t pa,
				  uint32_t prot, bool owned)
{
	bool was_valid = *e & PTE_VALID;

	*e = uvm_make_pte(pa, prot, owned);
	if (was_valid)
		flush_tlb_page(mm->asid, va);
	else
		dsb(ishst);
}
/* Removes the entries of [start, end), freeing the pages they own, and the
 * tables of the 2 MiB and 1 GiB spans the range covers whole. */
void uvm_unmap(struct mm *mm, uint64_t start, uint64_t end);
/* The same in an address space no CPU will run again (vm_put): no TLB
 * flush, as uvm_free flushes the ASID once. */
void uvm_unmap_unused(struct mm *mm, uint64_t start, uint64_t end);
/* Then the L3 tables over [start, end), all empty now (checked with
 * vm_check=on), in such an address space. */
void uvm_drop_l3_unused(struct mm *mm, uint64_t start, uint64_t end);
/* New protection for the entries of [start, end); a page shared
 * copy-on-write stays read-only. */
void uvm_protect(struct mm *mm, uint64_t start, uint64_t end, uint32_t prot);
/* Moves entries [from, from+len) to [to, to+len) (disjoint). */
void uvm_move(struct mm *mm, uint64_t from, uint64_t to, uint64_t len);
/* fork: child gets parent's entries over [start, end); pages the parent
 * owns are shared copy-on-write (read-only in both, a reference each). */
void uvm_share(struct mm *child, struct mm *parent, uint64_t start, uint64_t end);
/* Whether an L3 (L2) table covers va's 2 MiB (1 GiB) span. */
bool uvm_has_l3(struct mm *mm, uint64_t va);
bool uvm_has_l2(struct mm *mm, uint64_t va);
/* Frees the L3 table over va's 2 MiB span; the caller knows no mapping
 * with tables lies in that span. */
void uvm_free_l3(struct mm *mm, uint64_t va);
/* Frees the L2 table over va's 1 GiB span and any L3 table under it; the
 * caller knows no mapping lies in that span. */
void uvm_free_l2(struct mm *mm, uint64_t va);
/* The first address with a page-table entry that wanted() disowns, or
 * UINT64_MAX: a full walk, for the invariant checker only. */
uint64_t uvm_first_stray(struct mm *mm, bool (*wanted)(struct mm *mm, uint64_t va));
/* The first address whose valid entry lets EL1 execute it (no PXN), or
 * UINT64_MAX: a full walk, for the invariant checker only. */
uint64_t uvm_first_kernel_executable(struct mm *mm);
/* The tables that exist, counted by a full walk (the invariant checker). */
uint64_t uvm_count_tables(struct mm *mm);
/* Whether entry e lets EL0 make this access now. */
bool uvm_pte_allows(pte_t e, bool write, bool exec);
#endif
