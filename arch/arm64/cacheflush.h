/* Cache maintenance: making code written through data accesses executable. */
#ifndef BRAMBLE_ARM64_CACHEFLUSH_H
#define BRAMBLE_ARM64_CACHEFLUSH_H
#include <stddef.h>
#include <stdint.h>
#include "arch/arm64/barrier.h"

/* The smallest cache line of the CPUs Bramble runs on (Cortex-A53, A72). */
#define CACHE_LINE_MIN 64

static inline void dc_cvau(uintptr_t va)
{
	__asm__ volatile("dc cvau, %0" : : "r"(va) : "memory");
}

/* Clean and invalidate to the point of coherency: for a reader with caches off. */
static inline void dc_civac(const void *va)
{
	__asm__ volatile("dc civac, %0" : : "r"(va) : "memory");
}

static inline void dc_zva(void *va)
{
	__asm__ volatile("dc zva, %0" : : "r"(va) : "memory");
}

static inline void ic_ialluis(void)
{
	__asm__ volatile("ic ialluis" : : : "memory");
}

/* Code written through the linear map must reach the instruction side:
 * cleans [va, va + len) to the point of unification, then drops every
 * instruction cache line (arch/arm64/cacheflush.c). */
void sync_icache(void *va, size_t len);
#endif
