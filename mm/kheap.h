/*
 * The kernel heap: kmalloc/kzalloc/kfree over one bounded region given at
 * boot (its size from bootarg kheap=). kmalloc returns NULL when it cannot
 * serve; it never panics. Only kmalloc_or_panic (kernel/panic) turns
 * exhaustion into the OOM dump.
 *
 * Locking: the caller's: the kernel lock (kernel/spinlock.h) in the kernel.
 */
#ifndef BRAMBLE_KHEAP_H
#define BRAMBLE_KHEAP_H
#include "lib/types.h"

#define KHEAP_MIN_ALIGN 16
#define KHEAP_NCLASSES 8   /* small-object size classes: 16,32,...,2048 */

struct kheap_stats {
	size_t total;          /* bytes in the region */
	size_t used;           /* bytes not free (including headers and slab slack) */
	size_t free;
	size_t largest_free;   /* largest allocation that would succeed right now, bytes */
	size_t live;           /* live allocations */
	size_t class_size[KHEAP_NCLASSES];
	size_t class_in_use[KHEAP_NCLASSES];  /* objects */
	size_t class_free[KHEAP_NCLASSES];    /* free objects in partly used slabs */
};

/* base: 4096-aligned, size: multiple of 4096, >= 4096. */
void kheap_init(void *base, size_t size);

void kfree(void *p);           /* NULL is fine */

/* What these return goes back through kfree: lets gcc (-Wmismatched-dealloc,
 * and -fanalyzer in make check) find leaks, double frees and wrong frees in
 * the kernel (freestanding; the host tests free wrongly on purpose). */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11 && !__STDC_HOSTED__
#define KHEAP_ALLOC __attribute__((malloc(kfree, 1)))
#else
#define KHEAP_ALLOC
#endif
/* align: power of two, <= 4096; 0 means KHEAP_MIN_ALIGN. NULL on failure,
 * including size 0, overflowing sizes and bad alignments. */
void *kmalloc_aligned(size_t size, size_t align) KHEAP_ALLOC;
void *kmalloc(size_t size) KHEAP_ALLOC;
void *kzalloc(size_t size) KHEAP_ALLOC;
void kheap_stats(struct kheap_stats *st);

/*
 * Owners: who holds the heap. An allocation may carry an owner tag (its
 * call site's, mm/alloc_site.h); with an owner map given, the heap keeps
 * each tag's live bytes (the slot or block it takes, header included) and
 * objects, so a reader can name the holders. The map is one byte per
 * 16-byte granule of the region, outside it: kheap_owner_map_size bytes.
 */
#define KHEAP_TAGS 256
struct kheap_owner {
	size_t bytes;          /* bytes the tag's live objects take */
	size_t count;          /* its live objects */
};
size_t kheap_owner_map_size(size_t heap_size);
/* Before the first allocation: map (zeroed here) turns the accounting on. */
void kheap_track_owners(uint8_t *map);
void *kmalloc_tagged(size_t size, size_t align, unsigned tag) KHEAP_ALLOC;
/* Tag's live bytes and objects; false (all zero) without an owner map. */
bool kheap_owner(unsigned tag, struct kheap_owner *o);

/* Provided by the environment: a kfree of a pointer the heap did not hand
 * out (or a double free). Kernel: panic. */
void kheap_bug(const char *what, const void *p);

#endif
