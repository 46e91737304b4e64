/* Host unit tests for mm/kheap.c, over a malloc'ed region. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tests/host/check.h"
#include "mm/kheap.h"

/* ---- the environment hook: records instead of panicking ---- */
static int bug_calls;
static const void *bug_p;
static const char *bug_what;

void kheap_bug(const char *what, const void *p)
{
	bug_calls++;
	bug_what = what;
	bug_p = p;
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned char *region;
static size_t region_size;
static struct kheap_stats init_st;

static void setup(size_t size)
{
	free(region);
	region = aligned_alloc(4096, size);
	region_size = size;
	memset(region, 0x5a, size);
	kheap_init(region, size);
	kheap_stats(&init_st);
}

static int stats_eq(const struct kheap_stats *a, const struct kheap_stats *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static char name_buf[128];
static const char *nm(const char *what)
{
	snprintf(name_buf, sizeof(name_buf), "%s_%zuk", what, region_size / 1024);
	return name_buf;
}

/* ---- the model ---- */
struct obj {
	unsigned char *p;
	size_t size;
	unsigned char pat;
};
#define MAX_LIVE 4096
static struct obj live[MAX_LIVE];
static size_t nlive;

static int overlaps_live(const unsigned char *p, size_t size)
{
	for (size_t i = 0; i < nlive; i++)
		if (p < live[i].p + live[i].size && live[i].p < p + size)
			return 1;
	return 0;
}

static int pattern_ok(const struct obj *o)
{
	for (size_t i = 0; i < o->size; i++)
		if (o->p[i] != (unsigned char)(o->pat + i * 7))
			return 0;
	return 1;
}

/* Checks a fresh block, records it. Returns an error string or NULL. */
static const char *model_add(unsigned char *p, size_t size, size_t align)
{
	if ((uintptr_t)p % (align ? align : KHEAP_MIN_ALIGN))
		return "misaligned";
	if (p < region || p + size > region + region_size)
		return "outside the region";
	if (overlaps_live(p, size))
		return "overlaps a live block";
	if (nlive == MAX_LIVE)
		return "model full";
	struct obj *o = &live[nlive++];
	o->p = p;
	o->size = size;
	o->pat = (unsigned char)rnd();
	for (size_t i = 0; i < size; i++)
		p[i] = (unsigned char)(o->pat + i * 7);
	return NULL;
}

/* Verifies and frees live[i]. */
static const char *model_free(size_t i)
{
	struct obj o = live[i];
	live[i] = live[--nlive];
	if (!pattern_ok(&o))
		return "contents not preserved";
	kfree(o.p);
	return NULL;
}

static void free_all(void)
{
	while (nlive)
		model_free(nlive - 1);
}

static size_t rand_size(void)
{
	unsigned r = (unsigned)(rnd() % 100);
	if (r < 50)
		return 1 + (size_t)(rnd() % 128);
	if (r < 80)
		return 1 + (size_t)(rnd() % 2048);
	return 1 + (size_t)(rnd() % 9000);
}

static size_t rand_align(void)
{
	unsigned r = (unsigned)(rnd() % 100);
	if (r < 60)
		return 0;
	return (size_t)16 << (rnd() % 9);  /* 16 .. 4096 */
}

/* The stats agree with themselves and with the model. */
static const char *stats_consistent(void)
{
	struct kheap_stats st;
	kheap_stats(&st);
	size_t in_use = 0;
	for (int c = 0; c < KHEAP_NCLASSES; c++)
		in_use += st.class_in_use[c];
	if (st.total != region_size)
		return "total";
	if (st.used + st.free != st.total)
		return "used + free != total";
	if (st.live != nlive)
		return "live != model";
	if (in_use > st.live)
		return "class in_use > live";
	if (st.largest_free > st.free)
		return "largest_free > free";
	size_t live_bytes = 0;
	for (size_t i = 0; i < nlive; i++)
		live_bytes += live[i].size;
	if (st.used < live_bytes)
		return "used < live bytes";
	return NULL;
}

/* largest_free is exact: it succeeds and leaves no trace when freed; one more fails. */
static const char *largest_free_exact(void)
{
	struct kheap_stats st, st2;
	kheap_stats(&st);
	if (st.largest_free) {
		void *p = kmalloc(st.largest_free);
		if (!p)
			return "kmalloc(largest_free) failed";
		kfree(p);
		kheap_stats(&st2);
		if (!stats_eq(&st, &st2))
			return "kmalloc+kfree(largest_free) changed the stats";
	}
	void *q = kmalloc(st.largest_free + 1);
	if (q) {
		kfree(q);
		return "kmalloc(largest_free + 1) succeeded";
	}
	kheap_stats(&st2);
	if (!stats_eq(&st, &st2))
		return "a failed kmalloc changed the stats";
	return NULL;
}

static void test_initial(void)
{
	struct kheap_stats st = init_st;
	size_t table = region_size / 4096 * 16;
	int ok = st.total == region_size && st.used == table && st.free == region_size - table &&
		 st.largest_free == region_size - table - 16 && st.live == 0;
	for (int c = 0; c < KHEAP_NCLASSES; c++)
		ok &= st.class_size[c] == (size_t)16 << c && !st.class_in_use[c] && !st.class_free[c];
	check(ok, nm("initial_stats"), "total=%zu used=%zu free=%zu largest=%zu", st.total, st.used, st.free,
	      st.largest_free);
}

static void test_random(int ops)
{
	const char *err = NULL;
	int k, allocs = 0, nulls = 0;

	for (k = 0; k < ops && !err; k++) {
		int do_alloc = nlive == 0 || (nlive < MAX_LIVE && rnd() % 100 < 55);
		if (do_alloc) {
			size_t size = rand_size(), align = rand_align();
			struct kheap_stats before;
			kheap_stats(&before);
			unsigned char *p = align || rnd() % 2 ? kmalloc_aligned(size, align) : kmalloc(size);
			if (p) {
				allocs++;
				err = model_add(p, size, align);
			} else {
				nulls++;
				struct kheap_stats after;
				kheap_stats(&after);
				if (!stats_eq(&before, &after))
					err = "failed kmalloc changed the stats";
				else if (!align && size <= before.largest_free)
					err = "kmalloc(size <= largest_free) failed";
			}
		} else {
			err = model_free((size_t)(rnd() % nlive));
		}
		if (!err)
			err = stats_consistent();
		if (!err && k % 97 == 0)
			err = largest_free_exact();
	}
	check(!err && bug_calls == 0, nm("random_vs_model"), "op %d: %s (allocs %d, nulls %d, bugs %d)", k - 1,
	      err ? err : "", allocs, nulls, bug_calls);
	if (!nulls)
		printf("note: %s never ran out of memory\n", name_buf);
	free_all();
	struct kheap_stats st;
	kheap_stats(&st);
	check(stats_eq(&st, &init_st), nm("random_free_all_restores_initial"), "used=%zu (initially %zu) largest=%zu",
	      st.used, init_st.used, st.largest_free);
}

static void test_invalid(void)
{
	struct kheap_stats st;
	int ok = !kmalloc(0) && !kmalloc(SIZE_MAX) && !kmalloc(SIZE_MAX - 15) && !kmalloc(SIZE_MAX - 8) &&
		 !kmalloc(SIZE_MAX - 4096) && !kmalloc(SIZE_MAX / 2 + 1) && !kzalloc(SIZE_MAX) && !kzalloc(0) &&
		 !kmalloc_aligned(64, 3) && !kmalloc_aligned(64, 8192) && !kmalloc_aligned(64, 24) &&
		 !kmalloc_aligned(SIZE_MAX - 4000, 4096) && !kmalloc_aligned(0, 16) && !kmalloc(region_size) &&
		 !kmalloc(init_st.largest_free + 1);
	kheap_stats(&st);
	check(ok && stats_eq(&st, &init_st), nm("invalid_requests_return_null"), "");

	size_t csize = region_size >= 64 * 1024 ? 5000 : 100;
	void *a = kmalloc_aligned(100, 0), *b = kmalloc_aligned(100, 1), *c = kmalloc_aligned(csize, 4096);
	ok = a && b && c && !((uintptr_t)a % 16) && !((uintptr_t)b % 16) && !((uintptr_t)c % 4096);
	kfree(a);
	kfree(b);
	kfree(c);
	kfree(NULL);
	kheap_stats(&st);
	check(ok && stats_eq(&st, &init_st) && !bug_calls, nm("align_0_and_1_and_4096"), "");
}

static void test_kzalloc(void)
{
	int ok = 1;
	static const size_t sizes[] = { 1, 16, 24, 100, 2048, 2049, 5000 };
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *p = kmalloc(sizes[i]);
		memset(p, 0xee, sizes[i]);
		kfree(p);
		unsigned char *q = kzalloc(sizes[i]);
		ok &= q == p;  /* the same memory comes back (LIFO slots, first fit) */
		for (size_t j = 0; q && j < sizes[i]; j++)
			ok &= q[j] == 0;
		kfree(q);
	}
	struct kheap_stats st;
	kheap_stats(&st);
	check(ok && stats_eq(&st, &init_st), nm("kzalloc_zeroes"), "");
}

static void test_exhaustion(void)
{
	const char *err = NULL;
	int fails = 0;
	/* Fill with mixed sizes until many requests in a row fail. */
	while (fails < 200 && !err) {
		size_t size = rand_size();
		unsigned char *p = kmalloc(size);
		if (!p) {
			fails++;
			continue;
		}
		fails = 0;
		err = model_add(p, size, 0);
	}
	/* Then take everything that is left, largest_free at a time. */
	struct kheap_stats st;
	int rounds = 0;
	for (kheap_stats(&st); st.largest_free && !err && rounds < 100000; kheap_stats(&st), rounds++) {
		unsigned char *p = kmalloc(st.largest_free);
		if (!p)
			err = "kmalloc(largest_free) failed";
		else
			err = model_add(p, st.largest_free, 0);
	}
	if (!err && (kmalloc(1) || kmalloc(16) || kmalloc(5000)))
		err = "allocation succeeded with largest_free == 0";
	if (!err)
		err = stats_consistent();
	check(!err && st.largest_free == 0, nm("exhaustion_returns_null"), "%s", err ? err : "largest_free != 0");

	/* Free a random half, check largest_free exactness on the fragmented heap. */
	for (size_t n = nlive / 2; n && !err; n--)
		err = model_free((size_t)(rnd() % nlive));
	for (int i = 0; i < 50 && !err; i++) {
		err = largest_free_exact();
		if (!err && nlive)
			err = model_free((size_t)(rnd() % nlive));
	}
	check(!err, nm("largest_free_exact_when_fragmented"), "%s", err ? err : "");
	free_all();
	kheap_stats(&st);
	check(stats_eq(&st, &init_st), nm("exhaustion_free_all_restores_initial"), "");
}

/* Each bad free: reported once, stats unchanged. */
static void bad_free(const char *what, void *p)
{
	struct kheap_stats before, after;
	char name[160];
	kheap_stats(&before);
	int calls = bug_calls;
	kfree(p);
	kheap_stats(&after);
	snprintf(name, sizeof(name), "%s_%zuk", what, region_size / 1024);
	check(bug_calls == calls + 1 && bug_p == p && stats_eq(&before, &after), name, "calls %d, stats %s",
	      bug_calls - calls, stats_eq(&before, &after) ? "same" : "changed");
}

static void test_bugs(void)
{
	int local;
	unsigned char *s1 = kmalloc(32), *s2 = kmalloc(32), *big = kmalloc(3000), *big2 = kmalloc(5000);

	bad_free("bug_stack_pointer", &local);
	bad_free("bug_before_region", region - 16);
	bad_free("bug_page_table", region + 16);
	bad_free("bug_after_region", region + region_size);
	bad_free("bug_inside_slab_object", s1 + 8);
	bad_free("bug_slab_slot_never_allocated", s2 + 32 * 10);
	kfree(s1);
	bad_free("bug_double_free_slab_slot", s1);
	bad_free("bug_inside_large_block", big + 16);
	bad_free("bug_unaligned_large", big + 1);
	kfree(big);
	bad_free("bug_double_free_large", big);        /* merged into its neighbours */
	kfree(s2);                                      /* slab now empty: page returned */
	bad_free("bug_double_free_released_slab", s2);
	kfree(big2);
	bad_free("bug_double_free_large_2", big2);
	struct kheap_stats st;
	kheap_stats(&st);
	check(stats_eq(&st, &init_st), nm("bugs_leave_heap_intact"), "");
	bug_calls = 0;
}

/* A slab object's memory does not move when neighbours come and go; the
 * size-class accounting follows the objects. */
static void test_classes(void)
{
	void *p[KHEAP_NCLASSES];
	struct kheap_stats st;
	int ok = 1;
	for (int c = 0; c < KHEAP_NCLASSES; c++)
		p[c] = kmalloc((size_t)16 << c);
	kheap_stats(&st);
	for (int c = 0; c < KHEAP_NCLASSES; c++)
		ok &= st.class_in_use[c] == 1 && st.class_free[c] == 4096 / ((size_t)16 << c) - 1 &&
		      ((uintptr_t)p[c] & (((size_t)16 << c) - 1)) == 0;
	/* 16 bytes cost 16 bytes: a full 16-byte slab is exactly one page of use. */
	void *q[256];
	for (int i = 0; i < 255; i++)
		q[i] = kmalloc(16);
	struct kheap_stats st2;
	kheap_stats(&st2);
	ok &= st2.class_in_use[0] == 256 && st2.class_free[0] == 0 && st2.used - st.used == 255 * 16;
	for (int i = 0; i < 255; i++)
		kfree(q[i]);
	for (int c = 0; c < KHEAP_NCLASSES; c++)
		kfree(p[c]);
	kheap_stats(&st);
	check(ok && stats_eq(&st, &init_st), nm("size_classes_accounting"), "");
}

/* ---- owners: each tag's live bytes and objects, against a model ---- */

#define OWN_TAGS 8
#define OWN_OBJS 512

/* What an object takes: its power-of-two slot, or its block (16-byte
 * granules and the 16-byte header) above the largest slot. */
static size_t taken(size_t size, size_t align)
{
	if (size <= 2048 && align <= 2048) {
		size_t c = 16;
		while (c < size || c < align)
			c <<= 1;
		return c;
	}
	return ((size + 15) & ~(size_t)15) + 16;
}

/* A block: 16-byte granules and the header, and the remainder of the free
 * block it came from when that was too small to stay free (< 32 bytes). */
static bool is_block(size_t size, size_t got)
{
	size_t b = ((size + 15) & ~(size_t)15) + 16;
	return got >= b && got < b + 32 && !(got & 15);
}

static void test_owners(size_t size)
{
	static const size_t sizes[] = { 1, 16, 17, 100, 512, 2048, 2049, 3000, 5000 };
	struct { void *p; unsigned tag; size_t bytes; } objs[OWN_OBJS];
	size_t model_bytes[OWN_TAGS] = { 0 }, model_count[OWN_TAGS] = { 0 };
	uint8_t *map = malloc(kheap_owner_map_size(size));
	struct kheap_owner o;
	int n = 0, bad = 0;

	setup(size);
	kheap_track_owners(map);
	size_t table = init_st.used;   /* the page descriptors: no owner's */
	check(kheap_owner(1, &o) && o.bytes == 0 && o.count == 0, nm("owners_start_empty"), "");
	for (int step = 0; step < 20000 && !bad; step++) {
		if (n < OWN_OBJS && (n == 0 || rnd() % 3)) {
			size_t sz = sizes[rnd() % (sizeof(sizes) / sizeof(sizes[0]))];
			unsigned tag = (unsigned)(rnd() % OWN_TAGS);
			void *p = kmalloc_tagged(sz, 16, tag);
			if (!p)
				continue;
			/* A slab request may land in a larger class's slot, or in a
			 * block, when its own class has no page: the heap's count must
			 * be one of those. */
			size_t before = model_bytes[tag];
			struct kheap_owner now;
			kheap_owner(tag, &now);
			size_t got = now.bytes - before;
			bool slot = sz <= 2048 && got <= 2048 && !(got & (got - 1)) && got >= taken(sz, 16);
			if (!slot && !is_block(sz, got))
				bad = 1;
			objs[n].p = p;
			objs[n].tag = tag;
			objs[n].bytes = got;
			n++;
			model_bytes[tag] += got;
			model_count[tag]++;
		} else {
			int i = (int)(rnd() % (uint64_t)n);
			kfree(objs[i].p);
			model_bytes[objs[i].tag] -= objs[i].bytes;
			model_count[objs[i].tag]--;
			objs[i] = objs[--n];
		}
		size_t sum = 0;
		for (unsigned t = 0; t < OWN_TAGS; t++) {
			kheap_owner(t, &o);
			if (o.bytes != model_bytes[t] || o.count != model_count[t])
				bad = 1;
			sum += o.bytes;
		}
		struct kheap_stats st;
		kheap_stats(&st);
		/* Every byte the heap counts as used is some owner's. */
		if (sum != st.used - table)
			bad = 1;
	}
	check(!bad, nm("owners_match_model"), "");
	while (n)
		kfree(objs[--n].p);
	int empty = 1;
	for (unsigned t = 0; t < KHEAP_TAGS; t++)
		if (kheap_owner(t, &o) && (o.bytes || o.count))
			empty = 0;
	check(empty, nm("owners_empty_after_frees"), "");
	/* A double free is reported and counts nothing twice. */
	void *p = kmalloc_tagged(64, 16, 3);
	kfree(p);
	bug_calls = 0;
	kfree(p);
	kheap_owner(3, &o);
	check(bug_calls == 1 && o.bytes == 0 && o.count == 0, nm("owners_double_free"), "");
	bug_calls = 0;
	/* Too late once objects are out: no map, no accounting. */
	setup(size);
	void *q = kmalloc(32);
	kheap_track_owners(map);
	check(!kheap_owner(0, &o), nm("owners_need_an_empty_heap"), "");
	kfree(q);
	free(map);
}

static void run(size_t size, int ops)
{
	setup(size);
	test_initial();
	test_invalid();
	test_kzalloc();
	if (size >= 64 * 1024)
		test_classes();  /* needs a slab page per class */
	test_bugs();
	test_random(ops);
	test_exhaustion();
	test_owners(size);
}

int main(void)
{
	run(256 * 1024, 100000);
	run(64 * 1024, 100000);
	run(16 * 1024, 20000);
	{
		/* One page: no slab fits (the page table takes 16 bytes); small requests
		 * fall back to the large list. */
		setup(4096);
		void *a = kmalloc(16), *b = kmalloc(2048), *c = kmalloc(4096);
		struct kheap_stats st;
		kheap_stats(&st);
		int ok = a && b && !c && st.live == 2 && st.class_in_use[0] == 0;
		kfree(a);
		kfree(b);
		kheap_stats(&st);
		check(ok && stats_eq(&st, &init_st) && init_st.largest_free == 4096 - 32, "one_page_heap", "");
	}
	{
		/* Unusable regions leave an empty heap. */
		kheap_init(region + 8, 4096);
		struct kheap_stats st;
		kheap_stats(&st);
		void *p = kmalloc(16);
		check(!p && st.total == 0 && st.largest_free == 0, "bad_region_gives_empty_heap", "");
		bug_calls = 0;
		kfree(region);
		check(bug_calls == 1, "kfree_on_empty_heap_reports", "");
		bug_calls = 0;
	}
	free(region);
	return check_exit_status();
}
