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





void vma_insert(struct mm *mm, struct vma *n)
{
	struct vma **pp = &mm->vmas;

	while (*pp && (*pp)->start < n->start)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
	mm->map_count++;
}

void vma_unlink(struct mm *mm, struct vma *v)
{
	struct vma **pp = &mm->vmas;

	while (*pp != v)
		pp = &(*pp)->next;
	*pp = v->next;
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
	v->next = spare;
	mm->map_count++;
}

int vma_spares_to_unmap(struct mm *mm, uint64_t s, uint64_t e)
{
	struct vma *v = vm_find(mm, s);
	return (v && v->start < s && v->end > e) ? 1 : 0;
}

bool vma_fully_mapped(struct mm *mm, uint64_t s, uint64_t e)
{
	uint64_t at = s;

	for (struct vma *v = vm_find(mm, s); v && at < e; v = v->next) {
		if (v->start > at)
			return false;
		at = v->end;
	}
	return at >= e;
}

int vm_unmap_range(struct mm *mm, uint64_t s, uint64_t e, struct vm_reservation *res)
{
	struct vma *v = mm->vmas, *next;

	for (; v && v->start < e; v = next) {
		next = v->next;
		if (v->end <= s)
			continue;
		if (v->start < s && v->end > e) {      /* a hole in the middle: */
			if (!res)                      /* the only VMA [s, e) touches */
				return -ENOMEM;
			vma_split(mm, v, e, vm_reserve_take_vma(res));
			next = v->next;
		}
		uint64_t cs = v->start > s ? v->start : s;
		uint64_t ce = v->end < e ? v->end : e;
		vma_account(mm, v, PAGES(ce - cs), -1);
		if (v->flags & VM_ACCOUNT)
			commit_uncharge(PAGES(ce - cs));
		uvm_unmap(mm, cs, ce);
		if (cs == v->start && ce == v->end) {
			vma_unlink(mm, v);
			vma_drop_objects(v);
			kfree(v);
		} else if (cs == v->start) {
			v->pgoff += PAGES(ce - v->start);
			v->start = ce;
		} else {
			v->end = cs;
		}
	}
	return 0;
}

/* Every mapping keeps the tables of its whole range (faults never
 * allocate), so only spans no VMA touches lose theirs. */
void vm_trim_tables(struct mm *mm, uint64_t s, uint64_t e)
{
	for (uint64_t b = ALIGN_DOWN(s, UVM_L3_SPAN); b < e; b += UVM_L3_SPAN)
		if (vm_range_is_free(mm, b, b + UVM_L3_SPAN))
			uvm_free_l3(mm, b);
	for (uint64_t g = ALIGN_DOWN(s, UVM_L2_SPAN); g < e; g += UVM_L2_SPAN)
		if (vm_range_is_free(mm, g, g + UVM_L2_SPAN))
			uvm_free_l2(mm, g);
}


uint64_t vm_find_free_area(struct mm *mm, uint64_t len)
{
	uint64_t top = vm_mmap_top(mm), best = 0, prev_end = USER_MIN_ADDR;

	for (struct vma *v = mm->vmas;; v = v->next) {
		uint64_t gap_end = v ? v->start : top;
		if (gap_end > top)
			gap_end = top;
		if (gap_end > prev_end && gap_end - prev_end >= len)
			best = gap_end - len;
		if (!v || v->start >= top)
			break;
		if (v->end > prev_end)
			prev_end = v->end;
	}
	return best;
}


static uint64_t overlap_pages(struct mm *mm, uint64_t s, uint64_t e, bool data_only)
{
	uint64_t n = 0;

	for (struct vma *v = mm->vmas; v && v->start < e; v = v->next) {
		if (v->end <= s || (data_only && !vma_is_data(v)))
			continue;
		uint64_t cs = v->start > s ? v->start : s, ce = v->end < e ? v->end : e;
		n += PAGES(ce - cs);
	}
	return n;
}

bool vm_within_limits(struct mm *mm, uint64_t s, uint64_t e, bool data,
		      const struct rlimits_view *lim)
{
	if (lim->as == UINT64_MAX && (!data || lim->data == UINT64_MAX))
		return true;              /* the usual case: no walk over the VMAs */
	uint64_t add = PAGES(e - s);
	uint64_t as = mm->total_vm - overlap_pages(mm, s, e, false) + add;
	uint64_t dv = mm->data_vm - overlap_pages(mm, s, e, true) + (data ? add : 0);

	if (lim->as != UINT64_MAX && as > PAGES(lim->as))
		return false;
	if (data && lim->data != UINT64_MAX && dv > PAGES(lim->data))
		return false;
	return true;
}

/* ---- the invariant checker ------------------------------------------------ */

static bool mapped_by_a_vma(struct mm *mm, uint64_t va)
{
	return vm_find(mm, va) != NULL;
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
	for (const struct vma *v = mm->vmas; v; v = v->next, count++) {
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
		for (uint64_t b = ALIGN_DOWN(v->start, UVM_L3_SPAN); b < v->end;
		     b += UVM_L3_SPAN)
			if (!uvm_pte(mm, b > v->start ? b : v->start))
				vm_broken(mm, v, "no page table under a mapping");
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
	if (charged + mm->pt_pages != mm->charged)
		vm_broken(mm, NULL, "charged pages do not match the VMAs and tables");
}
