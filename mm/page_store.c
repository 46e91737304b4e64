/* The radix tree of a file's pages (see mm/page_store.h). */
#include "mm/page_store.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "mm/mmu.h"
#include "lib/uapi/errno.h"
#include "lib/irq_window.h"

#define SLOT_BITS 9
#define SLOTS     (1u << SLOT_BITS)

/* A node's slots: child nodes (kernel VA) above the leaves, data pages
 * (physical addresses) in the leaves. */
typedef uint64_t slot_t;

/* Index bits the tree covers at this height (0: only index 0). */
static unsigned span_bits(unsigned height)
{
	return height * SLOT_BITS;
}

static bool fits(unsigned height, uint64_t idx)
{
	return span_bits(height) >= 64 || (idx >> span_bits(height)) == 0;
}

/* A charged, zeroed page: its VA, or NULL (-ENOSPC over the limit, -ENOMEM). */
static void *charged_page(int *err)
{
	if (commit_charge(1) < 0) {
		*err = -ENOSPC;
		return NULL;
	}
	void *p = kalloc_pages(0);
	if (!p) {
		commit_uncharge(1);
		*err = -ENOMEM;
	}
	return p;
}

static void free_charged_page(void *va)
{
	kfree_pages(va, 0);
	commit_uncharge(1);
}

/* Grows the tree until idx fits: 0 or -errno. */
static int grow(struct page_store *ps, uint64_t idx)
{
	int err = 0;

	while (!fits(ps->height, idx)) {
		if (!ps->root) {
			ps->height++;
			continue;
		}
		slot_t *n = charged_page(&err);
		if (!n)
			return err;
		n[0] = (slot_t)ps->root;
		ps->root = n;
		ps->height++;
		ps->nodes++;
	}
	return 0;
}

/* The leaf slot of idx, the tree grown and its nodes made as needed when
 * make is set: NULL with *err 0 (no slot, make unset) or -errno. */
static slot_t *leaf_slot(struct page_store *ps, uint64_t idx, bool make, int *err)
{
	*err = 0;
	if (ps->height == 0)
		ps->height = 1;       /* the least tree: one leaf node */
	if (!fits(ps->height, idx)) {
		if (!make || (*err = grow(ps, idx)))
			return NULL;
	}
	if (!ps->root) {
		if (!make || !(ps->root = charged_page(err)))
			return NULL;
		ps->nodes++;
	}
	slot_t *n = ps->root;
	for (unsigned h = ps->height; h > 1; h--) {
		slot_t *s = &n[(idx >> span_bits(h - 1)) & (SLOTS - 1)];
		if (!*s) {
			void *child = make ? charged_page(err) : NULL;
			if (!child)
				return NULL;
			*s = (slot_t)child;
			ps->nodes++;
		}
		n = (slot_t *)*s;
	}
	return &n[idx & (SLOTS - 1)];
}

int page_store_get(struct page_store *ps, uint64_t idx, struct page_quota *q, phys_addr_t *pa)
{
	int err;
	slot_t *leaf = leaf_slot(ps, idx, q != NULL, &err);

	*pa = 0;
	if (!leaf)
		return err;
	if (!*leaf && q) {
		if (q->used >= q->limit)
			return -ENOSPC;
		void *page = charged_page(&err);
		if (!page)
			return err;
		*leaf = virt_to_phys(page);
		q->used++;
		ps->pages++;
	}
	*pa = *leaf;
	return 0;
}

/* Puts up to n pages of the run at pa into the leaf of idx's slots, the
 * leaf's room bounding n: how many, or -errno when none. */
static long put_in_leaf(struct page_store *ps, uint64_t idx, struct page_quota *q, phys_addr_t pa,
			uint64_t n)
{
	int err;
	slot_t *leaf = leaf_slot(ps, idx, true, &err);
	uint64_t room = SLOTS - (idx & (SLOTS - 1)), k = 0;

	if (!leaf)
		return err;
	if (n > room)
		n = room;
	while (k < n && !leaf[k])
		k++;
	if (!k)
		return -EEXIST;
	if (q->limit - q->used < k)
		return -ENOSPC;
	if (commit_charge(k) < 0)
		return -ENOSPC;
	for (uint64_t j = 0; j < k; j++)
		leaf[j] = pa + j * PAGE_SIZE;
	q->used += k;
	ps->pages += k;
	return (long)k;
}

int page_store_put_run(struct page_store *ps, uint64_t idx, struct page_quota *q, phys_addr_t pa,
		       uint64_t n, uint64_t *done)
{
	*done = 0;
	while (*done < n) {
		long k = put_in_leaf(ps, idx + *done, q, pa + *done * PAGE_SIZE, n - *done);
		if (k < 0)
			return (int)k;
		*done += (uint64_t)k;
	}
	return 0;
}

/* Frees the pages at index >= first below node n of height h covering
 * indices from base; true when the node is left empty. */
static bool truncate_node(struct page_store *ps, slot_t *n, unsigned h, uint64_t base,
			  uint64_t first, struct page_quota *q)
{
	bool empty = true;
	unsigned below = span_bits(h - 1);

	for (unsigned i = 0; i < SLOTS; i++) {
		if (!n[i])
			continue;
		uint64_t lo = base + ((uint64_t)i << below);
		uint64_t hi = lo + ((uint64_t)1 << below) - 1;   /* last index under slot i */
		if (hi < first) {
			empty = false;
			continue;
		}
		if (h == 1) {
			free_charged_page(phys_to_virt(n[i]));
			q->used--;
			ps->pages--;
			n[i] = 0;
		} else if (truncate_node(ps, (slot_t *)n[i], h - 1, lo, first, q)) {
			free_charged_page((void *)n[i]);
			ps->nodes--;
			n[i] = 0;
		} else {
			empty = false;
		}
		if (h <= 2)      /* a big file's truncate lets interrupts in, page by page */
			irq_window();
	}
	return empty;
}

void page_store_truncate(struct page_store *ps, uint64_t first, struct page_quota *q)
{
	if (!ps->root || !fits(ps->height, first))
		return;
	if (truncate_node(ps, ps->root, ps->height, 0, first, q)) {
		free_charged_page(ps->root);
		ps->nodes--;
		ps->root = NULL;
		ps->height = 1;
	}
}

static bool any_node(const slot_t *n, unsigned h, uint64_t base, uint64_t first, uint64_t last)
{
	unsigned below = span_bits(h - 1);

	for (unsigned i = 0; i < SLOTS; i++) {
		uint64_t lo = base + ((uint64_t)i << below), hi = lo + ((uint64_t)1 << below) - 1;
		if (!n[i] || hi < first || lo > last)
			continue;
		if (h == 1 || any_node((const slot_t *)n[i], h - 1, lo, first, last))
			return true;
	}
	return false;
}

bool page_store_any(const struct page_store *ps, uint64_t first, uint64_t last)
{
	return ps->root && any_node(ps->root, ps->height, 0, first, last);
}

/* page_store_seek under node n of height h, whose span starts at base and
 * holds first: an empty slot is a hole over all of its span. */
static uint64_t seek_node(const slot_t *n, unsigned h, uint64_t base, uint64_t first, bool present)
{
	unsigned below = span_bits(h - 1);

	for (unsigned i = (unsigned)((first - base) >> below); i < SLOTS; i++) {
		uint64_t lo = base + ((uint64_t)i << below), from = first > lo ? first : lo;
		if (!n[i] || h == 1) {
			if (!n[i] != present)
				return from;
			continue;
		}
		uint64_t r = seek_node((const slot_t *)n[i], h - 1, lo, from, present);
		if (r != UINT64_MAX)
			return r;
		irq_window();   /* a big file's scan lets interrupts in */
	}
	return UINT64_MAX;
}

uint64_t page_store_seek(const struct page_store *ps, uint64_t first, bool present)
{
	if (!ps->root || !fits(ps->height, first))
		return present ? UINT64_MAX : first;
	uint64_t r = seek_node(ps->root, ps->height, 0, first, present);
	/* Every index the tree spans from first holds a page: the hole is past it. */
	if (r == UINT64_MAX && !present && span_bits(ps->height) < 64)
		r = (uint64_t)1 << span_bits(ps->height);
	return r;
}
