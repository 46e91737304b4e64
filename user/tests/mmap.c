/*
 * mmap: anonymous, shared and file mappings, protections, munmap, mremap,
 * madvise, the argument errors, and the two ways a process runs out: the
 * mapping-count limit and memory itself (no overcommit: every private
 * writable page is charged at mmap, so the end is ENOMEM, never a kill).
 *
 * Prints "PASS mmap.<case>" or "FAIL mmap.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PROG "mmap"
#include "check.h"

/* ---- helpers ----------------------------------------------------------- */

/* An mmap-style call that must fail with want. */
static void expect_map_error(const char *name, void *r, int e, int want)
{
	if (r != MAP_FAILED)
		fail(name, "returned %p, expected %s", r, ename(want));
	else
		expect_errno(name, e, want);
}

static void *anon(void *addr, size_t len, int prot, int flags)
{
	return mmap(addr, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

static void *anon_rw(size_t len)
{
	return anon(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE);
}

/* anon_rw(len), or MAP_FAILED after failing name. */
static void *anon_rw_or_fail(const char *name, size_t len)
{
	void *p = anon_rw(len);

	if (p == MAP_FAILED)
		fail(name, "mmap: %s", strerror(errno));
	return p;
}

/* Offset of the first byte not equal to c, or -1. */
static long first_not(const void *p, int c, size_t len)
{
	const volatile unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != (unsigned char)c)
			return (long)i;
	return -1;
}

/* Room for the mappings of the two exhaustion checks. */
#define MAX_MAPS 70000
static void *maps[MAX_MAPS];

/* ---- the checks -------------------------------------------------------- */

static void anon_private(void)
{
	const size_t len = 4 * PAGE;
	unsigned char *p = anon_rw_or_fail("anon_private", len);

	if (p == MAP_FAILED)
		return;
	long z = first_not(p, 0, len);
	memset(p, 0x5a, len);
	long w = first_not(p, 0x5a, len);
	if ((uintptr_t)p % PAGE)
		fail("anon_private", "address %p is not page aligned", (void *)p);
	else if (z >= 0)
		fail("anon_private", "byte %ld of a new mapping is %#x", z, p[z]);
	else if (w >= 0)
		fail("anon_private", "byte %ld did not keep what was written", w);
	else
		pass("anon_private");
	munmap(p, len);
}

static void shared_child_write(void *p)
{
	memset(p, 0xc3, PAGE);
	strcpy(p, "written by the child");
}

static void anon_shared(void)
{
	char *p = anon(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED);

	if (p == MAP_FAILED) {
		fail("anon_shared", "mmap(MAP_SHARED|MAP_ANONYMOUS): %s", strerror(errno));
		return;
	}
	int st = in_child(shared_child_write, p);
	if (!exited_with(st, 0))
		fail("anon_shared", "%s", describe(st));
	else if (strcmp(p, "written by the child") != 0 ||
		 first_not(p + 64, 0xc3, PAGE - 64) >= 0)
		fail("anon_shared", "the parent does not see what the child wrote");
	else
		pass("anon_shared");
	munmap(p, PAGE);
}

static void prot_none_then_rw(void)
{
	char *p = anon(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE);

	if (p == MAP_FAILED) {
		fail("prot_none", "mmap(PROT_NONE): %s", strerror(errno));
		fail("mprotect_rw", "nothing mapped");
		return;
	}
	expect_signal("prot_none", in_child(touch_read, p), SIGSEGV);
	if (mprotect(p, 2 * PAGE, PROT_READ | PROT_WRITE) != 0) {
		fail("mprotect_rw", "mprotect(PROT_READ|PROT_WRITE): %s", strerror(errno));
	} else {
		long z = first_not(p, 0, 2 * PAGE);
		p[0] = 1;
		p[2 * PAGE - 1] = 2;
		if (z >= 0 || p[0] != 1 || p[2 * PAGE - 1] != 2)
			fail("mprotect_rw", "the memory is not zero or does not keep writes");
		else
			pass("mprotect_rw");
	}
	munmap(p, 2 * PAGE);
}

static void argument_errors(void)
{
	void *r;
	int e;

	errno = 0;
	r = anon(NULL, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	e = errno;
	expect_map_error("len_zero", r, e, EINVAL);
	if (r != MAP_FAILED)
		munmap(r, PAGE);

	errno = 0;
	r = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS, -1, 0);
	e = errno;
	expect_map_error("no_type", r, e, EINVAL);
	if (r != MAP_FAILED)
		munmap(r, PAGE);

	char *p = anon_rw_or_fail("fixed_unaligned", 2 * PAGE);
	if (p == MAP_FAILED)
		return;
	p[0] = 7;
	errno = 0;
	r = anon(p + 1, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED);
	e = errno;
	expect_map_error("fixed_unaligned", r, e, EINVAL);
	if (r == MAP_FAILED && p[0] != 7)
		fail("fixed_unaligned_kept", "the mapping under the refused address changed");
	munmap(p, 2 * PAGE);
}

static void fixed_replace(void)
{
	unsigned char *p = anon_rw_or_fail("fixed_replace", 2 * PAGE);

	if (p == MAP_FAILED)
		return;
	memset(p, 0xaa, 2 * PAGE);
	void *r = anon(p, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED);
	if (r == MAP_FAILED) {
		fail("fixed_replace", "mmap(MAP_FIXED over a mapping): %s", strerror(errno));
		munmap(p, 2 * PAGE);
		return;
	}
	long z = first_not(p, 0, 2 * PAGE);
	if (r != p)
		fail("fixed_replace", "returned %p, asked for %p", r, (void *)p);
	else if (z >= 0)
		fail("fixed_replace", "byte %ld of the new mapping is %#x (old contents?)", z, p[z]);
	else
		pass("fixed_replace");

	p[0] = 0x11;
	errno = 0;
	r = anon(p, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE);
	int e = errno;
	expect_map_error("fixed_noreplace", r, e, EEXIST);
	if (r != MAP_FAILED && r != p)
		munmap(r, PAGE);
	if (r == MAP_FAILED && p[0] != 0x11)
		fail("fixed_noreplace_kept", "the existing mapping changed");
	munmap(p, 2 * PAGE);
}

static void hint(void)
{
	char *p = anon_rw_or_fail("hint", 4 * PAGE);

	if (p == MAP_FAILED)
		return;
	munmap(p, 4 * PAGE);
	void *want = p + PAGE;
	void *r = anon(want, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	if (r == MAP_FAILED)
		fail("hint", "mmap(hint %p): %s", want, strerror(errno));
	else if (r != want)
		fail("hint", "the free hint %p was not used, got %p", want, r);
	else
		pass("hint");
	if (r != MAP_FAILED)
		munmap(r, PAGE);
}

static void too_big(void)
{
	errno = 0;
	void *r = anon_rw(1UL << 40);
	int e = errno;
	expect_map_error("len_1tib", r, e, ENOMEM);
	if (r != MAP_FAILED)
		munmap(r, 1UL << 40);

	/* Past the address space, in Linux's order of checks: the offset,
	 * the file, the length, and only then the type. */
	const size_t huge = 1UL << 46;
	errno = 0;
	r = anon_rw(huge);
	e = errno;
	expect_map_error("len_64tib", r, e, ENOMEM);
	errno = 0;
	r = mmap(NULL, huge, PROT_READ | PROT_WRITE, MAP_ANONYMOUS, -1, 0);
	e = errno;
	expect_map_error("len_64tib_no_type", r, e, ENOMEM);
	errno = 0;
	r = mmap(NULL, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1);
	e = errno;
	expect_map_error("len_64tib_bad_offset", r, e, EINVAL);
	errno = 0;
	r = mmap(NULL, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE, -1, 0);
	e = errno;
	expect_map_error("len_64tib_bad_fd", r, e, EBADF);
}

/* In a child: a 2 GiB PROT_NONE reservation with RLIMIT_AS at 1 GiB. */
static void rlimit_as_child(void *arg)
{
	(void)arg;
	struct rlimit rl = { 1UL << 30, 1UL << 30 };
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		_exit(3);
	void *r = anon(NULL, 2UL << 30, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE);
	if (r != MAP_FAILED)
		_exit(1);
	_exit(errno == ENOMEM ? 0 : 2);
}

static void rlimit_as(void)
{
	/* Without the limit the reservation is fine (PROT_NONE is not charged). */
	void *r = anon(NULL, 2UL << 30, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE);
	if (r == MAP_FAILED) {
		fail("rlimit_as", "a 2 GiB PROT_NONE mapping fails even without a limit: %s",
		     strerror(errno));
		return;
	}
	munmap(r, 2UL << 30);
	int st = in_child(rlimit_as_child, NULL);
	if (exited_with(st, 0))
		pass("rlimit_as");
	else if (exited_with(st, 1))
		fail("rlimit_as", "a 2 GiB mapping succeeded with RLIMIT_AS at 1 GiB");
	else if (exited_with(st, 2))
		fail("rlimit_as", "the mapping over RLIMIT_AS failed, but not with ENOMEM");
	else if (exited_with(st, 3))
		fail("rlimit_as", "setrlimit(RLIMIT_AS) failed");
	else
		fail("rlimit_as", "%s", describe(st));
}

static void munmap_middle(void)
{
	char *p = anon_rw_or_fail("munmap_split", 3 * PAGE);

	if (p == MAP_FAILED)
		return;
	memset(p, 'A', PAGE);
	memset(p + PAGE, 'B', PAGE);
	memset(p + 2 * PAGE, 'C', PAGE);
	if (munmap(p + PAGE, PAGE) != 0) {
		fail("munmap_split", "munmap of the middle page: %s", strerror(errno));
	} else if (first_not(p, 'A', PAGE) >= 0 || first_not(p + 2 * PAGE, 'C', PAGE) >= 0) {
		fail("munmap_split", "the first or last page lost its data");
	} else {
		pass("munmap_split");
	}
	expect_signal("munmap_split_hole", in_child(touch_read, p + PAGE), SIGSEGV);
	if (munmap(p, PAGE) != 0 || munmap(p + 2 * PAGE, PAGE) != 0)
		fail("munmap_split_rest", "munmap of the remaining pages: %s", strerror(errno));
}

static void unmapped_range(void)
{
	char *p = anon_rw_or_fail("munmap_unmapped", PAGE);

	if (p == MAP_FAILED)
		return;
	munmap(p, PAGE);
	if (munmap(p, PAGE) != 0)
		fail("munmap_unmapped", "munmap of an unmapped page: %s", strerror(errno));
	else
		pass("munmap_unmapped");

	errno = 0;
	int r = mprotect(p, PAGE, PROT_READ);
	int e = errno;
	expect_error("mprotect_unmapped", r, e, ENOMEM);
}

static void read_only(void)
{
	char *p = anon_rw_or_fail("mprotect_ro", PAGE);

	if (p == MAP_FAILED)
		return;
	strcpy(p, "kept");
	if (mprotect(p, PAGE, PROT_READ) != 0) {
		fail("mprotect_ro", "mprotect(PROT_READ): %s", strerror(errno));
	} else if (strcmp(p, "kept") != 0) {
		fail("mprotect_ro", "the data changed");
	} else {
		pass("mprotect_ro");
		expect_signal("mprotect_ro_write", in_child(touch_write, p), SIGSEGV);
	}
	munmap(p, PAGE);
}

static void remap(void)
{
	/* Grow in place: the pages after the mapping are free. */
	char *p = anon_rw_or_fail("mremap_grow_inplace", 4 * PAGE);
	if (p != MAP_FAILED) {
		munmap(p + 2 * PAGE, 2 * PAGE);
		memset(p, 'x', 2 * PAGE);
		char *q = mremap(p, 2 * PAGE, 4 * PAGE, 0);
		if (q == MAP_FAILED) {
			fail("mremap_grow_inplace", "mremap: %s", strerror(errno));
			munmap(p, 2 * PAGE);
		} else {
			long z = first_not(q + 2 * PAGE, 0, 2 * PAGE);
			if (q != p)
				fail("mremap_grow_inplace", "moved from %p to %p without MREMAP_MAYMOVE",
				     (void *)p, (void *)q);
			else if (first_not(q, 'x', 2 * PAGE) >= 0)
				fail("mremap_grow_inplace", "the data was not kept");
			else if (z >= 0)
				fail("mremap_grow_inplace", "byte %ld of the new part is not zero", z);
			else
				pass("mremap_grow_inplace");
			q[4 * PAGE - 1] = 1;
			munmap(q, 4 * PAGE);
		}
	}

	/* Grow with MREMAP_MAYMOVE, with the next page taken. */
	p = anon_rw_or_fail("mremap_grow_move", 2 * PAGE);
	if (p == MAP_FAILED)
		return;
	char *blocker = anon(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED);
	if (blocker == MAP_FAILED) {
		fail("mremap_grow_move", "mmap(MAP_SHARED|MAP_FIXED) after the first page: %s",
		     strerror(errno));
		munmap(p, 2 * PAGE);
		return;
	}
	memset(p, 'y', PAGE);
	strcpy(blocker, "blocker");

	/* Without MREMAP_MAYMOVE there is no room: ENOMEM, nothing changes. */
	errno = 0;
	char *q = mremap(p, PAGE, 2 * PAGE, 0);
	int e = errno;
	expect_map_error("mremap_nomove_enomem", q, e, ENOMEM);
	if (q == MAP_FAILED && (first_not(p, 'y', PAGE) >= 0 || strcmp(blocker, "blocker") != 0))
		fail("mremap_nomove_kept", "a refused mremap changed the mappings");

	if (q == MAP_FAILED)
		q = mremap(p, PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	else
		q = mremap(q, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	if (q == MAP_FAILED) {
		fail("mremap_grow_move", "mremap(MREMAP_MAYMOVE): %s", strerror(errno));
		munmap(p, PAGE);
		munmap(blocker, PAGE);
		return;
	}
	long z = first_not(q + PAGE, 0, 7 * PAGE);
	if (first_not(q, 'y', PAGE) >= 0)
		fail("mremap_grow_move", "the data was not kept");
	else if (z >= 0)
		fail("mremap_grow_move", "byte %ld of the new part is not zero", z);
	else if (strcmp(blocker, "blocker") != 0)
		fail("mremap_grow_move", "the mapping that was in the way changed");
	else
		pass("mremap_grow_move");
	memset(q + PAGE, 'z', 7 * PAGE);

	/* Shrink: same address, data kept, the tail gone. */
	char *s = mremap(q, 8 * PAGE, 2 * PAGE, 0);
	if (s == MAP_FAILED) {
		fail("mremap_shrink", "mremap: %s", strerror(errno));
		munmap(q, 8 * PAGE);
	} else {
		if (s != q)
			fail("mremap_shrink", "moved from %p to %p", (void *)q, (void *)s);
		else if (first_not(s, 'y', PAGE) >= 0 || first_not(s + PAGE, 'z', PAGE) >= 0)
			fail("mremap_shrink", "the data was not kept");
		else
			pass("mremap_shrink");
		expect_signal("mremap_shrink_tail", in_child(touch_read, s + 2 * PAGE), SIGSEGV);
		munmap(s, 2 * PAGE);
	}
	munmap(blocker, PAGE);
}

static void file_private(void)
{
	const size_t len = sizeof HELLO_TEXT - 1;
	struct stat st;
	int fd = open(HELLO_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fail("file_private", "open %s: %s", HELLO_PATH, strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0 || (size_t)st.st_size != len) {
		fail("file_private", "%s is not %zu bytes long", HELLO_PATH, len);
		close(fd);
		return;
	}
	char *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	int e = errno;
	close(fd);      /* the mapping outlives the descriptor */
	if (p == MAP_FAILED) {
		fail("file_private", "mmap of %s: %s", HELLO_PATH, strerror(e));
		return;
	}
	long z = first_not(p + len, 0, PAGE - len);
	if (memcmp(p, HELLO_TEXT, len) != 0)
		fail("file_private", "the mapping does not hold the file's bytes");
	else if (z >= 0)
		fail("file_private", "byte %zu past the end of the file is not zero", len + (size_t)z);
	else
		pass("file_private");
	expect_signal("file_private_ro", in_child(touch_write, p), SIGSEGV);
	munmap(p, len);
}

static void dontneed(void)
{
	char *p = anon_rw_or_fail("madvise_dontneed", 4 * PAGE);

	if (p == MAP_FAILED)
		return;
	memset(p, 0x77, 4 * PAGE);
	if (madvise(p, 4 * PAGE, MADV_DONTNEED) != 0) {
		fail("madvise_dontneed", "madvise: %s", strerror(errno));
	} else {
		long z = first_not(p, 0, 4 * PAGE);
		if (z >= 0)
			fail("madvise_dontneed", "byte %ld reads %#x, not zero", z, (unsigned char)p[z]);
		else
			pass("madvise_dontneed");
	}
	munmap(p, 4 * PAGE);
}

/*
 * A way for a process to run out of mappings: at most limit mappings of len
 * bytes, private and anonymous, their protections prot[0] and prot[1] by
 * turns. The words are those of the report lines.
 */
struct running_out {
	const char *name;       /* passes if mmap ends in ENOMEM before the limit */
	const char *recover;    /* passes if all unmap and a new mapping works */
	size_t limit, len;
	int prot[2];
	const char *unit;       /* "mmap failed after <n> <unit> with ..." */
	const char *unbounded;  /* "<limit> <unbounded>" */
	const char *ran_out;    /* "mmap: <ran_out> after <n> <counted>" */
	const char *counted;
};

/*
 * Maps until mmap fails, unmaps them all, then maps recover_len bytes:
 * returns that mapping, or MAP_FAILED.
 */
static char *run_out(const struct running_out *w, size_t recover_len)
{
	size_t n;
	int e = 0;

	for (n = 0; n < w->limit; n++) {
		void *r = anon(NULL, w->len, w->prot[n & 1], MAP_PRIVATE);
		if (r == MAP_FAILED) {
			e = errno;
			break;
		}
		maps[n] = r;
	}
	int bad_unmap = 0;
	for (size_t i = 0; i < n; i++)
		if (munmap(maps[i], w->len) != 0)
			bad_unmap++;

	if (n == w->limit)
		fail(w->name, "%zu %s", n, w->unbounded);
	else if (e != ENOMEM)
		fail(w->name, "mmap failed after %zu %s with %s (%s), expected ENOMEM", n, w->unit,
		     ename(e), strerror(e));
	else
		pass(w->name);
	printf("mmap: %s after %zu %s\n", w->ran_out, n, w->counted);
	fflush(stdout);

	char *p = anon_rw(recover_len);
	if (bad_unmap)
		fail(w->recover, "%d of the mappings could not be unmapped", bad_unmap);
	else if (p == MAP_FAILED)
		fail(w->recover, "mmap after unmapping them all: %s", strerror(errno));
	else
		pass(w->recover);
	return p;
}

/* Single pages, alternately PROT_READ and PROT_NONE so that none can merge. */
static void map_count(void)
{
	static const struct running_out w = {
		.name = "map_count", .recover = "map_count_recover",
		.limit = MAX_MAPS, .len = PAGE, .prot = { PROT_READ, PROT_NONE },
		.unit = "mappings", .unbounded = "single-page mappings and no limit",
		.ran_out = "mapping limit reached", .counted = "mappings",
	};
	char *p = run_out(&w, 16 * PAGE);

	if (p != MAP_FAILED) {
		p[0] = p[16 * PAGE - 1] = 1;
		munmap(p, 16 * PAGE);
	}
}

/* 1 MiB private writable mappings, never touched, until ENOMEM (at most 64 GiB). */
static void exhaust(void)
{
	static const struct running_out w = {
		.name = "exhaust", .recover = "exhaust_recover",
		.limit = 65536, .len = MIB, .prot = { PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE },
		.unit = "MiB", .unbounded = "MiB mapped and no ENOMEM (memory overcommitted?)",
		.ran_out = "memory exhausted", .counted = "MiB of mappings",
	};
	char *p = run_out(&w, MIB);

	if (p != MAP_FAILED) {
		memset(p, 1, MIB);
		munmap(p, MIB);
	}
}

/* mprotect and madvise over a hole, as Linux: mprotect changes what lies
 * before the hole, madvise acts on every mapping in the range, and both
 * say ENOMEM; MADV_FREE on shared memory is EINVAL. */
static void holes(void)
{
	char *p = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p + PAGE, PAGE)) {
		fail("hole_setup", "%s", strerror(errno));
		return;
	}
	errno = 0;
	int r = mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE);
	int e = errno;
	expect_error("mprotect_hole", r, e, ENOMEM);
	int st = in_child(touch_write, p);
	check(exited_with(st, 0), "mprotect_hole_changes_before",
	      "the page before the hole did not become writable");
	expect_signal("mprotect_hole_keeps_after", in_child(touch_write, p + 2 * PAGE), SIGSEGV);

	if (mprotect(p + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE)) {
		fail("hole_setup", "mprotect: %s", strerror(errno));
		return;
	}
	p[0] = 1;
	p[2 * PAGE] = 2;
	errno = 0;
	r = madvise(p, 3 * PAGE, MADV_DONTNEED);
	e = errno;
	expect_error("madvise_hole", r, e, ENOMEM);
	check(p[0] == 0 && p[2 * PAGE] == 0, "madvise_hole_applies",
	      "MADV_DONTNEED over a hole left the pages' contents");
	munmap(p, 3 * PAGE);

	char *sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		fail("hole_setup", "shared mmap: %s", strerror(errno));
		return;
	}
	errno = 0;
	r = madvise(sh, PAGE, MADV_FREE);
	e = errno;
	expect_error("madvise_free_shared", r, e, EINVAL);
	munmap(sh, PAGE);
}

/* How many of the n pages at p mincore reports resident, or -1. */
static int resident_pages(void *p, int n)
{
	unsigned char vec[64];
	int r = 0;

	if (n > 64 || mincore(p, (size_t)n * PAGE, vec) != 0)
		return -1;
	for (int i = 0; i < n; i++)
		r += vec[i] & 1;
	return r;
}

/* MAP_POPULATE faults every page in at mmap (Linux: 16 of 16 resident);
 * without it, or with MAP_NONBLOCK beside it (Linux since 2.6.23), none is. */
static void populate(void)
{
	int f = MAP_PRIVATE | MAP_ANONYMOUS;
	void *pop = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, f | MAP_POPULATE, -1, 0);
	void *plain = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, f, -1, 0);
	void *nb = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, f | MAP_POPULATE | MAP_NONBLOCK, -1, 0);

	if (pop == MAP_FAILED || plain == MAP_FAILED || nb == MAP_FAILED) {
		fail("populate_setup", "mmap: %s", strerror(errno));
		return;
	}
	int r = resident_pages(pop, 16);
	if (r == 16)
		pass("populate_resident");
	else
		fail("populate_resident", "%d of 16 pages resident after MAP_POPULATE", r);
	r = resident_pages(plain, 16);
	if (r == 0)
		pass("populate_not_asked");
	else
		fail("populate_not_asked", "%d of 16 untouched pages resident", r);
	r = resident_pages(nb, 16);
	if (r == 0)
		pass("populate_nonblock_does_nothing");
	else
		fail("populate_nonblock_does_nothing", "%d of 16 pages resident", r);
	check(first_not(pop, 0, 16 * PAGE) < 0, "populate_zeroed", "a populated page is not zero");
	munmap(pop, 16 * PAGE);
	munmap(plain, 16 * PAGE);
	munmap(nb, 16 * PAGE);
}

int main(void)
{
	anon_private();
	anon_shared();
	prot_none_then_rw();
	argument_errors();
	fixed_replace();
	hint();
	too_big();
	rlimit_as();
	munmap_middle();
	unmapped_range();
	read_only();
	remap();
	file_private();
	dontneed();
	holes();
	populate();
	map_count();
	exhaust();
	return failures ? 1 : 0;
}
