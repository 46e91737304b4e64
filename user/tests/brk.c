/*
 * brk: the program break, through the raw system call and through glibc.
 *
 * Linux semantics: brk(addr) returns the new break, or the unchanged break
 * when the request cannot be met (the raw call never returns an error
 * code); glibc's sbrk turns a refused request into -1 with errno ENOMEM.
 * Memory added to the break reads as zero; memory given back is unmapped.
 *
 * Prints "PASS brk.<case>" or "FAIL brk.<case>: <why>" per check and exits
 * 0 only if all passed.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#define PROG "brk"
#include "check.h"

/* ---- the checks -------------------------------------------------------- */

static unsigned long sys_brk(unsigned long addr)
{
	return (unsigned long)syscall(SYS_brk, addr);
}

/* stdio gets a static buffer so that printing never moves the break. */
static char outbuf[4096];

int main(void)
{
	const unsigned long npages = 8;
	unsigned long cur, base, r;
	struct rlimit old;
	int grown = 0;

	setvbuf(stdout, outbuf, _IOLBF, sizeof outbuf);
	free(malloc(64));     /* malloc's heap set up before the break is read */

	/* brk(0) reports the break; glibc's idea of it agrees. */
	cur = sys_brk(0);
	if (cur == 0 || cur == (unsigned long)-1)
		fail("query", "brk(0) returned %#lx", cur);
	else if ((unsigned long)sbrk(0) != cur)
		fail("query", "brk(0) returned %#lx but sbrk(0) says %p", cur, sbrk(0));
	else
		pass("query");
	base = (cur + PAGE - 1) & ~(PAGE - 1);

	/* Growing by whole pages returns the new break. */
	r = sys_brk(base + npages * PAGE);
	if (r == base + npages * PAGE) {
		pass("grow");
		grown = 1;
	} else {
		fail("grow", "brk(%#lx) returned %#lx", base + npages * PAGE, r);
	}

	/* The new pages read as zero and take writes. */
	if (grown) {
		volatile unsigned char *p = (volatile unsigned char *)base;
		size_t i, nonzero = (size_t)-1, bad = (size_t)-1;

		for (i = 0; i < npages * PAGE; i++)
			if (p[i] != 0) {
				nonzero = i;
				break;
			}
		for (i = 0; i < npages * PAGE; i++)
			p[i] = (unsigned char)(i * 7 + 1);
		for (i = 0; i < npages * PAGE; i++)
			if (p[i] != (unsigned char)(i * 7 + 1)) {
				bad = i;
				break;
			}
		if (nonzero != (size_t)-1)
			fail("grow_zeroed", "byte %#lx of the new pages is %#x", base + nonzero,
			     p[nonzero]);
		else if (bad != (size_t)-1)
			fail("grow_zeroed", "byte %#lx did not keep what was written", base + bad);
		else
			pass("grow_zeroed");
	} else {
		fail("grow_zeroed", "no pages to check (grow failed)");
	}

	/* Shrinking returns the lower break; the freed pages are gone. */
	r = sys_brk(base + 2 * PAGE);
	if (r != base + 2 * PAGE) {
		fail("shrink", "brk(%#lx) returned %#lx", base + 2 * PAGE, r);
	} else if (grown && ((volatile unsigned char *)base)[PAGE + 5] != (unsigned char)((PAGE + 5) * 7 + 1)) {
		fail("shrink", "the pages kept below the new break lost their contents");
	} else {
		pass("shrink");
	}
	expect_signal("shrink_unmapped", in_child(touch_write, (void *)(base + 2 * PAGE)), SIGSEGV);
	expect_signal("shrink_unmapped_top", in_child(touch_write, (void *)(base + (npages - 1) * PAGE)),
		      SIGSEGV);

	/* Growing again gives fresh zero pages, not the old contents. */
	r = sys_brk(base + 4 * PAGE);
	if (r != base + 4 * PAGE) {
		fail("regrow_zeroed", "brk(%#lx) returned %#lx", base + 4 * PAGE, r);
	} else {
		volatile unsigned char *p = (volatile unsigned char *)(base + 2 * PAGE);
		size_t i;
		for (i = 0; i < 2 * PAGE && p[i] == 0; i++)
			;
		if (i < 2 * PAGE)
			fail("regrow_zeroed", "byte %#lx is %#x after shrink and regrow",
			     base + 2 * PAGE + i, p[i]);
		else
			pass("regrow_zeroed");
	}

	r = sys_brk(cur);
	if (r != cur)
		fail("restore", "brk(%#lx) returned %#lx", cur, r);
	else
		pass("restore");

	/* A break beyond RLIMIT_DATA is refused: the break stays where it was. */
	if (getrlimit(RLIMIT_DATA, &old) != 0) {
		fail("rlimit_data", "getrlimit(RLIMIT_DATA): %s", strerror(errno));
	} else {
		struct rlimit small = { 1UL << 20, old.rlim_max };
		if (old.rlim_max != RLIM_INFINITY && old.rlim_max < small.rlim_cur)
			small.rlim_cur = old.rlim_max;
		if (setrlimit(RLIMIT_DATA, &small) != 0) {
			fail("rlimit_data", "setrlimit(RLIMIT_DATA, 1 MiB): %s", strerror(errno));
		} else {
			r = sys_brk(cur + (16UL << 20));
			int restored = setrlimit(RLIMIT_DATA, &old) == 0;
			if (r != cur)
				fail("rlimit_data", "brk(break + 16 MiB) with RLIMIT_DATA 1 MiB returned %#lx, break was %#lx",
				     r, cur);
			else if (!restored)
				fail("rlimit_data", "could not restore RLIMIT_DATA: %s", strerror(errno));
			else
				pass("rlimit_data");
			if (r != cur)
				sys_brk(cur);
		}
	}

	/* An absurd break is refused. */
	r = sys_brk(1UL << 38);
	if (r != cur) {
		fail("absurd", "brk(1<<38) returned %#lx, break was %#lx", r, cur);
		sys_brk(cur);
	} else {
		pass("absurd");
	}

	/* A break that would run into a mapping is refused. */
	{
		unsigned long at = base + 4 * PAGE;
		void *m = mmap((void *)at, PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (m == MAP_FAILED) {
			fail("collide", "mmap(MAP_FIXED %#lx): %s", at, strerror(errno));
		} else if ((unsigned long)m != at) {
			fail("collide", "mmap(MAP_FIXED %#lx) returned %p", at, m);
			munmap(m, PAGE);
		} else {
			r = sys_brk(base + 8 * PAGE);
			if (r != cur) {
				fail("collide", "brk(%#lx) across the mapping at %#lx returned %#lx, break was %#lx",
				     base + 8 * PAGE, at, r, cur);
				sys_brk(cur);
			} else if (((volatile char *)m)[0] != 0) {
				fail("collide", "the mapping changed");
			} else {
				pass("collide");
			}
			/* Up to below the mapping is still fine. */
			r = sys_brk(base + 2 * PAGE);
			if (r != base + 2 * PAGE)
				fail("below_mapping", "brk(%#lx) under the mapping at %#lx returned %#lx",
				     base + 2 * PAGE, at, r);
			else
				pass("below_mapping");
			sys_brk(cur);
			munmap(m, PAGE);
		}
	}

	/* A mapping placed inside the heap cuts it; the break still grows from
	 * its top piece, never over the mapping. */
	{
		r = sys_brk(base + 4 * PAGE);
		void *m = mmap((void *)(base + PAGE), PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (r != base + 4 * PAGE || m != (void *)(base + PAGE)) {
			fail("cut_heap", "setup: brk %#lx, mmap %p", r, m);
		} else {
			((volatile char *)m)[0] = 42;
			((volatile char *)base)[3 * PAGE] = 7;
			r = sys_brk(base + 6 * PAGE);
			if (r != base + 6 * PAGE)
				fail("cut_heap", "brk(%#lx) returned %#lx", base + 6 * PAGE, r);
			else if (((volatile char *)m)[0] != 42 || ((volatile char *)base)[3 * PAGE] != 7)
				fail("cut_heap", "growing the break changed memory below it");
			else if (((volatile char *)base)[5 * PAGE] != 0)
				fail("cut_heap", "the new heap page is not zero");
			else
				pass("cut_heap");
		}
		if (m != MAP_FAILED)
			munmap(m, PAGE);
		sys_brk(cur);
	}

	/* sbrk(huge) fails with ENOMEM and leaves the break alone. */
	{
		errno = 0;
		void *p = sbrk((intptr_t)1 << 40);
		int e = errno;
		if (p != (void *)-1)
			fail("sbrk_huge", "sbrk(1<<40) returned %p", p);
		else if (e != ENOMEM)
			fail("sbrk_huge", "sbrk(1<<40) set errno %d (%s), expected ENOMEM", e, ename(e));
		else if (sys_brk(0) != cur)
			fail("sbrk_huge", "the break moved to %#lx from %#lx", sys_brk(0), cur);
		else
			pass("sbrk_huge");
	}

	/* Page by page across a 2 MiB boundary and back: most steps move the
	 * break inside one span (made in place), the one that crosses takes a
	 * new page table (the full reservation). Every page keeps what was
	 * written; each one given back and taken again reads as zero. */
	{
		const unsigned long span = 2UL << 20;
		unsigned long from = (sys_brk(0) + PAGE - 1) & ~(PAGE - 1);
		unsigned long to = ((from + span) & ~(span - 1)) + 4 * PAGE;
		unsigned long a, bad = 0;
		for (a = from; a < to && !bad; a += PAGE) {
			if (sys_brk(a + PAGE) != a + PAGE)
				bad = a;
			else
				*(volatile unsigned char *)a = (unsigned char)(a >> 12);
		}
		for (a = from; a < to && !bad; a += PAGE)
			if (*(volatile unsigned char *)a != (unsigned char)(a >> 12))
				bad = a;
		for (a = to; a > from && !bad; a -= PAGE)
			if (sys_brk(a - PAGE) != a - PAGE)
				bad = a;
		if (!bad && (sys_brk(from + PAGE) != from + PAGE || *(volatile unsigned char *)from))
			bad = from;
		if (bad)
			fail("span_walk", "at %#lx (break %#lx, walk %#lx..%#lx)", bad, sys_brk(0), from, to);
		else
			pass("span_walk");
		sys_brk(from);
	}

	/* malloc goes on working, from the break and from mmap. */
	{
		char *small = malloc(1000);
		char *mid = malloc(100 << 10);
		char *big = malloc(4 << 20);
		if (!small || !mid || !big) {
			fail("malloc_after", "malloc returned NULL (%s)", strerror(errno));
		} else {
			memset(small, 1, 1000);
			memset(mid, 2, 100 << 10);
			memset(big, 3, 4 << 20);
			if (small[999] != 1 || mid[(100 << 10) - 1] != 2 || big[(4 << 20) - 1] != 3)
				fail("malloc_after", "memory did not keep what was written");
			else
				pass("malloc_after");
		}
		free(small);
		free(mid);
		free(big);
	}

	return failures ? 1 : 0;
}
