/*
 * No overcommit as one protocol (mm/commit.h has the why). A change to an
 * address space first reserves everything that can fail: VMA records, the
 * commit charge of its pages, and the charge of the page tables its
 * mappings could need (made later, when pages are installed). Then it
 * either commits (changes the mappings, which cannot fail now, and settles
 * the table charge at what the new mappings need) or cancels (every
 * reservation undone, the address space as it was). Every caller in mm/
 * goes through this; none charges by hand.
 */
#ifndef BRAMBLE_MM_RESERVE_H
#define BRAMBLE_MM_RESERVE_H
#include "mm/vm.h"

#define RESERVE_MAX_VMAS 3

struct vm_reservation {
	struct mm *mm;
	struct vma *vmas[RESERVE_MAX_VMAS];   /* spare records, taken in order */
	int nvmas, taken;
	uint64_t pages;                       /* charged to the commit limit */
	uint64_t win_start, win_end;          /* where the change is made */
	uint64_t tables_before;               /* tables needed there before it */
	uint64_t tables;                      /* charged for tables it may add */
	bool added_only;                      /* the change only added the grow range */
};

/*
 * Reserves nvmas VMA records, a charge of pages, and the charge of the
 * tables that mappings with tables over [grow_start, grow_end) (empty:
 * none) would add, for a change made inside [win_start, win_end), which
 * holds the grow range. 0, or -ENOMEM with nothing held.
 */
int vm_reserve_span(struct vm_reservation *r, struct mm *mm, int nvmas, uint64_t pages,
		    uint64_t grow_start, uint64_t grow_end, uint64_t win_start, uint64_t win_end);
/* The usual case: the change is made where it may add tables. */
static inline int vm_reserve(struct vm_reservation *r, struct mm *mm, int nvmas, uint64_t pages,
			     uint64_t grow_start, uint64_t grow_end)
{
	return vm_reserve_span(r, mm, nvmas, pages, grow_start, grow_end, grow_start, grow_end);
}
void vm_reserve_overdrawn(void) __attribute__((noreturn, cold));
void vm_reserve_free_untaken(struct vm_reservation *r);

/* One of the reserved records, for the caller to fill in whole; taking more
 * than reserved is a bug. */
static inline struct vma *vm_reserve_take_vma(struct vm_reservation *r)
{
	if (r->taken >= r->nvmas)
		vm_reserve_overdrawn();
	return r->vmas[r->taken++];
}

/* The change is made: the page charge now belongs to the mappings, the
 * table charge is what they need (the rest returned); records not taken
 * are freed. */
void vm_reserve_commit(struct vm_reservation *r);
/* The change only added mappings over the grow range (nothing removed,
 * nothing else changed): the need after it is known, no count is made. */
static inline void vm_reserve_added_only(struct vm_reservation *r)
{
	r->added_only = true;
}
/* Nothing changed: the charges are returned, the records freed. */
void vm_reserve_cancel(struct vm_reservation *r);
#endif
