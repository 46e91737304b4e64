/*
 * Physical memory map arithmetic: usable memory = DT memory minus every
 * reservation, and carving boot-time regions out of it. Pure code, host-tested.
 */
#ifndef BRAMBLE_MEMMAP_H
#define BRAMBLE_MEMMAP_H
#include "lib/types.h"

/*
 * Writes mem minus every rsv range into out (sorted by base, page-aligned
 * inwards: bases rounded up, ends rounded down to 4 KiB, empty ranges dropped).
 * Returns the number of ranges written, or -1 if more than max_out are needed.
 */
int memmap_subtract(const struct phys_range *mem, int nmem,
		    const struct phys_range *rsv, int nrsv,
		    struct phys_range *out, int max_out);

/*
 * Takes size bytes aligned to align (a power of two) from the first range in
 * ranges[0..*n) that can hold it, taking from the range's start, and shrinks or
 * splits the ranges accordingly (*n may grow by one, up to max). Returns the
 * physical address taken, or 0 if nothing fits.
 */
phys_addr_t memmap_carve(struct phys_range *ranges, int *n, int max,
			 uint64_t size, uint64_t align);

#endif
