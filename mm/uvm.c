/*
 * User page tables: 3 levels, 4 KiB pages, one ASID per address space.
 *
 * Tables are made when a page is installed (a fault, exec's populated
 * mappings, fork's copy, mremap's move), from the table charge the VMA
 * layer took for the mappings (mm->pt_charged, mm/vma.c), so making one
 * never fails. Range operations walk level by level and skip absent tables
 * at every level (Linux's zap_pmd_range), so what they cost follows the
 * tables that exist, not the length of the range.
 */
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/page_alloc.h"
#include "lib/uapi/errno.h"
#include "lib/panic.h"
#include "lib/irq_window.h"
#include "arch/arm64/irqflags.h"
#include <string.h>
#include "arch/arm64/page.h"
#include "arch/arm64/tlbflush.h"

#define NR_ASIDS 4096
/* Ranges longer than this flush the whole ASID rather than page by page. */
#define FLUSH_PAGES_MAX 16
/* The pages of [va, end), both page-aligned. */
#define PAGES_IN(va, end) (((end) - (va)) >> PAGE_SHIFT)
/* A walk changes at most this many entries between two looks for a pending
 * interrupt: freeing 64 pages costs about 10 000 instructions, so no
 * interrupt waits on a walk much longer than that (user/tests/irqlat.c
 * holds every long call under 100 000). */
#define WALK_CHUNK (64 * PAGE_SIZE)

static uint64_t asid_map[NR_ASIDS / 64];
phys_addr_t uvm_zero_pa;

/* Read faults in never-written private memory map this one page. */
void zero_page_init(void)
{
	uvm_zero_pa = alloc_pages(0);
	if (!uvm_zero_pa)
		panic("no page for the zero page");
	clear_page(phys_to_virt(uvm_zero_pa));
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

static void asid_free(uint16_t asid)
{
	asid_map[asid / 64] &= ~(1UL << (asid % 64));
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

/* The table under an entry a scan found valid (next_valid). */
static pte_t *valid_table(pte_t e)
{
	return user_table(e & PTE_ADDR_MASK);
}

/* A zeroed table page paid for by the mm's table charge: more tables than
 * the charge covers is a bug of the VMA layer's accounting. */
static pte_t *charged_table(void *arg)
{
	struct mm *mm = arg;

	if (mm->pt_pages >= mm->pt_charged)
		panic("uvm: a page table beyond the charge of mm %p (%lu charged)", (void *)mm,
		      (unsigned long)mm->pt_charged);
	bool zeroed;
	phys_addr_t pa = alloc_page_zeroed(&zeroed);
	if (!pa)
		charged_page_missing();
	pte_t *t = phys_to_virt(pa);
	if (!zeroed)
		clear_page(t);
	mm->pt_pages++;
	return t;
}

/* The charge stays with the mm: the VMA layer returns it when no mapping
 * needs the table any more. A table that maps nothing is all zeros: the
 * next table can be it, uncleared. */
static void table_release(struct mm *mm, pte_t *t, bool empty)
{
	if (t == mm->l3_hint)
		mm->l3_hint = NULL;
	if (empty)
		free_page_zeroed(virt_to_phys(t));
	else
		free_pages(virt_to_phys(t), 0);
	mm->pt_pages--;
}

int uvm_init(struct mm *mm)
{
	int asid = asid_alloc();

	if (asid < 0)
		return -ENOMEM;
	if (commit_charge(1) < 0) {
		asid_free((uint16_t)asid);
		return -ENOMEM;
	}
	mm->pt_charged = mm->charged = 1;        /* the root */
	mm->pgd = charged_table(mm);
	mm->asid = (uint16_t)asid;
	return 0;
}

static void free_leaf_page(pte_t e)
{
	if (e & PTE_SW_OWNED)
		page_ref_put(pte_page(e));
}

/* The index of the first valid entry of table t in [i, end), or end: the
 * scan over empty entries is most of what a walk over a sparse range costs. */
static unsigned next_valid(const pte_t *t, unsigned i, unsigned end)
{
	while (i < end && !(t[i] & PTE_VALID))
		i++;
	return i;
}

/* The caller has unmapped every mapping and dropped their L3 tables
 * (vm_put): the L2 tables left hold nothing, as vm_check=on checks. */
void uvm_free(struct mm *mm)
{
	if (!mm->pgd)
		return;
	for (unsigned i = next_valid(mm->pgd, 0, PTRS_PER_TABLE); i < PTRS_PER_TABLE;
	     i = next_valid(mm->pgd, i + 1, PTRS_PER_TABLE)) {
		pte_t *l2 = valid_table(mm->pgd[i]);
		if (vm_debug_checks && next_valid(l2, 0, PTRS_PER_TABLE) < PTRS_PER_TABLE)
			panic("uvm_free: a page table left under mm %p", (void *)mm);
		table_release(mm, l2, true);   /* its L3 tables were unlinked */
	}
	table_release(mm, mm->pgd, false);
	mm->pgd = NULL;
	flush_tlb_asid(mm->asid);
	asid_free(mm->asid);
}

_Static_assert(UVM_L3_SPAN == L2_SIZE && UVM_L2_SPAN == L1_SIZE, "uvm.h's spans are the tables'");

pte_t *uvm_pte_walk(struct mm *mm, uint64_t va)
{
	return pt_walk(&user_pt, mm->pgd, va, 3, NULL, NULL);
}

/* The L3 table found is the next hint. A freed table is forgotten
 * (table_release). */
pte_t *uvm_pte_alloc_walk(struct mm *mm, uint64_t va)
{
	pte_t *e = pt_walk(&user_pt, mm->pgd, va, 3, charged_table, mm);
	mm->l3_hint = e - pt_index(va, 3);
	mm->l3_hint_va = ALIGN_DOWN(va, L2_SIZE);
	return e;
}

void uvm_install(struct mm *mm, uint64_t va, phys_addr_t pa, uint32_t prot, bool owned)
{
	uvm_install_at(mm, uvm_pte_alloc(mm, va), va, pa, prot, owned);
}


/* ---- the range walker -------------------------------------------------------- */

/* One operation over a range: what it does to the entries of each present
 * last-level table, and what it has changed that the TLB may still hold. */
struct walk {
	struct mm *mm;
	void (*leaves)(struct walk *w, pte_t *e, uint64_t va, uint64_t end);
	bool drop_tables;     /* whole spans of the range lose their (emptied) tables */
	bool drop_l3;         /* every L3 table of the range goes (all are empty) */
	uint32_t prot;        /* protect: the new protection */
	uint64_t delta;       /* move: destination minus source */
	struct mm *child;     /* fork: the copy */
	uint64_t changed;     /* valid entries changed or removed */
	bool tables_gone;     /* tables unlinked: walk caches must forget them */
	bool unused;          /* no CPU runs the mm: uvm_free flushes its ASID once */
};

/* Tables are dropped only over spans the range covers whole, emptied by
 * the walk; the scan that proves them empty runs with vm_check=on. */
static void unlink_table_of(struct mm *mm, pte_t *entry, pte_t *t)
{
	if (vm_debug_checks)
		for (int k = 0; k < PTRS_PER_TABLE; k++)
			if (t[k])
				panic("uvm: dropping a page table that still maps pages");
	*entry = 0;
	table_release(mm, t, true);
}

static void unlink_table(struct walk *w, pte_t *entry, pte_t *t)
{
	unlink_table_of(w->mm, entry, t);
	w->tables_gone = true;
}

/* Makes what the walk changed visible to every CPU's MMU. Pages and tables
 * it freed are not handed out again before this: nothing allocates between
 * (the kernel lock is held, and irq_window flushes first). */
static void flush_changes(struct mm *mm, uint64_t changed, bool tables_gone, uint64_t s,
			  uint64_t e)
{
	if (tables_gone || (changed && (e - s) >> PAGE_SHIFT > FLUSH_PAGES_MAX))
		flush_tlb_asid(mm->asid);
	else if (changed)
		flush_tlb_range(mm->asid, s, e);
	else
		dsb(ishst);   /* new entries only: visible to the walker */
}

static void walk_flush(struct walk *w, uint64_t s, uint64_t e)
{
	if (w->unused)
		return;
	flush_changes(w->mm, w->changed, w->tables_gone, s, e);
	w->changed = 0;
	w->tables_gone = false;
}

/* A long walk lets interrupts in: what it changed is flushed first (the
 * handler may allocate what the walk freed). */
static void walk_window(struct walk *w, uint64_t start, uint64_t end)
{
	if (irq_pending()) {
		walk_flush(w, start, end);
		irq_window();
	}
}

/* The entries of L3 table l3 over [a, b), inside its 2 MiB span, a chunk
 * at a time; [start, end) is the whole walk's range. */
static void walk_l3(struct walk *w, pte_t *l3, uint64_t a, uint64_t b, uint64_t start,
		    uint64_t end)
{
	for (;;) {
		uint64_t c = b - a > WALK_CHUNK ? a + WALK_CHUNK : b;
		w->leaves(w, &l3[pt_index(a, 3)], a, c);
		if (c == b)
			return;
		walk_window(w, start, end);
		a = c;
	}
}

/* The L3 tables under one L2 table, over [s, e) inside its 1 GiB span. */
static void walk_l2(struct walk *w, pte_t *l2, uint64_t s, uint64_t e, uint64_t start,
		    uint64_t end)
{
	uint64_t base = ALIGN_DOWN(s, L1_SIZE);
	unsigned last = pt_index(e - 1, 2) + 1;

	for (unsigned i = next_valid(l2, pt_index(s, 2), last); i < last;
	     i = next_valid(l2, i + 1, last)) {
		uint64_t a = base + ((uint64_t)i << L2_SHIFT), b = a + L2_SIZE;
		if (a < s)
			a = s;
		if (b > e)
			b = e;
		pte_t *l3 = valid_table(l2[i]);
		walk_l3(w, l3, a, b, start, end);
		if ((w->drop_tables && b - a == L2_SIZE) || w->drop_l3)
			unlink_table(w, &l2[i], l3);
		walk_window(w, start, end);
	}
}

static void walk_range(struct walk *w, uint64_t s, uint64_t e)
{
	pte_t *pgd = w->mm->pgd;
	unsigned last = pt_index(e - 1, 1) + 1;

	/* Inside one 2 MiB span (a brk, a small mmap): one table, found
	 * directly. Only a whole span drops its table, which this is not
	 * unless it is that span exactly. */
	if (ALIGN_DOWN(s, L2_SIZE) == ALIGN_DOWN(e - 1, L2_SIZE) && e - s < L2_SIZE && !w->drop_l3) {
		pte_t *e3 = uvm_pte(w->mm, s);
		if (e3)
			walk_l3(w, e3 - pt_index(s, 3), s, e, s, e);
		walk_flush(w, s, e);
		return;
	}

	for (unsigned i = next_valid(pgd, pt_index(s, 1), last); i < last;
	     i = next_valid(pgd, i + 1, last)) {
		uint64_t a = (uint64_t)i << L1_SHIFT, b = a + L1_SIZE;
		if (a < s)
			a = s;
		if (b > e)
			b = e;
		pte_t *l2 = valid_table(pgd[i]);
		walk_l2(w, l2, a, b, s, e);
		if (w->drop_tables && b - a == L1_SIZE)
			unlink_table(w, &pgd[i], l2);
	}
	walk_flush(w, s, e);
}

/* Clears n consecutive entries, freeing the pages they own: how many
 * were valid (what the TLB may hold). */
static uint64_t zap_entries(pte_t *e, uint64_t n)
{
	uint64_t changed = 0;

	for (; n; n--, e++) {
		pte_t x = *e;
		if (!x)
			continue;
		*e = 0;
		changed += x & PTE_VALID;
		free_leaf_page(x);
	}
	return changed;
}

static void zap_leaves(struct walk *w, pte_t *e, uint64_t va, uint64_t end)
{
	w->changed += zap_entries(e, PAGES_IN(va, end));
}

/* Kept out of uvm_unmap, whose usual case needs no struct walk in its
 * frame (and so no stack-protector check). */
static void __attribute__((noinline)) unmap_walk(struct mm *mm, uint64_t start, uint64_t end,
						 bool unused)
{
	struct walk w = { .mm = mm, .leaves = zap_leaves, .drop_tables = true, .unused = unused };

	walk_range(&w, start, end);
}

/* Inside one 2 MiB span and at most a chunk (a brk shrink, a small
 * munmap), no table can go and no interrupt waits long: the entries are
 * cleared in the one table, with no walk set up. */
void uvm_unmap(struct mm *mm, uint64_t start, uint64_t end)
{
	if (ALIGN_DOWN(start, L2_SIZE) == ALIGN_DOWN(end - 1, L2_SIZE) && end - start <= WALK_CHUNK) {
		pte_t *e = uvm_pte(mm, start);
		flush_changes(mm, e ? zap_entries(e, PAGES_IN(start, end)) : 0, false, start, end);
		return;
	}
	unmap_walk(mm, start, end, false);
}

void uvm_unmap_unused(struct mm *mm, uint64_t start, uint64_t end)
{
	unmap_walk(mm, start, end, true);
}

static void no_leaves(struct walk *w, pte_t *e, uint64_t va, uint64_t end)
{
	(void)w, (void)e, (void)va, (void)end;
}

void uvm_drop_l3_unused(struct mm *mm, uint64_t start, uint64_t end)
{
	struct walk w = { .mm = mm, .leaves = no_leaves, .drop_l3 = true, .unused = true };

	walk_range(&w, start, end);
}

/* A page fork shares stays read-only until a write fault copies it
 * (vm_fault), whatever protection it is given meanwhile. */
static void protect_leaves(struct walk *w, pte_t *e, uint64_t va, uint64_t end)
{
	for (; va < end; va += PAGE_SIZE, e++) {
		pte_t x = *e;
		if (!x)
			continue;
		bool owned = x & PTE_SW_OWNED;
		uint32_t prot = w->prot;
		if (owned && (prot & PROT_WRITE) && page_ref_count(pte_page(x)) > 1)
			prot &= ~PROT_WRITE;
		pte_t n = uvm_make_pte(pte_page(x), prot, owned);
		if (n != x) {
			*e = n;
			w->changed += x & PTE_VALID;
		}
	}
}

void uvm_protect(struct mm *mm, uint64_t start, uint64_t end, uint32_t prot)
{
	struct walk w = { .mm = mm, .leaves = protect_leaves, .prot = prot };

	walk_range(&w, start, end);
}

static void move_leaves(struct walk *w, pte_t *e, uint64_t va, uint64_t end)
{
	for (; va < end; va += PAGE_SIZE, e++) {
		pte_t x = *e;
		if (!x)
			continue;
		*uvm_pte_alloc(w->mm, va + w->delta) = x;
		*e = 0;
		w->changed += x & PTE_VALID;
	}
}

/* The source's tables stay (a destination table may be made meanwhile,
 * and must not be a page a walk cache still holds as a source table): the
 * caller's unmap of the source drops them. */
void uvm_move(struct mm *mm, uint64_t from, uint64_t to, uint64_t len)
{
	struct walk w = { .mm = mm, .leaves = move_leaves, .delta = to - from };

	walk_range(&w, from, from + len);
}

/* fork: the child maps what the parent maps; pages the parent owns are
 * shared, read-only in both, until one of them writes (vm_fault). */
static void share_leaves(struct walk *w, pte_t *e, uint64_t va, uint64_t end)
{
	pte_t *c = NULL;       /* the child's entry for va: its table made at the first */

	for (; va < end; va += PAGE_SIZE, e++, c += !!c) {
		pte_t x = *e;
		if (!x)
			continue;
		if (!c)
			c = uvm_pte_alloc(w->child, va);
		if (x & PTE_SW_OWNED) {
			page_ref_get(pte_page(x));
			if ((x & PTE_VALID) && !(x & PTE_RDONLY)) {
				x |= PTE_RDONLY;
				*e = x;
				w->changed++;
			}
		}
		*c = x;
	}
}

void uvm_share(struct mm *child, struct mm *parent, uint64_t start, uint64_t end)
{
	struct walk w = { .mm = parent, .leaves = share_leaves, .child = child };

	walk_range(&w, start, end);
}

/* ---- tables no mapping needs --------------------------------------------------- */

bool uvm_has_l3(struct mm *mm, uint64_t va)
{
	pte_t *l2e = pt_walk(&user_pt, mm->pgd, va, 2, NULL, NULL);
	return l2e && (*l2e & PTE_VALID);
}

bool uvm_has_l2(struct mm *mm, uint64_t va)
{
	return mm->pgd[pt_index(va, 1)] & PTE_VALID;
}

/* No struct walk for one table (an unmap's end span): no canary check. */
void uvm_free_l3(struct mm *mm, uint64_t va)
{
	pte_t *l2e = pt_walk(&user_pt, mm->pgd, va, 2, NULL, NULL);
	pte_t *l3 = l2e ? pt_table(&user_pt, *l2e) : NULL;

	if (!l3)
		return;
	unlink_table_of(mm, l2e, l3);
	flush_changes(mm, 0, true, va, va);
}

void uvm_free_l2(struct mm *mm, uint64_t va)
{
	struct walk w = { .mm = mm };
	pte_t *l1e = pt_walk(&user_pt, mm->pgd, va, 1, NULL, NULL);
	pte_t *l2 = pt_table(&user_pt, *l1e);

	if (!l2)
		return;
	for (int j = 0; j < PTRS_PER_TABLE; j++) {
		pte_t *l3 = pt_table(&user_pt, l2[j]);
		if (l3)
			unlink_table(&w, &l2[j], l3);
	}
	unlink_table(&w, l1e, l2);
	walk_flush(&w, va, va);
}

/* The full walk of the invariant checker: the first address whose entry
 * (any non-zero one) bad(mm, va, e, arg) rejects, or UINT64_MAX. */
static uint64_t first_entry_where(struct mm *mm, bool (*bad)(struct mm *, uint64_t, pte_t, void *),
				  void *arg)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t *l2 = pt_table(&user_pt, mm->pgd[i]);
		for (int j = 0; l2 && j < PTRS_PER_TABLE; j++) {
			pte_t *l3 = pt_table(&user_pt, l2[j]);
			for (int k = 0; l3 && k < PTRS_PER_TABLE; k++) {
				uint64_t va = ((uint64_t)i << 30) | ((uint64_t)j << 21) |
					      ((uint64_t)k << PAGE_SHIFT);
				if (l3[k] && bad(mm, va, l3[k], arg))
					return va;
			}
		}
	}
	return UINT64_MAX;
}

struct owner_test {
	bool (*wanted)(struct mm *mm, uint64_t va);
};

static bool disowned(struct mm *mm, uint64_t va, pte_t e, void *arg)
{
	const struct owner_test *t = arg;

	(void)e;
	return !t->wanted(mm, va);
}

uint64_t uvm_first_stray(struct mm *mm, bool (*wanted)(struct mm *mm, uint64_t va))
{
	struct owner_test t = { wanted };

	return first_entry_where(mm, disowned, &t);
}

/* Every user page is PXN (PROT_USER): the kernel never runs user code. */
static bool kernel_executable(struct mm *mm, uint64_t va, pte_t e, void *arg)
{
	(void)mm, (void)va, (void)arg;
	return (e & PTE_VALID) && !(e & PTE_PXN);
}

uint64_t uvm_first_kernel_executable(struct mm *mm)
{
	return first_entry_where(mm, kernel_executable, NULL);
}

uint64_t uvm_count_tables(struct mm *mm)
{
	uint64_t n = 1;

	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t *l2 = pt_table(&user_pt, mm->pgd[i]);
		for (int j = 0; l2 && j < PTRS_PER_TABLE; j++)
			n += pt_table(&user_pt, l2[j]) != NULL;
		n += l2 != NULL;
	}
	return n;
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
