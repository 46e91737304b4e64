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
	size_t block = 4UL << (dczid & DCZID_BS_MASK);
	char *p = page;
	if (block == 64) {
		/* The usual block (every core Bramble runs on): the page in
		 * one straight run, no loop test between its 64 blocks. Every
		 * demand fault clears a page, so these are hot. */
#pragma GCC unroll 64
		for (int i = 0; i < 4096 / 64; i++)
			dc_zva(p + 64 * i);
		return;
	}
	/* Other blocks: eight a round when a page holds whole rounds (16 to
	 * 512 bytes), bigger ones one at a time. */
	if (block <= 4096 / 8) {
		for (; p < (char *)end; p += 8 * block) {
			dc_zva(p);
			dc_zva(p + block);
			dc_zva(p + 2 * block);
			dc_zva(p + 3 * block);
			dc_zva(p + 4 * block);
			dc_zva(p + 5 * block);
			dc_zva(p + 6 * block);
			dc_zva(p + 7 * block);
		}
		return;
	}
	for (; p < (char *)end; p += block)
		dc_zva(p);
}
