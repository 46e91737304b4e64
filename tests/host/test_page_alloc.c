/* Host unit tests for mm/page_alloc.c, over fake physical memory maps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tests/host/check.h"
#include "mm/memmap.h"
#include "mm/page_alloc.h"

/* ---- the environment hook: records instead of panicking ---- */
static int bug_calls;
static const char *bug_what;
static phys_addr_t bug_pa;

void page_alloc_bug(const char *what, phys_addr_t pa)
{
	bug_calls++;
	bug_what = what;
	bug_pa = pa;
}

/* ---- a deterministic PRNG (xorshift64*) ---- */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* ---- a memory map under test ---- */
struct map {
	const char *name;
	struct phys_range usable[PAGE_MAX_ZONES];
	int n;
};

static void *meta;
static struct page_stats init_st;

static int setup(const struct map *m)
{
	size_t sz = page_alloc_meta_size(m->usable, m->n);
	free(meta);
	meta = malloc(sz);
	if (!sz || !meta || page_alloc_init(m->usable, m->n, meta, sz) != 0)
		return -1;
	page_alloc_stats(&init_st);
	return 0;
}

static int stats_eq(const struct page_stats *a, const struct page_stats *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static uint64_t map_pages(const struct map *m)
{
	uint64_t n = 0;
	for (int i = 0; i < m->n; i++)
		n += m->usable[i].size >> PAGE_SHIFT;
	return n;
}

static int in_usable(const struct map *m, phys_addr_t pa, uint64_t size)
{
	for (int i = 0; i < m->n; i++)
		if (pa >= m->usable[i].base && pa + size <= m->usable[i].base + m->usable[i].size)
			return 1;
	return 0;
}

static char name_buf[128];
static const char *nm(const struct map *m, const char *what)
{
	snprintf(name_buf, sizeof(name_buf), "%s_%s", what, m->name);
	return name_buf;
}

static void test_initial_stats(const struct map *m)
{
	uint64_t pages = map_pages(m), sum = 0;
	int has_zero = 0;
	for (int i = 0; i < m->n; i++)
		has_zero |= m->usable[i].base == 0;
	for (int o = 0; o <= PAGE_MAX_ORDER; o++)
		sum += init_st.free_blocks[o] << o;
	check(init_st.total_pages == pages - (uint64_t)has_zero && init_st.free_pages == init_st.total_pages &&
	      sum == init_st.free_pages, nm(m, "initial_stats"),
	      "total=%llu free=%llu sum=%llu pages=%llu", (unsigned long long)init_st.total_pages,
	      (unsigned long long)init_st.free_pages, (unsigned long long)sum, (unsigned long long)pages);
}

/* Random alloc/free against a model: a byte per page of the fake address space. */
struct blk { phys_addr_t pa; unsigned order; };

static void test_random(const struct map *m, int ops)
{
	phys_addr_t top = 0;
	for (int i = 0; i < m->n; i++)
		if (m->usable[i].base + m->usable[i].size > top)
			top = m->usable[i].base + m->usable[i].size;
	uint8_t *owned = calloc(top >> PAGE_SHIFT, 1);
	struct blk *live = malloc(sizeof(*live) * (size_t)ops);
	size_t nlive = 0;
	uint64_t used = 0;
	int fails = 0, allocs = 0, nulls = 0;
	char why[200] = "";
	struct page_stats st;

	for (int k = 0; k < ops && !fails; k++) {
		int do_alloc = nlive == 0 || (rnd() % 100) < (nlive < 2000 ? 60 : 45);
		if (do_alloc) {
			/* Mostly small orders, sometimes big ones. */
			unsigned r = (unsigned)(rnd() % 100);
			unsigned order = r < 50 ? 0 : r < 75 ? (unsigned)(rnd() % 3) + 1 :
					 r < 95 ? (unsigned)(rnd() % 4) + 3 : (unsigned)(rnd() % 4) + 7;
			phys_addr_t pa = alloc_pages(order);
			if (!pa) {
				nulls++;
				page_alloc_stats(&st);
				/* Failure only when no free block of order >= order exists. */
				for (unsigned o = order; o <= PAGE_MAX_ORDER; o++)
					if (st.free_blocks[o]) {
						snprintf(why, sizeof(why), "order %u failed with a free order-%u block", order, o);
						fails++;
					}
				continue;
			}
			allocs++;
			uint64_t size = PAGE_SIZE << order;
			if (pa & (size - 1)) {
				snprintf(why, sizeof(why), "%#llx not aligned to order %u", (unsigned long long)pa, order);
				fails++;
			} else if (!in_usable(m, pa, size)) {
				snprintf(why, sizeof(why), "%#llx order %u outside usable memory", (unsigned long long)pa, order);
				fails++;
			} else {
				for (uint64_t p = pa >> PAGE_SHIFT; p < (pa + size) >> PAGE_SHIFT; p++) {
					if (owned[p] || p == 0) {
						snprintf(why, sizeof(why), "page %#llx handed out twice (or page 0)",
							 (unsigned long long)p << PAGE_SHIFT);
						fails++;
						break;
					}
					owned[p] = 1;
				}
			}
			live[nlive++] = (struct blk){ pa, order };
			used += 1ULL << order;
		} else {
			size_t i = (size_t)(rnd() % nlive);
			struct blk b = live[i];
			live[i] = live[--nlive];
			for (uint64_t p = b.pa >> PAGE_SHIFT; p < (b.pa >> PAGE_SHIFT) + (1ULL << b.order); p++)
				owned[p] = 0;
			free_pages(b.pa, b.order);
			used -= 1ULL << b.order;
		}
		page_alloc_stats(&st);
		if (st.free_pages != init_st.total_pages - used || st.total_pages != init_st.total_pages) {
			snprintf(why, sizeof(why), "op %d: free_pages %llu, model says %llu", k,
				 (unsigned long long)st.free_pages, (unsigned long long)(init_st.total_pages - used));
			fails++;
		}
	}
	int bugs_before = bug_calls;
	while (nlive) {
		nlive--;
		free_pages(live[nlive].pa, live[nlive].order);
	}
	page_alloc_stats(&st);
	check(!fails && bug_calls == bugs_before, nm(m, "random_100k_ops_vs_model"), "%s (allocs %d, nulls %d)",
	      why, allocs, nulls);
	check(stats_eq(&st, &init_st), nm(m, "random_free_all_restores_initial"), "free=%llu/%llu",
	      (unsigned long long)st.free_pages, (unsigned long long)init_st.free_pages);
	free(owned);
	free(live);
}

static void test_exhaustion(const struct map *m)
{
	struct page_stats st;
	uint64_t cap = init_st.total_pages;
	phys_addr_t *got = malloc(sizeof(*got) * (size_t)cap);
	uint64_t n = 0;
	phys_addr_t pa;
	int zero_seen = 0;

	while (n < cap + 1 && (pa = alloc_pages(0)) != 0)
		got[n < cap ? n++ : n - 1] = pa, zero_seen |= pa == 0;
	page_alloc_stats(&st);
	uint64_t nb = 0;
	for (int o = 0; o <= PAGE_MAX_ORDER; o++)
		nb += st.free_blocks[o];
	check(n == cap && st.free_pages == 0 && nb == 0 && alloc_pages(0) == 0 && alloc_pages(3) == 0,
	      nm(m, "exhaust_order0_count_equals_total"), "got %llu of %llu, free %llu",
	      (unsigned long long)n, (unsigned long long)cap, (unsigned long long)st.free_pages);
	/* Free in a scrambled order. */
	for (uint64_t i = n; i > 1; i--) {
		uint64_t j = rnd() % i;
		phys_addr_t t = got[i - 1];
		got[i - 1] = got[j];
		got[j] = t;
	}
	for (uint64_t i = 0; i < n; i++)
		free_pages(got[i], 0);
	page_alloc_stats(&st);
	check(stats_eq(&st, &init_st), nm(m, "exhaust_free_all_restores_initial"), "free=%llu",
	      (unsigned long long)st.free_pages);

	/* Order 10 until exhaustion: exactly the initial order-10 blocks. */
	n = 0;
	while ((pa = alloc_pages(PAGE_MAX_ORDER)) != 0)
		got[n++] = pa;
	check(n == init_st.free_blocks[PAGE_MAX_ORDER], nm(m, "exhaust_max_order"), "got %llu, want %llu",
	      (unsigned long long)n, (unsigned long long)init_st.free_blocks[PAGE_MAX_ORDER]);
	while (n)
		free_pages(got[--n], PAGE_MAX_ORDER);
	page_alloc_stats(&st);
	check(stats_eq(&st, &init_st), nm(m, "exhaust_max_order_restores"), "");
	free(got);
}

/* Each bad free: bug reported once, stats untouched. */
static void bad_free(const struct map *m, const char *what, phys_addr_t pa, unsigned order)
{
	struct page_stats before, after;
	char name[160];
	page_alloc_stats(&before);
	int calls = bug_calls;
	bug_what = NULL;
	free_pages(pa, order);
	page_alloc_stats(&after);
	snprintf(name, sizeof(name), "%s_%s", what, m->name);
	check(bug_calls == calls + 1 && bug_pa == pa && stats_eq(&before, &after), name,
	      "bug calls %d (want %d), stats %s", bug_calls - calls, 1,
	      stats_eq(&before, &after) ? "same" : "changed");
}

static void test_bad_frees(const struct map *m)
{
	phys_addr_t a = alloc_pages(2), b = alloc_pages(0), c = alloc_pages(0);
	bad_free(m, "bug_wrong_order_smaller", a, 1);
	bad_free(m, "bug_wrong_order_larger", a, 3);
	bad_free(m, "bug_tail_page_of_block", a + PAGE_SIZE, 0);
	free_pages(b, 0);
	bad_free(m, "bug_double_free", b, 0);
	free_pages(c, 0);
	bad_free(m, "bug_double_free_after_merge", c, 0);
	bad_free(m, "bug_order_out_of_range", a, PAGE_MAX_ORDER + 1);
	bad_free(m, "bug_unaligned_address", a + 8, 0);
	bad_free(m, "bug_unmanaged_address", m->usable[m->n - 1].base + m->usable[m->n - 1].size, 0);
	/* A page never handed out: the start of some free block. */
	phys_addr_t never = alloc_pages(5);
	free_pages(never, 5);
	bad_free(m, "bug_never_allocated", never, 5);
	if (m->usable[0].base == 0)
		bad_free(m, "bug_page_zero", 0, 0);
	free_pages(a, 2);
	struct page_stats st;
	page_alloc_stats(&st);
	check(stats_eq(&st, &init_st), nm(m, "bug_cases_leave_state_consistent"), "");
	check(alloc_pages(PAGE_MAX_ORDER + 1) == 0 && alloc_pages(100) == 0 && alloc_pages(~0U) == 0,
	      nm(m, "order_above_max_returns_0"), "");
}

static void test_zones_do_not_merge(void)
{
	/* Two adjacent 2 MiB zones that would form one aligned 4 MiB block. */
	struct map m = { "adjacent_zones", { { 0x400000, 0x200000 }, { 0x600000, 0x200000 } }, 2 };
	struct page_stats st;
	if (setup(&m)) {
		check(0, "zones_never_merge", "setup failed");
		return;
	}
	phys_addr_t x[1024 + 1];
	int n = 0;
	while (n <= 1024 && (x[n] = alloc_pages(0)) != 0)
		n++;
	int got = n;
	while (n)
		free_pages(x[--n], 0);
	page_alloc_stats(&st);
	check(got == 1024 && init_st.free_blocks[9] == 2 && init_st.free_blocks[10] == 0 && stats_eq(&st, &init_st) &&
	      alloc_pages(10) == 0, "zones_never_merge", "order9=%llu order10=%llu",
	      (unsigned long long)st.free_blocks[9], (unsigned long long)st.free_blocks[10]);
}

/* A zone added held (the initrd's pages): every page allocated, the
 * caller's; freed one by one it becomes free memory, fully merged. */
static void test_held_zone(void)
{
	static char buf[64 << 10];
	struct phys_range both[] = { { 0x400000, 0x200000 }, { 0x800000, 0x400000 } };
	struct page_stats st, before;
	size_t need = page_alloc_meta_size(both, 2);

	if (!check(need <= sizeof(buf) && page_alloc_init(both, 1, buf, need) == 0, "held.init", ""))
		return;
	page_alloc_stats(&before);
	int r = page_alloc_add_zone_held(&both[1]);
	page_alloc_stats(&st);
	check(r == 0 && st.total_pages == before.total_pages + 1024 && st.free_pages == before.free_pages,
	      "held.all_allocated", "r=%d total %llu free %llu", r, (unsigned long long)st.total_pages,
	      (unsigned long long)st.free_pages);
	check(page_ref_count(0x800000) == 1 && page_ref_count(0xbff000) == 1, "held.one_user_each",
	      "refs %u", page_ref_count(0x800000));
	int bugs = bug_calls;
	free_pages(0x800000, 1);      /* held pages are single pages */
	check(bug_calls == bugs + 1, "held.single_pages", "");
	for (phys_addr_t pa = 0x800000; pa < 0xc00000; pa += PAGE_SIZE)
		free_pages(pa, 0);
	page_alloc_stats(&st);
	check(bug_calls == bugs + 1 && st.free_pages == before.free_pages + 1024 &&
	      st.free_blocks[10] == before.free_blocks[10] + 1, "held.freed_and_merged",
	      "free %llu order10 %llu", (unsigned long long)st.free_pages,
	      (unsigned long long)st.free_blocks[10]);
	free_pages(0x801000, 0);
	check(bug_calls == bugs + 2, "held.double_free_caught", "");
	check(page_alloc_add_zone_held(&both[1]) == -1, "held.overlap_refused", "");
}

static void test_init_errors(void)
{
	static char buf[1 << 16];
	struct phys_range overlap[] = { { 0x0, 0x200000 }, { 0x100000, 0x200000 } };
	struct phys_range unaligned[] = { { 0x800, 0x200000 } };
	struct phys_range empty[] = { { 0x1000, 0 } };
	struct phys_range ok[] = { { 0x100000, 0x1000000 } };  /* 4096 pages: 48 KiB of metadata */
	struct phys_range many[PAGE_MAX_ZONES + 1];
	for (int i = 0; i <= PAGE_MAX_ZONES; i++)
		many[i] = (struct phys_range){ 0x100000ULL * (unsigned)(i + 1), 0x1000 };
	size_t need = page_alloc_meta_size(ok, 1);
	int r1 = page_alloc_init(overlap, 2, buf, sizeof(buf));
	int r2 = page_alloc_init(unaligned, 1, buf, sizeof(buf));
	int r3 = page_alloc_init(empty, 1, buf, sizeof(buf));
	int r4 = page_alloc_init(many, PAGE_MAX_ZONES + 1, buf, sizeof(buf));
	int r5 = page_alloc_init(ok, 1, buf, need - 16);
	int r6 = page_alloc_init(ok, 0, buf, sizeof(buf));
	int r7 = page_alloc_init(ok, 1, buf, need);
	int r8 = page_alloc_init(many, PAGE_MAX_ZONES, buf, sizeof(buf));
	check(r1 == -1 && r2 == -1 && r3 == -1 && r4 == -1 && r5 == -1 && r6 == -1 && r7 == 0 && r8 == 0 &&
	      need >= 4096 * 8 && need <= 4096 * 16, "init_rejects_bad_arguments",
	      "%d %d %d %d %d %d %d %d need=%zu", r1, r2, r3, r4, r5, r6, r7, r8, need);
	/* Misaligned meta buffer still works (the size includes slack). */
	int r9 = page_alloc_init(ok, 1, buf + 1, need);
	phys_addr_t pa = alloc_pages(0);
	check(r9 == 0 && pa >= 0x100000 && pa < 0x1100000, "init_misaligned_meta_buffer", "r=%d", r9);
	/* A frame number past 32 bits (a hot page keeps 32): refused, at
	 * init and as a later zone; the last frame below 2^32 is taken. */
	struct phys_range high[] = { { (1ULL << 44) - 0x1000, 0x2000 } };
	struct phys_range top[] = { { (1ULL << 44) - 0x1000, 0x1000 } };
	int r10 = page_alloc_init(high, 1, buf, sizeof(buf));
	int r11 = page_alloc_init(ok, 1, buf, sizeof(buf));
	int r12 = page_alloc_add_zone(high);
	int r13 = page_alloc_add_zone(top);
	check(r10 == -1 && r11 == 0 && r12 == -1 && r13 == 0, "init_rejects_frames_past_32_bits",
	      "%d %d %d %d", r10, r11, r12, r13);
}

/* The hot cache: a freed page comes back first; it counts as free; a double
 * free of it is caught; more frees than it holds go to the free lists;
 * turning it off merges everything back to the state at init. */
static void test_hot_cache(const struct map *m)
{
	struct page_stats st;
	int bugs = bug_calls;

	page_alloc_hot_cache(true);
	phys_addr_t a = alloc_pages(0);
	free_pages(a, 0);
	page_alloc_stats(&st);
	check(st.free_pages == init_st.free_pages, nm(m, "hot.counts_as_free"), "free %llu of %llu",
	      (unsigned long long)st.free_pages, (unsigned long long)init_st.free_pages);
	free_pages(a, 0);
	check(bug_calls == bugs + 1, nm(m, "hot.double_free_caught"), "bug calls %d", bug_calls - bugs);
	check(alloc_pages(0) == a, nm(m, "hot.lifo"), "another page came back");
	free_pages(a, 0);
	/* More singles than it holds, and a big request that needs them merged. */
	phys_addr_t got[256], big;   /* more than HOT_MAX */
	for (int i = 0; i < 256; i++)
		got[i] = alloc_pages(0);
	for (int i = 0; i < 256; i++)
		free_pages(got[i], 0);
	page_alloc_stats(&st);
	check(st.free_pages == init_st.free_pages && bug_calls == bugs + 1, nm(m, "hot.overflow_frees"),
	      "free %llu", (unsigned long long)st.free_pages);
	big = alloc_pages(PAGE_MAX_ORDER);
	check(big != 0 || init_st.free_blocks[PAGE_MAX_ORDER] == 0, nm(m, "hot.big_request_served"),
	      "no order-%d block", PAGE_MAX_ORDER);
	if (big)
		free_pages(big, PAGE_MAX_ORDER);
	/* Everything taken, then two buddies freed into the cache: an order-1
	 * request drains it and is served. */
	uint64_t cap = init_st.total_pages, n = 0;
	phys_addr_t *all = malloc(sizeof(*all) * (size_t)cap), pa, pair = 0;
	while (n < cap && (pa = alloc_pages(0)) != 0)
		all[n++] = pa;
	for (uint64_t i = 0; i < n && !pair; i++)
		for (uint64_t j = i + 1; j < n && j < i + 4 && !pair; j++)
			if (all[j] == (all[i] ^ PAGE_SIZE) && !(all[i] & PAGE_SIZE))
				pair = all[i], all[i] = all[j] = 0;
	if (pair) {
		free_pages(pair, 0);
		free_pages(pair + PAGE_SIZE, 0);
	}
	phys_addr_t two = alloc_pages(1);
	check(pair && two == pair, nm(m, "hot.starved_request_drains"), "pair %#llx, order 1 got %#llx",
	      (unsigned long long)pair, (unsigned long long)two);
	if (two)
		free_pages(two, 1);
	for (uint64_t i = 0; i < n; i++)
		if (all[i])
			free_pages(all[i], 0);
	free(all);
	page_alloc_hot_cache(false);
	page_alloc_stats(&st);
	check(st.free_pages == init_st.free_pages && st.free_blocks[0] == init_st.free_blocks[0],
	      nm(m, "hot.off_merges_back"), "free %llu, order-0 blocks %llu (at init %llu)",
	      (unsigned long long)st.free_pages, (unsigned long long)st.free_blocks[0],
	      (unsigned long long)init_st.free_blocks[0]);
}

/* Known-zero pages: freed into their own cache, counted free, handed back
 * first to a request for a zeroed page, which then need not clear it. */
static void test_zero_cache(const struct map *m)
{
	struct page_stats st;
	int bugs = bug_calls;
	bool z;

	page_alloc_hot_cache(true);
	phys_addr_t a = alloc_pages(0), b;
	free_page_zeroed(a);
	page_alloc_stats(&st);
	check(st.free_pages == init_st.free_pages, nm(m, "zero.counts_as_free"), "free %llu",
	      (unsigned long long)st.free_pages);
	free_page_zeroed(a);
	check(bug_calls == bugs + 1, nm(m, "zero.double_free_caught"), "bug calls %d", bug_calls - bugs);
	b = alloc_page_zeroed(&z);
	check(b == a && z, nm(m, "zero.handed_back_zeroed"), "got %#llx (zeroed %d)",
	      (unsigned long long)b, z);
	phys_addr_t c = alloc_page_zeroed(&z);
	check(c && !z, nm(m, "zero.else_any_page"), "zeroed %d", z);
	free_pages(c, 0);
	page_ref_get(b);
	free_page_zeroed(b);
	check(bug_calls == bugs + 2, nm(m, "zero.shared_page_refused"), "bug calls %d", bug_calls - bugs);
	page_ref_put(b);
	free_page_zeroed(b);
	page_alloc_hot_cache(false);
	page_alloc_stats(&st);
	check(st.free_pages == init_st.free_pages && st.free_blocks[0] == init_st.free_blocks[0],
	      nm(m, "zero.off_merges_back"), "free %llu", (unsigned long long)st.free_pages);
}

/* Copy-on-write sharing: a page lives until its last user drops it. */
static void test_page_refs(const struct map *m)
{
	struct page_stats st;
	int bugs = bug_calls;
	phys_addr_t a = alloc_pages(0);

	check(a && page_ref_count(a) == 1, nm(m, "refs.one_at_alloc"), "refs %u", page_ref_count(a));
	page_ref_get(a);
	page_ref_get(a);
	check(page_ref_count(a) == 3, nm(m, "refs.counted"), "refs %u", page_ref_count(a));
	free_pages(a, 0);
	check(bug_calls == bugs + 1 && page_ref_count(a) == 3, nm(m, "refs.free_of_shared_caught"),
	      "bug calls %d, refs %u", bug_calls - bugs, page_ref_count(a));
	page_ref_put(a);
	page_ref_put(a);
	page_alloc_stats(&st);
	check(st.free_pages == init_st.free_pages - 1, nm(m, "refs.alive_with_a_user"), "free %llu",
	      (unsigned long long)st.free_pages);
	page_ref_put(a);
	page_alloc_stats(&st);
	check(st.free_pages == init_st.free_pages && bug_calls == bugs + 1, nm(m, "refs.last_put_frees"),
	      "free %llu, bug calls %d", (unsigned long long)st.free_pages, bug_calls - bugs);
	page_ref_get(a);
	check(bug_calls == bugs + 2, nm(m, "refs.get_of_free_page_caught"), "bug calls %d",
	      bug_calls - bugs);
	/* A page that comes back from the allocator has one user again. */
	phys_addr_t b = alloc_pages(0);
	check(page_ref_count(b) == 1, nm(m, "refs.reset_on_reuse"), "refs %u", page_ref_count(b));
	free_pages(b, 0);
}

int main(void)
{
	static const struct map maps[] = {
		/* 0x0..0x3c000000 minus the spin table page. */
		{ "rpi3", { { 0x1000, 0x3bfff000 } }, 1 },
		/* Pi 4 (4 GiB)-like: three ranges, holes between. */
		{ "rpi4", { { 0x0, 0x3b400000 }, { 0x40000000, 0xbc000000 }, { 0x100000000ULL, 0x80000000 } }, 3 },
		/* Unaligned zone edges (not multiples of 4 MiB), page 0 included. */
		{ "ragged", { { 0x0, 0x123000 }, { 0x7ff000, 0x803000 }, { 0x2001000, 0x1000 } }, 3 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(maps); i++) {
		const struct map *m = &maps[i];
		if (!check(setup(m) == 0, nm(m, "init"), "page_alloc_init failed"))
			continue;
		test_initial_stats(m);
		test_random(m, 100000);
		test_exhaustion(m);
		test_bad_frees(m);
		test_hot_cache(m);
		test_page_refs(m);
		test_zero_cache(m);
		page_alloc_hot_cache(true);
		test_page_refs(m);
		page_alloc_hot_cache(false);
	}
	{
		/* The memmap path the kernel takes: DT memory minus reservations. */
		struct phys_range mem[] = { { 0x0, 0x3c000000 } }, rsv[] = { { 0x0, 0x1000 } }, out[4];
		int n = memmap_subtract(mem, 1, rsv, 1, out, 4);
		struct map m = { "from_memmap", { out[0] }, n };
		check(n == 1 && setup(&m) == 0 && init_st.total_pages == 0x3c000 - 1, "init_from_memmap", "n=%d", n);
	}
	test_zones_do_not_merge();
	test_held_zone();
	test_init_errors();
	free(meta);
	return check_exit_status();
}
