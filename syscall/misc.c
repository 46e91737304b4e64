/* Time, identity, randomness and memory information. */
#include "syscall/syscall.h"
#include "lib/printk.h"
#include "kernel/klog.h"
#include "kernel/random.h"
#include "kernel/uts.h"
#include "kernel/timer.h"
#include "kernel/signal.h"
#include "kernel/vdso.h"
#include "mm/uaccess.h"
#include "mm/page_alloc.h"
#include "lib/uapi/prctl.h"
#include "lib/uapi/sysinfo.h"
#include "lib/uapi/time.h"
#include "lib/uapi/utsname.h"
#include <string.h>

#define NSEC_PER_SEC 1000000000UL
#define GETRANDOM_MAX (32 * 1024 * 1024)   /* Linux's cap for one call */

_Static_assert(sizeof(struct linux_sysinfo) == 112, "struct sysinfo is 112 bytes on arm64");
_Static_assert(sizeof(struct linux_utsname) == 390, "struct new_utsname is 6 x 65 bytes");

/* No real-time clock is read: every clock counts from boot (uptime_ns),
 * but the CPU-time clocks, which count the caller's time on the CPU, and
 * CLOCK_REALTIME (and TAI), which clock_settime and settimeofday move
 * ahead of it (kernel/vdso.h keeps the offset, in the vDSO's data page). */

static bool valid_clock(int clk)
{
	/* no alarm, SGI or TAI clocks */
	return clk >= CLOCK_REALTIME && clk <= CLOCK_TAI && clk != CLOCK_REALTIME_ALARM &&
	       clk != CLOCK_BOOTTIME_ALARM && clk != CLOCK_SGI_CYCLE;
}

long sys_clock_gettime(int clock, uaddr_t tp)
{
	uint64_t ns;

	if (!valid_clock(clock))
		return -EINVAL;
	if (clock == CLOCK_PROCESS_CPUTIME_ID)
		ns = proc_group_cpu_ns(current);
	else if (clock == CLOCK_THREAD_CPUTIME_ID)
		ns = proc_cpu_ns(current);
	else if (!vdso_clock_read(clock, &ns))   /* the vDSO's reading, to the count */
		ns = uptime_ns();
	struct linux_timespec ts = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
	return copy_to_user(current->mm, tp, &ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

long sys_clock_getres(int clock, uaddr_t res)
{
	struct linux_timespec ts = { 0, (int64_t)vdso_clock_resolution_ns() };

	if (!valid_clock(clock))
		return -EINVAL;
	if (!uaddr_is_null(res) && copy_to_user(current->mm, res, &ts, sizeof(ts)) < 0)
		return -EFAULT;
	return 0;
}

/* The time zone is always UTC (zero), but a bad pointer to it is EFAULT. */
long sys_gettimeofday(uaddr_t tv, uaddr_t tz)
{
	uint64_t ns;

	if (!vdso_clock_read(CLOCK_REALTIME, &ns))
		ns = uptime_ns();
	struct linux_timeval t = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / 1000) };
	struct linux_timezone z;

	vdso_timezone(&z.tz_minuteswest, &z.tz_dsttime);

	if (!uaddr_is_null(tv) && copy_to_user(current->mm, tv, &t, sizeof(t)) < 0)
		return -EFAULT;
	if (!uaddr_is_null(tz) && copy_to_user(current->mm, tz, &z, sizeof(z)) < 0)
		return -EFAULT;
	return 0;
}

/* Linux's TIME_SETTOD_SEC_MAX: what the clock may be set to, in seconds. */
#define SETTOD_SEC_MAX (INT64_MAX / (int64_t)NSEC_PER_SEC - 30LL * 365 * 86400)

/* Sets CLOCK_REALTIME, as Linux's do_sys_settimeofday64: EINVAL for a time
 * out of range, EPERM without CAP_SYS_TIME, EINVAL before CLOCK_MONOTONIC. */
static long set_realtime(int64_t sec, int64_t nsec)
{
	if (sec < 0 || sec > SETTOD_SEC_MAX || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if (!cred_capable_time(&current->cred))
		return -EPERM;
	return vdso_set_realtime((uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec) ? 0 : -EINVAL;
}

/* Only CLOCK_REALTIME can be set (Linux's clock_set of the other clocks is
 * none: EINVAL). */
long sys_clock_settime(int clock, uaddr_t tp)
{
	struct linux_timespec ts;

	if (!valid_clock(clock))
		return -EINVAL;
	if (copy_from_user(current->mm, &ts, tp, sizeof(ts)) < 0)
		return -EFAULT;
	if (clock != CLOCK_REALTIME)
		return -EINVAL;
	return set_realtime(ts.tv_sec, ts.tv_nsec);
}

/* The time and the time zone, either or both; as Linux, even neither
 * needs CAP_SYS_TIME. */
long sys_settimeofday(uaddr_t tv, uaddr_t tz)
{
	struct linux_timeval t;
	struct linux_timezone z;

	if (!uaddr_is_null(tv)) {
		if (copy_from_user(current->mm, &t, tv, sizeof(t)) < 0)
			return -EFAULT;
		if (t.tv_sec < 0 || t.tv_usec < 0 || t.tv_usec >= 1000000)
			return -EINVAL;
	}
	if (!uaddr_is_null(tz) && copy_from_user(current->mm, &z, tz, sizeof(z)) < 0)
		return -EFAULT;
	if (!uaddr_is_null(tv) && t.tv_sec > SETTOD_SEC_MAX)
		return -EINVAL;
	if (!cred_capable_time(&current->cred))
		return -EPERM;
	if (!uaddr_is_null(tz)) {
		if (z.tz_minuteswest < -15 * 60 || z.tz_minuteswest > 15 * 60)
			return -EINVAL;
		vdso_set_timezone(z.tz_minuteswest, z.tz_dsttime);
	}
	return uaddr_is_null(tv) ? 0 : set_realtime(t.tv_sec, t.tv_usec * 1000);
}

long timespec_from_user(uaddr_t uts, uint64_t *ns)
{
	struct linux_timespec ts;

	if (copy_from_user(current->mm, &ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts.tv_sec > UINT64_MAX / NSEC_PER_SEC - 1
		? UINT64_MAX : (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

/* Writes what is left of a sleep to *rem (if given). */
static long put_remaining(uaddr_t rem, uint64_t deadline)
{
	uint64_t now = uptime_ns(), left = deadline > now ? deadline - now : 0;
	struct linux_timespec ts = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };

	if (uaddr_is_null(rem))
		return 0;
	return copy_to_user(current->mm, rem, &ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

/*
 * A relative sleep, as Linux's hrtimer_nanosleep: interrupted, it writes
 * the time left to *rem and returns -ERESTART_RESTARTBLOCK, which becomes
 * -EINTR for a handler, or restart_syscall(2) continuing to the same
 * deadline when none runs (a stop and continue).
 */
static long sleep_relative(uint64_t deadline, uaddr_t rem);

static long sleep_restart(void)
{
	return sleep_relative(current->restart.deadline, current->restart.rem);
}

static long sleep_relative(uint64_t deadline, uaddr_t rem)
{
	long err = sleep_until(deadline);

	if (!err)
		return 0;
	if (put_remaining(rem, deadline) < 0)
		return -EFAULT;
	current->restart.fn = sleep_restart;
	current->restart.deadline = deadline;
	current->restart.rem = rem;
	return -ERESTART_RESTARTBLOCK;
}

long sys_nanosleep(uaddr_t req, uaddr_t rem)
{
	uint64_t ns;
	long err = timespec_from_user(req, &ns);

	if (err)
		return err;
	uint64_t now = uptime_ns();
	return sleep_relative(ns > UINT64_MAX - now ? UINT64_MAX : now + ns, rem);
}

long sys_clock_nanosleep(int clock, int flags, uaddr_t req, uaddr_t rem)
{
	uint64_t ns;
	long err;

	if (!valid_clock(clock))
		return -EINVAL;
	if ((err = timespec_from_user(req, &ns)))
		return err;
	if (flags & TIMER_ABSTIME) {  /* an absolute sleep simply starts again */
		if (clock == CLOCK_REALTIME || clock == CLOCK_TAI)
			ns = vdso_realtime_to_boot(ns);
		return sleep_until(ns) ? -ERESTARTNOHAND : 0;
	}
	uint64_t now = uptime_ns();
	return sleep_relative(ns > UINT64_MAX - now ? UINT64_MAX : now + ns, rem);
}

/* ---- identity -------------------------------------------------------------------- */

/* klogctl(3): the kernel log (kernel/klog.h), which checks who may do what. */
long sys_syslog(int type, uaddr_t buf, int len)
{
	return klog_syslog(type, buf, len);
}

/* The names are kernel/uts.h's (shared with /proc). */
long sys_uname(uaddr_t buf)
{
	struct linux_utsname u;

	memset(&u, 0, sizeof(u));
	strcpy(u.sysname, UTS_SYSNAME);
	strcpy(u.nodename, uts_hostname());
	strcpy(u.release, UTS_RELEASE);
	strcpy(u.version, UTS_VERSION);
	strcpy(u.machine, UTS_MACHINE);
	strcpy(u.domainname, uts_domainname());
	return copy_to_user(current->mm, buf, &u, sizeof(u)) < 0 ? -EFAULT : 0;
}

/* sethostname/setdomainname: len bytes, not NUL-terminated, at most 64. */
static long set_uts_name(void (*set)(const char *, size_t), uaddr_t name, int len)
{
	char tmp[__NEW_UTS_LEN];

	if (!cred_capable_admin(&current->cred))
		return -EPERM;         /* CAP_SYS_ADMIN, checked first as Linux */
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(current->mm, tmp, name, (size_t)len) < 0)
		return -EFAULT;
	set(tmp, (size_t)len);
	return 0;
}

long sys_sethostname(uaddr_t name, int len)
{
	return set_uts_name(uts_set_hostname, name, len);
}

long sys_setdomainname(uaddr_t name, int len)
{
	return set_uts_name(uts_set_domainname, name, len);
}

/* ---- randomness and memory --------------------------------------------------------- */

long sys_getrandom(uaddr_t ubuf, size_t count, unsigned int flags)
{
	uint8_t buf[256];
	uint64_t n = count, done = 0;

	if (flags & ~(unsigned int)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (n > GETRANDOM_MAX)
		n = GETRANDOM_MAX;
	while (done < n) {
		uint64_t k = n - done < sizeof(buf) ? n - done : sizeof(buf);
		random_bytes(buf, k);
		if (copy_to_user(current->mm, uaddr_add(ubuf, done), buf, k) < 0)
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return (long)done;
}

/* totalram and freeram are the page allocator's figures. */
long sys_sysinfo(uaddr_t info)
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
	return copy_to_user(current->mm, info, &si, sizeof(si)) < 0 ? -EFAULT : 0;
}

long sys_rseq(uaddr_t rseq, uint32_t len, int flags, uint32_t sig)
{
	(void)rseq, (void)len, (void)flags, (void)sig;
	return -ENOSYS;   /* glibc runs without restartable sequences */
}
