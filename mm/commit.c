/* The global commit counter (see mm/commit.h). */
#include "mm/commit.h"
#include "lib/panic.h"

/*
 * The reserve: pages the commit limit keeps back from user processes. Page
 * tables, kernel stacks and user pages are all charged, and the kernel heap
 * is a separate region, so nothing after boot takes uncharged pages today.
 * The reserve is the margin for what a charge cannot express: buddy blocks
 * larger than a page (kernel stacks are order-2 and need contiguity, which
 * fragmentation by order-0 user pages can deny) and future kernel caches.
 * 1/64 of memory plus 256 KiB covers 64 kernel stacks' worth of contiguity
 * on the smallest configuration we test (mem=32M).
 */
#define RESERVE_FIXED_PAGES 64
#define RESERVE_SHIFT 6

struct commit_counter commit_pages;

void commit_init(uint64_t free_pages)
{
	uint64_t reserve = (free_pages >> RESERVE_SHIFT) + RESERVE_FIXED_PAGES;

	commit_pages.limit = free_pages > reserve ? free_pages - reserve : 0;
	commit_pages.used = 0;
}

void commit_add_pages(uint64_t pages)
{
	commit_pages.limit += pages;
}

void commit_underflow(uint64_t pages)
{
	panic("commit: uncharging %lu pages, only %lu charged",
	      (unsigned long)pages, (unsigned long)commit_pages.used);
}

uint64_t commit_used(void)
{
	return commit_pages.used;
}

uint64_t commit_limit(void)
{
	return commit_pages.limit;
}

void charged_page_missing(void)
{
	panic("charged page unavailable (commit %lu of %lu pages)",
	      (unsigned long)commit_pages.used, (unsigned long)commit_pages.limit);
}
