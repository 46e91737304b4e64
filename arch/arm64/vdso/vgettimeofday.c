/*
 * The vDSO's clock calls, run at EL0 in every process: the clocks read
 * from the virtual counter (CNTVCT_EL0, which CNTKCTL_EL1.EL0VCTEN lets
 * EL0 read) and the data page the kernel keeps below this image. A clock
 * the page does not describe is the system call's, made here with svc,
 * so its answer and its errors (EINVAL) are the kernel's, as Linux's
 * lib/vdso falls back.
 */
#include "arch/arm64/vdso/vdso_time.h"

#define NR_clock_gettime 113
#define NR_clock_getres  114
#define NR_gettimeofday  169

/* The data page, one page below the image (vdso.lds). Hidden: reached
 * PC-relative, no relocation. */
extern const struct vdso_time_data vdso_time_data __attribute__((visibility("hidden")));

int __kernel_clock_gettime(int clock, struct linux_timespec *ts);
int __kernel_gettimeofday(struct linux_timeval *tv, struct linux_timezone *tz);
int __kernel_clock_getres(int clock, struct linux_timespec *res);

static long syscall2(long nr, long a0, long a1)
{
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x8 __asm__("x8") = nr;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
	return x0;
}

static inline uint64_t read_virtual_counter(void)
{
	uint64_t v;

	/* isb: not read ahead of the sequence count's load. */
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

/* The clock's reading, consistent with one version of the page. */
static bool clock_read_ns(int clock, uint64_t *ns)
{
	const struct vdso_time_data *d = &vdso_time_data;
	uint32_t s;
	bool ok;

	do {
		s = vdso_read_begin(d);
		ok = vdso_clock_ns(d, clock, read_virtual_counter(), ns);
	} while (vdso_read_retry(d, s));
	return ok;
}

int __kernel_clock_gettime(int clock, struct linux_timespec *ts)
{
	uint64_t ns;

	if (!clock_read_ns(clock, &ns))
		return (int)syscall2(NR_clock_gettime, clock, (long)ts);
	ts->tv_sec = (int64_t)(ns / VDSO_NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % VDSO_NSEC_PER_SEC);
	return 0;
}

int __kernel_gettimeofday(struct linux_timeval *tv, struct linux_timezone *tz)
{
	const struct vdso_time_data *d = &vdso_time_data;
	uint64_t ns;

	if (tv) {
		if (!clock_read_ns(CLOCK_REALTIME, &ns))
			return (int)syscall2(NR_gettimeofday, (long)tv, (long)tz);
		tv->tv_sec = (int64_t)(ns / VDSO_NSEC_PER_SEC);
		tv->tv_usec = (int64_t)(ns % VDSO_NSEC_PER_SEC / 1000);
	}
	if (tz) {
		int32_t west, dst;
		uint32_t s;
		do {             /* both halves of one settimeofday's zone */
			s = vdso_read_begin(d);
			west = d->tz_minuteswest;
			dst = d->tz_dsttime;
		} while (vdso_read_retry(d, s));
		tz->tz_minuteswest = west;
		tz->tz_dsttime = dst;
	}
	return 0;
}

int __kernel_clock_getres(int clock, struct linux_timespec *res)
{
	const struct vdso_time_data *d = &vdso_time_data;
	uint64_t ns;
	uint32_t s;
	bool ok;

	do {
		s = vdso_read_begin(d);
		ok = d->counter_ok && vdso_clock_is_counter(clock);
		ns = d->res_ns;
	} while (vdso_read_retry(d, s));
	if (!ok)
		return (int)syscall2(NR_clock_getres, clock, (long)res);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = (int64_t)ns;
	}
	return 0;
}
