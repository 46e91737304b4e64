/*
 * remap: mremap cases that once broke the kernel, each a regression test.
 * Every one is fine on Linux: a touch of a moved or grown mapping either
 * reads the right bytes or kills the process with SIGBUS/SIGSEGV; it never
 * reads memory the process does not own, loops, or takes the kernel down.
 *
 * Prints "PASS remap.<case>" or "FAIL remap.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PROG "remap"
#include "check.h"

/* Two pages of known bytes in the read-only program image. */
static const unsigned char image_bytes[2 * PAGE] __attribute__((aligned(4096))) = {
	[0 ... 2 * PAGE - 1] = 0x5a
};

/* ---- shared anonymous memory grown past its object ---------------------- */

static void *grow_shared(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return p;
	*(volatile char *)p = 7;
	return mremap(p, PAGE, 16 * PAGE, MREMAP_MAYMOVE);
}

/* Page 0 keeps its byte; page 1 lies past the shared object: SIGBUS. */
static void shared_grown_child(void *arg)
{
	(void)arg;
	volatile char *q = grow_shared();
	if (q == MAP_FAILED)
		_exit(2);
	if (q[0] != 7)
		_exit(3);
	(void)q[PAGE];
	_exit(4);
}

/* The same, touched by a forked child of the process that grew it. */
static void shared_grown_fork_child(void *arg)
{
	(void)arg;
	volatile char *q = grow_shared();
	if (q == MAP_FAILED)
		_exit(2);
	int st = in_child(touch_read, (void *)(q + 5 * PAGE));
	_exit(killed_by(st, SIGBUS) ? 0 : 5);
}

static void test_shared_grown(void)
{
	expect_signal("shared-grown-sigbus", in_child(shared_grown_child, NULL), SIGBUS);
	int st = in_child(shared_grown_fork_child, NULL);
	if (exited_with(st, 0))
		pass("shared-grown-fork-sigbus");
	else
		fail("shared-grown-fork-sigbus", "%s", describe(st));
}

/* ---- the program image grown -------------------------------------------- */

/* Within the image's segment the bytes follow; past it, SIGBUS or file
 * bytes (Linux maps the file on), never another owner's memory. */
static void image_grown_child(void *arg)
{
	(void)arg;
	volatile unsigned char *q = mremap((void *)image_bytes, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		_exit(2);
	for (unsigned long i = 0; i < 2 * PAGE; i++)
		if (q[i] != 0x5a)
			_exit(3);
	_exit(0);
}

static void image_grown_far_child(void *arg)
{
	(void)arg;
	volatile unsigned char *q = mremap((void *)image_bytes, PAGE, 4096 * PAGE,
					   MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		_exit(2);
	for (unsigned long i = 0; i < 4096 * PAGE; i += PAGE)
		(void)q[i];
	_exit(0);
}

static void test_image_grown(void)
{
	int st = in_child(image_grown_child, NULL);
	if (exited_with(st, 0))
		pass("image-grown-reads-image");
	else
		fail("image-grown-reads-image", "%s", describe(st));
	st = in_child(image_grown_far_child, NULL);
	if (exited_with(st, 0) || killed_by(st, SIGBUS))
		pass("image-grown-far");
	else
		fail("image-grown-far", "%s", describe(st));
}

/* ---- moves that keep a page-table block in use -------------------------- */

/* An untouched page moved within its 2 MiB block, then written. */
static void test_move_within_block(void)
{
	char *p = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fail("move-within-block", "mmap: %s", strerror(errno));
		return;
	}
	char *block = (char *)(((uintptr_t)p + 2 * MIB - 1) & ~(2 * MIB - 1));
	char *q = mremap(block, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, block + 64 * PAGE);
	if (q != block + 64 * PAGE) {
		fail("move-within-block", "mremap: %s", strerror(errno));
	} else {
		q[0] = 1;
		q[10] = 2;
		check(q[0] == 1 && q[10] == 2 && block[PAGE] == 0, "move-within-block",
		      "the moved page does not hold what was written");
	}
	munmap(p, 4 * MIB);
}

/* An untouched 4 MiB mapping grown by 12 KiB, moving. */
static void test_grow_untouched(void)
{
	char *p = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fail("grow-untouched", "mmap: %s", strerror(errno));
		return;
	}
	/* A neighbour right after it forces the move. */
	char *n = mmap(p + 4 * MIB, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	char *q = mremap(p, 4 * MIB, 4 * MIB + 3 * PAGE, MREMAP_MAYMOVE);
	if (q == MAP_FAILED) {
		fail("grow-untouched", "mremap: %s", strerror(errno));
	} else {
		memset(q, 0x33, 4 * MIB + 3 * PAGE);
		check(q[0] == 0x33 && q[4 * MIB + 3 * PAGE - 1] == 0x33, "grow-untouched",
		      "the grown mapping lost bytes");
		munmap(q, 4 * MIB + 3 * PAGE);
	}
	if (n != MAP_FAILED)
		munmap(n, PAGE);
}

/* From plain C: two malloc(4 MiB), realloc of the second by 12 KiB, memset. */
static void test_realloc(void)
{
	char *a = malloc(4 * MIB), *b = malloc(4 * MIB);
	if (!a || !b) {
		fail("realloc-4m", "malloc failed");
		return;
	}
	memset(b, 1, 4 * MIB);
	char *c = realloc(b, 4 * MIB + 12 * 1024);
	if (!c) {
		fail("realloc-4m", "realloc failed");
		free(a);
		free(b);
		return;
	}
	memset(c + 4 * MIB, 2, 12 * 1024);
	memset(a, 3, 4 * MIB);
	check(c[0] == 1 && c[4 * MIB - 1] == 1 && c[4 * MIB] == 2 && a[100] == 3, "realloc-4m",
	      "the reallocated block does not hold its bytes");
	free(a);
	free(c);
}

/* ---- a move that also shrinks ------------------------------------------- */

/* mremap(MREMAP_FIXED) to fewer pages: the first pages move, the rest are
 * unmapped; nothing lands past the new end. */
static void fixed_shrink_child(void *arg)
{
	(void)arg;
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || q == MAP_FAILED || munmap(q, 8 * PAGE))
		_exit(2);
	for (int i = 0; i < 4; i++)
		p[i * PAGE] = (char)(10 + i);
	char *r = mremap(p, 4 * PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, q);
	if (r != q)
		_exit(3);
	if (q[0] != 10)
		_exit(4);
	if (!killed_by(in_child(touch_read, p + 2 * PAGE), SIGSEGV))
		_exit(5);
	/* In this process itself (a fork copies only what is mapped): the
	 * page past the new end must be gone, so this read ends it. */
	(void)*(volatile char *)(q + PAGE);
	_exit(6);
}

static void test_fixed_shrink(void)
{
	expect_signal("fixed-move-shrinks", in_child(fixed_shrink_child, NULL), SIGSEGV);
}

/* ---- brk shrinking through a mapping placed over the heap's end -------- */

/* A MAP_FIXED mapping over the top of the heap and beyond the break, then
 * brk shrinking into it: the kernel must cut that mapping in two (or refuse,
 * returning the old break); what lies outside the cut stays mapped. */
static void brk_split_child(void *arg)
{
	(void)arg;
	unsigned long base = ((unsigned long)syscall(SYS_brk, 0) + PAGE - 1) & ~(PAGE - 1);
	if ((unsigned long)syscall(SYS_brk, base + 4 * PAGE) != base + 4 * PAGE)
		_exit(2);
	char *m = mmap((void *)(base + 2 * PAGE), 4 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (m != (char *)(base + 2 * PAGE))
		_exit(3);
	m[0] = 1;
	m[3 * PAGE] = 2;
	unsigned long r = (unsigned long)syscall(SYS_brk, base + 3 * PAGE);
	if (r != base + 3 * PAGE && r != base + 4 * PAGE)
		_exit(4);
	_exit(m[0] == 1 && m[3 * PAGE] == 2 ? 0 : 5);
}

static void test_brk_split(void)
{
	int st = in_child(brk_split_child, NULL);
	if (exited_with(st, 0))
		pass("brk-shrink-splits-mapping");
	else
		fail("brk-shrink-splits-mapping", "%s", describe(st));
}

/* A shared mapping grows in place, without MREMAP_MAYMOVE, when the pages
 * after it are free (Linux's vma_expandable); past its object is SIGBUS. */
static void test_shared_grow_in_place(void)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED ||
	    mmap(p, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p ||
	    munmap(p + PAGE, 3 * PAGE)) {
		fail("shared_grow_in_place", "setup: %s", strerror(errno));
		return;
	}
	p[0] = 'a';
	void *q = mremap(p, PAGE, 3 * PAGE, 0);
	if (q != p) {
		fail("shared_grow_in_place", "mremap without MAYMOVE gave %p (%s), expected %p", q,
		     strerror(errno), (void *)p);
		return;
	}
	pass("shared_grow_in_place");
	check(p[0] == 'a', "shared_grow_in_place.keeps", "the first page lost its byte");
	expect_signal("shared_grow_in_place.past_object", in_child(touch_read, p + PAGE), SIGBUS);
	munmap(p, 3 * PAGE);
}

int main(void)
{
	test_shared_grown();
	test_image_grown();
	test_move_within_block();
	test_grow_untouched();
	test_realloc();
	test_brk_split();
	test_fixed_shrink();
	test_shared_grow_in_place();
	return failures ? 1 : 0;
}
