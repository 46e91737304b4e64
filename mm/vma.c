/*
 * The VMA list of an address space: finding, inserting, splitting and
 * removing mappings, the page counts kept beside them, and vm_check, the
 * invariant checker (as Linux's validate_mm).
 */
#include "mm/vma.h"
#include "mm/reserve.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"
#include "lib/panic.h"

bool vm_debug_checks;

static void vm_broken(struct mm *mm, const struct vma *v, const char *what)
{
	if (!v)
		panic("vm_check: %s (mm %p: %d VMAs, %lu pages mapped, %lu charged)", what,
		      (void *)mm, mm->map_count, (unsigned long)mm->total_vm,
		      (unsigned long)mm->charged);
	panic("vm_check: %s (mm %p, vma [%lx-%lx) prot %x flags %x)", what, (void *)mm,
	      (unsigned long)v->start, (unsigned long)v->end, v->prot, v->flags);
}





void vma_free(struct mm *mm, struct vma *v)
{
	if (!mm->spare_vma)
		mm->spare_vma = v;
	else
		kfree(v);
}

/* n goes before the first VMA that ends after its start (its range is
 * free, so that one starts after n ends), or last. */
void vma_insert(struct mm *mm, struct vma *n)
{
	struct vma *after = vma_from(mm, n->start), *before;

	if (after) {
		before = after->prev;
	} else {
		before = mm->vma_hint ? mm->vma_hint : mm->vmas;   /* vma_from left it near the end */
		while (before && before->next)
			before = before->next;
	}
	n->prev = before;
	n->next = after;
	if (before)
		before->next = n;
	else
		mm->vmas = n;
	if (after)
		after->prev = n;
	mm->map_count++;
}

void vma_unlink(struct mm *mm, struct vma *v)
{
	if (v->prev)
		v->prev->next = v->next;
	else
		mm->vmas = v->next;
	if (v->next)
		v->next->prev = v->prev;
	if (mm->vma_hint == v)
		mm->vma_hint = v->prev ? v->prev : v->next;
	mm->map_count--;
}

/* Shared memory gains a reference; the counts stay, as the pages do. */
void vma_split(struct mm *mm, struct vma *v, uint64_t addr, struct vma *spare)
{
	*spare = *v;
	spare->start = addr;
	spare->pgoff = v->pgoff + PAGES(addr - v->start);
	v->end = addr;
	vma_hold_objects(spare);
	spare->next = v->next;
	spare->prev = v;
	if (v->next)
		v->next->prev = spare;
	v->next = spare;
	mm->map_count++;
}

int vma_spares_to_unmap(struct mm *mm, uint64_t s, uint64_t e)
{
	struct vma *v = vm_find(mm, s);
	return (v && v->start < s && v->end > e) ? 1 : 0;
}

uint64_t vma_mapped_run_end(struct mm *mm, uint64_t s, uint64_t e)
{
	uint64_t at = s;

	for (struct vma *v = vm_find(mm, s); v && at < e && v->start <= at; v = v->next)
		at = v->end;
	return at < e ? at : e;
}

bool vma_fully_mapped(struct mm *mm, uint64_t s, uint64_t e)
{
	return vma_mapped_run_end(mm, s, e) >= e;
}

int vm_unmap_range(struct mm *mm, uint64_t s, uint64_t e, struct vm_reservation *res)
{
	struct vma *v = vma_from(mm, s), *next;
	bool any = false, tables = false;

	for (struct vma *o = v; o && o->start < e; o = o->next)
		if (o->end > s) {
			any = true;
			tables |= o->flags & VM_PT;
		}
	if (!any)
		return 0;
	if (!res && vma_spares_to_unmap(mm, s, e))
		return -ENOMEM;
	/* The pages first, while the mappings still hold their objects; one
	 * walk over the whole range, so that whole spans lose their tables
	 * even where several mappings shared them. Mappings without tables
	 * have nothing to walk. */
	if (tables)
		uvm_unmap(mm, s, e);
	for (; v && v->start < e; v = next) {
		next = v->next;
		if (v->end <= s)
			continue;
		if (v->start < s && v->end > e) {      /* a hole in the middle */
			vma_split(mm, v, e, vm_reserve_take_vma(res));
			next = v->next;
		}
		uint64_t cs = v->start > s ? v->start : s;
		uint64_t ce = v->end < e ? v->end : e;
		vma_account(mm, v, PAGES(ce - cs), -1);
		if (v->flags & VM_ACCOUNT)
			commit_uncharge(PAGES(ce - cs));
		if (cs == v->start && ce == v->end) {
			vma_unlink(mm, v);
			vma_drop_objects(v);
			vma_free(mm, v);
		} else if (cs == v->start) {
			v->pgoff += PAGES(ce - v->start);
			v->start = ce;
		} else {
			v->end = cs;
		}
	}
	return 0;
}

/*
 * Whether a mapping with tables overlaps [a, b): the search starts at the
 * VMA of the last lookup and goes out both ways, stopping at the first
 * found, so a span around a change is usually settled by its neighbours
 * (a 1 GiB span searched from its start would pass every VMA below).
 */
bool vm_tables_in(struct mm *mm, uint64_t a, uint64_t b)
{
	struct vma *h = mm->vma_hint ? mm->vma_hint : mm->vmas;

	for (struct vma *v = h; v && v->start < b; v = v->next)
		if (v->end > a && (v->flags & VM_PT))
			return true;
	for (struct vma *v = h ? h->prev : NULL; v && v->end > a; v = v->prev)
		if (v->start < b && (v->flags & VM_PT))
			return true;
	return false;
}

/* The spans [s, e) covers whole lost their tables in the unmap; the ones at
 * its two ends (2 MiB and 1 GiB) keep theirs while a mapping still needs them. */
void vm_trim_tables(struct mm *mm, uint64_t s, uint64_t e)
{
	if (s >= e)
		return;
	uint64_t b0 = ALIGN_DOWN(s, UVM_L3_SPAN), b1 = ALIGN_DOWN(e - 1, UVM_L3_SPAN);
	uint64_t g0 = ALIGN_DOWN(s, UVM_L2_SPAN), g1 = ALIGN_DOWN(e - 1, UVM_L2_SPAN);

	/* The cheap test first: most ends have no table to free. */
	if (uvm_has_l3(mm, b0) && !vm_tables_in(mm, b0, b0 + UVM_L3_SPAN))
		uvm_free_l3(mm, b0);
	if (b1 != b0 && uvm_has_l3(mm, b1) && !vm_tables_in(mm, b1, b1 + UVM_L3_SPAN))
		uvm_free_l3(mm, b1);
	if (uvm_has_l2(mm, g0) && !vm_tables_in(mm, g0, g0 + UVM_L2_SPAN))
		uvm_free_l2(mm, g0);
	if (g1 != g0 && uvm_has_l2(mm, g1) && !vm_tables_in(mm, g1, g1 + UVM_L2_SPAN))
		uvm_free_l2(mm, g1);
}

/* ---- what the page tables need -------------------------------------------- */

/* Spans counted so far at one level; ranges come in order of start, so a
 * span already counted is one below next. */
struct span_count {
	uint64_t n, next;
};

static inline void count_spans(struct span_count *c, uint64_t a, uint64_t b, unsigned shift)
{
	uint64_t span = 1UL << shift;

	a = ALIGN_DOWN(a, span);
	if (a < c->next)
		a = c->next;
	b = ALIGN_UP(b, span);
	if (b > a) {
		c->n += (b - a) >> shift;
		c->next = b;
	}
}

/* What the counts reach, without and with the extra range. */
struct need {
	uint64_t n, with;
};

/* Adds the spans of 2^shift bytes inside [ws, we) (aligned) that mappings
 * with tables touch, and, to with, also those [xs, xe) touches. */
static void spans_touched(struct mm *mm, uint64_t ws, uint64_t we, unsigned shift,
			  uint64_t xs, uint64_t xe, struct need *nd)
{
	struct span_count c = { 0, ws }, x = { 0, ws };
	bool extra = xs < xe;

	for (struct vma *v = vma_from(mm, ws); v && v->start < we; v = v->next) {
		if (extra && xs <= v->start) {
			count_spans(&x, xs > ws ? xs : ws, xe < we ? xe : we, shift);
			extra = false;
		}
		if (v->end > ws && (v->flags & VM_PT)) {
			uint64_t a = v->start > ws ? v->start : ws, b = v->end < we ? v->end : we;
			count_spans(&c, a, b, shift);
			count_spans(&x, a, b, shift);
		}
	}
	if (extra)
		count_spans(&x, xs > ws ? xs : ws, xe < we ? xe : we, shift);
	nd->n += c.n;
	nd->with += x.n;
}

/* The same for one span [a, b), which the first mapping found settles. */
static void span_touched(struct mm *mm, uint64_t a, uint64_t b, uint64_t xs, uint64_t xe,
			 struct need *nd)
{
	bool t = vm_tables_in(mm, a, b);

	nd->n += t;
	nd->with += t || (xs < xe && xs < b && xe > a);
}

/* The 2 MiB spans [a, b) meets. */
#define L3_SPANS_MET(a, b) \
	((ALIGN_UP((b), UVM_L3_SPAN) - ALIGN_DOWN((a), UVM_L3_SPAN)) / UVM_L3_SPAN)

/*
 * Only the spans [s, e) meets can change with a change inside it, so only
 * they are counted: the 2 MiB spans over the mappings there, and of the
 * 1 GiB spans the two at its ends by a search that stops at the first
 * mapping, the ones between over the mappings there.
 */
/* vm_tables_needed's count over the spans, out of line: only its frame
 * holds the counts (and a stack-protector check), not the usual calls'. */
static uint64_t __attribute__((noinline)) tables_counted(struct mm *mm, uint64_t s, uint64_t e,
							 uint64_t xs, uint64_t xe, uint64_t *with)
{
	struct need nd = { 0, 0 };
	uint64_t g0 = ALIGN_DOWN(s, UVM_L2_SPAN), g1 = ALIGN_DOWN(e - 1, UVM_L2_SPAN);

	spans_touched(mm, ALIGN_DOWN(s, UVM_L3_SPAN), ALIGN_UP(e, UVM_L3_SPAN), L2_SHIFT, xs, xe,
		      &nd);
	span_touched(mm, g0, g0 + UVM_L2_SPAN, xs, xe, &nd);
	if (g1 != g0)
		span_touched(mm, g1, g1 + UVM_L2_SPAN, xs, xe, &nd);
	if (g1 > g0 + UVM_L2_SPAN)
		spans_touched(mm, g0 + UVM_L2_SPAN, g1, L1_SHIFT, xs, xe, &nd);
	if (with)
		*with = nd.with;
	return nd.n;
}

uint64_t vm_tables_needed(struct mm *mm, uint64_t s, uint64_t e, uint64_t xs, uint64_t xe,
			  uint64_t *with)
{
	uint64_t g0 = ALIGN_DOWN(s, UVM_L2_SPAN), g1 = ALIGN_DOWN(e - 1, UVM_L2_SPAN);
	uint64_t b = ALIGN_DOWN(s, UVM_L3_SPAN);

	/* Inside one 2 MiB span (most calls): its table and its 1 GiB span's,
	 * the second needed whenever the first is. */
	if (ALIGN_DOWN(e - 1, UVM_L3_SPAN) == b) {
		bool tb = vm_tables_in(mm, b, b + UVM_L3_SPAN);
		bool tg = tb || vm_tables_in(mm, g0, g0 + UVM_L2_SPAN);
		if (with)
			*with = xs < xe ? 2 : (uint64_t)tb + tg;
		return (uint64_t)tb + tg;
	}

	/* Inside one mapping with tables (the window of an unmap of it), in
	 * one 1 GiB span: every span the window meets is needed, and the
	 * extra range, inside the window, adds none. */
	if (g0 == g1) {
		const struct vma *v = vm_find(mm, s);
		if (v && v->end >= e && (v->flags & VM_PT)) {
			if (with)
				*with = L3_SPANS_MET(s, e) + 1;
			return L3_SPANS_MET(s, e) + 1;
		}
	}
	/* No mapping with tables in the 2 MiB spans [s, e) meets (the window
	 * of a fresh mapping, or what an unmap left), inside one 1 GiB span:
	 * there only the extra range needs L3 tables, and the 1 GiB span's
	 * table is needed if another mapping in it has tables or the extra
	 * range is there. Two searches settle it, with no count over spans. */
	if (g0 == g1 && !vm_tables_in(mm, b, ALIGN_UP(e, UVM_L3_SPAN))) {
		bool tg = vm_tables_in(mm, g0, g0 + UVM_L2_SPAN);
		if (with)
			*with = xs < xe ? L3_SPANS_MET(xs, xe) + 1 : tg;
		return tg;
	}
	return tables_counted(mm, s, e, xs, xe, with);
}



/* From the top down, gap by gap: the first that fits is the highest, and
 * is usually the one below the last mapping made. */
uint64_t vm_find_free_area(struct mm *mm, uint64_t len)
{
	uint64_t top = vm_mmap_top(mm);
	struct vma *above = vma_from(mm, top);      /* the first that ends past the top */
	struct vma *below = above ? above->prev : mm->vma_hint;   /* else the last VMA */
	uint64_t gap_end = above && above->start < top ? above->start : top;

	for (;;) {
		uint64_t gap_start = below ? below->end : USER_MIN_ADDR;
		if (gap_end > gap_start && gap_end - gap_start >= len)
			return gap_end - len;
		if (!below)
			return 0;
		gap_end = below->start;
		below = below->prev;
	}
}


static uint64_t overlap_pages(struct mm *mm, uint64_t s, uint64_t e, bool data_only)
{
	uint64_t n = 0;

	for (struct vma *v = vma_from(mm, s); v && v->start < e; v = v->next) {
		if (v->end <= s || (data_only && !vma_is_data(v)))
			continue;
		uint64_t cs = v->start > s ? v->start : s, ce = v->end < e ? v->end : e;
		n += PAGES(ce - cs);
	}
	return n;
}

bool vm_within_set_limits(struct mm *mm, uint64_t s, uint64_t e, bool data,
			  struct rlimits_view lim)
{
	uint64_t add = PAGES(e - s);
	uint64_t as = mm->total_vm - overlap_pages(mm, s, e, false) + add;
	uint64_t dv = mm->data_vm - overlap_pages(mm, s, e, true) + (data ? add : 0);

	if (lim.as != UINT64_MAX && as > PAGES(lim.as))
		return false;
	if (data && lim.data != UINT64_MAX && dv > PAGES(lim.data))
		return false;
	return true;
}

/* ---- the invariant checker ------------------------------------------------ */

static bool mapped_by_a_vma(struct mm *mm, uint64_t va)
{
	struct vma *v = vm_find(mm, va);
	return v && (v->flags & VM_PT);
}

void vm_check_tables(struct mm *mm)
{
	uint64_t va = uvm_first_stray(mm, mapped_by_a_vma);

	if (va != UINT64_MAX)
		panic("vm_check: a page-table entry at %lx with no mapping (mm %p)",
		      (unsigned long)va, (void *)mm);
}

void vm_check(struct mm *mm)
{
	uint64_t total = 0, data = 0, charged = 0, prev_end = 0;
	int count = 0;

	if (!mm)
		return;
	for (const struct vma *v = mm->vmas, *prev = NULL; v; prev = v, v = v->next, count++) {
		if (v->prev != prev)
			vm_broken(mm, v, "VMA list links broken");
		if ((v->start | v->end) & (PAGE_SIZE - 1) || v->start >= v->end)
			vm_broken(mm, v, "VMA not page-aligned or empty");
		if (v->start < prev_end)
			vm_broken(mm, v, "VMAs unsorted or overlapping");
		if (v->start < USER_MIN_ADDR || v->end > USER_TOP)
			vm_broken(mm, v, "VMA outside the user range");
		bool shared_obj = v->shm || (v->file.ops && (v->flags & VM_SHARED));
		if (shared_obj != !!(v->flags & (VM_SHARED | VM_IMAGE)))
			vm_broken(mm, v, "shared object and flags disagree");
		/* Charged stays charged (as Linux's VM_ACCOUNT) after mprotect. */
		if (vma_account_flag(v->prot, v->flags) && !(v->flags & VM_ACCOUNT))
			vm_broken(mm, v, "chargeable memory without VM_ACCOUNT");
		if ((v->flags & VM_ACCOUNT) && v->shm)
			vm_broken(mm, v, "a shared object charged again in its mapping");
		if (v->shm && v->shm->refs <= 0)
			vm_broken(mm, v, "shared object without references");
		if (vma_pt_flag(v->prot) && !(v->flags & VM_PT))
			vm_broken(mm, v, "a mapping that may hold pages without its tables charged");
		prev_end = v->end;
		total += vma_pages(v);
		if (vma_is_data(v))
			data += vma_pages(v);
		if (v->flags & VM_ACCOUNT)
			charged += vma_pages(v);
	}
	if (count != mm->map_count)
		vm_broken(mm, NULL, "map_count does not match the VMAs");
	if (total != mm->total_vm || data != mm->data_vm)
		vm_broken(mm, NULL, "total_vm or data_vm does not match the VMAs");
	if (charged + mm->pt_charged != mm->charged)
		vm_broken(mm, NULL, "charged pages do not match the VMAs and tables");
	if (mm->pt_charged != 1 + vm_tables_needed(mm, 0, USER_TOP, 0, 0, NULL))
		vm_broken(mm, NULL, "the table charge does not match what the mappings need");
	uint64_t kx = uvm_first_kernel_executable(mm);
	if (kx != UINT64_MAX)
		panic("vm_check: the user page at %lx is executable by the kernel (no PXN) (mm %p)",
		      (unsigned long)kx, (void *)mm);
	uint64_t tables = uvm_count_tables(mm);
	if (mm->pt_pages > mm->pt_charged || tables != mm->pt_pages)
		panic("vm_check: %lu page tables, %lu counted, %lu charged (mm %p)",
		      (unsigned long)tables, (unsigned long)mm->pt_pages,
		      (unsigned long)mm->pt_charged, (void *)mm);
}
