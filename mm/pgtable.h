/*
 * The page-table walker, one for the kernel's tables (TTBR1, mm/mmu.c) and
 * every process's (TTBR0, mm/uvm.c). A tree differs only in how its tables
 * are reached (struct pt_ops) and who pays for new ones (the allocator a
 * caller gives). Inline, so that each caller's walk compiles to the loads
 * and shifts it needs and nothing else.
 */
#ifndef BRAMBLE_PGTABLE_H
#define BRAMBLE_PGTABLE_H
#include "lib/types.h"
#include "arch/arm64/barrier.h"
#include "arch/arm64/pgtable-hwdef.h"

typedef uint64_t pte_t;

/* How a tree's tables are reached. */
struct pt_ops {
	pte_t *(*table)(phys_addr_t pa);       /* the table at pa, as a pointer */
	phys_addr_t (*phys)(const pte_t *t);   /* and back, for a table descriptor */
};

/* A zeroed table page, or NULL. */
typedef pte_t *(*pt_alloc_fn)(void *arg);

/* The index of va's entry in a table at level (1..3). */
static inline unsigned pt_index(uint64_t va, int level)
{
	return (va >> PT_LEVEL_SHIFT(level)) & (PTRS_PER_TABLE - 1);
}

/* The table entry e links to, or NULL when e is not valid. Entries above
 * the last level are tables wherever a walk goes (blocks end walks early:
 * the kernel's linear map is made with blocks and never walked into). */
static inline pte_t *pt_table(const struct pt_ops *ops, pte_t e)
{
	return (e & PTE_VALID) ? ops->table(e & PTE_ADDR_MASK) : NULL;
}

/* The table under entry *e. When there is none and alloc is given, a new
 * one from alloc(arg), linked in once its zeroes are visible to the walker;
 * NULL when there is none or alloc fails. */
static inline pte_t *pt_next(const struct pt_ops *ops, pte_t *e, pt_alloc_fn alloc, void *arg)
{
	pte_t *t = pt_table(ops, *e);

	if (t || !alloc)
		return t;
	t = alloc(arg);
	if (!t)
		return NULL;
	dsb(ishst);
	*e = ops->phys(t) | PTE_TABLE;
	return t;
}

/* The entry for va at level (1: 1 GiB, 2: 2 MiB, 3: 4 KiB) in the tree
 * under root, making the tables on the way with alloc(arg) if alloc is not
 * NULL. NULL when a table on the way is missing (or could not be made). */
static inline pte_t *pt_walk(const struct pt_ops *ops, pte_t *root, uint64_t va, int level,
			     pt_alloc_fn alloc, void *arg)
{
#pragma GCC unroll 3          /* each caller's level is a constant: no loop left */
	for (int l = 1; l < level; l++) {
		root = pt_next(ops, &root[pt_index(va, l)], alloc, arg);
		if (!root)
			return NULL;
	}
	return &root[pt_index(va, level)];
}
#endif
