/* brk: the heap after the program's data, Linux's semantics (man 2 brk:
 * on any failure the unchanged break is returned). */
#include "mm/vma.h"
#include "mm/reserve.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "lib/uapi/errno.h"

/* The heap mapping that ends at the break (mprotect or MAP_FIXED may have
 * cut the heap into pieces: only the top one grows). */
static inline struct vma *heap_vma(struct mm *mm, uint64_t end)
{
	struct vma *v = end ? vm_find(mm, end - 1) : NULL;
	return v && (v->flags & VM_HEAP) && v->end == end ? v : NULL;
}

/*
 * Whether a heap whose top moves between a and b (either way) keeps the
 * page tables it needs: both tops' last pages lie in one 2 MiB span, which
 * the heap touches before and after (so its 1 GiB span too), and no other
 * span is met. Then the change is the usual brk's, made in place: only the
 * pages are charged or returned, with no reservation and no record
 * (mm/reserve.h's protocol with nothing left in it to fail but the charge).
 */
static bool brk_in_place(const struct vma *h, uint64_t a, uint64_t b)
{
	return h && (h->flags & (VM_PT | VM_ACCOUNT)) == (VM_PT | VM_ACCOUNT) &&
	       ALIGN_DOWN(a - 1, UVM_L3_SPAN) == ALIGN_DOWN(b - 1, UVM_L3_SPAN);
}

/*
 * The grow that takes a reservation (a new span's tables, or a new heap
 * record): 0 or -ENOMEM with nothing changed. Out of line, as the shrink
 * below: only their frames hold a reservation, so the usual brk's
 * needs no stack-protector check.
 */
static int __attribute__((noinline)) brk_grow_reserved(struct mm *mm, struct vma *h,
						       uint64_t old_end, uint64_t new_end)
{
	struct vm_reservation res;

	if (!h && mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	if (vm_reserve(&res, mm, h ? 0 : 1, PAGES(new_end - old_end), old_end, new_end) < 0)
		return -ENOMEM;
	if (h) {
		h->end = new_end;
	} else {
		h = vm_reserve_take_vma(&res);
		*h = (struct vma){ .start = old_end, .end = new_end,
				   .prot = PROT_READ | PROT_WRITE,
				   .flags = VM_HEAP | VM_ACCOUNT | VM_PT };
		vma_insert(mm, h);
	}
	vm_reserve_added_only(&res);
	vma_account(mm, h, PAGES(new_end - old_end), +1);
	vm_reserve_commit(&res);
	return 0;
}

/* Grows the heap h (NULL: none yet) from old_end to new_end; 0 or -ENOMEM
 * with nothing changed. */
static int brk_grow(struct mm *mm, struct vma *h, uint64_t old_end, uint64_t new_end)
{
	if (brk_in_place(h, old_end, new_end)) {
		uint64_t pages = PAGES(new_end - old_end);
		if (commit_charge(pages) < 0)
			return -ENOMEM;
		h->end = new_end;
		vma_account(mm, h, pages, +1);
		return 0;
	}
	return brk_grow_reserved(mm, h, old_end, new_end);
}

/* A shrink that is not in place: 0, or -ENOMEM with nothing changed. A
 * MAP_FIXED mapping over the heap's end may be cut in two: that takes a
 * record, as munmap does; the usual shrink takes none (and a reservation
 * of nothing cannot fail). */
static int __attribute__((noinline)) brk_shrink_unmap(struct mm *mm, uint64_t new_end,
						      uint64_t old_end)
{
	struct vm_reservation res;

	vm_reserve_span(&res, mm, 0, 0, 0, 0, new_end, old_end);
	if (vm_unmap_range(mm, new_end, old_end, NULL) == 0) {
		vm_trim_tables(mm, new_end, old_end);
		vm_reserve_commit(&res);
		return 0;
	}
	vm_reserve_cancel(&res);
	return vm_munmap(mm, new_end, old_end - new_end) < 0 ? -ENOMEM : 0;
}

static uint64_t do_brk(struct mm *mm, uint64_t addr, struct rlimits_view lim)
{
	uint64_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end;

	if (addr < mm->brk_start || addr > vm_mmap_top(mm))
		return mm->brk;
	new_end = ALIGN_UP(addr, PAGE_SIZE);
	struct vma *h;
	if (new_end < old_end && (h = heap_vma(mm, old_end)) && new_end > h->start &&
	    brk_in_place(h, new_end, old_end)) {
		/* In place, as vm_unmap_range would cut the heap's top: the span
		 * keeps its table, which the heap still needs. */
		uvm_unmap(mm, new_end, old_end);
		vma_account(mm, h, PAGES(old_end - new_end), -1);
		commit_uncharge(PAGES(old_end - new_end));
		h->end = new_end;
	} else if (new_end < old_end) {
		if (brk_shrink_unmap(mm, new_end, old_end) < 0)
			return mm->brk;
	} else if (new_end > old_end) {
		/* RLIMIT_DATA counts the heap with other private writable memory,
		 * as Linux's check_data_rlimit does. */
		if (!vm_within_limits(mm, old_end, new_end, true, lim))
			return mm->brk;
		/* A guard page must separate the heap from the next mapping:
		 * the heap's own next one, when the heap ends at the break (the
		 * lookup that finds it finds its neighbour too). */
		h = heap_vma(mm, old_end);
		uint64_t guard_end = new_end + PAGE_SIZE;
		if (h ? h->next && h->next->start < guard_end
		      : !vm_range_is_free(mm, old_end, guard_end))
			return mm->brk;
		if (brk_grow(mm, h, old_end, new_end) < 0)
			return mm->brk;
	}
	mm->brk = addr;
	return addr;
}

uint64_t vm_brk(struct mm *mm, uint64_t addr, struct rlimits_view lim)
{
	uint64_t r = do_brk(mm, addr, lim);

	vm_debug_check(mm);
	return r;
}
