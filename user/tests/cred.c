/*
 * cred: user and group ids, as Linux's kernel/sys.c and kernel/groups.c,
 * and kill's permission (kernel/signal.c check_kill_permission). Each case
 * starts as root in a forked child of its own, changes its ids and checks
 * what the calls answer. Every expectation was also run on Linux as root,
 * natively (the same source builds for the host) and under
 * qemu-aarch64-static, where only setgroups-eperm-first differs: QEMU
 * checks the size before the kernel sees the call.
 *
 * Prints "PASS cred.<case>" or "FAIL cred.<case>: <why>" and exits 0 only
 * if all passed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <sys/fsuid.h>
#include <sys/klog.h>
#include <sys/syscall.h>

#define PROG "cred"
#include "check.h"

#define BAD_ADDR ((void *)8)   /* never mapped */
#define SETUP_FAILED 100        /* a child's exit status when it could not start its case */

static int ready[2];            /* the victim says it has its ids */

/* Passes name if the three ids are r, e, s. */
static void expect_ids(const char *name, unsigned r, unsigned e, unsigned s, unsigned wr,
		       unsigned we, unsigned ws)
{
	if (r == wr && e == we && s == ws)
		pass(name);
	else
		fail(name, "ids %u %u %u, expected %u %u %u", r, e, s, wr, we, ws);
}

/* Passes name if getres (getresuid or getresgid) answers r, e, s. */
static void expect_res(const char *name, int (*getres)(unsigned *, unsigned *, unsigned *),
		       unsigned wr, unsigned we, unsigned ws)
{
	unsigned r = 99, e = 99, s = 99;

	if (getres(&r, &e, &s) < 0)
		fail(name, "getres[ug]id: %s", strerror(errno));
	else
		expect_ids(name, r, e, s, wr, we, ws);
}

#define expect_uids(name, r, e, s) expect_res(name, getresuid, r, e, s)
#define expect_gids(name, r, e, s) expect_res(name, getresgid, r, e, s)

/* The raw system call, with no glibc wrapper's checks in the way. */
static long raw(long nr, long a, long b, long c)
{
	return syscall(nr, a, b, c);
}

static void groups_case(void *arg)
{
	gid_t set[] = { 30, 10, 20 }, got[8] = { 0 };
	long r;
	int e;

	(void)arg;
	CALL(r, e, setgroups(3, set));
	expect_ok("setgroups", r, e);
	r = getgroups(0, NULL);
	check(r == 3, "getgroups-count", "getgroups(0, NULL) is not 3");
	r = getgroups(8, got);
	check(r == 3 && got[0] == 10 && got[1] == 20 && got[2] == 30, "getgroups-sorted",
	      "not 10 20 30");
	CALL(r, e, getgroups(2, got));
	expect_error("getgroups-too-small", r, e, EINVAL);
	CALL(r, e, raw(SYS_getgroups, -1, 0, 0));
	expect_error("getgroups-negative", r, e, EINVAL);
	CALL(r, e, raw(SYS_getgroups, 8, (long)BAD_ADDR, 0));
	expect_error("getgroups-efault", r, e, EFAULT);
	CALL(r, e, raw(SYS_setgroups, 1, (long)BAD_ADDR, 0));
	expect_error("setgroups-efault", r, e, EFAULT);
	CALL(r, e, raw(SYS_setgroups, 65537, (long)got, 0));
	expect_error("setgroups-too-many", r, e, EINVAL);
	gid_t bad[] = { 5, (gid_t)-1 };
	CALL(r, e, raw(SYS_setgroups, 2, (long)bad, 0));
	expect_error("setgroups-invalid-gid", r, e, EINVAL);
	check(getgroups(0, NULL) == 3, "setgroups-failure-keeps", "the groups changed");
	CALL(r, e, setgroups(0, NULL));
	expect_ok("setgroups-empty", r, e);
	check(getgroups(0, NULL) == 0, "getgroups-empty", "getgroups(0, NULL) is not 0");
	/* Unprivileged: EPERM, even for a size that would be EINVAL. */
	setresuid(0, 1000, 0);
	CALL(r, e, setgroups(1, set));
	expect_error("setgroups-unprivileged", r, e, EPERM);
	CALL(r, e, raw(SYS_setgroups, 65537, (long)got, 0));
	expect_error("setgroups-eperm-first", r, e, EPERM);
	_exit(failures);
}

static void setresuid_case(void *arg)
{
	long r;
	int e;

	(void)arg;
	CALL(r, e, setresuid(1, 2, 3));
	expect_ok("setresuid", r, e);
	expect_uids("getresuid", 1, 2, 3);
	check(getuid() == 1 && geteuid() == 2, "getuid-geteuid", "getuid/geteuid disagree");
	CALL(r, e, setresuid(4, -1, -1));
	expect_error("setresuid-other", r, e, EPERM);
	CALL(r, e, setresuid(3, 1, 2));
	expect_ok("setresuid-permute", r, e);
	expect_uids("setresuid-permuted", 3, 1, 2);
	check(setfsuid(-1) == 1, "setresuid-fsuid-is-euid", "fsuid is not the euid");
	uid_t a = 99, s = 99;
	CALL(r, e, raw(SYS_getresuid, (long)&a, (long)BAD_ADDR, (long)&s));
	expect_error("getresuid-efault", r, e, EFAULT);
	check(a == 3 && s == 99, "getresuid-efault-in-order", "not written up to the fault");
	_exit(failures);
}

static void setuid_case(void *arg)
{
	long r;
	int e;

	(void)arg;
	CALL(r, e, raw(SYS_setuid, -1, 0, 0));
	expect_error("setuid-minus-one", r, e, EINVAL);
	CALL(r, e, setuid(1000));
	expect_ok("setuid", r, e);
	expect_uids("setuid-drops-all", 1000, 1000, 1000);
	CALL(r, e, setuid(0));
	expect_error("setuid-back-to-root", r, e, EPERM);
	CALL(r, e, setreuid(-1, 0));
	expect_error("setreuid-back-to-root", r, e, EPERM);
	CALL(r, e, setuid(1000));
	expect_ok("setuid-same", r, e);
	_exit(failures);
}

/* Saved 0: an unprivileged setuid(0) sets only the effective id. */
static void setuid_saved_case(void *arg)
{
	long r;
	int e;

	(void)arg;
	setresuid(1000, 1000, 0);
	CALL(r, e, setuid(0));
	expect_ok("setuid-to-saved", r, e);
	expect_uids("setuid-to-saved-ids", 1000, 0, 0);
	_exit(failures);
}

static void setreuid_case(void *arg)
{
	long r;
	int e;

	(void)arg;
	CALL(r, e, setreuid(0, 1000));
	expect_ok("setreuid", r, e);
	expect_uids("setreuid-ids", 0, 1000, 1000);
	CALL(r, e, setreuid(1000, 0));
	expect_ok("setreuid-swap", r, e);
	expect_uids("setreuid-swapped", 1000, 0, 0);
	setresuid(1000, 2000, 3000);
	CALL(r, e, setreuid(3000, -1));
	expect_error("setreuid-real-to-saved", r, e, EPERM);
	CALL(r, e, setreuid(-1, 3000));
	expect_ok("setreuid-effective-to-saved", r, e);
	expect_uids("setreuid-saved-follows", 1000, 3000, 3000);
	CALL(r, e, setreuid(-1, 1000));
	expect_ok("setreuid-effective-to-real", r, e);
	expect_uids("setreuid-saved-stays", 1000, 1000, 3000);
	_exit(failures);
}

static void setfsuid_case(void *arg)
{
	(void)arg;
	check(setfsuid(1000) == 0, "setfsuid-returns-old", "not 0");
	check(setfsuid(-1) == 1000, "setfsuid-minus-one-asks", "fsuid is not 1000");
	expect_uids("setfsuid-keeps-ids", 0, 0, 0);
	check(setfsuid(0) == 1000, "setfsuid-back", "not 1000");
	setresuid(1000, 2000, 0);
	check(setfsuid(5) == 2000 && setfsuid(-1) == 2000, "setfsuid-unprivileged-other",
	      "fsuid changed to an id the process has not");
	check(setfsuid(0) == 2000 && setfsuid(-1) == 0, "setfsuid-to-saved", "fsuid is not 0");
	setresuid(1000, 1000, 1000);
	check(setfsuid(0) == 1000 && setfsuid(-1) == 1000, "setfsuid-dropped", "fsuid changed");
	check(setfsgid(7) == 0 && setfsgid(-1) == 0, "setfsgid-unprivileged", "fsgid changed");
	_exit(failures);
}

static void setgid_case(void *arg)
{
	long r;
	int e;

	(void)arg;
	CALL(r, e, setgid(100));
	expect_ok("setgid", r, e);
	expect_gids("setgid-sets-all", 100, 100, 100);
	CALL(r, e, raw(SYS_setgid, -1, 0, 0));
	expect_error("setgid-minus-one", r, e, EINVAL);
	CALL(r, e, setregid(200, 300));
	expect_ok("setregid", r, e);
	expect_gids("setregid-ids", 200, 300, 300);
	CALL(r, e, setresgid(1, 2, 3));
	expect_ok("setresgid", r, e);
	expect_gids("setresgid-ids", 1, 2, 3);
	check(getgid() == 1 && getegid() == 2, "getgid-getegid", "getgid/getegid disagree");
	check(setfsgid(9) == 2 && setfsgid(-1) == 9, "setfsgid-root", "fsgid is not 9");
	setresuid(1000, 1000, 1000);
	CALL(r, e, setgid(5));
	expect_error("setgid-unprivileged-other", r, e, EPERM);
	CALL(r, e, setgid(3));
	expect_ok("setgid-unprivileged-saved", r, e);
	expect_gids("setgid-effective-only", 1, 3, 3);
	check(setfsgid(9) == 3 && setfsgid(-1) == 3, "setfsgid-unprivileged-other",
	      "fsgid changed");
	check(setfsgid(1) == 3 && setfsgid(-1) == 1, "setfsgid-unprivileged-real",
	      "fsgid is not 1");
	CALL(r, e, setresgid(-1, 7, -1));
	expect_error("setresgid-unprivileged-other", r, e, EPERM);
	CALL(r, e, setregid(3, -1));
	expect_ok("setregid-unprivileged", r, e);
	expect_gids("setregid-unprivileged-ids", 3, 3, 3);
	_exit(failures);
}

/* A process of uid 2000 in a group of its own, waiting to be killed. */
static void victim(void *arg)
{
	(void)arg;
	setpgid(0, 0);
	if (setuid(2000) < 0)
		_exit(SETUP_FAILED);
	(void)write(ready[1], "r", 1);
	for (;;)
		pause();
}

static void kill_case(void *arg)
{
	pid_t v = *(pid_t *)arg;
	long r;
	int e;

	if (setuid(1000) < 0)
		_exit(SETUP_FAILED);
	CALL(r, e, kill(v, SIGTERM));
	expect_error("kill-other-uid", r, e, EPERM);
	CALL(r, e, kill(v, 0));
	expect_error("kill-probe-other-uid", r, e, EPERM);
	CALL(r, e, kill(-v, SIGTERM));
	expect_error("kill-group-other-uid", r, e, EPERM);
	CALL(r, e, raw(SYS_tkill, v, SIGTERM, 0));
	expect_error("tkill-other-uid", r, e, EPERM);
	/* SIGCONT within the session is allowed whatever the uids. */
	CALL(r, e, kill(v, SIGCONT));
	expect_ok("kill-sigcont-same-session", r, e);
	CALL(r, e, kill(getpid(), 0));
	expect_ok("kill-self", r, e);
	_exit(failures);
}

/* The sender's real uid counts as its effective one does. */
static void kill_saved_case(void *arg)
{
	pid_t v = *(pid_t *)arg;
	long r;
	int e;

	if (setresuid(2000, 1000, 1000) < 0)
		_exit(SETUP_FAILED);
	CALL(r, e, kill(v, 0));
	expect_ok("kill-by-real-uid", r, e);
	_exit(failures);
}

/* What needs CAP_SYS_ADMIN or CAP_SYSLOG (root) is EPERM for others, the
 * capability checked before the arguments (Linux's sethostname,
 * check_syslog_permissions with dmesg_restrict off: any user may read the
 * whole log and ask its size, and nothing more: not turn the console off).
 * The EPERM cases were checked natively on Debian's Linux (whose
 * dmesg_restrict=1 also refuses READ_ALL and SIZE_BUFFER, allowed with
 * the upstream default 0, Bramble's); qemu-aarch64-static answers syslog
 * itself (EINVAL for action 11). */
static void admin_case(void *arg)
{
	static char log[4096];
	long r;
	int e;

	(void)arg;
	if (setresuid(1000, 1000, 1000) < 0)
		_exit(SETUP_FAILED);
	/* /proc/self/status shows the ids (real, effective, saved, fs) and no
	 * capabilities (the fuzzer finds its processes by that line). */
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, log, sizeof(log) - 1);
	if (fd >= 0)
		close(fd);
	log[n > 0 ? n : 0] = 0;
	check(strstr(log, "\nUid:\t1000\t1000\t1000\t1000\n") && strstr(log, "\nCapEff:\t0000000000000000\n"),
	      "proc-status-ids", "/proc/self/status does not show uid 1000 and no capabilities");
	CALL(r, e, sethostname("x", 1));
	expect_error("sethostname-unprivileged", r, e, EPERM);
	CALL(r, e, sethostname(log, 1000));
	expect_error("sethostname-unprivileged-bad-len", r, e, EPERM);
	CALL(r, e, setdomainname("x", 1));
	expect_error("setdomainname-unprivileged", r, e, EPERM);
	static const int restricted[] = { 0, 1, 2, 4, 5, 6, 7, 8, 9, 11 };
	int bad = -1;
	for (size_t i = 0; i < sizeof(restricted) / sizeof(restricted[0]); i++) {
		CALL(r, e, klogctl(restricted[i], log, restricted[i] == 8 ? 1 : (int)sizeof(log)));
		if (r != -1 || e != EPERM)
			bad = restricted[i];
	}
	if (bad < 0)
		pass("syslog-unprivileged-eperm");
	else
		fail("syslog-unprivileged-eperm", "syslog action %d was not EPERM", bad);
	CALL(r, e, klogctl(3, log, sizeof(log)));
	check(r > 0, "syslog-unprivileged-read-all", "READ_ALL failed");
	CALL(r, e, klogctl(10, NULL, 0));
	check(r > 0, "syslog-unprivileged-size", "SIZE_BUFFER failed");
	_exit(failures);
}

/* Runs fn in a child of its own; its checks report there, and its exit
 * status is their failure count. */
static void run_case(const char *name, void (*fn)(void *), void *arg)
{
	int st = in_child(fn, arg);

	if (exited_with(st, 0))
		return;
	failures++;
	if (!WIFEXITED(st) || WEXITSTATUS(st) == SETUP_FAILED)
		fail(name, "%s", describe(st));
}

int main(void)
{
	if (geteuid() != 0) {
		fail("root", "must start as root (euid %u)", geteuid());
		return 1;
	}
	run_case("groups", groups_case, NULL);
	run_case("setresuid", setresuid_case, NULL);
	run_case("setuid", setuid_case, NULL);
	run_case("setuid-saved", setuid_saved_case, NULL);
	run_case("setreuid", setreuid_case, NULL);
	run_case("setfsuid", setfsuid_case, NULL);
	run_case("setgid", setgid_case, NULL);
	run_case("admin", admin_case, NULL);

	char c;
	if (pipe(ready) < 0) {
		fail("pipe", "%s", strerror(errno));
		return 1;
	}
	pid_t v = start_child(victim, NULL);
	if (v < 0 || read(ready[0], &c, 1) != 1) {
		fail("victim", "did not start");
		return 1;
	}
	run_case("kill", kill_case, &v);
	run_case("kill-saved", kill_saved_case, &v);
	kill(v, SIGKILL);
	expect_signal("kill-root-any", wait_for(v), SIGKILL);
	return failures ? 1 : 0;
}
