/*
 * No overcommit as one protocol (mm/commit.h has the why). A change to an
 * address space first reserves everything that can fail: VMA records, the
 * commit charge, page tables over the range it will map. Then it either
 * commits (changes the mappings, which cannot fail now) or cancels (every
 * reservation undone, the address space as it was). Every caller in mm/
 * goes through this; none charges or prepares tables by hand.
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
	uint64_t tables_start, tables_end;    /* tables prepared over this range */
};

/*
 * Reserves nvmas VMA records, a charge of pages, and page tables over
 * [tables_start, tables_end) (empty: none). 0, or -ENOMEM with nothing held.
 */
int vm_reserve(struct vm_reservation *r, struct mm *mm, int nvmas, uint64_t pages,
	       uint64_t tables_start, uint64_t tables_end);
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

/* The change is made: the charge and tables now belong to the mappings;
 * records not taken are freed. */
static inline void vm_reserve_commit(struct vm_reservation *r)
{
	if (r->taken < r->nvmas)
		vm_reserve_free_untaken(r);
}
/* Nothing changed: the charge is returned, tables no mapping needs freed,
 * the records freed. */
void vm_reserve_cancel(struct vm_reservation *r);
#endif
