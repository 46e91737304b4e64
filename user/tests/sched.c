/*
 * sched: the scheduling calls, as Linux's kernel/sched/core.c, kernel/sys.c
 * and kernel/sched/membarrier.c answer them: policies and priorities,
 * nice values (fork inherits, exec keeps), CPU affinity and getcpu,
 * membarrier, getrusage and times, and each one's error numbers; then the
 * same calls from a non-root user, who may not raise a priority or touch
 * root's processes. Every case that changes an attribute runs in a forked
 * child, so the program itself keeps its own.
 *
 * The calls are made raw (syscall(2)) where glibc's wrapper would change
 * the answer: getpriority's 20 - nice, sched_getaffinity's byte count.
 * Affinity is checked for its shape, not an exact mask: under
 * qemu-aarch64-static the host kernel answers with its own CPUs.
 *
 * Prints "PASS sched.<case>" or "FAIL sched.<case>: <why>" and exits 0 only
 * if all passed.
 */
#define _GNU_SOURCE
#include <linux/membarrier.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <time.h>

#define PROG "sched"
#include "check.h"

#define BAD_ADDR ((void *)8)   /* never mapped */
#define USER_UID 1000
#define EXEC_ARG "--report-nice"

static pid_t root_pid;          /* the program itself, a root process */
static pid_t dead_pid;          /* a reaped child's: no such process */

static long raw(long nr, long a, long b, long c)
{
	return syscall(nr, a, b, c);
}

/* Expects raw call result r (errno e) to be the value want. */
static void expect_value(const char *name, long r, int e, long want)
{
	if (r == want)
		pass(name);
	else if (r == -1)
		fail(name, "failed with %s, expected %ld", ename(e), want);
	else
		fail(name, "returned %ld, expected %ld", r, want);
}

static void nothing(void *arg)
{
	(void)arg;
}

/* Runs fn in a child of its own, whose checks report there; its exit
 * status is their failure count, added to ours. */
static void run_case(const char *name, void (*fn)(void *))
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		failures = 0;
		fn(NULL);
		fflush(NULL);
		_exit(failures > 100 ? 100 : failures);
	}
	int st = wait_for(pid);
	if (exited_with(st, 0))
		return;
	failures++;
	if (!WIFEXITED(st))
		fail(name, "%s", describe(st));
}

/* Fields 18, 19, 40 and 41 of the caller's stat file: priority, nice,
 * rt_priority, policy. thread-self's first: qemu-aarch64-static fakes
 * /proc/self/stat (those fields 0) but passes the task's through. */
static int stat_sched_fields(long *prio, long *nice, long *rtprio, long *policy)
{
	char buf[1024], *p;
	FILE *f = fopen("/proc/thread-self/stat", "r");

	if (!f)
		f = fopen("/proc/self/stat", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');   /* the name may hold spaces */
	if (!p)
		return -1;
	p += 2;                  /* field 3 */
	for (int field = 3; field <= 41 && *p; field++) {
		long v = strtol(p, &p, 10);
		if (field == 18) *prio = v;
		if (field == 19) *nice = v;
		if (field == 40) *rtprio = v;
		if (field == 41) *policy = v;
		while (*p == ' ')
			p++;
		if (field == 3)  /* the state letter */
			p++;
	}
	return 0;
}

static void expect_stat(const char *name, long wprio, long wnice, long wrt, long wpol)
{
	long prio = -99, nice = -99, rt = -99, pol = -99;

	if (stat_sched_fields(&prio, &nice, &rt, &pol) < 0)
		fail(name, "cannot read /proc/self/stat");
	else if (prio != wprio || nice != wnice || rt != wrt || pol != wpol)
		fail(name, "priority %ld nice %ld rt_priority %ld policy %ld, expected %ld %ld %ld %ld",
		     prio, nice, rt, pol, wprio, wnice, wrt, wpol);
	else
		pass(name);
}

/* ---- policies and priorities ------------------------------------------------ */

static void test_ranges(void)
{
	static const struct { int policy, max, min; } r[] = {
		{ SCHED_OTHER, 0, 0 }, { SCHED_FIFO, 99, 1 }, { SCHED_RR, 99, 1 },
		{ SCHED_BATCH, 0, 0 }, { SCHED_IDLE, 0, 0 },
	};
	bool ok = true;
	long r1, r2;
	int e;

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (sched_get_priority_max(r[i].policy) != r[i].max ||
		    sched_get_priority_min(r[i].policy) != r[i].min) {
			fail("priority-range", "policy %d: max %d min %d", r[i].policy,
			     sched_get_priority_max(r[i].policy), sched_get_priority_min(r[i].policy));
			ok = false;
		}
	if (ok)
		pass("priority-range");
	CALL(r1, e, sched_get_priority_max(4));
	expect_error("priority-max-einval", r1, e, EINVAL);
	CALL(r2, e, sched_get_priority_min(-1));
	expect_error("priority-min-einval", r2, e, EINVAL);
}

static void test_default_policy(void)
{
	struct sched_param sp = { .sched_priority = 7 };
	long r;
	int e;

	CALL(r, e, sched_getscheduler(0));
	expect_value("getscheduler-other", r, e, SCHED_OTHER);
	CALL(r, e, sched_getparam(0, &sp));
	expect_ok("getparam", r, e);
	check(sp.sched_priority == 0, "getparam-zero", "priority not 0 under SCHED_OTHER");
	CALL(r, e, sched_getscheduler(-1));
	expect_error("getscheduler-negative-einval", r, e, EINVAL);
	CALL(r, e, sched_getscheduler(dead_pid));
	expect_error("getscheduler-esrch", r, e, ESRCH);
	CALL(r, e, raw(SYS_sched_getparam, 0, 0, 0));
	expect_error("getparam-null-einval", r, e, EINVAL);
	CALL(r, e, sched_getparam(0, BAD_ADDR));
	expect_error("getparam-efault", r, e, EFAULT);
	CALL(r, e, sched_getparam(dead_pid, &sp));
	expect_error("getparam-esrch", r, e, ESRCH);
}

static void setscheduler_errors(void *arg)
{
	struct sched_param p0 = { 0 }, p1 = { 1 }, p100 = { 100 }, pneg = { -1 };
	long r;
	int e;

	(void)arg;
	CALL(r, e, sched_setscheduler(0, 4, &p0));
	expect_error("setscheduler-bad-policy", r, e, EINVAL);
	CALL(r, e, sched_setscheduler(0, SCHED_DEADLINE, &p0));
	expect_error("setscheduler-deadline-einval", r, e, EINVAL);
	CALL(r, e, raw(SYS_sched_setscheduler, 0, -1, (long)&p0));
	expect_error("setscheduler-negative-policy", r, e, EINVAL);
	CALL(r, e, sched_setscheduler(0, SCHED_OTHER, &p1));
	expect_error("setscheduler-other-prio1", r, e, EINVAL);
	CALL(r, e, sched_setscheduler(0, SCHED_FIFO, &p0));
	expect_error("setscheduler-fifo-prio0", r, e, EINVAL);
	CALL(r, e, sched_setscheduler(0, SCHED_RR, &p100));
	expect_error("setscheduler-rr-prio100", r, e, EINVAL);
	CALL(r, e, sched_setscheduler(0, SCHED_FIFO, &pneg));
	expect_error("setscheduler-negative-prio", r, e, EINVAL);
	CALL(r, e, raw(SYS_sched_setscheduler, 0, SCHED_OTHER, 0));
	expect_error("setscheduler-null", r, e, EINVAL);
	CALL(r, e, sched_setscheduler(-1, SCHED_OTHER, &p0));
	expect_error("setscheduler-negative-pid", r, e, EINVAL);
	CALL(r, e, sched_setscheduler(0, SCHED_OTHER, BAD_ADDR));
	expect_error("setscheduler-efault", r, e, EFAULT);
	CALL(r, e, sched_setscheduler(dead_pid, SCHED_OTHER, &p0));
	expect_error("setscheduler-esrch", r, e, ESRCH);
	CALL(r, e, sched_setparam(0, &p1));
	expect_error("setparam-other-prio1", r, e, EINVAL);
	CALL(r, e, sched_setparam(dead_pid, &p0));
	expect_error("setparam-esrch", r, e, ESRCH);
}

static void fair_policies(void *arg)
{
	struct sched_param p0 = { 0 };
	long r;
	int e;

	(void)arg;
	CALL(r, e, sched_setscheduler(0, SCHED_BATCH, &p0));
	expect_ok("setscheduler-batch", r, e);
	expect_value("getscheduler-batch", sched_getscheduler(0), errno, SCHED_BATCH);
	expect_stat("stat-batch", 20, 0, 0, SCHED_BATCH);
	CALL(r, e, sched_setscheduler(0, SCHED_IDLE, &p0));
	expect_ok("setscheduler-idle", r, e);
	expect_value("getscheduler-idle", sched_getscheduler(0), errno, SCHED_IDLE);
	CALL(r, e, sched_setscheduler(0, SCHED_OTHER, &p0));
	expect_ok("setscheduler-other-root", r, e);
	CALL(r, e, sched_setparam(0, &p0));
	expect_ok("setparam-other", r, e);
}

static void rt_policies(void *arg)
{
	struct sched_param p10 = { 10 }, p20 = { 20 }, got = { 0 };
	struct timespec ts;
	long r;
	int e;

	(void)arg;
	CALL(r, e, sched_setscheduler(0, SCHED_FIFO, &p10));
	expect_ok("setscheduler-fifo-root", r, e);
	expect_value("getscheduler-fifo", sched_getscheduler(0), errno, SCHED_FIFO);
	sched_getparam(0, &got);
	check(got.sched_priority == 10, "getparam-fifo-10", "priority not 10");
	expect_stat("stat-fifo", -11, 0, 10, SCHED_FIFO);
	CALL(r, e, sched_setparam(0, &p20));
	expect_ok("setparam-fifo-20", r, e);
	sched_getparam(0, &got);
	check(got.sched_priority == 20, "getparam-fifo-20", "priority not 20");
	CALL(r, e, sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &p10));
	expect_ok("setscheduler-rr-reset-on-fork", r, e);
	expect_value("getscheduler-reset-on-fork", sched_getscheduler(0), errno,
		     SCHED_RR | SCHED_RESET_ON_FORK);
	CALL(r, e, sched_rr_get_interval(0, &ts));
	check(r == 0 && ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000 &&
	      (ts.tv_sec || ts.tv_nsec), "rr-interval-rr", "no slice for SCHED_RR");
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(sched_getscheduler(0) == SCHED_OTHER ? 0 : 1);
	check(exited_with(wait_for(pid), 0), "reset-on-fork-child-other",
	      "the child did not go back to SCHED_OTHER");
}

static void test_rr_interval(void)
{
	struct timespec ts;
	long r;
	int e;

	CALL(r, e, sched_rr_get_interval(0, &ts));
	check(r == 0 && ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000,
	      "rr-interval", "no valid timespec");
	CALL(r, e, sched_rr_get_interval(-1, &ts));
	expect_error("rr-interval-negative-einval", r, e, EINVAL);
	CALL(r, e, sched_rr_get_interval(dead_pid, &ts));
	expect_error("rr-interval-esrch", r, e, ESRCH);
	CALL(r, e, sched_rr_get_interval(0, BAD_ADDR));
	expect_error("rr-interval-efault", r, e, EFAULT);
}

/* ---- nice --------------------------------------------------------------- */

static void nice_root(void *arg)
{
	long r;
	int e;

	(void)arg;
	CALL(r, e, raw(SYS_getpriority, PRIO_PROCESS, 0, 0));
	expect_value("getpriority-raw-20", r, e, 20);
	CALL(r, e, setpriority(PRIO_PROCESS, 0, 5));
	expect_ok("setpriority-5", r, e);
	expect_value("getpriority-raw-15", raw(SYS_getpriority, PRIO_PROCESS, 0, 0), errno, 15);
	expect_value("getpriority-glibc-5", getpriority(PRIO_PROCESS, 0), errno, 5);
	expect_stat("stat-nice-5", 25, 5, 0, SCHED_OTHER);
	setpriority(PRIO_PROCESS, 0, 100);
	expect_value("setpriority-clamp-19", getpriority(PRIO_PROCESS, 0), errno, 19);
	CALL(r, e, setpriority(PRIO_PROCESS, 0, -100));
	expect_ok("setpriority-root-lower", r, e);
	expect_value("setpriority-clamp-minus-20", getpriority(PRIO_PROCESS, getpid()), errno, -20);
	CALL(r, e, setpriority(3, 0, 0));
	expect_error("setpriority-bad-which", r, e, EINVAL);
	CALL(r, e, raw(SYS_getpriority, 3, 0, 0));
	expect_error("getpriority-bad-which", r, e, EINVAL);
	CALL(r, e, setpriority(PRIO_PROCESS, dead_pid, 0));
	expect_error("setpriority-esrch", r, e, ESRCH);
	CALL(r, e, raw(SYS_getpriority, PRIO_PROCESS, dead_pid, 0));
	expect_error("getpriority-esrch", r, e, ESRCH);
	CALL(r, e, raw(SYS_getpriority, PRIO_PROCESS, -1, 0));
	expect_error("getpriority-negative-esrch", r, e, ESRCH);
	/* A process group of its own: PRIO_PGRP reaches it alone. */
	setpgid(0, 0);
	CALL(r, e, setpriority(PRIO_PGRP, 0, 3));
	expect_ok("setpriority-pgrp", r, e);
	expect_value("getpriority-pgrp", raw(SYS_getpriority, PRIO_PGRP, getpgid(0), 0), errno, 17);
}

/* fork inherits the nice value; exec keeps it (the program reports it). */
static void nice_inherit(void *arg)
{
	(void)arg;
	setpriority(PRIO_PROCESS, 0, 7);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(getpriority(PRIO_PROCESS, 0) == 7 ? 0 : 1);
	check(exited_with(wait_for(pid), 0), "nice-fork-inherits", "the child's nice is not 7");
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "sched", EXEC_ARG, NULL };
		execv("/proc/self/exe", argv);
		printf("exec: %s\n", strerror(errno));
		fflush(stdout);
		_exit(100);
	}
	int st = wait_for(pid);
	check(exited_with(st, 7), "nice-exec-keeps", describe(st));
}

/* ---- a non-root user ---------------------------------------------------- */

static void as_user(void *arg)
{
	struct sched_param p0 = { 0 }, p1 = { 1 };
	cpu_set_t set;
	long r;
	int e;

	(void)arg;
	if (setuid(USER_UID) < 0) {
		fail("user-setuid", "setuid(%d): %s", USER_UID, strerror(errno));
		return;
	}
	CALL(r, e, setpriority(PRIO_PROCESS, 0, 5));
	expect_ok("user-raise-nice", r, e);
	CALL(r, e, setpriority(PRIO_PROCESS, 0, 4));
	expect_error("user-lower-nice-eacces", r, e, EACCES);
	CALL(r, e, setpriority(PRIO_PROCESS, 0, 5));
	expect_ok("user-same-nice", r, e);
	CALL(r, e, setpriority(PRIO_PROCESS, root_pid, 10));
	expect_error("user-setpriority-root-eperm", r, e, EPERM);
	CALL(r, e, raw(SYS_getpriority, PRIO_PROCESS, root_pid, 0));
	expect_value("user-getpriority-root", r, e, 20);
	CALL(r, e, setpriority(PRIO_USER, USER_UID, 6));
	expect_ok("user-setpriority-user", r, e);
	expect_value("user-getpriority-user", raw(SYS_getpriority, PRIO_USER, USER_UID, 0), errno, 14);
	CALL(r, e, sched_setscheduler(0, SCHED_FIFO, &p1));
	expect_error("user-fifo-eperm", r, e, EPERM);
	CALL(r, e, sched_setscheduler(0, SCHED_RR, &p1));
	expect_error("user-rr-eperm", r, e, EPERM);
	CALL(r, e, sched_setscheduler(root_pid, SCHED_BATCH, &p0));
	expect_error("user-setscheduler-root-eperm", r, e, EPERM);
	CALL(r, e, sched_setscheduler(0, SCHED_BATCH, &p0));
	expect_ok("user-batch", r, e);
	CALL(r, e, sched_setscheduler(0, SCHED_IDLE, &p0));
	expect_ok("user-idle", r, e);
	CALL(r, e, sched_setscheduler(0, SCHED_OTHER, &p0));
	expect_error("user-leave-idle-eperm", r, e, EPERM);
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	CALL(r, e, sched_setaffinity(root_pid, sizeof(set), &set));
	expect_error("user-setaffinity-root-eperm", r, e, EPERM);
	CALL(r, e, sched_setaffinity(0, sizeof(set), &set));
	expect_ok("user-setaffinity-self", r, e);
}

/* ---- affinity and getcpu ------------------------------------------------ */

static void test_affinity(void)
{
	unsigned long mask[16];
	unsigned cpu = 999, node = 999;
	long r;
	int e;

	CALL(r, e, raw(SYS_getcpu, (long)&cpu, (long)&node, 0));
	expect_ok("getcpu", r, e);
	CALL(r, e, raw(SYS_getcpu, (long)BAD_ADDR, 0, 0));
	expect_error("getcpu-efault", r, e, EFAULT);
	check(sched_getcpu() == (int)cpu, "sched-getcpu", "glibc's sched_getcpu differs from getcpu");

	memset(mask, 0, sizeof(mask));
	CALL(r, e, raw(SYS_sched_getaffinity, 0, 8, (long)mask));
	expect_value("getaffinity-8-bytes", r, e, 8);
	memset(mask, 0, sizeof(mask));
	CALL(r, e, raw(SYS_sched_getaffinity, 0, sizeof(mask), (long)mask));
	check(r > 0 && r % 8 == 0 && r <= (long)sizeof(mask), "getaffinity-size",
	      "not a whole number of longs");
	check(cpu < 1024 && (mask[cpu / 64] >> (cpu % 64) & 1), "getaffinity-has-cpu",
	      "the mask lacks the CPU getcpu names");
	CALL(r, e, raw(SYS_sched_getaffinity, 0, 0, (long)mask));
	expect_error("getaffinity-len0-einval", r, e, EINVAL);
	CALL(r, e, raw(SYS_sched_getaffinity, 0, 12, (long)mask));
	expect_error("getaffinity-len12-einval", r, e, EINVAL);
	CALL(r, e, raw(SYS_sched_getaffinity, 0, 8, (long)BAD_ADDR));
	expect_error("getaffinity-efault", r, e, EFAULT);
	CALL(r, e, raw(SYS_sched_getaffinity, dead_pid, 8, (long)mask));
	expect_error("getaffinity-esrch", r, e, ESRCH);
	CALL(r, e, raw(SYS_sched_getaffinity, -1, 8, (long)mask));
	expect_error("getaffinity-negative-esrch", r, e, ESRCH);

	unsigned long none[16] = { 0 }, far[16] = { 0 };
	far[15] = 1UL << 63;   /* CPU 1023 alone: no such CPU */
	CALL(r, e, raw(SYS_sched_setaffinity, 0, sizeof(mask), (long)mask));
	expect_ok("setaffinity-same", r, e);
	CALL(r, e, raw(SYS_sched_setaffinity, 0, sizeof(none), (long)none));
	expect_error("setaffinity-empty-einval", r, e, EINVAL);
	CALL(r, e, raw(SYS_sched_setaffinity, 0, sizeof(far), (long)far));
	expect_error("setaffinity-offline-einval", r, e, EINVAL);
	CALL(r, e, raw(SYS_sched_setaffinity, 0, 8, (long)BAD_ADDR));
	expect_error("setaffinity-efault", r, e, EFAULT);
	CALL(r, e, raw(SYS_sched_setaffinity, dead_pid, 8, (long)mask));
	expect_error("setaffinity-esrch", r, e, ESRCH);
}

/* The mask is inherited: a child that narrows it to its CPU reads it back. */
static void affinity_child(void *arg)
{
	cpu_set_t set, got;
	int cpu = sched_getcpu();

	(void)arg;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	check(sched_setaffinity(0, sizeof(set), &set) == 0, "setaffinity-one-cpu", strerror(errno));
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		CPU_ZERO(&got);
		_exit(sched_getaffinity(0, sizeof(got), &got) == 0 && CPU_COUNT(&got) == 1 &&
		      CPU_ISSET(cpu, &got) ? 0 : 1);
	}
	check(exited_with(wait_for(pid), 0), "affinity-fork-inherits", "the child's mask differs");
}

/* ---- membarrier --------------------------------------------------------- */

static long membarrier(int cmd, unsigned flags)
{
	return syscall(SYS_membarrier, cmd, flags, 0);
}

static void membarrier_case(void *arg)
{
	long r, q;
	int e;

	(void)arg;
	CALL(q, e, membarrier(MEMBARRIER_CMD_QUERY, 0));
	check(q > 0 && (q & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
	      (q & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) && (q & MEMBARRIER_CMD_GLOBAL_EXPEDITED),
	      "membarrier-query", "the expedited commands are missing");
	if (q & MEMBARRIER_CMD_GLOBAL) {
		CALL(r, e, membarrier(MEMBARRIER_CMD_GLOBAL, 0));
		expect_ok("membarrier-global", r, e);
	}
	CALL(r, e, membarrier(MEMBARRIER_CMD_QUERY, 1));
	expect_error("membarrier-flags-einval", r, e, EINVAL);
	CALL(r, e, membarrier(3, 0));
	expect_error("membarrier-bad-cmd-einval", r, e, EINVAL);
	CALL(r, e, membarrier(1 << 20, 0));
	expect_error("membarrier-unknown-cmd-einval", r, e, EINVAL);
	CALL(r, e, membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0));
	expect_ok("membarrier-global-expedited", r, e);
	CALL(r, e, membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0));
	expect_ok("membarrier-register-global-expedited", r, e);
	CALL(r, e, membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0));
	expect_error("membarrier-private-unregistered-eperm", r, e, EPERM);
	CALL(r, e, membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0));
	expect_ok("membarrier-register-private", r, e);
	CALL(r, e, membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0));
	expect_ok("membarrier-private", r, e);
	if (q & MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE) {
		CALL(r, e, membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0));
		expect_error("membarrier-sync-core-unregistered-eperm", r, e, EPERM);
		membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0);
		CALL(r, e, membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0));
		expect_ok("membarrier-sync-core", r, e);
	}
}

/* ---- CPU time ----------------------------------------------------------- */

static uint64_t tv_us(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
}

static void test_rusage(void)
{
	struct rusage self, thread, children;
	struct tms t;
	volatile unsigned long spin = 0;
	long r;
	int e;

	for (unsigned long i = 0; i < 20000000; i++)
		spin += i;
	CALL(r, e, getrusage(RUSAGE_SELF, &self));
	expect_ok("getrusage-self", r, e);
	CALL(r, e, getrusage(RUSAGE_THREAD, &thread));
	expect_ok("getrusage-thread", r, e);
	CALL(r, e, getrusage(RUSAGE_CHILDREN, &children));
	expect_ok("getrusage-children", r, e);
	uint64_t s = tv_us(self.ru_utime) + tv_us(self.ru_stime);
	uint64_t th = tv_us(thread.ru_utime) + tv_us(thread.ru_stime);
	if (s > 0 && th + 100000 > s && th < s + 100000)
		pass("getrusage-thread-is-self");
	else
		fail("getrusage-thread-is-self", "RUSAGE_SELF %lu us, RUSAGE_THREAD %lu us",
		     (unsigned long)s, (unsigned long)th);
	check(thread.ru_maxrss > 0, "getrusage-thread-maxrss", "no maxrss");
	CALL(r, e, getrusage(2, &self));
	expect_error("getrusage-bad-who", r, e, EINVAL);
	CALL(r, e, getrusage(-2, &self));
	expect_error("getrusage-minus-2", r, e, EINVAL);
	CALL(r, e, getrusage(RUSAGE_THREAD, BAD_ADDR));
	expect_error("getrusage-efault", r, e, EFAULT);

	CALL(r, e, times(&t));
	check(r > 0, "times", "no ticks since boot");
	getrusage(RUSAGE_SELF, &self);
	uint64_t ticks_us = (uint64_t)(t.tms_utime + t.tms_stime) * 1000000 / sysconf(_SC_CLK_TCK);
	s = tv_us(self.ru_utime) + tv_us(self.ru_stime);
	check(ticks_us <= s + 20000 && s <= ticks_us + 30000, "times-matches-rusage",
	      "times and getrusage disagree by more than a few ticks");
	CALL(r, e, raw(SYS_times, (long)BAD_ADDR, 0, 0));
	expect_error("times-efault", r, e, EFAULT);
	CALL(r, e, sched_yield());
	expect_ok("sched-yield", r, e);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], EXEC_ARG) == 0)
		return getpriority(PRIO_PROCESS, 0);
	root_pid = getpid();
	dead_pid = start_child(nothing, NULL);
	wait_for(dead_pid);

	test_ranges();
	test_default_policy();
	run_case("setscheduler_errors", setscheduler_errors);
	run_case("fair_policies", fair_policies);
	run_case("rt_policies", rt_policies);
	test_rr_interval();
	run_case("nice_root", nice_root);
	run_case("nice_inherit", nice_inherit);
	run_case("as_user", as_user);
	test_affinity();
	run_case("affinity_child", affinity_child);
	run_case("membarrier_case", membarrier_case);
	test_rusage();
	return failures ? 1 : 0;
}
