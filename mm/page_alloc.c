/*
 * Buddy page allocator (see mm/page_alloc.h).
 *
 * Design:
 *  - Every managed page has a 12-byte struct pa_page in the caller's meta
 *    buffer (0.29% of managed memory), indexed by a global page index: zone z
 *    owns indices [first, first + npages). Nothing is ever written into the
 *    managed memory itself, so host tests can use fake physical addresses,
 *    and a stray write by a page's owner cannot corrupt the allocator.
 *  - Blocks are aligned in *physical* terms (pfn multiple of 2^order), so a
 *    block's buddy is pfn ^ 2^order; a buddy outside the zone never merges,
 *    which keeps zones apart and lets zones start anywhere page-aligned.
 *  - One free list per order (global across zones), doubly linked through
 *    page indices: alloc pops in O(1), and merging unlinks a free buddy in
 *    O(1). alloc/free are O(PAGE_MAX_ORDER).
 *  - Each page records its state: the head of a free block, the head of an
 *    allocated block (with its order), or "inside a block". Heads are updated
 *    on split/merge only (O(1) each), never per page of a block. That is what
 *    makes free_pages able to reject double frees, frees of pages that were
 *    never handed out and wrong orders *before* touching anything.
 *  - Physical page 0 (when managed) is marked reserved at init and never
 *    freed, so it is never handed out and never merges; it is not counted in
 *    total_pages.
 *  - Init carves each zone greedily into the largest aligned blocks, which is
 *    exactly the fully-coalesced state: freeing everything returns to it.
 *  - The hot cache (off unless page_alloc_hot_cache(true), as the kernel
 *    turns it on; Linux's per-CPU pagesets): up to HOT_MAX single pages
 *    freed lately, handed out again first, LIFO, so a page freed and taken
 *    back at once (a brk or munmap cycle) neither merges up its buddies
 *    nor splits them again. They count as free; they are state PG_HOT, so a
 *    double free of one is still caught; a request the free lists cannot
 *    serve first gives them back (drain) and tries again. One cache, not
 *    one per CPU: every caller holds the kernel lock.
 *  - An allocated block's head counts its users (refs, in the place of the
 *    free-list links it no longer needs): 1 from alloc_pages, more for a
 *    page fork shares copy-on-write (page_ref_get/page_ref_put). free_pages
 *    of a block someone else still uses is a bug, caught like a double free.
 */
#include "mm/page_alloc.h"
#include <string.h>

#define NIL UINT32_MAX

enum { PG_INSIDE = 0, PG_FREE_HEAD, PG_ALLOC_HEAD, PG_RESERVED, PG_HOT };

struct pa_page {
	union {
		struct {
			uint32_t next, prev;  /* free list links (free heads only) */
		};
		uint32_t refs;        /* users of an allocated block (heads only) */
	};
	uint8_t order;        /* heads only */
	uint8_t state;        /* PG_* */
	uint8_t zone;
	uint8_t pad;
};

struct pa_zone {
	uint64_t pfn;         /* first page frame */
	uint64_t npages;
	uint32_t first;       /* index of its first page in pages[] */
};

static struct pa_page *pages;
static struct pa_zone zones[PAGE_MAX_ZONES];
static int nzones;
static uint32_t free_head[PAGE_MAX_ORDER + 1];
static uint64_t nfree_blocks[PAGE_MAX_ORDER + 1];
static uint64_t total_pages, free_pages_count;
static uint64_t meta_pages;      /* page records the metadata has room for */
static uint32_t next_first;      /* records used */

/* A hot page: its record's index and its frame, both at hand (taking one
 * back needs no zone lookup). */
struct hot_page {
	uint32_t i;
	uint32_t pfn;         /* < 2^32: 16 TiB of physical memory */
};
#define HOT_MAX 128
static bool hot_on;
static struct hot_page hot[HOT_MAX];   /* state PG_HOT */
static int nhot;
/* Hot pages known to hold only zeros (emptied page tables): a request for
 * a zeroed page takes one without clearing it. */
#define ZERO_MAX 16
static struct hot_page zero_hot[ZERO_MAX];
static int nzero;
/* The zone of the last lookup (page_index): most come in runs. Its fields
 * are copied here, so that the usual lookup is a subtraction and a
 * compare; npages 0 until the first lookup. */
static uint64_t last_pfn, last_npages;
static uint32_t last_first;

/* Every frame of r fits the 32 bits a hot page keeps of it. */
static bool frames_fit(const struct phys_range *r)
{
	return (r->base + r->size - 1) >> PAGE_SHIFT <= UINT32_MAX;
}

static int range_pages(const struct phys_range *usable, int n, uint64_t *sum)
{
	uint64_t total = 0;

	if (!usable || n < 1 || n > PAGE_MAX_ZONES)
		return -1;
	for (int i = 0; i < n; i++) {
		const struct phys_range *r = &usable[i];
		if ((r->base | r->size) & (PAGE_SIZE - 1) || r->size == 0 ||
		    r->base + r->size < r->base || !frames_fit(r))
			return -1;
		for (int j = 0; j < i; j++) {
			const struct phys_range *o = &usable[j];
			if (r->base < o->base + o->size && o->base < r->base + r->size)
				return -1;
		}
		total += r->size >> PAGE_SHIFT;
	}
	if (total >= NIL)
		return -1;
	*sum = total;
	return 0;
}

size_t page_alloc_meta_size(const struct phys_range *usable, int n)
{
	uint64_t np;

	if (range_pages(usable, n, &np) < 0)
		return 0;
	return (size_t)np * sizeof(struct pa_page) + _Alignof(struct pa_page);
}

static void list_push(uint32_t i, unsigned order)
{
	struct pa_page *p = &pages[i];

	p->state = PG_FREE_HEAD;
	p->order = (uint8_t)order;
	p->prev = NIL;
	p->next = free_head[order];
	if (p->next != NIL)
		pages[p->next].prev = i;
	free_head[order] = i;
	nfree_blocks[order]++;
}

static void list_remove(uint32_t i)
{
	struct pa_page *p = &pages[i];

	if (p->prev != NIL)
		pages[p->prev].next = p->next;
	else
		free_head[p->order] = p->next;
	if (p->next != NIL)
		pages[p->next].prev = p->prev;
	nfree_blocks[p->order]--;
	p->state = PG_INSIDE;
}

/* Zone z over r: its page records, and its free blocks (init's carving),
 * or with held every page an allocated single page (the caller's). */
static void add_zone(int z, const struct phys_range *r, bool held)
{
	uint32_t first = next_first;
	struct pa_zone *zn = &zones[z];
	zn->pfn = r->base >> PAGE_SHIFT;
	zn->npages = r->size >> PAGE_SHIFT;
	zn->first = first;
	/* Every page of RAM passes here: the records are written four at a
	 * time, as the words of four copies of one held in registers (48
	 * bytes, three pairs of words: under two stores a page). */
	/* A held page is an allocated one: one user (refs shares next's word). */
	const struct pa_page inside = { .next = held ? 1 : NIL, .prev = NIL, .order = 0,
					.state = held ? PG_ALLOC_HEAD : PG_INSIDE, .zone = (uint8_t)z };
	enum { GROUP = 4 };
	_Static_assert(GROUP * sizeof(inside) == 6 * 8, "four records are six words");
	uint64_t pat[6];
	for (int g = 0; g < GROUP; g++)
		__builtin_memcpy((char *)pat + g * sizeof(inside), &inside, sizeof(inside));
	const uint64_t w0 = pat[0], w1 = pat[1], w2 = pat[2], w3 = pat[3], w4 = pat[4], w5 = pat[5];
	char *rec = (char *)&pages[first];
	uint64_t k = 0, npg = zn->npages;
	for (; k + GROUP <= npg; k += GROUP, rec += sizeof(pat)) {
		__builtin_memcpy(rec, &w0, 8);
		__builtin_memcpy(rec + 8, &w1, 8);
		__builtin_memcpy(rec + 16, &w2, 8);
		__builtin_memcpy(rec + 24, &w3, 8);
		__builtin_memcpy(rec + 32, &w4, 8);
		__builtin_memcpy(rec + 40, &w5, 8);
	}
	for (; k < npg; k++, rec += sizeof(inside))
		__builtin_memcpy(rec, &inside, sizeof(inside));

	uint64_t pfn = zn->pfn, end = zn->pfn + zn->npages;
	if (pfn == 0) {
		pages[first].state = PG_RESERVED;
		pfn = 1;
	}
	if (held) {
		total_pages += end - pfn;
		pfn = end;
	}
	while (pfn < end) {
		unsigned o = 0;
		while (o < PAGE_MAX_ORDER && !(pfn & (1ULL << o)) &&
		       pfn + (2ULL << o) <= end)
			o++;
		list_push(first + (uint32_t)(pfn - zn->pfn), o);
		pfn += 1ULL << o;
		total_pages += 1ULL << o;
	}
	next_first += (uint32_t)zn->npages;
}

int page_alloc_init(const struct phys_range *usable, int n, void *meta, size_t meta_size)
{
	uint64_t np;

	if (range_pages(usable, n, &np) < 0 || !meta)
		return -1;
	uintptr_t m = ALIGN_UP((uintptr_t)meta, _Alignof(struct pa_page));
	if (meta_size < m - (uintptr_t)meta ||
	    (meta_size - (m - (uintptr_t)meta)) / sizeof(struct pa_page) < np)
		return -1;

	pages = (struct pa_page *)m;
	nzones = n;
	total_pages = free_pages_count = 0;
	nhot = nzero = 0;
	last_npages = 0;
	for (int o = 0; o <= PAGE_MAX_ORDER; o++) {
		free_head[o] = NIL;
		nfree_blocks[o] = 0;
	}

	meta_pages = (meta_size - (m - (uintptr_t)meta)) / sizeof(struct pa_page);
	next_first = 0;
	for (int z = 0; z < n; z++)
		add_zone(z, &usable[z], false);
	free_pages_count = total_pages;
	return 0;
}

static int add_later_zone(const struct phys_range *r, bool held)
{
	uint64_t before = total_pages;

	if (nzones >= PAGE_MAX_ZONES || !r->size || (r->base | r->size) & (PAGE_SIZE - 1) ||
	    r->base + r->size < r->base || !frames_fit(r) ||
	    meta_pages - next_first < (r->size >> PAGE_SHIFT))
		return -1;
	for (int k = 0; k < nzones; k++) {
		uint64_t s = zones[k].pfn << PAGE_SHIFT, e = s + (zones[k].npages << PAGE_SHIFT);
		if (r->base < e && s < r->base + r->size)
			return -1;
	}
	add_zone(nzones++, r, held);
	if (!held)
		free_pages_count += total_pages - before;
	return 0;
}

int page_alloc_add_zone(const struct phys_range *r)
{
	return add_later_zone(r, false);
}

int page_alloc_add_zone_held(const struct phys_range *r)
{
	return add_later_zone(r, true);
}


static phys_addr_t index_to_pa(uint32_t i)
{
	const struct pa_zone *z = &zones[pages[i].zone];
	return (z->pfn + (i - z->first)) << PAGE_SHIFT;
}

static void merge_free(uint32_t i, const struct pa_zone *z, unsigned order);

/* The hot pages back to the free lists, merged. */
static void drain_hot(void)
{
	while (nhot) {
		uint32_t i = hot[--nhot].i;
		pages[i].state = PG_INSIDE;
		merge_free(i, &zones[pages[i].zone], 0);
	}
	while (nzero) {
		uint32_t i = zero_hot[--nzero].i;
		pages[i].state = PG_INSIDE;
		merge_free(i, &zones[pages[i].zone], 0);
	}
}

/* A hot page out of a cache, allocated. */
static inline phys_addr_t take_hot(struct hot_page h)
{
	pages[h.i].state = PG_ALLOC_HEAD;
	pages[h.i].order = 0;
	pages[h.i].refs = 1;
	free_pages_count--;
	return (phys_addr_t)h.pfn << PAGE_SHIFT;
}

void page_alloc_hot_cache(bool on)
{
	if (!on)
		drain_hot();
	hot_on = on;
}

/* Anything but a hot single page: the free lists (split), or, when they
 * cannot serve, the hot pages given back and a second try. */
static phys_addr_t __attribute__((noinline)) alloc_from_lists(unsigned order)
{
	unsigned o = order;

	if (order > PAGE_MAX_ORDER)
		return 0;
	while (o <= PAGE_MAX_ORDER && free_head[o] == NIL)
		o++;
	if (o > PAGE_MAX_ORDER) {
		if (!nhot && !nzero)
			return 0;
		drain_hot();
		return alloc_from_lists(order);
	}

	uint32_t i = free_head[o];
	list_remove(i);
	/* Split: the upper halves go back on the free lists. */
	while (o > order) {
		o--;
		list_push(i + (1U << o), o);
	}
	pages[i].state = PG_ALLOC_HEAD;
	pages[i].order = (uint8_t)order;
	pages[i].refs = 1;
	free_pages_count -= 1ULL << order;
	return index_to_pa(i);
}

phys_addr_t alloc_pages(unsigned order)
{
	if (order == 0 && nhot)
		return take_hot(hot[--nhot]);
	return alloc_from_lists(order);
}

/* page_index past the last zone: the others, and the last one noted. */
static uint32_t __attribute__((noinline)) page_index_other_zone(uint64_t pfn)
{
	for (int k = 0; k < nzones; k++)
		if (pfn - zones[k].pfn < zones[k].npages) {
			last_pfn = zones[k].pfn;
			last_npages = zones[k].npages;
			last_first = zones[k].first;
			return zones[k].first + (uint32_t)(pfn - zones[k].pfn);
		}
	return NIL;
}

/* The record index of a managed page, or NIL. Returned, not written
 * through a pointer: the hot helpers below then keep no local in memory
 * (and -fstack-protector-strong gives them no canary check). */
static inline uint32_t page_index(phys_addr_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	if (pfn - last_pfn < last_npages)
		return last_first + (uint32_t)(pfn - last_pfn);
	return page_index_other_zone(pfn);
}

/* The record index of an allocated single page, or NIL after
 * page_alloc_bug. */
static inline uint32_t allocated_page(phys_addr_t pa, const char *what)
{
	uint32_t i = (pa & (PAGE_SIZE - 1)) ? NIL : page_index(pa);

	if (__builtin_expect(i == NIL || pages[i].state != PG_ALLOC_HEAD || pages[i].order != 0, 0)) {
		page_alloc_bug(what, pa);
		return NIL;
	}
	return i;
}

/* Block i (at pa) of the given order, with no user left, back to the
 * allocator: onto the hot cache, or merged onto the free lists. */
static inline void free_allocated(uint32_t i, phys_addr_t pa, unsigned order)
{
	free_pages_count += 1ULL << order;
	if (order == 0 && hot_on && nhot < HOT_MAX) {
		pages[i].state = PG_HOT;
		hot[nhot++] = (struct hot_page){ i, (uint32_t)(pa >> PAGE_SHIFT) };
		return;
	}
	pages[i].state = PG_INSIDE;
	merge_free(i, &zones[pages[i].zone], order);
}

phys_addr_t alloc_page_zeroed(bool *zeroed)
{
	*zeroed = nzero > 0;
	return nzero ? take_hot(zero_hot[--nzero]) : alloc_pages(0);
}

void free_page_zeroed(phys_addr_t pa)
{
	uint32_t i = allocated_page(pa, "free_page_zeroed: not an allocated page");

	if (i == NIL)
		return;
	if (pages[i].refs != 1) {
		page_alloc_bug("free_page_zeroed: the page has other users", pa);
		return;
	}
	if (!hot_on || nzero == ZERO_MAX) {
		free_allocated(i, pa, 0);
		return;
	}
	pages[i].state = PG_HOT;
	zero_hot[nzero++] = (struct hot_page){ i, (uint32_t)(pa >> PAGE_SHIFT) };
	free_pages_count++;
}

void page_ref_get(phys_addr_t pa)
{
	uint32_t i = allocated_page(pa, "page_ref_get: not an allocated page");

	if (i != NIL)
		pages[i].refs++;
}

void page_ref_put(phys_addr_t pa)
{
	uint32_t i = allocated_page(pa, "page_ref_put: not an allocated page");

	if (i != NIL && --pages[i].refs == 0) {
		pages[i].refs = 1;
		free_allocated(i, pa, 0);
	}
}

uint32_t page_ref_count(phys_addr_t pa)
{
	uint32_t i = allocated_page(pa, "page_ref_count: not an allocated page");

	return i != NIL ? pages[i].refs : 0;
}

void free_pages(phys_addr_t pa, unsigned order)
{
	uint32_t i;

	if (order > PAGE_MAX_ORDER) {
		page_alloc_bug("free_pages: order out of range", pa);
		return;
	}
	if (pa & (PAGE_SIZE - 1)) {
		page_alloc_bug("free_pages: address not page-aligned", pa);
		return;
	}
	if ((i = page_index(pa)) == NIL) {
		page_alloc_bug("free_pages: page not managed", pa);
		return;
	}

	struct pa_page *p = &pages[i];
	switch (p->state) {
	case PG_ALLOC_HEAD:
		if (p->order != order) {
			page_alloc_bug("free_pages: wrong order", pa);
			return;
		}
		if (p->refs != 1) {
			page_alloc_bug("free_pages: the page has other users", pa);
			return;
		}
		break;
	case PG_FREE_HEAD:
	case PG_HOT:
		page_alloc_bug("free_pages: double free", pa);
		return;
	case PG_RESERVED:
		page_alloc_bug("free_pages: reserved page", pa);
		return;
	default:
		page_alloc_bug("free_pages: not an allocated block (double free?)", pa);
		return;
	}

	free_allocated(i, pa, order);
}

/* Block i of the given order, free and counted, onto the free lists,
 * merged with its free buddies of the same order inside zone z. */
static void merge_free(uint32_t i, const struct pa_zone *z, unsigned order)
{
	uint64_t pfn = z->pfn + (i - z->first);

	while (order < PAGE_MAX_ORDER) {
		uint64_t bpfn = pfn ^ (1ULL << order);
		if (bpfn - z->pfn >= z->npages)
			break;
		uint32_t bi = z->first + (uint32_t)(bpfn - z->pfn);
		if (pages[bi].state != PG_FREE_HEAD || pages[bi].order != order)
			break;
		list_remove(bi);
		if (bpfn < pfn) {
			pfn = bpfn;
			i = bi;
		}
		order++;
	}
	list_push(i, order);
}

void page_alloc_stats(struct page_stats *st)
{
	st->total_pages = total_pages;
	st->free_pages = free_pages_count;
	for (int o = 0; o <= PAGE_MAX_ORDER; o++)
		st->free_blocks[o] = nfree_blocks[o];
	st->free_blocks[0] += (uint64_t)(nhot + nzero);   /* hot pages are free single pages */
}
