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
		kfree(r->vmas[i]);
	r->nvmas = r->taken;
}

int vm_reserve(struct vm_reservation *r, struct mm *mm, int nvmas, uint64_t pages,
	       uint64_t tables_start, uint64_t tables_end)
{
	if (nvmas > RESERVE_MAX_VMAS)
		panic("vm_reserve: %d records asked for", nvmas);
	/* Field by field: the record array needs no zeroing (hot path). */
	r->mm = mm;
	r->nvmas = r->taken = 0;
	r->pages = 0;
	r->tables_start = r->tables_end = 0;
	/* The charge first: the likeliest failure, and the cheapest to try. */
	if (pages && commit_charge(pages) < 0)
		return -ENOMEM;
	r->pages = pages;
	for (; r->nvmas < nvmas; r->nvmas++)
		if (!(r->vmas[r->nvmas] = kalloc(sizeof(struct vma))))
			goto fail;
	if (tables_start < tables_end) {
		r->tables_start = tables_start;
		r->tables_end = tables_end;
		if (uvm_prepare(mm, tables_start, tables_end) < 0)
			goto fail;
	}
	return 0;
fail:
	vm_reserve_cancel(r);
	return -ENOMEM;
}

void vm_reserve_overdrawn(void)
{
	panic("vm_reserve: more VMA records taken than reserved");
}


void vm_reserve_cancel(struct vm_reservation *r)
{
	if (r->taken)
		panic("vm_reserve: cancel after records were used");
	if (r->tables_start < r->tables_end)
		vm_trim_tables(r->mm, r->tables_start, r->tables_end);
	if (r->pages)
		commit_uncharge(r->pages);
	vm_reserve_free_untaken(r);
	r->pages = 0;
	r->tables_start = r->tables_end = 0;
}
