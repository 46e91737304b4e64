/*
 * Address spaces: making one, sharing it (vfork), dropping it, and
 * switching to it. The memory system calls are in mmap.c, mremap.c and
 * brk.c, faults in fault.c, fork's copy in fork.c; all keep to the
 * reserve → commit/cancel protocol of reserve.h (no overcommit, see
 * mm/commit.h), so each either succeeds or leaves the mappings as they were.
 */
#include "mm/vma.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "arch/arm64/mmu_context.h"

static struct mm *all_mms;

struct mm *vm_create(void)
{
	struct mm *mm = kalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	if (uvm_init(mm) < 0) {      /* its root table, charged */
		kfree(mm);
		return NULL;
	}
	mm->users = 1;
	mm->next_mm = all_mms;
	if (all_mms)
		all_mms->prev_mm = mm;
	all_mms = mm;
	return mm;
}

void vm_object_unmap_from(void *obj, uint64_t first)
{
	for (struct mm *mm = all_mms; mm; mm = mm->next_mm)
		for (struct vma *v = mm->vmas; v; v = v->next) {
			if (v->file.obj != obj || !(v->flags & VM_SHARED))
				continue;
			uint64_t last = v->pgoff + vma_pages(v);
			if (last <= first)
				continue;
			uint64_t from = first > v->pgoff ? v->start + ((first - v->pgoff) << PAGE_SHIFT) : v->start;
			uvm_unmap(mm, from, v->end);   /* not owned: the file keeps its pages */
		}
}

struct mm *vm_share(struct mm *mm)
{
	mm->users++;
	return mm;
}

void vm_put(struct mm *mm)
{
	if (!mm || --mm->users > 0)
		return;
	if (vm_debug_checks) {
		vm_check(mm);
		vm_check_tables(mm);
	}
	/* The pages where the mappings are (the walk skips what is empty),
	 * then their tables, empty now: the cost follows the mappings. */
	for (struct vma *m = mm->vmas; m; m = m->next)
		if (m->flags & VM_PT)
			uvm_unmap_unused(mm, m->start, m->end);
	for (struct vma *m = mm->vmas; m; m = m->next)
		if (m->flags & VM_PT)
			uvm_drop_l3_unused(mm, m->start, m->end);
	struct vma *v = mm->vmas;
	mm->vma_hint = NULL;
	while (v) {
		struct vma *next = v->next;
		vma_drop_objects(v);
		kfree(v);
		v = next;
	}
	kfree(mm->spare_vma);
	uvm_free(mm);
	commit_uncharge(mm->charged);      /* its pages and its tables */
	mm->charged = mm->pt_charged = 0;
	if (mm->prev_mm)
		mm->prev_mm->next_mm = mm->next_mm;
	else
		all_mms = mm->next_mm;
	if (mm->next_mm)
		mm->next_mm->prev_mm = mm->prev_mm;
	kfree(mm);
}

/* TTBR0 when no process runs: a table that maps nothing (ASID 0). */
static pte_t empty_pgd[512] __attribute__((aligned(4096)));

void vm_activate(struct mm *mm)
{
	cpu_set_ttbr0(mm ? ttbr0_value(virt_to_phys(mm->pgd), mm->asid)
			 : table_to_phys(empty_pgd));
}
