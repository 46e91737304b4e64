/* Zeroes one 4 KiB page with DC ZVA, a cache line per instruction. */
#include "arch/arm64/page.h"
#include "arch/arm64/cacheflush.h"
#include "arch/arm64/sysreg.h"
#include <string.h>

void clear_page(void *page)
{
	uint64_t dczid = read_sysreg(dczid_el0);

	if (dczid & DCZID_DZP) {              /* DC ZVA prohibited */
		memset(page, 0, 4096);
		return;
	}
	size_t block = 4UL << (dczid & DCZID_BS_MASK);
	for (char *p = page, *end = p + 4096; p < end; p += block)
		dc_zva(p);
}
