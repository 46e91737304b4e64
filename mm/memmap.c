/*
 * Physical memory map arithmetic (see mm/memmap.h). Pure code: no allocation,
 * no scratch buffers, so it runs before anything else exists and on the host.
 *
 * memmap_subtract walks the memory ranges in order of base and, for each one,
 * steps through it: a position covered by a reservation jumps to that
 * reservation's end; otherwise the piece up to the next reservation start is
 * emitted (rounded inwards to pages). Inputs need not be sorted and may
 * overlap; pieces come out in nondecreasing base order, so touching or
 * overlapping pieces (from overlapping memory ranges) merge with the last
 * output entry and the output count never shrinks: -1 is exact.
 * Cost O(nmem^2 + pieces * nrsv), tiny for DT-sized inputs.
 */
#include "mm/memmap.h"

#define MM_PAGE 4096ULL

/* End of [base, base + size), saturated at 2^64 - 1. */
static uint64_t range_end(const struct phys_range *r)
{
	uint64_t e = r->base + r->size;
	return e < r->base ? UINT64_MAX : e;
}

/* Appends [s, e) rounded inwards; merges with the last entry if they touch.
 * Returns 0, or -1 if out is full. */
static int emit(uint64_t s, uint64_t e, struct phys_range *out, int *n, int max_out)
{
	if (s > UINT64_MAX - (MM_PAGE - 1))
		return 0;
	s = ALIGN_UP(s, MM_PAGE);
	e = ALIGN_DOWN(e, MM_PAGE);
	if (s >= e)
		return 0;
	if (*n > 0) {
		struct phys_range *last = &out[*n - 1];
		uint64_t lend = last->base + last->size;
		if (s <= lend) {
			if (e > lend)
				last->size = e - last->base;
			return 0;
		}
	}
	if (*n >= max_out)
		return -1;
	out[*n].base = s;
	out[*n].size = e - s;
	(*n)++;
	return 0;
}

int memmap_subtract(const struct phys_range *mem, int nmem,
		    const struct phys_range *rsv, int nrsv,
		    struct phys_range *out, int max_out)
{
	int n = 0;
	int prev = -1; /* last memory range processed, in (base, index) order */

	if (nmem < 0 || nrsv < 0 || max_out < 0)
		return -1;
	for (int done = 0; done < nmem; done++) {
		/* The next memory range in (base, index) order. */
		int cur = -1;
		for (int i = 0; i < nmem; i++) {
			if (prev >= 0 && (mem[i].base < mem[prev].base ||
					  (mem[i].base == mem[prev].base && i <= prev)))
				continue;
			if (cur < 0 || mem[i].base < mem[cur].base)
				cur = i;
		}
		prev = cur;
		if (mem[cur].size == 0)
			continue;

		uint64_t pos = mem[cur].base, end = range_end(&mem[cur]);
		while (pos < end) {
			/* Skip every reservation covering pos (repeat: they may chain). */
			bool moved = true;
			while (moved && pos < end) {
				moved = false;
				for (int j = 0; j < nrsv; j++) {
					uint64_t rb = rsv[j].base, re = range_end(&rsv[j]);
					if (rsv[j].size && rb <= pos && pos < re) {
						pos = re;
						moved = true;
					}
				}
			}
			if (pos >= end)
				break;
			/* pos is free: the piece runs to the next reservation start. */
			uint64_t next = end;
			for (int j = 0; j < nrsv; j++)
				if (rsv[j].size && rsv[j].base > pos && rsv[j].base < next)
					next = rsv[j].base;
			if (emit(pos, next, out, &n, max_out) < 0)
				return -1;
			pos = next;
		}
	}
	return n;
}

phys_addr_t memmap_carve(struct phys_range *ranges, int *n, int max,
			 uint64_t size, uint64_t align)
{
	if (size == 0 || align == 0 || (align & (align - 1)) || *n < 0)
		return 0;
	for (int i = 0; i < *n; i++) {
		uint64_t base = ranges[i].base, end = range_end(&ranges[i]);
		if (base > UINT64_MAX - (align - 1))
			continue;
		uint64_t start = ALIGN_UP(base, align);
		if (start == 0) /* 0 means failure: never hand out address 0 */
			start = align;
		if (start < base || start > end || end - start < size)
			continue;
		uint64_t tail = start + size;
		if (start == base) {
			/* Take from the front: the range shrinks (or vanishes). */
			if (tail == end) {
				for (int j = i; j + 1 < *n; j++)
					ranges[j] = ranges[j + 1];
				(*n)--;
			} else {
				ranges[i].base = tail;
				ranges[i].size = end - tail;
			}
		} else if (tail == end) {
			ranges[i].size = start - base;
		} else {
			/* Alignment gap before, remainder after: split in two. */
			if (*n >= max)
				continue;
			for (int j = *n; j > i + 1; j--)
				ranges[j] = ranges[j - 1];
			ranges[i].size = start - base;
			ranges[i + 1].base = tail;
			ranges[i + 1].size = end - tail;
			(*n)++;
		}
		return start;
	}
	return 0;
}
