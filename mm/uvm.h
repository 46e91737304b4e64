/*
 * User page tables (TTBR0): building, changing and freeing the tables of a
 * struct mm. Page-table pages are charged to the commit limit and counted
 * in mm->charged, so a process's tables return with it.
 */
#ifndef BRAMBLE_UVM_H
#define BRAMBLE_UVM_H
#include "mm/vm.h"
#include "arch/arm64/cacheflush.h"     /* sync_icache */
#include "arch/arm64/pgtable-prot.h"   /* PTE_SW_OWNED, PTE_SW_NONE */

int uvm_init(struct mm *mm);
void uvm_free(struct mm *mm);
/* Makes the L2/L3 tables for [start, end): 0 or -ENOMEM (tables made so far stay). */
int uvm_prepare(struct mm *mm, uint64_t start, uint64_t end);
pte_t *uvm_pte(struct mm *mm, uint64_t va);        /* NULL when no table */
void uvm_install(struct mm *mm, uint64_t va, phys_addr_t pa, uint32_t prot, bool owned);
/* The same at entry e, va's entry (from uvm_pte): the entries of one L3
 * table are consecutive, so a walk over a range looks each table up once. */
void uvm_install_at(struct mm *mm, pte_t *e, uint64_t va, phys_addr_t pa, uint32_t prot,
		    bool owned);
void uvm_unmap(struct mm *mm, uint64_t start, uint64_t end);
void uvm_protect(struct mm *mm, uint64_t start, uint64_t end, uint32_t prot);
/* Moves entries [from, from+len) to [to, to+len); to's tables must exist. */
void uvm_move(struct mm *mm, uint64_t from, uint64_t to, uint64_t len);
/* The spans of one L3 and one L2 table: a mapping keeps the tables of its
 * spans, so their freeing is decided above, where the mappings are known. */
#define UVM_L3_SPAN (1UL << 21)
#define UVM_L2_SPAN (1UL << 30)
/* Frees the L3 table over va's 2 MiB span; the caller knows no mapping lies
 * in that span. */
void uvm_free_l3(struct mm *mm, uint64_t va);
/* Frees the L2 table over va's 1 GiB span and any L3 table under it; the
 * caller knows no mapping lies in that span. */
void uvm_free_l2(struct mm *mm, uint64_t va);
/* The first address with a page-table entry that wanted() disowns, or
 * UINT64_MAX: a full walk, for the invariant checker only. */
uint64_t uvm_first_stray(struct mm *mm, bool (*wanted)(struct mm *mm, uint64_t va));
/* Whether entry e lets EL0 make this access now. */
bool uvm_pte_allows(pte_t e, bool write, bool exec);
phys_addr_t pte_page(pte_t e);
phys_addr_t zero_page(void);
void zero_page_init(void);
#endif
