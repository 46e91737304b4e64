/* User page tables: 3 levels, 4 KiB pages, one ASID per address space. */
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "mm/page_alloc.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include <string.h>
#include "arch/arm64/page.h"

#define L1_SHIFT 30
#define L2_SHIFT 21
#define ENTRIES 512
#define L2_SPAN (1UL << L2_SHIFT)
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

static unsigned idx(uint64_t va, unsigned shift)
{
	return (va >> shift) & (ENTRIES - 1);
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

static void flush_asid(uint16_t asid)
{
	__asm__ volatile("dsb ishst\n tlbi aside1is, %0\n dsb ish\n isb"
			 : : "r"((uint64_t)asid << 48) : "memory");
}

static void flush_page(struct mm *mm, uint64_t va)
{
	__asm__ volatile("dsb ishst\n tlbi vale1is, %0\n dsb ish\n isb"
			 : : "r"((va >> 12) | ((uint64_t)mm->asid << 48)) : "memory");
}

/* A zeroed table page, charged to the process. */
static pte_t *table_alloc(struct mm *mm)
{
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

static pte_t *table_at(pte_t e)
{
	return (e & PTE_VALID) ? phys_to_virt(pte_page(e)) : NULL;
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
	for (int i = 0; i < ENTRIES; i++) {
		pte_t *l2 = table_at(mm->pgd[i]);
		if (!l2)
			continue;
		for (int j = 0; j < ENTRIES; j++) {
			pte_t *l3 = table_at(l2[j]);
			if (!l3)
				continue;
			for (int k = 0; k < ENTRIES; k++)
				free_leaf_page(l3[k]);
			table_free(mm, l3);
		}
		table_free(mm, l2);
	}
	table_free(mm, mm->pgd);
	mm->pgd = NULL;
	flush_asid(mm->asid);
	asid_map[mm->asid / 64] &= ~(1UL << (mm->asid % 64));
}

static pte_t *next_level(struct mm *mm, pte_t *e)
{
	pte_t *t = table_at(*e);

	if (t)
		return t;
	t = table_alloc(mm);
	if (!t)
		return NULL;
	__asm__ volatile("dsb ishst" ::: "memory");
	*e = virt_to_phys(t) | PTE_TABLE;
	return t;
}

int uvm_prepare(struct mm *mm, uint64_t start, uint64_t end)
{
	for (uint64_t va = ALIGN_DOWN(start, L2_SPAN); va < end; va += L2_SPAN) {
		pte_t *l2 = next_level(mm, &mm->pgd[idx(va, L1_SHIFT)]);
		if (!l2 || !next_level(mm, &l2[idx(va, L2_SHIFT)]))
			return -ENOMEM;
	}
	return 0;
}

pte_t *uvm_pte(struct mm *mm, uint64_t va)
{
	pte_t *l2 = table_at(mm->pgd[idx(va, L1_SHIFT)]);
	pte_t *l3 = l2 ? table_at(l2[idx(va, L2_SHIFT)]) : NULL;

	return l3 ? &l3[idx(va, PAGE_SHIFT)] : NULL;
}

static pte_t pte_bits(uint32_t prot)
{
	pte_t b = PTE_TABLE | PTE_AF | PTE_SH_INNER | PTE_ATTR(MT_NORMAL) | PTE_NG |
		  PTE_USER | PTE_PXN;

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
	bool was_valid = *e & PTE_VALID;
	*e = make_pte(pa, prot, owned);
	if (was_valid)
		flush_page(mm, va);
	else
		__asm__ volatile("dsb ishst" ::: "memory");
}

/* Large ranges flush the whole ASID once rather than page by page. */
static void flush_range(struct mm *mm, uint64_t start, uint64_t end)
{
	if ((end - start) >> PAGE_SHIFT > 64) {
		flush_asid(mm->asid);
		return;
	}
	for (uint64_t va = start; va < end; va += PAGE_SIZE)
		flush_page(mm, va);
}

void uvm_unmap(struct mm *mm, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		pte_t *e = uvm_pte(mm, va);
		if (!e) {
			va = ALIGN_UP(va + 1, L2_SPAN) - PAGE_SIZE;
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
			va = ALIGN_UP(va + 1, L2_SPAN) - PAGE_SIZE;
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
	__asm__ volatile("dsb ishst" ::: "memory");
}

static bool l3_empty(const pte_t *l3)
{
	for (int k = 0; k < ENTRIES; k++)
		if (l3[k])
			return false;
	return true;
}

static bool l2_empty(const pte_t *l2)
{
	for (int k = 0; k < ENTRIES; k++)
		if (l2[k])
			return false;
	return true;
}

void uvm_free_table(struct mm *mm, uint64_t va)
{
	pte_t *l1e = &mm->pgd[idx(va, L1_SHIFT)];
	pte_t *l2 = table_at(*l1e);
	if (!l2)
		return;
	pte_t *l2e = &l2[idx(va, L2_SHIFT)];
	pte_t *l3 = table_at(*l2e);
	if (!l3 || !l3_empty(l3))
		return;
	*l2e = 0;
	flush_asid(mm->asid);   /* walk caches may hold the table */
	table_free(mm, l3);
	/* Every mapping keeps its L3 tables, so an empty L2 serves none. */
	if (l2_empty(l2)) {
		*l1e = 0;
		flush_asid(mm->asid);
		table_free(mm, l2);
	}
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

/* Code written through the linear map must reach the instruction side. */
void sync_icache(void *va, size_t len)
{
	uintptr_t p = ALIGN_DOWN((uintptr_t)va, 64), end = (uintptr_t)va + len;

	for (; p < end; p += 64)
		__asm__ volatile("dc cvau, %0" : : "r"(p) : "memory");
	__asm__ volatile("dsb ish\n ic ialluis\n dsb ish\n isb" ::: "memory");
}
