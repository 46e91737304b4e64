/*
 * The physical page allocator: a buddy allocator, orders 0..PAGE_MAX_ORDER
 * (4 KiB .. 4 MiB), over a set of usable physical ranges. Each range is its
 * own zone (blocks never merge across ranges). Metadata lives outside the
 * managed memory, in a buffer the caller provides, so the same code runs on
 * the host over fake memory maps.
 *
 * It never panics on exhaustion: alloc_pages() returns 0. Physical page 0 is
 * never handed out (0 means failure). A double free, or a free of a page
 * that was never allocated (or with the wrong order), calls page_alloc_bug().
 *
 * Locking: the caller's. In the kernel that is the kernel lock
 * (kernel/spinlock.h), held by every caller; the host tests run it alone.
 */
#ifndef BRAMBLE_PAGE_ALLOC_H
#define BRAMBLE_PAGE_ALLOC_H
#include "lib/types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MAX_ORDER 10
#define PAGE_MAX_ZONES 16

struct page_stats {
	uint64_t total_pages;  /* pages managed */
	uint64_t free_pages;
	uint64_t free_blocks[PAGE_MAX_ORDER + 1]; /* free blocks per order */
};

/* Bytes of metadata page_alloc_init needs for these ranges. */
size_t page_alloc_meta_size(const struct phys_range *usable, int n);

/* Takes over the usable ranges (page-aligned, non-overlapping, at most
 * PAGE_MAX_ZONES, every frame number below 2^32). meta must hold
 * page_alloc_meta_size bytes. Returns 0, or
 * -1 if the arguments are unusable. All pages start free. May be called again
 * to reset (host tests do). */
int page_alloc_init(const struct phys_range *usable, int n, void *meta, size_t meta_size);

/* A block of 2^order pages, aligned to its size; 0 when none is free. */
/* Adds r (page-aligned, disjoint from every zone) as a new zone of free
 * pages, within the metadata init was given: 0, or -1 (no room). */
int page_alloc_add_zone(const struct phys_range *r);
/* The same, but every page of r starts allocated, as a single page that
 * alloc_pages(0) had returned: the caller keeps some (the initrd's pages
 * that become files' pages) and frees the others with free_pages. */
int page_alloc_add_zone_held(const struct phys_range *r);
/* The hot cache of lately freed single pages (mm/page_alloc.c): on, or
 * drained and off. Off at init. */
void page_alloc_hot_cache(bool on);
phys_addr_t alloc_pages(unsigned order);

/* Returns a block; merges buddies. pa and order must be exactly those of a
 * block alloc_pages returned, otherwise page_alloc_bug() is called. */
void free_pages(phys_addr_t pa, unsigned order);

void page_alloc_stats(struct page_stats *st);

/* Single pages known to hold only zeros (an emptied page table): freed
 * into a small cache (free memory like any), and taken back by a request
 * for a zeroed page, which needs no clearing then (*zeroed true; false:
 * any page, 0 when none). */
void free_page_zeroed(phys_addr_t pa);
phys_addr_t alloc_page_zeroed(bool *zeroed);

/* Users of an allocated single page (copy-on-write sharing): a page starts
 * with one; page_ref_put drops one and frees the page with the last. */
void page_ref_get(phys_addr_t pa);
void page_ref_put(phys_addr_t pa);
uint32_t page_ref_count(phys_addr_t pa);

/* Provided by the environment: the kernel panics naming the page; host tests
 * record it. Must not return in the kernel; may return in host tests, in which
 * case free_pages leaves the allocator unchanged. */
void page_alloc_bug(const char *what, phys_addr_t pa);

#endif
