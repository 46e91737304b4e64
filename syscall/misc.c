/* Time, identity, randomness and memory information. */
#include "syscall/syscall.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/version.h"
#include "kernel/timer.h"
#include "mm/uaccess.h"
#include "mm/page_alloc.h"
#include <string.h>

#define NSEC_PER_SEC 1000000000UL
#define TIMER_ABSTIME 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3

struct timespec64 {
	int64_t sec, nsec;
};

/* No real-time clock is read: every clock counts from boot (uptime_ns),
 * but the CPU-time clocks, which count the caller's time on the CPU. */

static bool valid_clock(uint64_t clk)
{
	return clk <= 11 && clk != 8 && clk != 9 && clk != 10;  /* no alarm/TAI clocks */
}

SYSCALL(clock_gettime)
{
	uint64_t ns = ARG(0) == CLOCK_PROCESS_CPUTIME_ID || ARG(0) == CLOCK_THREAD_CPUTIME_ID
		? proc_cpu_ns(current) : uptime_ns();
	struct timespec64 ts = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };

	if (!valid_clock(ARG(0)))
		return -EINVAL;
	return copy_to_user(current->mm, ARG(1), &ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

SYSCALL(clock_getres)
{
	struct timespec64 ts = { 0, (int64_t)(NSEC_PER_SEC / timer_freq()) };

	if (!valid_clock(ARG(0)))
		return -EINVAL;
	if (ARG(1) && copy_to_user(current->mm, ARG(1), &ts, sizeof(ts)) < 0)
		return -EFAULT;
	return 0;
}

SYSCALL(gettimeofday)
{
	uint64_t ns = uptime_ns();
	int64_t tv[2] = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / 1000) };

	if (ARG(0) && copy_to_user(current->mm, ARG(0), tv, sizeof(tv)) < 0)
		return -EFAULT;
	return 0;
}

static long get_timespec(uint64_t uts, uint64_t *ns)
{
	struct timespec64 ts;

	if (copy_from_user(current->mm, &ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts.sec > UINT64_MAX / NSEC_PER_SEC - 1
		? UINT64_MAX : (uint64_t)ts.sec * NSEC_PER_SEC + (uint64_t)ts.nsec;
	return 0;
}

SYSCALL(nanosleep)
{
	uint64_t ns;
	long err = get_timespec(ARG(0), &ns);

	if (err)
		return err;
	uint64_t now = uptime_ns();
	return sleep_until(ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
}

SYSCALL(clock_nanosleep)
{
	uint64_t ns;
	long err;

	if (!valid_clock(ARG(0)))
		return -EINVAL;
	if ((err = get_timespec(ARG(2), &ns)))
		return err;
	if (!(ARG(1) & TIMER_ABSTIME)) {
		uint64_t now = uptime_ns();
		ns = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
	}
	return sleep_until(ns);
}

SYSCALL(uname)
{
	char u[6][65];

	memset(u, 0, sizeof(u));
	strcpy(u[0], "Bramble");
	strcpy(u[1], "bramble");
	strcpy(u[2], BRAMBLE_VERSION);
	strcpy(u[3], BRAMBLE_GIT_SHA);
	strcpy(u[4], "aarch64");
	return copy_to_user(current->mm, ARG(0), u, sizeof(u)) < 0 ? -EFAULT : 0;
}

SYSCALL(getrandom)
{
	uint8_t buf[256];
	uint64_t n = ARG(1), done = 0;

	if (ARG(2) & ~7UL)
		return -EINVAL;
	if (!user_range_ok(ARG(0), n))
		return -EFAULT;
	if (n > 32 * 1024 * 1024)
		n = 32 * 1024 * 1024;   /* Linux's cap for one call */
	while (done < n) {
		uint64_t k = n - done < sizeof(buf) ? n - done : sizeof(buf);
		random_bytes(buf, k);
		if (copy_to_user(current->mm, ARG(0) + done, buf, k) < 0)
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return (long)done;
}

struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];
};
_Static_assert(sizeof(struct linux_sysinfo) == 112, "struct sysinfo is 112 bytes on arm64");

/* totalram and freeram are the page allocator's figures. */
SYSCALL(sysinfo)
{
	struct page_stats st;
	struct linux_sysinfo si;

	page_alloc_stats(&st);
	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(uptime_ns() / NSEC_PER_SEC);
	si.totalram = st.total_pages * PAGE_SIZE;
	si.freeram = st.free_pages * PAGE_SIZE;
	si.procs = (uint16_t)proc_count();
	si.mem_unit = 1;
	return copy_to_user(current->mm, ARG(0), &si, sizeof(si)) < 0 ? -EFAULT : 0;
}

SYSCALL(rseq)
{
	(void)tf;
	return -ENOSYS;   /* glibc runs without restartable sequences */
}
