/*
 * The kernel heap (see mm/kheap.h).
 *
 * Two allocators share one region:
 *
 *  - Small objects (<= 2048 bytes, 8 power-of-two classes 16..2048) come from
 *    slabs: one 4 KiB page cut into equal slots. No per-object header (a
 *    16-byte object costs 16 bytes), alloc/free are O(1), a slot's alignment
 *    is its size, and objects of one size never fragment the large space.
 *    Slab pages sit on a per-class doubly linked "partial" list while they
 *    have both free and used slots; a page whose last object is freed goes
 *    straight back to the large allocator, so freeing everything restores the
 *    initial state exactly. Free slots form a LIFO list through the slots
 *    (word 0: next offset, word 1: a magic xor'ed with the slot address);
 *    slots never handed out yet are above a bump offset, so a new slab costs
 *    O(1), not O(slots).
 *
 *  - Everything else, and the slab pages themselves, comes from one
 *    address-ordered, first-fit, coalescing free list of variable blocks with
 *    boundary tags (16-byte granules). An allocated block has a 16-byte header
 *    (size | flags, magic xor'ed with its address) right before the payload;
 *    a free block has header, list links and a size footer; the "previous
 *    block is free" bit in the header lets a free merge with both neighbours
 *    in O(1). Address order + first fit keeps the low end dense and large
 *    holes large; coalescing means no free space is ever lost to
 *    fragmentation that freeing could undo.
 *
 *  - A table of 16-byte page descriptors (one per 4 KiB of the region,
 *    0.39%) at the start of the region says which pages are slabs and holds
 *    the slab's state. Slab pages are therefore headerless and exactly
 *    page-aligned, and kfree finds out from the pointer alone which allocator
 *    owns it (and checks that it is a real, live object).
 *
 * Requests the slabs cannot serve (no page left) fall back to the large list
 * and then to free slots of larger classes, so every request of at most
 * kheap_stats().largest_free bytes succeeds, and one byte more fails.
 */
#include "mm/kheap.h"
#include <string.h>

_Static_assert(sizeof(void *) == 8 && sizeof(size_t) == 8, "LP64 only");

#define KH_PAGE 4096UL
#define KH_HDR 16UL           /* large block header */
#define KH_MIN_FREE 32UL      /* header + two links (footer shares the 4th word) */
#define KH_MIN_SHIFT 4        /* smallest class: 16 */
#define KH_MAX_SMALL 2048UL

#define BF_FREE 1UL
#define BF_PREV_FREE 2UL
#define BF_MASK 15UL

#define LARGE_MAGIC 0x4b48454150424c4bULL  /* allocated large block */
#define SLOT_MAGIC 0x4b48534c4f544652ULL   /* free slab slot */
#define NO_SLOT 0xffffU
#define NO_PAGE UINT32_MAX

#define KP_SLAB 1
#define KP_PREV_FREE 2        /* the block before this slab page is free */

struct kpage {
	uint8_t flags;
	uint8_t cls;
	uint16_t nfree;       /* free slots: on the list + above bump */
	uint16_t free_head;   /* offset of the first free slot, or NO_SLOT */
	uint16_t bump;        /* slots at >= bump were never handed out */
	uint32_t next, prev;  /* partial list of the class */
};
_Static_assert(sizeof(struct kpage) == 16, "page descriptor is 16 bytes");

/* A free large block; its footer (size) is its last word. */
struct fblk {
	size_t size_flags;
	struct fblk *next, *prev;
};

static uintptr_t h_base, h_end, a_start;  /* region; arena after the table */
static struct kpage *kp;
static struct fblk *free_list;
static size_t large_free;                 /* bytes in free large blocks */
static size_t live;
static uint32_t partial[KHEAP_NCLASSES];
static size_t cls_in_use[KHEAP_NCLASSES], cls_free[KHEAP_NCLASSES];
static uint8_t *owners;                   /* a tag per granule, or NULL */
static struct kheap_owner owned[KHEAP_TAGS];

static inline size_t *W(uintptr_t a) { return (size_t *)a; }
static inline size_t class_size(unsigned ci) { return (size_t)1 << (ci + KH_MIN_SHIFT); }
static inline uint32_t page_index(uintptr_t a) { return (uint32_t)((a - h_base) / KH_PAGE); }
static inline uintptr_t page_addr(uint32_t i) { return h_base + (uintptr_t)i * KH_PAGE; }
static inline size_t bsize(const struct fblk *b) { return b->size_flags & ~BF_MASK; }

static inline bool is_slab_start(uintptr_t a)
{
	return !(a & (KH_PAGE - 1)) && (kp[page_index(a)].flags & KP_SLAB);
}

/* Records whether the block before the one at a is free. */
static void set_prev_free(uintptr_t a, bool v)
{
	if (a >= h_end)
		return;
	if (is_slab_start(a)) {
		struct kpage *pg = &kp[page_index(a)];
		pg->flags = (uint8_t)(v ? pg->flags | KP_PREV_FREE : pg->flags & ~KP_PREV_FREE);
	} else {
		*W(a) = v ? *W(a) | BF_PREV_FREE : *W(a) & ~BF_PREV_FREE;
	}
}

static struct fblk *make_free(uintptr_t a, size_t size)
{
	struct fblk *b = (struct fblk *)a;
	b->size_flags = size | BF_FREE;
	*W(a + size - 8) = size;
	return b;
}

/* Links n between a and b (either may be NULL: list ends). */
static void fl_link(struct fblk *a, struct fblk *n, struct fblk *b)
{
	n->prev = a;
	n->next = b;
	if (a)
		a->next = n;
	else
		free_list = n;
	if (b)
		b->prev = n;
}

static void fl_unlink(struct fblk *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		free_list = b->next;
	if (b->next)
		b->next->prev = b->prev;
}

/* Turns [start, end) of free block b into an allocated area; what is left
 * before and after (each 0 or >= KH_MIN_FREE bytes) stays free, in place. */
static void carve(struct fblk *b, uintptr_t start, uintptr_t end)
{
	uintptr_t fs = (uintptr_t)b, fe = fs + bsize(b);
	struct fblk *prev = b->prev, *next = b->next;

	fl_unlink(b);
	large_free -= fe - fs;
	if (start > fs) {
		struct fblk *lead = make_free(fs, start - fs);
		fl_link(prev, lead, next);
		prev = lead;
		large_free += start - fs;
	}
	if (end < fe) {
		fl_link(prev, make_free(end, fe - end), next);
		large_free += fe - end;
	} else {
		set_prev_free(fe, false);
	}
}

/* Returns [s, s + len) to the free list, merging with free neighbours.
 * prev_free: the block before s is free (its footer gives its size). */
static void free_range(uintptr_t s, size_t len, bool prev_free)
{
	uintptr_t e = s + len;
	struct fblk *nb = NULL, *b;

	large_free += len;
	if (e < h_end && !is_slab_start(e) && (*W(e) & BF_FREE))
		nb = (struct fblk *)e;
	if (prev_free) {
		size_t psize = *W(s - 8);
		b = (struct fblk *)(s - psize);
		len += psize;
		if (nb) {
			len += bsize(nb);
			fl_unlink(nb);
		}
		make_free((uintptr_t)b, len);
	} else if (nb) {
		size_t nsize = bsize(nb);
		struct fblk *p = nb->prev, *n = nb->next;
		b = make_free(s, len + nsize);
		fl_link(p, b, n);
		len += nsize;
	} else {
		struct fblk *p = NULL, *n = free_list;
		while (n && (uintptr_t)n < s) {
			p = n;
			n = n->next;
		}
		b = make_free(s, len);
		fl_link(p, b, n);
	}
	set_prev_free((uintptr_t)b + len, true);
}

/* First fit: a payload of size bytes (multiple of 16) aligned to align. */
static void *large_alloc(size_t size, size_t align)
{
	for (struct fblk *b = free_list; b; b = b->next) {
		uintptr_t fs = (uintptr_t)b, fe = fs + bsize(b);
		uintptr_t p = ALIGN_UP(fs + KH_HDR, align);
		if (p - KH_HDR != fs && p - KH_HDR - fs < KH_MIN_FREE)
			p += align;  /* the gap before could not be a free block */
		if (p > fe || fe - p < size)
			continue;
		uintptr_t start = p - KH_HDR, end = p + size;
		if (fe - end < KH_MIN_FREE)
			end = fe;    /* too small to stay free: goes with the block */
		carve(b, start, end);
		*W(start) = (end - start) | (start > fs ? BF_PREV_FREE : 0);
		*W(start + 8) = LARGE_MAGIC ^ start;
		return (void *)p;
	}
	return NULL;
}

static void partial_add(unsigned ci, uint32_t i)
{
	kp[i].prev = NO_PAGE;
	kp[i].next = partial[ci];
	if (partial[ci] != NO_PAGE)
		kp[partial[ci]].prev = i;
	partial[ci] = i;
}

static void partial_remove(unsigned ci, uint32_t i)
{
	if (kp[i].prev != NO_PAGE)
		kp[kp[i].prev].next = kp[i].next;
	else
		partial[ci] = kp[i].next;
	if (kp[i].next != NO_PAGE)
		kp[kp[i].next].prev = kp[i].prev;
}

/* A new slab page for class ci, or NO_PAGE. */
static uint32_t slab_new(unsigned ci)
{
	for (struct fblk *b = free_list; b; b = b->next) {
		uintptr_t fs = (uintptr_t)b, fe = fs + bsize(b);
		for (uintptr_t p = ALIGN_UP(fs, KH_PAGE); p <= fe && fe - p >= KH_PAGE; p += KH_PAGE) {
			uintptr_t lead = p - fs, trail = fe - p - KH_PAGE;
			if ((lead && lead < KH_MIN_FREE) || (trail && trail < KH_MIN_FREE))
				continue;
			carve(b, p, p + KH_PAGE);
			uint32_t i = page_index(p);
			struct kpage *pg = &kp[i];
			pg->flags = KP_SLAB | (lead ? KP_PREV_FREE : 0);
			pg->cls = (uint8_t)ci;
			pg->nfree = (uint16_t)(KH_PAGE / class_size(ci));
			pg->free_head = NO_SLOT;
			pg->bump = 0;
			partial_add(ci, i);
			cls_free[ci] += pg->nfree;
			return i;
		}
	}
	return NO_PAGE;
}

static void *slab_take(unsigned ci, uint32_t i)
{
	struct kpage *pg = &kp[i];
	size_t c = class_size(ci);
	uintptr_t obj;

	if (pg->free_head != NO_SLOT) {
		obj = page_addr(i) + pg->free_head;
		pg->free_head = (uint16_t)*W(obj);
	} else {
		obj = page_addr(i) + pg->bump;
		pg->bump = (uint16_t)(pg->bump + c);
	}
	*W(obj + 8) = 0;  /* no longer looks free */
	if (--pg->nfree == 0)
		partial_remove(ci, i);
	cls_free[ci]--;
	cls_in_use[ci]++;
	return (void *)obj;
}

void kheap_init(void *base, size_t size)
{
	uintptr_t b = (uintptr_t)base;

	h_base = h_end = a_start = 0;
	kp = NULL;
	free_list = NULL;
	large_free = live = 0;
	owners = NULL;
	memset(owned, 0, sizeof(owned));
	for (unsigned ci = 0; ci < KHEAP_NCLASSES; ci++) {
		partial[ci] = NO_PAGE;
		cls_in_use[ci] = cls_free[ci] = 0;
	}
	if (!base || (b & (KH_PAGE - 1)) || (size & (KH_PAGE - 1)) || size < KH_PAGE ||
	    b + size < b || size / KH_PAGE >= NO_PAGE)
		return;  /* unusable: the heap stays empty, kmalloc returns NULL */

	size_t table = size / KH_PAGE * sizeof(struct kpage);
	h_base = b;
	h_end = b + size;
	a_start = b + table;
	kp = (struct kpage *)base;
	memset(kp, 0, table);
	fl_link(NULL, make_free(a_start, h_end - a_start), NULL);
	large_free = h_end - a_start;
}

/* The bytes the object at a takes: its slot, or its block with the header. */
static size_t object_bytes(uintptr_t a)
{
	const struct kpage *pg = &kp[page_index(a)];

	return (pg->flags & KP_SLAB) ? class_size(pg->cls) : *W(a - KH_HDR) & ~BF_MASK;
}

static size_t granule(uintptr_t a)
{
	return (a - h_base) / KHEAP_MIN_ALIGN;
}

static void owner_add(uintptr_t a, unsigned tag)
{
	owners[granule(a)] = (uint8_t)tag;
	owned[tag].bytes += object_bytes(a);
	owned[tag].count++;
}

static void owner_remove(uintptr_t a)
{
	struct kheap_owner *o = &owned[owners[granule(a)]];

	o->bytes -= object_bytes(a);
	o->count--;
}

size_t kheap_owner_map_size(size_t heap_size)
{
	return heap_size / KHEAP_MIN_ALIGN;
}

void kheap_track_owners(uint8_t *map)
{
	if (live || !kp)
		return;   /* too late: objects already out have no tag */
	owners = map;
	memset(owners, 0, kheap_owner_map_size(h_end - h_base));
}

bool kheap_owner(unsigned tag, struct kheap_owner *o)
{
	if (!owners || tag >= KHEAP_TAGS) {
		o->bytes = o->count = 0;
		return false;
	}
	*o = owned[tag];
	return true;
}

void *kmalloc_aligned(size_t size, size_t align)
{
	return kmalloc_tagged(size, align, 0);
}

void *kmalloc_tagged(size_t size, size_t align, unsigned tag)
{
	void *p = NULL;

	if (align == 0)
		align = KHEAP_MIN_ALIGN;
	if ((align & (align - 1)) || align > KH_PAGE)
		return NULL;
	if (align < KHEAP_MIN_ALIGN)
		align = KHEAP_MIN_ALIGN;
	/* Also rules out every size whose rounding could overflow. */
	if (size == 0 || size > h_end - a_start)
		return NULL;

	if (size <= KH_MAX_SMALL && align <= KH_MAX_SMALL) {
		unsigned ci = 0;
		while (class_size(ci) < size || class_size(ci) < align)
			ci++;
		uint32_t i = partial[ci];
		if (i == NO_PAGE)
			i = slab_new(ci);
		if (i != NO_PAGE) {
			p = slab_take(ci, i);
		} else if (!(p = large_alloc(ALIGN_UP(size, 16), align))) {
			for (unsigned cj = ci + 1; cj < KHEAP_NCLASSES && !p; cj++)
				if (partial[cj] != NO_PAGE)
					p = slab_take(cj, partial[cj]);
		}
	} else {
		p = large_alloc(ALIGN_UP(size, 16), align);
	}
	if (p) {
		live++;
		if (owners)
			owner_add((uintptr_t)p, tag < KHEAP_TAGS ? tag : 0);
	}
	return p;
}

void *kmalloc(size_t size)
{
	return kmalloc_aligned(size, KHEAP_MIN_ALIGN);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

static void slab_free(uintptr_t a)
{
	uint32_t i = page_index(a);
	struct kpage *pg = &kp[i];
	unsigned ci = pg->cls;
	size_t c = class_size(ci), off = a & (KH_PAGE - 1);

	if (off & (c - 1)) {
		kheap_bug("kfree: pointer inside a slab object", (void *)a);
		return;
	}
	if (off >= pg->bump) {
		kheap_bug("kfree: slab slot never allocated", (void *)a);
		return;
	}
	if (*W(a + 8) == (SLOT_MAGIC ^ a)) {
		/* Looks free: make sure (the magic could be user data). */
		unsigned n = 0;
		for (uint16_t s = pg->free_head; s != NO_SLOT && n < KH_PAGE / c; n++) {
			if (s == off) {
				kheap_bug("kfree: double free (slab slot)", (void *)a);
				return;
			}
			s = (uint16_t)*W(page_addr(i) + s);
		}
	}
	if (owners)
		owner_remove(a);
	*W(a) = pg->free_head;
	*W(a + 8) = SLOT_MAGIC ^ a;
	pg->free_head = (uint16_t)off;
	cls_in_use[ci]--;
	cls_free[ci]++;
	live--;
	if (++pg->nfree == 1)
		partial_add(ci, i);
	if (pg->nfree == KH_PAGE / c) {
		/* Empty: the page goes back to the large free list. */
		partial_remove(ci, i);
		cls_free[ci] -= pg->nfree;
		bool pf = pg->flags & KP_PREV_FREE;
		pg->flags = 0;
		free_range(page_addr(i), KH_PAGE, pf);
	}
}

void kfree(void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (!p)
		return;
	if (a < a_start || a >= h_end) {
		kheap_bug("kfree: pointer not from the heap", p);
		return;
	}
	if (kp[page_index(a)].flags & KP_SLAB) {
		slab_free(a);
		return;
	}
	uintptr_t h = a - KH_HDR;
	if ((a & 15) || h < a_start || *W(h + 8) != (LARGE_MAGIC ^ h) || (*W(h) & BF_FREE)) {
		kheap_bug("kfree: bad block header (double free or bad pointer)", p);
		return;
	}
	size_t size = *W(h) & ~BF_MASK;
	if (size < KH_MIN_FREE || size > h_end - h) {
		kheap_bug("kfree: corrupt block header", p);
		return;
	}
	if (owners)
		owner_remove(a);
	bool pf = *W(h) & BF_PREV_FREE;
	W(h)[0] = 0;  /* a stale header must never pass for a live one */
	W(h)[1] = 0;
	live--;
	free_range(h, size, pf);
}

void kheap_stats(struct kheap_stats *st)
{
	size_t big = 0, slots = 0;

	for (struct fblk *b = free_list; b; b = b->next)
		if (bsize(b) > big)
			big = bsize(b);
	st->total = h_end - h_base;
	st->largest_free = big ? big - KH_HDR : 0;
	st->live = live;
	for (unsigned ci = 0; ci < KHEAP_NCLASSES; ci++) {
		st->class_size[ci] = class_size(ci);
		st->class_in_use[ci] = cls_in_use[ci];
		st->class_free[ci] = cls_free[ci];
		slots += cls_free[ci] * class_size(ci);
		if (cls_free[ci] && class_size(ci) > st->largest_free)
			st->largest_free = class_size(ci);
	}
	st->free = large_free + slots;
	st->used = st->total - st->free;
}
