/*
 * Allocation sites: each call of the kernel's allocators (mm/kalloc.h) names
 * the place it is written, in a record the compiler lays down in section
 * "alloc_sites": one per call site, no registration at run time, so the
 * kernel knows every site it has, reached or not. Fault injection counts
 * its failures per site (the sweeps check that every site was failed once),
 * and the kernel heap its live bytes per site through the site's owner tag,
 * which /proc/kheapinfo and the OOM dump turn into "who holds the heap".
 *
 * Locking: the counters are written under the kernel lock, as the
 * allocators' callers hold it (mm/kheap.h); readers take a snapshot.
 */
#ifndef BRAMBLE_ALLOC_SITE_H
#define BRAMBLE_ALLOC_SITE_H
#include "lib/types.h"

enum alloc_kind {
	ALLOC_HEAP,     /* kalloc, kalloc_uninit: may fail, reached from system calls */
	ALLOC_PAGES,    /* kalloc_pages: the same, whole pages */
	ALLOC_MUST,     /* kmalloc_or_panic: never fails; exhaustion is the panic */
	ALLOC_BOOT,     /* kalloc_boot, kalloc_pages_boot: may fail, before init only */
	ALLOC_KINDS
};

struct alloc_site {
	const char *file;
	const char *func;
	uint32_t line;
	uint8_t kind;         /* enum alloc_kind */
	uint8_t tag;          /* the heap's owner tag (alloc_sites_init), 0: none */
	uint16_t pad;
	uint64_t injected;    /* failures injected here (fail-nth, fail_alloc=) */
};

/* The record of the call site it is written at. */
#define ALLOC_SITE(k) ({                                                        \
	static struct alloc_site alloc_site_here                                \
		__attribute__((section("alloc_sites"), used, aligned(8))) =     \
		{ __FILE__, __func__, __LINE__, (k), 0, 0, 0 };                 \
	&alloc_site_here;                                                       \
})

/* Every site the kernel has, in link order. */
size_t alloc_sites_count(void);
struct alloc_site *alloc_site_at(size_t i);
/* Gives the heap sites their owner tags (1..255; later ones share 255). */
void alloc_sites_init(void);
/* The site a heap owner tag stands for, or NULL (tag 0, or shared). */
const struct alloc_site *alloc_site_of_tag(unsigned tag);
/* A holder of the kernel heap: a site (NULL for untagged allocations, or
 * for the sites past the last tag), its tag, its live bytes and objects. */
struct alloc_holder {
	const struct alloc_site *site;
	unsigned tag;
	size_t bytes, count;
};
/* The k holders with the most bytes live, most first: how many there are. */
size_t alloc_heap_holders(struct alloc_holder *out, size_t k);
const char *alloc_kind_name(unsigned kind);
/* Whether a site of this kind can be failed on purpose. */
static inline bool alloc_kind_injectable(unsigned kind)
{
	return kind == ALLOC_HEAP || kind == ALLOC_PAGES;
}
#endif
