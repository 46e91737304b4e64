/* The reserve → commit/cancel protocol of every address-space change. */
#include "mm/reserve.h"
#include "mm/vma.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"
#include "kernel/panic.h"
#include <string.h>

static void free_untaken(struct vm_reservation *r)
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
	*r = (struct vm_reservation){ .mm = mm };
	for (; r->nvmas < nvmas; r->nvmas++)
		if (!(r->vmas[r->nvmas] = kalloc(sizeof(struct vma))))
			goto fail;
	if (pages && commit_charge(pages) < 0)
		goto fail;
	r->pages = pages;
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

struct vma *vm_reserve_take_vma(struct vm_reservation *r)
{
	if (r->taken >= r->nvmas)
		panic("vm_reserve: more VMA records taken than reserved");
	struct vma *v = r->vmas[r->taken++];
	memset(v, 0, sizeof(*v));
	return v;
}

void vm_reserve_commit(struct vm_reservation *r)
{
	free_untaken(r);
}

void vm_reserve_cancel(struct vm_reservation *r)
{
	if (r->taken)
		panic("vm_reserve: cancel after records were used");
	if (r->tables_start < r->tables_end)
		vm_trim_tables(r->mm, r->tables_start, r->tables_end);
	if (r->pages)
		commit_uncharge(r->pages);
	free_untaken(r);
	*r = (struct vm_reservation){ .mm = r->mm };
}
