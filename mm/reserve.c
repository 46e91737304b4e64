/* The reserve → commit/cancel protocol of every address-space change. */
#include "mm/reserve.h"
#include "mm/vma.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"
#include "lib/panic.h"

void vm_reserve_free_untaken(struct vm_reservation *r)
{
	for (int i = r->taken; i < r->nvmas; i++)
		vma_free(r->mm, r->vmas[i]);
	r->nvmas = r->taken;
}

int vm_reserve_span(struct vm_reservation *r, struct mm *mm, int nvmas, uint64_t pages,
		    uint64_t grow_start, uint64_t grow_end, uint64_t win_start, uint64_t win_end)
{
	if (nvmas > RESERVE_MAX_VMAS)
		panic("vm_reserve: %d records asked for", nvmas);
	/* Field by field: the record array needs no zeroing (hot path). */
	r->mm = mm;
	r->nvmas = r->taken = 0;
	r->pages = r->tables = r->tables_before = 0;
	r->added_only = false;
	/* No mapping with tables there, and none coming: the tables stay as
	 * they are, and nothing need be counted. Inside one 2 MiB span the
	 * test is whether the span has any (found from the neighbours); if
	 * it has, the need there is known: its table and its 1 GiB span's. */
	uint64_t span = ALIGN_DOWN(win_start, UVM_L3_SPAN);
	bool small = span == ALIGN_DOWN(win_end - 1, UVM_L3_SPAN);
	bool known = false;
	if (grow_start >= grow_end && win_start < win_end) {
		if (small ? !vm_tables_in(mm, span, span + UVM_L3_SPAN)
			  : !vm_tables_in(mm, win_start, win_end))
			win_start = win_end = 0;
		else if (small)
			r->tables_before = 2, known = true;
	}
	r->win_start = win_start;
	r->win_end = win_end;
	if (win_start < win_end && !known) {
		uint64_t with;
		r->tables_before = vm_tables_needed(mm, win_start, win_end, grow_start, grow_end,
						    &with);
		r->tables = with - r->tables_before;
	}
	/* The charge first: the likeliest failure, and the cheapest to try. */
	if (pages + r->tables && commit_charge(pages + r->tables) < 0) {
		r->tables = 0;
		return -ENOMEM;
	}
	r->pages = pages;
	/* The tables are the mm's at once: the change may make them before
	 * it commits (a move fills its destination first). */
	mm->pt_charged += r->tables;
	mm->charged += r->tables;
	for (; r->nvmas < nvmas; r->nvmas++) {
		/* Not zeroed: a record taken is filled in whole (reserve.h). */
		struct vma *spare = mm->spare_vma;
		if (!(r->vmas[r->nvmas] = kalloc_uninit_reuse(spare, sizeof(struct vma))))
			goto fail;
		if (r->vmas[r->nvmas] == spare)
			mm->spare_vma = NULL;
	}
	return 0;
fail:
	vm_reserve_cancel(r);
	return -ENOMEM;
}

static void uncharge_tables(struct mm *mm, uint64_t n)
{
	if (!n)
		return;
	commit_uncharge(n);
	mm->pt_charged -= n;
	mm->charged -= n;
}

void vm_reserve_overdrawn(void)
{
	panic("vm_reserve: more VMA records taken than reserved");
}

void vm_reserve_commit(struct vm_reservation *r)
{
	if (r->win_start < r->win_end) {
		struct mm *mm = r->mm;
		uint64_t most = r->tables_before + r->tables;
		uint64_t after = r->added_only ? most
					       : vm_tables_needed(mm, r->win_start, r->win_end, 0, 0,
								  NULL);
		if (after > most)
			panic("vm_reserve: %lu page tables needed, %lu reserved",
			      (unsigned long)after, (unsigned long)most);
		uncharge_tables(mm, most - after);
		r->win_start = r->win_end = 0;
	}
	if (r->taken < r->nvmas)
		vm_reserve_free_untaken(r);
}

void vm_reserve_cancel(struct vm_reservation *r)
{
	if (r->taken)
		panic("vm_reserve: cancel after records were used");
	if (r->pages)
		commit_uncharge(r->pages);
	uncharge_tables(r->mm, r->tables);
	vm_reserve_free_untaken(r);
	r->pages = r->tables = 0;
	r->win_start = r->win_end = 0;
}
