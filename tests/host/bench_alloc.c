/*
 * Host benchmark (not a test): alloc/free pairs per second for the page
 * allocator and the kernel heap, next to glibc malloc/free doing the same
 * pattern in the same run.
 *
 *   gcc -std=c11 -O2 -I. -o build/host/bench_alloc tests/host/bench_alloc.c \
 *       mm/page_alloc.c mm/kheap.c && build/host/bench_alloc
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "mm/page_alloc.h"
#include "mm/kheap.h"

void page_alloc_bug(const char *what, phys_addr_t pa)
{
	fprintf(stderr, "page_alloc_bug: %s %#llx\n", what, (unsigned long long)pa);
	abort();
}

void kheap_bug(const char *what, const void *p)
{
	fprintf(stderr, "kheap_bug: %s %p\n", what, p);
	abort();
}

#define SECONDS 0.3
#define CHUNK 4096

static volatile uintptr_t sink;
static unsigned orders[CHUNK];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

enum what { PAGES0, PAGES_MIXED, KMALLOC, MALLOC, MALLOC_MIXED };

/* Runs chunks of CHUNK pairs for about SECONDS; returns pairs per second. */
static double run(enum what w, size_t size)
{
	uint64_t pairs = 0;
	uintptr_t acc = 0;
	double t0 = now(), t;

	do {
		switch (w) {
		case PAGES0:
			for (int i = 0; i < CHUNK; i++) {
				phys_addr_t pa = alloc_pages(0);
				acc += pa;
				free_pages(pa, 0);
			}
			break;
		case PAGES_MIXED:
			for (int i = 0; i < CHUNK; i++) {
				phys_addr_t pa = alloc_pages(orders[i]);
				acc += pa;
				free_pages(pa, orders[i]);
			}
			break;
		case KMALLOC:
			for (int i = 0; i < CHUNK; i++) {
				void *p = kmalloc(size);
				acc += (uintptr_t)p;
				sink = acc;
				kfree(p);
			}
			break;
		case MALLOC:
			for (int i = 0; i < CHUNK; i++) {
				void *p = malloc(size);
				acc += (uintptr_t)p;
				sink = acc;  /* keeps the compiler from eliding the pair */
				free(p);
			}
			break;
		case MALLOC_MIXED:
			for (int i = 0; i < CHUNK; i++) {
				void *p = malloc(PAGE_SIZE << orders[i]);
				acc += (uintptr_t)p;
				sink = acc;
				free(p);
			}
			break;
		}
		pairs += CHUNK;
		t = now();
	} while (t - t0 < SECONDS);
	sink = acc;
	return (double)pairs / (t - t0);
}

static void report(const char *what, double ours, const char *theirs_what, double theirs)
{
	printf("bench host %s: %.1f M pairs/s (glibc %s: %.1f M/s, ratio %.2f)\n", what, ours / 1e6,
	       theirs_what, theirs / 1e6, ours / theirs);
}

int main(void)
{
	/* A Pi 4 (4 GiB)-like map, page 0 reserved for the spin table. */
	static const struct phys_range usable[] = {
		{ 0x1000, 0x3b3ff000 }, { 0x40000000, 0xbc000000 }, { 0x100000000ULL, 0x80000000 },
	};
	size_t msz = page_alloc_meta_size(usable, 3);
	void *meta = malloc(msz);
	if (!meta || page_alloc_init(usable, 3, meta, msz)) {
		fprintf(stderr, "page_alloc_init failed\n");
		return 1;
	}
	/* Some pages in use, so lists are not trivially full blocks. */
	for (int i = 0; i < 1000; i++)
		alloc_pages((unsigned)(i % 5));

	uint64_t x = 12345;
	for (int i = 0; i < CHUNK; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		orders[i] = (unsigned)((x >> 33) % 5);
	}

	report("alloc_pages(0)+free", run(PAGES0, 0), "malloc(4096)+free", run(MALLOC, 4096));
	report("alloc_pages(0..4 random)+free", run(PAGES_MIXED, 0), "malloc(4096<<0..4)+free",
	       run(MALLOC_MIXED, 0));

	size_t hsz = 16 << 20;
	void *heap = aligned_alloc(4096, hsz);
	kheap_init(heap, hsz);
	/* A few live objects of each kind so the heap is not pristine. */
	for (int i = 0; i < 100; i++)
		kmalloc((size_t)16 << (i % 9));

	static const size_t sizes[] = { 32, 256, 2048 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char a[64], b[64];
		snprintf(a, sizeof(a), "kmalloc(%zu)+kfree", sizes[i]);
		snprintf(b, sizeof(b), "malloc(%zu)+free", sizes[i]);
		report(a, run(KMALLOC, sizes[i]), b, run(MALLOC, sizes[i]));
	}
	free(heap);
	free(meta);
	return 0;
}
