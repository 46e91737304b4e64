/*
 * fork's copy of an address space: every mapping copied, private pages
 * shared copy-on-write (mm/uvm.c uvm_share, mm/fault.c break_cow), shared
 * ones shared.
 *
 * The child is charged at fork for everything it may come to need, as
 * Linux's strict mode charges a private writable mapping in full: a page
 * for each private page it maps (the copy a later write may make) and
 * the page tables of its mappings (as many as the parent's). So a write
 * fault after fork never fails, and a fork that cannot have the charge
 * returns -ENOMEM.
 */
#include "mm/vma.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"

static void free_records(struct vma *list)
{
	while (list) {
		struct vma *next = list->next;
		kfree(list);
		list = next;
	}
}

/* A record for each of parent's mappings, in order, or NULL. */
static struct vma *alloc_records(struct mm *parent)
{
	struct vma *head = NULL, **tail = &head;

	for (struct vma *v = parent->vmas; v; v = v->next) {
		struct vma *nv = kalloc_uninit(sizeof(*nv));   /* copied whole below */
		if (!nv) {
			free_records(head);
			return NULL;
		}
		nv->next = NULL;
		*tail = nv;
		tail = &nv->next;
	}
	return head;
}

struct mm *vm_fork(struct mm *parent, int *err)
{
	struct mm *child = vm_create();
	uint64_t tables = parent->pt_charged - 1;        /* the child has its root */
	uint64_t pages = parent->charged - parent->pt_charged;

	*err = -ENOMEM;
	if (!child)
		return NULL;
	struct vma *records = parent->vmas ? alloc_records(parent) : NULL;
	if ((parent->vmas && !records) || commit_charge(pages + tables) < 0) {
		free_records(records);
		vm_put(child);
		return NULL;
	}
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->stack_limit = parent->stack_limit;
	child->arg_start = parent->arg_start, child->arg_end = parent->arg_end;
	child->env_start = parent->env_start, child->env_end = parent->env_end;
	child->start_stack = parent->start_stack;
	child->pt_charged += tables;
	child->charged += tables;      /* the pages come with the mappings */

	struct vma **tail = &child->vmas, *nv = records, *prev = NULL;
	for (struct vma *v = parent->vmas; v && nv; v = v->next) {   /* as many of each */
		struct vma *next_record = nv->next;
		*nv = *v;
		nv->next = NULL;
		nv->prev = prev;
		prev = nv;
		vma_hold_objects(nv);
		*tail = nv;
		tail = &nv->next;
		child->map_count++;
		vma_account(child, nv, vma_pages(nv), +1);
		if (v->flags & VM_PT)
			uvm_share(child, parent, v->start, v->end);
		nv = next_record;
	}
	vm_debug_check(parent);
	vm_debug_check(child);
	*err = 0;
	return child;
}
