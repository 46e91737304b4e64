/*
 * A sparse array of pages indexed by page number: the contents of a tmpfs
 * file (and of memfd and /dev/shm objects), as Linux's page cache of a
 * shmem inode. A radix tree of page-sized nodes, 512 slots each, grown in
 * height as indices need; a missing page is a hole and reads as zeros.
 *
 * Memory: there is no swap, so every page it holds is charged to the
 * commit limit when it is allocated (data and tree nodes alike), and data
 * pages count against the owner's quota (tmpfs's size=). Running out of
 * either is -ENOSPC, as Linux's shmem gives; nothing held is ever lost.
 */
#ifndef BRAMBLE_PAGE_STORE_H
#define BRAMBLE_PAGE_STORE_H
#include "lib/types.h"
#include "mm/page_alloc.h"

struct page_quota {
	uint64_t used, limit;      /* data pages */
};

struct page_store {
	void *root;                /* a node (kernel VA), or NULL when empty */
	unsigned height;           /* levels: index < 512^height */
	uint64_t pages;            /* data pages held */
	uint64_t nodes;            /* tree nodes held */
};

/* The page at idx: 0 with *pa (0 for a hole when q is NULL). With q, a
 * hole is filled with a zeroed page, charged: -ENOSPC when the quota or
 * the commit limit is reached, -ENOMEM if the allocator fails. */
int page_store_get(struct page_store *ps, uint64_t idx, struct page_quota *q, phys_addr_t *pa);
/* Makes the n pages from pa, pages the caller allocated (alloc_pages(0)),
 * the pages at the holes idx.. idx + n - 1, charged as page_store_get
 * charges the pages it fills holes with: 0, and the store owns them; else
 * -ENOSPC (quota or commit limit), -ENOMEM (a tree node), -EEXIST (no
 * hole), with the first *done pages the store's, the others still the
 * caller's. */
int page_store_put_run(struct page_store *ps, uint64_t idx, struct page_quota *q, phys_addr_t pa,
		       uint64_t n, uint64_t *done);
/* Frees every page at index >= first (and the nodes left empty), giving
 * their charges back. */
void page_store_truncate(struct page_store *ps, uint64_t first, struct page_quota *q);
/* Whether some page exists at an index in [first, last]. */
bool page_store_any(const struct page_store *ps, uint64_t first, uint64_t last);
/* The first index >= first that holds a page (present) or a hole (not
 * present), or UINT64_MAX if there is none: SEEK_DATA and SEEK_HOLE. */
uint64_t page_store_seek(const struct page_store *ps, uint64_t first, bool present);
#endif
