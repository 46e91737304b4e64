/* Demand faults on user memory, and the stack's growth below its mapping. */
#include "mm/vma.h"
#include "mm/reserve.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "lib/panic.h"
#include <string.h>
#include "arch/arm64/page.h"

/* The stack grows down on a fault just below it, within RLIMIT_STACK.
 * Out of line: its reservation would give every fault a stack-protector
 * check. */
static struct vma *__attribute__((noinline)) grow_stack(struct mm *mm, uint64_t addr)
{
	struct vma *v = mm->vmas, *prev = NULL;
	struct vm_reservation res;

	while (v && v->end <= addr) {
		prev = v;
		v = v->next;
	}
	if (!v || !(v->flags & VM_STACK) || addr >= v->start)
		return NULL;
	uint64_t s = ALIGN_DOWN(addr, PAGE_SIZE);
	if (USER_STACK_TOP - s > mm->stack_limit)
		return NULL;
	if (prev && prev->end + USER_STACK_GAP > s)
		return NULL;
	if (vm_reserve(&res, mm, 0, PAGES(v->start - s), s, v->start) < 0)
		return NULL;
	vma_account(mm, v, PAGES(v->start - s), +1);
	v->start = s;
	vm_reserve_added_only(&res);
	vm_reserve_commit(&res);
	vm_debug_check(mm);
	return v;
}

static bool access_allowed(const struct vma *v, bool write, bool exec)
{
	if (write)
		return v->prot & PROT_WRITE;
	if (exec)
		return v->prot & PROT_EXEC;
	return v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
}

static uint64_t file_index(const struct vma *v, uint64_t page_va)
{
	return v->pgoff + PAGES(page_va - v->start);
}

/* A private file page's contents (zeros past the file's data); false
 * past the file's end (SIGBUS, as Linux). The file cases are kept out of
 * vm_fault: their locals, written by the file's page operation, would
 * give the anonymous fault a stack-protector check. */
static bool __attribute__((noinline)) fill_from_file(const struct vma *v, uint64_t page_va,
						     uint8_t *page)
{
	phys_addr_t src;

	if (v->file.ops->page(v->file.obj, file_index(v, page_va), false, &src) < 0)
		return false;
	if (src)
		memcpy(page, phys_to_virt(src), PAGE_SIZE);
	return true;
}

/* Fills a fresh page for a private mapping: file contents or zeros;
 * false past the file's end (SIGBUS, as Linux). */
static bool fill_private_page(const struct vma *v, uint64_t page_va, uint8_t *page)
{
	clear_page(page);
	return !v->file.ops || fill_from_file(v, page_va, page);
}

/* A shared file mapping's fault maps the file's own page: a hole is
 * filled (charged to the file's filesystem); past the end or out of
 * space is SIGBUS. */
static int __attribute__((noinline)) fault_shared_file(struct mm *mm, const struct vma *v,
							pte_t *e, uint64_t page_va)
{
	phys_addr_t pa;

	if (v->file.ops->page(v->file.obj, file_index(v, page_va), true, &pa) < 0 || !pa)
		return VM_FAULT_SIGBUS;
	if (v->prot & PROT_EXEC)
		sync_icache(phys_to_virt(pa), PAGE_SIZE);
	uvm_install_at(mm, e, page_va, pa, v->prot, false);
	return VM_FAULT_OK;
}

/*
 * A write to a page fork left shared: the writer gets its own copy, which
 * its mapping's charge pays for (each address space is charged for every
 * private page it maps, shared or not), so this never fails; the last user
 * just takes the page back writable.
 */
static int break_cow(struct mm *mm, const struct vma *v, pte_t *e, uint64_t page_va)
{
	phys_addr_t old = pte_page(*e);

	if (page_ref_count(old) == 1) {
		uvm_install_at(mm, e, page_va, old, v->prot, true);
		return VM_FAULT_OK;
	}
	phys_addr_t copy = alloc_charged_page();
	memcpy(phys_to_virt(copy), phys_to_virt(old), PAGE_SIZE);
	if (v->prot & PROT_EXEC)
		sync_icache(phys_to_virt(copy), PAGE_SIZE);
	uvm_install_at(mm, e, page_va, copy, v->prot, true);
	page_ref_put(old);
	return VM_FAULT_OK;
}

static bool is_cow(pte_t e)
{
	return (e & (PTE_SW_OWNED | PTE_VALID | PTE_RDONLY)) == (PTE_SW_OWNED | PTE_VALID | PTE_RDONLY);
}

int vm_fault(struct mm *mm, uint64_t addr, bool write, bool exec)
{
	struct vma *v = vm_find(mm, addr);
	uint64_t page_va = ALIGN_DOWN(addr, PAGE_SIZE);

	if (!v)
		v = grow_stack(mm, addr);
	if (!v || !access_allowed(v, write, exec))
		return VM_FAULT_SIGSEGV;
	pte_t *e = uvm_pte_alloc(mm, page_va);
	if (write && is_cow(*e))     /* the mapping allows the write: checked above */
		return break_cow(mm, v, e, page_va);
	if (*e && !(write && pte_page(*e) == zero_page())) {
		/* Present: the access may proceed only if the entry allows it now
		 * (it may have raced in); anything else would fault for ever. */
		return uvm_pte_allows(*e, write, exec) ? VM_FAULT_OK : VM_FAULT_SIGBUS;
	}

	if (v->shm) {
		phys_addr_t pa = shm_page(v, page_va);
		if (!pa)
			return VM_FAULT_SIGBUS;
		uvm_install_at(mm, e, page_va, pa, v->prot, false);
		return VM_FAULT_OK;
	}
	if (v->file.ops && (v->flags & VM_SHARED))
		return fault_shared_file(mm, v, e, page_va);
	if (!(v->flags & VM_ACCOUNT)) {
		/* Never-writable private memory reads as zeros. */
		uvm_install_at(mm, e, page_va, zero_page(), v->prot, false);
		return VM_FAULT_OK;
	}
	phys_addr_t pa = alloc_charged_page();
	if (!fill_private_page(v, page_va, phys_to_virt(pa))) {
		free_pages(pa, 0);
		return VM_FAULT_SIGBUS;
	}
	if (v->prot & PROT_EXEC)
		sync_icache(phys_to_virt(pa), PAGE_SIZE);
	uvm_install_at(mm, e, page_va, pa, v->prot, true);
	return VM_FAULT_OK;
}

phys_addr_t vm_user_page(struct mm *mm, uint64_t addr, bool write)
{
	/* Callers check the range first (mm/uaccess.c); a kernel address must
	 * never index the user tables, whose walk ignores the top bits. */
	if (addr >= USER_TOP)
		return 0;
	struct vma *v = vm_find(mm, addr);

	if (!v || !access_allowed(v, write, false))
		return 0;
	pte_t *e = uvm_pte(mm, addr);
	if (!e || !uvm_pte_allows(*e, write, false) || (write && pte_page(*e) == zero_page())) {
		if (vm_fault(mm, addr, write, false) != VM_FAULT_OK)
			return 0;
		e = uvm_pte(mm, addr);
	}
	return pte_page(*e) + (addr & (PAGE_SIZE - 1));
}
