/*
 * vmrandom: seeded random sequences of mmap, munmap, mprotect, mremap,
 * madvise, brk, touches and forks, checked against a model of what each
 * page must hold. Every sequence runs in its own child, so a kernel that
 * kills it by mistake fails only that seed; the kernel itself must never
 * panic, and the harness checks the memory balance after the run.
 *
 *   vmrandom [FIRST_SEED [COUNT [STEPS]]]     (default 1 24 400)
 *
 * A failing seed replays exactly: run it alone with the same STEPS, and
 * VMRANDOM_TRACE=1 prints each operation.
 *
 * Prints "PASS vmrandom.seed-N" or "FAIL vmrandom.seed-N: <why>" per seed.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PROG "vmrandom"
#include "check.h"

#define SLOTS      8
#define MAX_PAGES  48        /* a slot's most pages */

/* What the model knows of one page. */
enum { P_NONE, P_R, P_RW };       /* protection */
#define V_UNKNOWN  -1             /* readable, contents not predicted */
#define V_SIGBUS   -2             /* past a shared object's end: never touched */

struct page_model {
	int prot;
	int val;                  /* byte at offsets 0 and PAGE-1, or V_* */
	int map;                  /* which mapping holds it: mremap takes one */
	int shared;               /* MAP_SHARED (else private) */
};

/* One region the sequence owns: [addr, addr + n pages), one mapping or
 * several adjacent ones it made inside that range. */
struct slot {
	char *addr;
	int n;
	struct page_model pg[MAX_PAGES];
};

static struct slot slots[SLOTS];
static int next_map = 1;
static uint64_t rng;
static int trace;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static int prot_bits(int p)
{
	return p == P_RW ? PROT_READ | PROT_WRITE : p == P_R ? PROT_READ : PROT_NONE;
}

/* The sequence's own failure: print why and end the child with status 1. */
static void broken(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void broken(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("vmrandom: ");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
	_exit(1);
}

#define TRACE(...) do { if (trace) { printf("  " __VA_ARGS__); putchar('\n'); fflush(stdout); } } while (0)

/* Every readable page of s holds what the model says. */
static void verify_slot(const struct slot *s, int si)
{
	for (int i = 0; i < s->n; i++) {
		const struct page_model *m = &s->pg[i];
		if (m->prot == P_NONE || m->val < 0)
			continue;
		volatile unsigned char *p = (volatile unsigned char *)s->addr + (size_t)i * PAGE;
		if (p[0] != m->val || p[PAGE - 1] != m->val)
			broken("slot %d page %d holds %d/%d, expected %d", si, i, p[0], p[PAGE - 1],
			       m->val);
	}
}

static void verify_all(void)
{
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].n)
			verify_slot(&slots[i], i);
}

/* Pages [from, to) become part of mapping map (0: a new one). */
static void set_pages(struct slot *s, int from, int to, int prot, int val, int map, int shared)
{
	if (!map)
		map = next_map++;
	for (int i = from; i < to; i++)
		s->pg[i] = (struct page_model){ prot, val, map, shared };
}

/* Pages from `from` on that share a mapping with from-1 become their own
 * one: mprotect and MAP_FIXED split mappings (Linux may merge them again,
 * this kernel need not, so the model never counts on a merge). */
static void split_at(struct slot *s, int from)
{
	if (from <= 0 || from >= s->n)
		return;
	int old = s->pg[from - 1].map, map = next_map++;
	for (int i = from; i < s->n && s->pg[i].map == old; i++)
		s->pg[i].map = map;
}

/* ---- the operations ----------------------------------------------------- */

static void op_map(struct slot *s)
{
	int n = 1 + pick(MAX_PAGES / 2), prot = pick(3), shared = pick(4) == 0;
	char *p = mmap(NULL, (size_t)n * PAGE, prot_bits(prot),
		       (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);

	TRACE("map %d pages prot %d shared %d -> %p", n, prot, shared, (void *)p);
	if (p == MAP_FAILED)
		broken("mmap of %d pages: %s", n, strerror(errno));
	*s = (struct slot){ .addr = p, .n = n };
	set_pages(s, 0, n, prot, 0, 0, shared);
}

static void op_unmap(struct slot *s)
{
	int keep = pick(s->n);          /* keeps the first pages, or none */

	TRACE("unmap %p from page %d of %d", (void *)s->addr, keep, s->n);
	if (munmap(s->addr + (size_t)keep * PAGE, (size_t)(s->n - keep) * PAGE))
		broken("munmap: %s", strerror(errno));
	s->n = keep;
}

static void op_protect(struct slot *s)
{
	int a = pick(s->n), b = a + 1 + pick(s->n - a), prot = pick(3);

	TRACE("mprotect %p pages [%d,%d) prot %d", (void *)s->addr, a, b, prot);
	if (mprotect(s->addr + (size_t)a * PAGE, (size_t)(b - a) * PAGE, prot_bits(prot)))
		broken("mprotect: %s", strerror(errno));
	split_at(s, a);
	split_at(s, b);
	for (int i = a; i < b; i++)
		if (s->pg[i].val != V_SIGBUS)
			s->pg[i].prot = prot;
}

static void op_write(struct slot *s)
{
	int i = pick(s->n), val = 1 + pick(250);

	if (s->pg[i].prot != P_RW || s->pg[i].val == V_SIGBUS)
		return;
	TRACE("write %d to %p page %d", val, (void *)s->addr, i);
	volatile unsigned char *p = (volatile unsigned char *)s->addr + (size_t)i * PAGE;
	p[0] = (unsigned char)val;
	p[PAGE - 1] = (unsigned char)val;
	s->pg[i].val = val;
}

/* Replaces pages [a, b) with a fresh private mapping (MAP_FIXED). */
static void op_fixed(struct slot *s)
{
	int a = pick(s->n), b = a + 1 + pick(s->n - a), prot = pick(3);
	char *want = s->addr + (size_t)a * PAGE;

	TRACE("fixed %p pages [%d,%d) prot %d", (void *)s->addr, a, b, prot);
	if (mmap(want, (size_t)(b - a) * PAGE, prot_bits(prot),
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != want)
		broken("mmap MAP_FIXED: %s", strerror(errno));
	split_at(s, b);
	set_pages(s, a, b, prot, 0, 0, 0);
}

/* MADV_DONTNEED: private pages read back as zeros, shared ones stay. */
static void op_dontneed(struct slot *s)
{
	int a = pick(s->n), b = a + 1 + pick(s->n - a);

	TRACE("dontneed %p pages [%d,%d)", (void *)s->addr, a, b);
	if (madvise(s->addr + (size_t)a * PAGE, (size_t)(b - a) * PAGE, MADV_DONTNEED))
		broken("madvise: %s", strerror(errno));
	for (int i = a; i < b; i++)
		if (!s->pg[i].shared && s->pg[i].val >= 0)
			s->pg[i].val = 0;
}

/* Whether pages [0, n) of s are one mapping (mremap needs that). */
static int one_mapping(const struct slot *s)
{
	for (int i = 1; i < s->n; i++)
		if (s->pg[i].map != s->pg[0].map)
			return 0;
	return 1;
}

static void op_remap(struct slot *s)
{
	/* A slot that MAP_FIXED or mprotect split stays out of mremap. */
	if (!one_mapping(s) || s->pg[0].val == V_SIGBUS)
		return;
	int n = 1 + pick(MAX_PAGES), move = pick(2);
	char *p = mremap(s->addr, (size_t)s->n * PAGE, (size_t)n * PAGE, move ? MREMAP_MAYMOVE : 0);

	TRACE("mremap %p %d -> %d pages%s -> %p", (void *)s->addr, s->n, n, move ? " maymove" : "",
	      (void *)p);
	if (p == MAP_FAILED) {
		if (!move && errno == ENOMEM)
			return;                 /* no room to grow in place */
		broken("mremap %d -> %d pages: %s", s->n, n, strerror(errno));
	}
	int prot = s->pg[0].prot, shared = s->pg[0].shared;
	/* Grown shared memory lies past its object: SIGBUS there. Grown
	 * private memory is fresh zeros. */
	if (n > s->n)
		set_pages(s, s->n, n, prot, shared ? V_SIGBUS : 0, s->pg[0].map, shared);
	s->addr = p;
	s->n = n;
}

/* A far window per slot, alone in its page-table blocks: moves there, or
 * within it, leave old and new sharing a table no other mapping holds. */
#define FAR_BASE   0x4000000000UL
#define FAR_SPAN   (8 * MIB)

static void op_remap_far(struct slot *s)
{
	if (!one_mapping(s) || s->pg[0].val == V_SIGBUS)
		return;
	int n = pick(2) ? s->n : 1 + pick(MAX_PAGES);   /* the same size, or another */
	char *to = (char *)(FAR_BASE + (uint64_t)(s - slots) * FAR_SPAN + (uint64_t)pick(512) * PAGE);
	size_t len = (size_t)s->n * PAGE, nlen = (size_t)n * PAGE;
	if (to < s->addr + len && s->addr < to + nlen)
		return;                         /* MREMAP_FIXED must not overlap */
	char *p = mremap(s->addr, len, nlen, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	TRACE("mremap %p %d -> %d pages fixed -> %p", (void *)s->addr, s->n, n, (void *)p);
	if (p != to)
		broken("mremap to %p: %s", (void *)to, strerror(errno));
	int prot = s->pg[0].prot, shared = s->pg[0].shared;
	if (n > s->n)
		set_pages(s, s->n, n, prot, shared ? V_SIGBUS : 0, s->pg[0].map, shared);
	s->addr = p;
	s->n = n;
}

static void op_fork(void)
{
	TRACE("fork");
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		broken("fork: %s", strerror(errno));
	if (pid == 0) {
		verify_all();
		_exit(0);
	}
	int st = wait_for(pid);
	if (!exited_with(st, 0))
		broken("forked checker: %s", describe(st));
}

static void op_brk(void)
{
	static char *base;
	char *cur = sbrk(0);

	if (!base)
		base = cur;
	long delta = (long)pick(64 * 1024) - (cur - base > 256 * 1024 ? 40 * 1024 : 16 * 1024);
	if (cur + delta < base)
		delta = base - cur;
	TRACE("brk %+ld", delta);
	if (sbrk(delta) == (void *)-1)
		broken("sbrk(%ld): %s", delta, strerror(errno));
	char *top = sbrk(0);
	if (top > base)
		memset(top - (top - base > 64 ? 64 : top - base), 0x77, (size_t)(top - base > 64 ? 64 : top - base));
}

static void step(void)
{
	struct slot *s = &slots[pick(SLOTS)];

	TRACE("slot %d:", (int)(s - slots));
	if (!s->n) {
		op_map(s);
		return;
	}
	switch (pick(12)) {
	case 0: op_unmap(s); break;
	case 1: op_protect(s); break;
	case 2: case 3: case 4: op_write(s); break;
	case 5: op_fixed(s); break;
	case 6: op_dontneed(s); break;
	case 7: op_remap(s); break;
	case 8: op_remap_far(s); break;
	case 9: op_brk(); break;
	case 10: if (pick(8) == 0) op_fork(); break;
	default: verify_slot(s, (int)(s - slots)); break;
	}
}

static void run_seed(uint64_t seed, int steps)
{
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (int i = 0; i < steps; i++)
		step();
	verify_all();
	op_fork();
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].n && munmap(slots[i].addr, (size_t)slots[i].n * PAGE))
			broken("final munmap: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	long first = argc > 1 ? atol(argv[1]) : 1, count = argc > 2 ? atol(argv[2]) : 24;
	int steps = argc > 3 ? atoi(argv[3]) : 400;

	trace = getenv("VMRANDOM_TRACE") != NULL;
	/* stdio's buffer comes from the heap: take it before brk moves. */
	printf("vmrandom: seeds %ld..%ld, %d steps each\n", first, first + count - 1, steps);
	for (long seed = first; seed < first + count; seed++) {
		char name[32];
		snprintf(name, sizeof name, "seed-%ld", seed);
		fflush(NULL);
		pid_t pid = fork();
		if (pid == 0) {
			run_seed((uint64_t)seed, steps);
			_exit(0);
		}
		int st = wait_for(pid);
		if (exited_with(st, 0))
			pass(name);
		else
			fail(name, "%s (replay: vmrandom %ld 1 %d)", describe(st), seed, steps);
	}
	return failures ? 1 : 0;
}
