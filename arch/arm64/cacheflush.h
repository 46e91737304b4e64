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

static inline void dc_zva(void *va)
{
	__asm__ volatile("dc zva, %0" : : "r"(va) : "memory");
}

static inline void ic_ialluis(void)
{
	__asm__ volatile("ic ialluis" : : : "memory");
}

/* Code written through the linear map must reach the instruction side:
 * clean [va, va + len) to the point of unification, then drop every
 * instruction cache line. */
static inline void sync_icache(void *va, size_t len)
{
	uintptr_t p = (uintptr_t)va & ~(uintptr_t)(CACHE_LINE_MIN - 1);
	uintptr_t end = (uintptr_t)va + len;

	for (; p < end; p += CACHE_LINE_MIN)
		dc_cvau(p);
	dsb(ish);
	ic_ialluis();
	dsb(ish);
	isb();
}
#endif
