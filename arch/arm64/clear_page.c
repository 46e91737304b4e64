/* Zeroes one 4 KiB page with DC ZVA, a cache line per instruction. */
#include "arch/arm64/page.h"
#include "arch/arm64/cacheflush.h"
#include "arch/arm64/sysreg.h"

void clear_page(void *page)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	uint64_t *w = page, *end = w + 4096 / 8;

	if (dczid & DCZID_DZP) {          /* DC ZVA prohibited: word by word */
		while (w < end)
			*w++ = 0;
		return;
	}
	/* Four blocks a round: a block is at least 16 bytes, so a page is
	 * a whole number of rounds. */
	size_t block = 4UL << (dczid & DCZID_BS_MASK);
	for (char *p = page; p < (char *)end; p += 4 * block) {
		dc_zva(p);
		dc_zva(p + block);
		dc_zva(p + 2 * block);
		dc_zva(p + 3 * block);
	}
}
