/* Making code written through data accesses executable. */
#include "arch/arm64/cacheflush.h"

void sync_icache(void *va, size_t len)
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
