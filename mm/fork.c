/* fork's copy of an address space: private pages copied, shared ones shared. */
#include "mm/vma.h"
#include "mm/reserve.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "lib/uapi/errno.h"
#include <string.h>

/* Copies one VMA's pages into child (its tables are reserved), one L3
 * table at a time. */
static void copy_pages(struct mm *child, struct mm *parent, const struct vma *v)
{
	for (uint64_t va = v->start; va < v->end;) {
		uint64_t stop = ALIGN_DOWN(va, UVM_L3_SPAN) + UVM_L3_SPAN;
		pte_t *pe = uvm_pte(parent, va), *ce = uvm_pte(child, va);
		if (stop > v->end)
			stop = v->end;
		for (; pe && va < stop; va += PAGE_SIZE, pe++, ce++) {
			if (!*pe)
				continue;
			phys_addr_t pa = pte_page(*pe);
			if (*pe & PTE_SW_OWNED) {
				phys_addr_t copy = alloc_charged_page();   /* charged with the VMA */
				memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
				uvm_install_at(child, ce, va, copy, v->prot, true);
			} else {
				uvm_install_at(child, ce, va, pa, v->prot, false);
			}
		}
		va = stop;
	}
}

struct mm *vm_fork(struct mm *parent, int *err)
{
	struct mm *child = vm_create();
	struct vma **tail;
	struct vm_reservation res;

	*err = -ENOMEM;
	if (!child)
		return NULL;
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->stack_limit = parent->stack_limit;
	child->arg_start = parent->arg_start, child->arg_end = parent->arg_end;
	child->env_start = parent->env_start, child->env_end = parent->env_end;
	child->start_stack = parent->start_stack;
	tail = &child->vmas;
	for (struct vma *v = parent->vmas; v; v = v->next) {
		uint64_t charge = (v->flags & VM_ACCOUNT) ? vma_pages(v) : 0;
		if (vm_reserve(&res, child, 1, charge, v->start, v->end) < 0) {
			vm_put(child);
			return NULL;
		}
		struct vma *nv = vm_reserve_take_vma(&res);
		*nv = *v;
		nv->next = NULL;
		vma_hold_objects(nv);
		*tail = nv;
		tail = &nv->next;
		child->map_count++;
		vma_account(child, nv, vma_pages(nv), +1);
		copy_pages(child, parent, v);
		vm_reserve_commit(&res);
	}
	vm_debug_check(parent);
	vm_debug_check(child);
	*err = 0;
	return child;
}
