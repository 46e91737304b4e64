/*
 * compat: identity and small ABI details, each as Linux answers it (the
 * expectations were checked under qemu-aarch64-static against Linux):
 * uname, sethostname/setdomainname, dup3, gettimeofday's time zone,
 * wait4(INT_MIN), RLIMIT_NOFILE's ceiling, advisory locks, times,
 * getrusage, and kill() of init, of groups and of nobody.
 *
 * Prints "PASS compat.<case>" or "FAIL compat.<case>: <why>" per check and
 * exits 0 only if all passed. Safe to run on Linux as root only inside
 * new UTS and PID namespaces (unshare -fpu), as it renames the host and
 * signals pid 1.
 */
#define _GNU_SOURCE
#define PROG "compat"
#include "check.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>

/* Never mapped (the first page); volatile, so the compiler cannot see through it. */
static void *volatile bad_ptr = (void *)8;
#define BAD_PTR bad_ptr

static int on_bramble;

static void test_uname(void)
{
	struct utsname u;

	if (uname(&u) != 0) {
		fail("uname", "uname: %s", strerror(errno));
		return;
	}
	on_bramble = strstr(u.version, "Bramble") != NULL;
	check(strcmp(u.sysname, "Linux") == 0, "uname.sysname", u.sysname);
	check(strcmp(u.machine, "aarch64") == 0, "uname.machine", u.machine);
	check(u.release[0] >= '1' && u.release[0] <= '9' && strchr(u.release, '.'),
	      "uname.release", u.release);
	if (on_bramble) {
		check(strcmp(u.release, "6.1.0-bramble") == 0, "uname.release-bramble", u.release);
		check(strncmp(u.version, "#1 Bramble ", 11) == 0 && strchr(u.version, '('),
		      "uname.version-bramble", u.version);
	} else {
		pass("uname.release-bramble");
		pass("uname.version-bramble");
	}
}

static void test_hostname(void)
{
	struct utsname u, old;
	long r;
	int e;
	char big[80];

	uname(&old);
	CALL(r, e, sethostname("abi-test", 8));
	expect_ok("sethostname", r, e);
	check(uname(&u) == 0 && strcmp(u.nodename, "abi-test") == 0, "sethostname.uname",
	      u.nodename);
	memset(big, 'x', sizeof(big));
	CALL(r, e, sethostname(big, 65));
	expect_error("sethostname.too-long", r, e, EINVAL);
	CALL(r, e, sethostname(big, 64));
	expect_ok("sethostname.64", r, e);
	CALL(r, e, sethostname(BAD_PTR, 5));
	expect_error("sethostname.efault", r, e, EFAULT);
	CALL(r, e, setdomainname("example", 7));
	expect_ok("setdomainname", r, e);
	check(uname(&u) == 0 && strcmp(u.domainname, "example") == 0, "setdomainname.uname",
	      u.domainname);
	CALL(r, e, setdomainname(big, 65));
	expect_error("setdomainname.too-long", r, e, EINVAL);
	sethostname(old.nodename, strlen(old.nodename));
	setdomainname(old.domainname, strlen(old.domainname));
}

static void test_small(void)
{
	struct timeval tv;
	struct rlimit rl, now;
	long r;
	int e;

	CALL(r, e, dup3(1, 1, 0));
	expect_error("dup3.same-fd", r, e, EINVAL);
	CALL(r, e, dup3(99, 99, O_CLOEXEC));
	expect_error("dup3.same-bad-fd", r, e, EINVAL);
	CALL(r, e, dup3(99, 5, 0));
	expect_error("dup3.bad-fd", r, e, EBADF);

	CALL(r, e, syscall(SYS_gettimeofday, &tv, BAD_PTR));
	expect_error("gettimeofday.bad-tz", r, e, EFAULT);
	CALL(r, e, syscall(SYS_gettimeofday, &tv, NULL));
	expect_ok("gettimeofday", r, e);

	CALL(r, e, syscall(SYS_wait4, INT_MIN, NULL, 0, NULL));
	expect_error("wait4.int-min", r, e, ESRCH);

	getrlimit(RLIMIT_NOFILE, &rl);
	struct rlimit huge = { 1048577, 1048577 };
	CALL(r, e, setrlimit(RLIMIT_NOFILE, &huge));
	expect_error("setrlimit.nofile-above-nr-open", r, e, EPERM);
	check(getrlimit(RLIMIT_NOFILE, &now) == 0 && now.rlim_cur == rl.rlim_cur &&
	      now.rlim_max == rl.rlim_max, "setrlimit.nofile-unchanged", "the limit moved");
}

static void test_locks(const char *self)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	int fd = open(self, O_RDONLY);
	long r;
	int e;

	if (fd < 0) {
		fail("fcntl.open", "open %s: %s", self, strerror(errno));
		return;
	}
	CALL(r, e, fcntl(fd, F_GETLK, BAD_PTR));
	expect_error("fcntl.getlk-efault", r, e, EFAULT);
	CALL(r, e, fcntl(fd, F_SETLK, BAD_PTR));
	expect_error("fcntl.setlk-efault", r, e, EFAULT);
	CALL(r, e, fcntl(fd, F_SETLKW, BAD_PTR));
	expect_error("fcntl.setlkw-efault", r, e, EFAULT);
	CALL(r, e, fcntl(fd, F_GETLK, &fl));
	check(r == 0 && fl.l_type == F_UNLCK, "fcntl.getlk-unlocked", "no F_UNLCK");
	fl.l_type = F_RDLCK;
	CALL(r, e, fcntl(fd, F_SETLK, &fl));
	expect_ok("fcntl.setlk-read", r, e);
	fl.l_type = F_WRLCK;
	CALL(r, e, fcntl(fd, F_SETLK, &fl));
	expect_error("fcntl.setlk-write-on-rdonly", r, e, EBADF);
	fl.l_type = F_UNLCK;
	CALL(r, e, fcntl(fd, F_SETLKW, &fl));
	expect_ok("fcntl.setlkw-unlock", r, e);
	fl.l_type = 7;
	CALL(r, e, fcntl(fd, F_SETLK, &fl));
	expect_error("fcntl.setlk-bad-type", r, e, EINVAL);
	close(fd);
}

/* Burns about ms milliseconds of CPU time in user mode. */
static void burn(long ms)
{
	struct timespec a, b;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		for (int i = 0; i < 100000; i++)
			x += i;
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void burn_child(void *arg)
{
	(void)arg;
	burn(150);
}

static void test_times(void)
{
	struct tms t0, t1;
	struct rusage ru;
	long c0, c1, r;
	int e;

	c0 = syscall(SYS_times, &t0);
	burn(150);
	c1 = syscall(SYS_times, &t1);
	long hz = sysconf(_SC_CLK_TCK);
	check(hz == 100, "times.clk-tck", "sysconf(_SC_CLK_TCK) is not 100");
	check(c0 != -1 && c1 - c0 >= 14 && c1 - c0 < 1000, "times.elapsed",
	      "times() did not advance by about 15 ticks");
	long cpu = (t1.tms_utime + t1.tms_stime) - (t0.tms_utime + t0.tms_stime);
	if (cpu >= 5 && cpu <= c1 - c0 + 2)
		pass("times.cpu");
	else
		fail("times.cpu", "%ld ticks of CPU in %ld elapsed", cpu, c1 - c0);
	CALL(r, e, syscall(SYS_times, BAD_PTR));
	expect_error("times.efault", r, e, EFAULT);
	CALL(r, e, syscall(SYS_times, NULL));
	check(r > 0, "times.null", "times(NULL) failed");

	CALL(r, e, getrusage(RUSAGE_SELF, &ru));
	expect_ok("getrusage.self", r, e);
	long us = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec +
		  ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
	check(us >= 50000 && ru.ru_maxrss > 0 && ru.ru_maxrss < 1024 * 1024,
	      "getrusage.self-values", "no CPU time or maxrss");
	CALL(r, e, getrusage(RUSAGE_THREAD, &ru));
	expect_ok("getrusage.thread", r, e);
	int st = in_child(burn_child, NULL);
	check(exited_with(st, 0), "getrusage.child", describe(st));
	CALL(r, e, getrusage(RUSAGE_CHILDREN, &ru));
	expect_ok("getrusage.children", r, e);
	us = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec +
	     ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
	check(us >= 50000 && ru.ru_maxrss > 0, "getrusage.children-values",
	      "no CPU time or maxrss for the children");
	CALL(r, e, getrusage(5, &ru));
	expect_error("getrusage.einval", r, e, EINVAL);
	CALL(r, e, getrusage(RUSAGE_SELF, BAD_PTR));
	expect_error("getrusage.efault", r, e, EFAULT);
}

static void sleep_forever(void *arg)
{
	(void)arg;
	setpgid(0, 0);   /* a group leader on Linux; Bramble: every process leads its own group */
	for (;;)
		usleep(10000);
}

static void test_kill(void)
{
	long r;
	int e;

	CALL(r, e, kill(1, SIGKILL));
	expect_ok("kill.init-sigkill-dropped", r, e);
	CALL(r, e, kill(1, SIGTERM));
	expect_ok("kill.init-sigterm-dropped", r, e);
	CALL(r, e, kill(1, 0));
	expect_ok("kill.init-exists", r, e);
	usleep(20000);
	check(kill(1, 0) == 0, "kill.init-survives", "init is gone");
	CALL(r, e, kill(0, 0));
	expect_ok("kill.own-group", r, e);
	CALL(r, e, kill(-99999, 0));
	expect_error("kill.no-such-group", r, e, ESRCH);
	CALL(r, e, kill(INT_MIN, 0));
	expect_error("kill.int-min", r, e, ESRCH);
	CALL(r, e, kill(getpid(), 65));
	expect_error("kill.bad-signal", r, e, EINVAL);

	pid_t child = start_child(sleep_forever, NULL);
	usleep(50000);   /* let it reach setpgid */
	CALL(r, e, kill(-child, SIGKILL));
	expect_ok("kill.group-of-child", r, e);
	expect_signal("kill.group-child-killed", wait_for(child), SIGKILL);
}

int main(int argc, char **argv)
{
	(void)argc;
	test_uname();
	test_hostname();
	test_small();
	test_locks(argv[0]);
	test_times();
	test_kill();
	/* A system call Bramble does not have, to see its name in the log. */
	syscall(SYS_vhangup);
	return failures ? 1 : 0;
}
