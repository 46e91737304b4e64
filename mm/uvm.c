/* User page tables: 3 levels, 4 KiB pages, one ASID per address space. */
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "mm/page_alloc.h"
#include "lib/uapi/errno.h"
#include "lib/panic.h"
#include <string.h>
#include "arch/arm64/page.h"
#include "arch/arm64/tlbflush.h"

#define NR_ASIDS 4096

static uint64_t asid_map[NR_ASIDS / 64];
static phys_addr_t the_zero_page;

/* Read faults in never-written private memory map this one page. */
void zero_page_init(void)
{
	the_zero_page = alloc_pages(0);
	if (!the_zero_page)
		panic("no page for the zero page");
	clear_page(phys_to_virt(the_zero_page));
}

phys_addr_t zero_page(void)
{
	return the_zero_page;
}

phys_addr_t pte_page(pte_t e)
{
	return e & PTE_ADDR_MASK;
}

static int asid_alloc(void)
{
	for (int i = 1; i < NR_ASIDS; i++)
		if (!(asid_map[i / 64] & (1UL << (i % 64)))) {
			asid_map[i / 64] |= 1UL << (i % 64);
			return i;
		}
	return -1;
}

/* User tables are page-allocator pages, reached through the linear map. */
static pte_t *user_table(phys_addr_t pa)
{
	return phys_to_virt(pa);
}

static phys_addr_t user_table_phys(const pte_t *t)
{
	return virt_to_phys(t);
}

static const struct pt_ops user_pt = { .table = user_table, .phys = user_table_phys };

/* A zeroed table page, charged to the process. */
static pte_t *table_alloc(void *arg)
{
	struct mm *mm = arg;

	if (commit_charge(1) < 0)
		return NULL;
	pte_t *t = kalloc_pages(0);
	if (!t) {
		commit_uncharge(1);
		return NULL;
	}
	mm->charged++;
	mm->pt_pages++;
	return t;
}

static void table_free(struct mm *mm, pte_t *t)
{
	kfree_pages(t, 0);
	commit_uncharge(1);
	mm->charged--;
	mm->pt_pages--;
}

int uvm_init(struct mm *mm)
{
	int asid = asid_alloc();

	if (asid < 0)
		return -ENOMEM;
	mm->pgd = table_alloc(mm);
	if (!mm->pgd) {
		asid_map[asid / 64] &= ~(1UL << (asid % 64));
		return -ENOMEM;
	}
	mm->asid = asid;
	return 0;
}

static void free_leaf_page(pte_t e)
{
	if (e && (e & PTE_SW_OWNED))
		free_pages(pte_page(e), 0);
}

void uvm_free(struct mm *mm)
{
	if (!mm->pgd)
		return;
	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t *l2 = pt_table(&user_pt, mm->pgd[i]);
		if (!l2)
			continue;
		for (int j = 0; j < PTRS_PER_TABLE; j++) {
			pte_t *l3 = pt_table(&user_pt, l2[j]);
			if (!l3)
				continue;
			for (int k = 0; k < PTRS_PER_TABLE; k++)
				free_leaf_page(l3[k]);
			table_free(mm, l3);
		}
		table_free(mm, l2);
	}
	table_free(mm, mm->pgd);
	mm->pgd = NULL;
	flush_tlb_asid(mm->asid);
	asid_map[mm->asid / 64] &= ~(1UL << (mm->asid % 64));
}

int uvm_prepare(struct mm *mm, uint64_t start, uint64_t end)
{
	for (uint64_t va = ALIGN_DOWN(start, L2_SIZE); va < end; va += L2_SIZE)
		if (!pt_walk(&user_pt, mm->pgd, va, 3, table_alloc, mm))
			return -ENOMEM;
	return 0;
}

pte_t *uvm_pte(struct mm *mm, uint64_t va)
{
	return pt_walk(&user_pt, mm->pgd, va, 3, NULL, NULL);
}

static pte_t pte_bits(uint32_t prot)
{
	pte_t b = PTE_PAGE | PROT_USER;

	if (!(prot & PROT_WRITE))
		b |= PTE_RDONLY;
	if (!(prot & PROT_EXEC))
		b |= PTE_UXN;
	return b;
}

static pte_t make_pte(phys_addr_t pa, uint32_t prot, bool owned)
{
	pte_t e = pa | (owned ? PTE_SW_OWNED : 0);

	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return e | PTE_SW_NONE;
	/* The zero page is never writable, whatever the mapping allows. */
	if (pa == the_zero_page)
		prot &= ~PROT_WRITE;
	return e | pte_bits(prot);
}

void uvm_install(struct mm *mm, uint64_t va, phys_addr_t pa, uint32_t prot, bool owned)
{
	pte_t *e = uvm_pte(mm, va);

	if (!e)
		panic("uvm_install: no table for %lx", (unsigned long)va);
	uvm_install_at(mm, e, va, pa, prot, owned);
}

void uvm_install_at(struct mm *mm, pte_t *e, uint64_t va, phys_addr_t pa, uint32_t prot,
		    bool owned)
{
	bool was_valid = *e & PTE_VALID;
	*e = make_pte(pa, prot, owned);
	if (was_valid)
		flush_tlb_page(mm->asid, va);
	else
		dsb(ishst);
}

/* Large ranges flush the whole ASID once rather than page by page. */
static void flush_range(struct mm *mm, uint64_t start, uint64_t end)
{
	if ((end - start) >> PAGE_SHIFT > 64) {
		flush_tlb_asid(mm->asid);
		return;
	}
	for (uint64_t va = start; va < end; va += PAGE_SIZE)
		flush_tlb_page(mm->asid, va);
}

void uvm_unmap(struct mm *mm, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		pte_t *e = uvm_pte(mm, va);
		if (!e) {
			va = ALIGN_UP(va + 1, L2_SIZE) - PAGE_SIZE;
			continue;
		}
		free_leaf_page(*e);
		*e = 0;
	}
	flush_range(mm, start, end);
}

void uvm_protect(struct mm *mm, uint64_t start, uint64_t end, uint32_t prot)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		pte_t *e = uvm_pte(mm, va);
		if (!e) {
			va = ALIGN_UP(va + 1, L2_SIZE) - PAGE_SIZE;
			continue;
		}
		if (*e)
			*e = make_pte(pte_page(*e), prot, *e & PTE_SW_OWNED);
	}
	flush_range(mm, start, end);
}

void uvm_move(struct mm *mm, uint64_t from, uint64_t to, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		pte_t *src = uvm_pte(mm, from + off);
		if (!src || !*src)
			continue;
		pte_t *dst = uvm_pte(mm, to + off);
		if (!dst)
			panic("uvm_move: no table for %lx", (unsigned long)(to + off));
		*dst = *src;
		*src = 0;
	}
	flush_range(mm, from, from + len);
	dsb(ishst);
}

static bool l3_empty(const pte_t *l3)
{
	for (int k = 0; k < PTRS_PER_TABLE; k++)
		if (l3[k])
			return false;
	return true;
}


/* Tables are freed only where no mapping lies, so they map nothing; the
 * scan that proves it runs with vm_check=on. */
static void table_free_unused(struct mm *mm, pte_t *entry, pte_t *t)
{
	if (vm_debug_checks && !l3_empty(t))
		panic("uvm: freeing a page table that still maps pages");
	*entry = 0;
	flush_tlb_asid(mm->asid);   /* walk caches may hold the table */
	table_free(mm, t);
}

void uvm_free_l3(struct mm *mm, uint64_t va)
{
	pte_t *l2e = pt_walk(&user_pt, mm->pgd, va, 2, NULL, NULL);
	pte_t *l3 = l2e ? pt_table(&user_pt, *l2e) : NULL;

	if (l3)
		table_free_unused(mm, l2e, l3);
}

void uvm_free_l2(struct mm *mm, uint64_t va)
{
	pte_t *l1e = pt_walk(&user_pt, mm->pgd, va, 1, NULL, NULL);
	pte_t *l2 = pt_table(&user_pt, *l1e);

	if (!l2)
		return;
	for (int j = 0; j < PTRS_PER_TABLE; j++) {
		pte_t *l3 = pt_table(&user_pt, l2[j]);
		if (l3)
			table_free_unused(mm, &l2[j], l3);
	}
	table_free_unused(mm, l1e, l2);
}

uint64_t uvm_first_stray(struct mm *mm, bool (*wanted)(struct mm *mm, uint64_t va))
{
	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t *l2 = pt_table(&user_pt, mm->pgd[i]);
		for (int j = 0; l2 && j < PTRS_PER_TABLE; j++) {
			pte_t *l3 = pt_table(&user_pt, l2[j]);
			for (int k = 0; l3 && k < PTRS_PER_TABLE; k++) {
				uint64_t va = ((uint64_t)i << 30) | ((uint64_t)j << 21) |
					      ((uint64_t)k << PAGE_SHIFT);
				if (l3[k] && !wanted(mm, va))
					return va;
			}
		}
	}
	return UINT64_MAX;
}

bool uvm_pte_allows(pte_t e, bool write, bool exec)
{
	if (!(e & PTE_VALID))
		return false;
	if (write)
		return !(e & PTE_RDONLY);
	if (exec)
		return !(e & PTE_UXN);
	return true;
}
