/*
 * The vDSO's data page ([vvar]): what EL0 code needs to read the clocks
 * from the virtual counter without a system call, and the one conversion
 * both sides use. The kernel writes it (kernel/vdso.c) and reads the
 * clocks through vdso_clock_ns() itself, so the system calls and the vDSO
 * give the same answers from the same counter value. Pure code: compiled
 * into the kernel and into the vDSO (arch/arm64/vdso/vgettimeofday.c).
 *
 * A reader never sees a torn update: seq is odd while the kernel writes
 * (a sequence counter, Linux's vdso_data.seq); a reader that saw it odd,
 * or changed under its reads, reads again. tests/host/test_vdso_time
 * checks the arithmetic and, with two threads, the sequence count.
 */
#ifndef BRAMBLE_ARM64_VDSO_TIME_H
#define BRAMBLE_ARM64_VDSO_TIME_H
#include <stdint.h>
#include <stdbool.h>
#include "lib/uapi/time.h"

#define VDSO_NSEC_PER_SEC 1000000000ULL

struct vdso_time_data {
	uint32_t seq;             /* odd while the kernel writes */
	uint32_t counter_ok;      /* 0: no counter to read; the vDSO makes the system call */
	uint64_t freq;            /* counter ticks per second (CNTFRQ) */
	uint64_t count_offset;    /* CNTVCT + this is the kernel's clock counter (CNTPCT) */
	int64_t realtime_offset;  /* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
	uint64_t res_ns;          /* what clock_getres gives the counter clocks */
	int32_t tz_minuteswest, tz_dsttime;   /* gettimeofday's time zone */
};

/*
 * The sequence count. A reader takes vdso_read_begin's value, reads, and
 * reads again while vdso_read_retry says the page changed meanwhile; the
 * kernel brackets its stores with vdso_write_begin and vdso_write_end (one
 * writer: the kernel lock). The fences order the count's accesses around
 * the fields' (dmb ishld in the reader, dmb ish in the writer).
 */
static inline uint32_t vdso_read_begin(const struct vdso_time_data *d)
{
	uint32_t s;

	while ((s = __atomic_load_n(&d->seq, __ATOMIC_ACQUIRE)) & 1) {
#ifdef __aarch64__
		__asm__ volatile("yield" ::: "memory");
#endif
	}
	return s;
}

static inline bool vdso_read_retry(const struct vdso_time_data *d, uint32_t s)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&d->seq, __ATOMIC_RELAXED) != s;
}

static inline void vdso_write_begin(struct vdso_time_data *d)
{
	__atomic_store_n(&d->seq, d->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void vdso_write_end(struct vdso_time_data *d)
{
	__atomic_store_n(&d->seq, d->seq + 1, __ATOMIC_RELEASE);
}

/* ns in count ticks of a freq Hz counter, split so count * 1e9 cannot overflow. */
static inline uint64_t counter_to_ns(uint64_t count, uint64_t freq)
{
	if (!freq)
		return 0;
	return count / freq * VDSO_NSEC_PER_SEC + count % freq * VDSO_NSEC_PER_SEC / freq;
}

/* The resolution of a clock read from a freq Hz counter (clock_getres). */
static inline uint64_t counter_resolution_ns(uint64_t freq)
{
	return freq ? VDSO_NSEC_PER_SEC / freq : 0;
}

/* The clocks the page describes: every clock counts from boot, the real
 * time clocks with the realtime offset added; the CPU-time clocks and the
 * invalid ones are the system call's. */
static inline bool vdso_clock_is_counter(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME: case CLOCK_TAI:
		return true;
	default:
		return false;
	}
}

/* The reading of clock at virtual counter value vcount, in ns: false for a
 * clock the page does not describe (the caller makes the system call). */
static inline bool vdso_clock_ns(const struct vdso_time_data *d, int clock, uint64_t vcount,
				 uint64_t *ns)
{
	if (!d->counter_ok || !vdso_clock_is_counter(clock))
		return false;
	*ns = counter_to_ns(vcount + d->count_offset, d->freq);
	if (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_TAI)
		*ns += (uint64_t)d->realtime_offset;
	return true;
}
#endif
