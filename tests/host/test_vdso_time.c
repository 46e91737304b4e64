/* The vDSO's clock arithmetic and its sequence count
 * (arch/arm64/vdso/vdso_time.h), as the kernel and the vDSO both use them. */
#define _GNU_SOURCE
#include "arch/arm64/vdso/vdso_time.h"
#include "check.h"
#include <pthread.h>

/* The exact floor(count * 1e9 / freq), with 128-bit arithmetic. */
static uint64_t exact_ns(uint64_t count, uint64_t freq)
{
	return (uint64_t)((unsigned __int128)count * VDSO_NSEC_PER_SEC / freq);
}

static void test_conversion(void)
{
	static const uint64_t freqs[] = { 19200000, 54000000, 62500000, 24000000, 1000000000, 3 };
	static const uint64_t counts[] = { 0, 1, 61, 62499999, 62500000, 123456789012ULL,
					   1ULL << 50, (1ULL << 56) + 12345 };
	int bad = 0;

	for (size_t f = 0; f < sizeof(freqs) / sizeof(freqs[0]); f++)
		for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
			if (exact_ns(counts[c], freqs[f]) <= UINT64_MAX / 2 &&
			    counter_to_ns(counts[c], freqs[f]) != exact_ns(counts[c], freqs[f]))
				bad++;
	check(!bad, "vdso.counter_to_ns.exact", "%d of the readings differ from floor(n * 1e9 / f)", bad);
	check(counter_to_ns(12345, 0) == 0, "vdso.counter_to_ns.no_counter", "not 0 at 0 Hz");
	check(counter_resolution_ns(62500000) == 16 && counter_resolution_ns(19200000) == 52 &&
	      counter_resolution_ns(0) == 0, "vdso.resolution", "not 1e9 / freq, rounded down");
}

static void test_clocks(void)
{
	struct vdso_time_data d = { .counter_ok = 1, .freq = 1000, .count_offset = 500,
				    .realtime_offset = 7000000000LL };
	uint64_t ns = 0;

	check(vdso_clock_ns(&d, CLOCK_MONOTONIC, 1500, &ns) && ns == 2000000000ULL,
	      "vdso.clock.monotonic", "got %llu, not (1500 + 500) / 1000 s", (unsigned long long)ns);
	check(vdso_clock_ns(&d, CLOCK_BOOTTIME, 1500, &ns) && ns == 2000000000ULL &&
	      vdso_clock_ns(&d, CLOCK_MONOTONIC_RAW, 1500, &ns) && ns == 2000000000ULL &&
	      vdso_clock_ns(&d, CLOCK_MONOTONIC_COARSE, 1500, &ns) && ns == 2000000000ULL,
	      "vdso.clock.boottime_raw_coarse", "not the monotonic clock");
	check(vdso_clock_ns(&d, CLOCK_REALTIME, 1500, &ns) && ns == 9000000000ULL &&
	      vdso_clock_ns(&d, CLOCK_REALTIME_COARSE, 1500, &ns) && ns == 9000000000ULL &&
	      vdso_clock_ns(&d, CLOCK_TAI, 1500, &ns) && ns == 9000000000ULL,
	      "vdso.clock.realtime", "the realtime offset not added");
	check(!vdso_clock_ns(&d, CLOCK_PROCESS_CPUTIME_ID, 1, &ns) &&
	      !vdso_clock_ns(&d, CLOCK_THREAD_CPUTIME_ID, 1, &ns) && !vdso_clock_ns(&d, 8, 1, &ns) &&
	      !vdso_clock_ns(&d, 12, 1, &ns) && !vdso_clock_ns(&d, -1, 1, &ns),
	      "vdso.clock.syscall_only", "a CPU-time or invalid clock read from the page");
	d.counter_ok = 0;
	check(!vdso_clock_ns(&d, CLOCK_MONOTONIC, 1, &ns), "vdso.clock.no_counter",
	      "read from a page without a counter");
}

/* One writer storing the same value k in three fields, one reader that
 * must never see them differ. */
#define WRITES 2000000
static struct vdso_time_data shared;
static volatile int writer_done, reader_started;

static void *writer(void *arg)
{
	(void)arg;
	while (!reader_started)
		;
	for (uint64_t k = 1; k <= WRITES; k++) {
		vdso_write_begin(&shared);
		__atomic_store_n(&shared.freq, k, __ATOMIC_RELAXED);
		__atomic_store_n(&shared.count_offset, k, __ATOMIC_RELAXED);
		__atomic_store_n(&shared.res_ns, k, __ATOMIC_RELAXED);
		vdso_write_end(&shared);
	}
	writer_done = 1;
	return NULL;
}

static void test_seqcount(void)
{
	pthread_t t;
	long reads = 0, torn = 0, retried = 0;

	if (pthread_create(&t, NULL, writer, NULL) != 0) {
		check(0, "vdso.seqcount.no_torn_reads", "pthread_create failed");
		return;
	}
	reader_started = 1;
	while (!writer_done) {
		uint64_t a, b, c;
		uint32_t s;
		int tries = 0;
		do {
			s = vdso_read_begin(&shared);
			/* The other order than the writer's: the widest window. */
			c = __atomic_load_n(&shared.res_ns, __ATOMIC_RELAXED);
			b = __atomic_load_n(&shared.count_offset, __ATOMIC_RELAXED);
			a = __atomic_load_n(&shared.freq, __ATOMIC_RELAXED);
			tries++;
		} while (vdso_read_retry(&shared, s));
		reads++;
		retried += tries > 1;
		torn += a != b || b != c;
	}
	pthread_join(t, NULL);
	check(!torn && reads > 1000 && shared.seq == 2u * WRITES, "vdso.seqcount.no_torn_reads",
	      "%ld of %ld reads torn, seq %u", torn, reads, shared.seq);
	printf("vdso.seqcount: %ld reads, %ld retried\n", reads, retried);
}

int main(void)
{
	test_conversion();
	test_clocks();
	test_seqcount();
	return check_exit_status();
}
