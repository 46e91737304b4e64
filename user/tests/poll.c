/*
 * poll: poll, ppoll and pselect6 (select) readiness on pipes, files,
 * eventfds and bad descriptors; timeouts (never early; zero never blocks;
 * the time left written back); a blocked poll woken by a child and ended by
 * a signal; the error cases (EFAULT, EINVAL, EBADF); and eventfd's counter
 * semantics (EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC, EAGAIN, overflow).
 * The expected results are Linux's (checked under qemu-aarch64-static).
 *
 * The EINTR cases need signal handlers; until the kernel runs them they are
 * skipped (a child probes whether a handler runs), with a "note:" line.
 *
 * Prints "PASS poll.<case>" or "FAIL poll.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "poll"
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>

#define MS 1000000LL

/* An address no process maps (opaque to the compiler). */
static void *volatile bad = (void *)8;

static int64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void nap(int64_t ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };

	nanosleep(&ts, NULL);
}

/* poll of one descriptor with timeout ms: the revents, or -1 - errno. */
static int poll1(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r = poll(&p, 1, ms);

	if (r < 0)
		return -1 - errno;
	return r == 0 ? 0 : p.revents;
}

/* Empties a pipe without blocking and without poll (which may fail with
 * ENOMEM under fault injection: a pipe left full would then block the
 * next write for ever). */
static void drain(int fd, char *buf, size_t size)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while (read(fd, buf, size) > 0)
		;
	fcntl(fd, F_SETFL, fl);
}

static void expect_revents(const char *name, int got, int want)
{
	if (got == want)
		pass(name);
	else
		fail(name, "revents 0x%x, expected 0x%x", (unsigned)got, (unsigned)want);
}

/* ---- pipes --------------------------------------------------------------- */

static void test_pipes(void)
{
	int fds[2];
	char buf[8192];

	if (pipe(fds) != 0) {
		fail("pipe", "pipe: %s", strerror(errno));
		return;
	}
	expect_revents("pipe_empty_not_readable", poll1(fds[0], POLLIN, 0), 0);
	expect_revents("pipe_writable", poll1(fds[1], POLLOUT, 0), POLLOUT);
	expect_revents("pipe_read_end_not_writable", poll1(fds[0], POLLOUT, 0), 0);
	check(write(fds[1], "ab", 2) == 2, "pipe_write", strerror(errno));
	expect_revents("pipe_data_readable", poll1(fds[0], POLLIN | POLLRDNORM, 0), POLLIN | POLLRDNORM);
	expect_revents("pipe_events_masked", poll1(fds[0], POLLOUT, 0), 0);

	/* Both fds in one call: both ready, counted as two. */
	struct pollfd two[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLOUT, 0 } };
	int r = poll(two, 2, 0);
	check(r == 2 && two[0].revents == POLLIN && two[1].revents == POLLOUT, "pipe_two_ready",
	      "expected 2 ready");

	/* Fill it: not writable until it is drained. */
	int fl = fcntl(fds[1], F_GETFL);
	fcntl(fds[1], F_SETFL, fl | O_NONBLOCK);
	int wr = fcntl(fds[1], F_GETFL) & O_NONBLOCK;
	if (wr) {
		while (write(fds[1], buf, sizeof buf) > 0)
			;
		expect_revents("pipe_full_not_writable", poll1(fds[1], POLLOUT, 0), 0);
		drain(fds[0], buf, sizeof buf);
		expect_revents("pipe_drained_writable", poll1(fds[1], POLLOUT, 0), POLLOUT);
		fcntl(fds[1], F_SETFL, fl);
	} else {
		/* F_SETFL does not set O_NONBLOCK here: fill through a fresh
		 * O_NONBLOCK pipe instead. */
		int nb[2];
		if (pipe2(nb, O_NONBLOCK) == 0) {
			while (write(nb[1], buf, sizeof buf) > 0)
				;
			expect_revents("pipe_full_not_writable", poll1(nb[1], POLLOUT, 0), 0);
			while (read(nb[0], buf, sizeof buf) > 0)
				;
			expect_revents("pipe_drained_writable", poll1(nb[1], POLLOUT, 0), POLLOUT);
			close(nb[0]);
			close(nb[1]);
		}
		drain(fds[0], buf, sizeof buf);
	}

	/* Writer gone: POLLHUP (with POLLIN while data is left), even if not asked. */
	check(write(fds[1], "x", 1) == 1, "pipe_write_again", strerror(errno));
	close(fds[1]);
	expect_revents("pipe_hup_with_data", poll1(fds[0], POLLIN, 0), POLLIN | POLLHUP);
	if (read(fds[0], buf, 1) != 1)
		fail("pipe_read", "%s", strerror(errno));
	expect_revents("pipe_hup", poll1(fds[0], POLLIN, 0), POLLHUP);
	expect_revents("pipe_hup_unasked", poll1(fds[0], 0, 0), POLLHUP);
	expect_revents("pipe_hup_blocking_returns", poll1(fds[0], POLLIN, -1), POLLHUP);
	close(fds[0]);

	/* Reader gone: POLLERR on the write end (and still POLLOUT: room). */
	if (pipe(fds) != 0)
		return;
	close(fds[0]);
	expect_revents("pipe_err", poll1(fds[1], POLLOUT, 0), POLLOUT | POLLERR);
	expect_revents("pipe_err_unasked", poll1(fds[1], POLLIN, 0), POLLERR);
	close(fds[1]);
}

/* ---- files and bad descriptors ------------------------------------------- */

static const char *self_path;

static void test_files(void)
{
	int fd = open(HELLO_PATH, O_RDONLY);

	if (fd < 0)   /* not Bramble's initramfs (Linux): the program itself */
		fd = open(self_path, O_RDONLY);
	if (fd < 0) {
		fail("file_open", "%s", strerror(errno));
		return;
	}

	expect_revents("file_always_ready", poll1(fd, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	expect_revents("file_ready_blocking", poll1(fd, POLLIN, -1), POLLIN);
	close(fd);
	fd = open("/bin", O_RDONLY | O_DIRECTORY);
	expect_revents("dir_always_ready", poll1(fd, POLLIN, 0), POLLIN);
	close(fd);

	/* A closed descriptor: POLLNVAL, counted; a negative one: ignored. */
	struct pollfd p[3] = { { 29, POLLIN, 0 }, { -1, POLLIN, 0x7f }, { 1, POLLOUT, 0 } };
	close(29);
	int r = poll(p, 3, 0);
	check(r == 2 && p[0].revents == POLLNVAL && p[1].revents == 0 && p[2].revents == POLLOUT,
	      "nval", "expected 2 ready: POLLNVAL, 0, POLLOUT");
	/* An all-negative set with a timeout is a sleep. */
	struct pollfd neg = { -1, POLLIN, 0 };
	int64_t t0 = now();
	r = poll(&neg, 1, 20);
	check(r == 0 && now() - t0 >= 20 * MS, "negative_fd_sleeps", "expected 0 after 20 ms");
	t0 = now();
	r = poll(NULL, 0, 15);
	check(r == 0 && now() - t0 >= 15 * MS, "no_fds_sleeps", "poll(NULL, 0, 15) did not sleep 15 ms");
}

/* ---- timeouts ------------------------------------------------------------ */

static void test_timeouts(void)
{
	int fds[2];
	static const int ms[] = { 1, 10, 35 };
	int early = 0;

	if (pipe(fds) != 0)
		return;
	for (unsigned i = 0; i < sizeof ms / sizeof ms[0]; i++) {
		int64_t t0 = now();
		int r = poll1(fds[0], POLLIN, ms[i]);
		int64_t took = now() - t0;
		early += r != 0 || took < ms[i] * MS;
	}
	check(!early, "poll_timeout_not_early", "a poll timed out early or not at all");

	/* ppoll: the time left is written back (0 once expired). */
	struct pollfd p = { fds[0], POLLIN, 0 };
	struct timespec ts = { 0, 25 * MS };
	int64_t t0 = now();
	long r = syscall(SYS_ppoll, &p, 1, &ts, NULL, 8);
	int64_t took = now() - t0;
	check(r == 0 && took >= 25 * MS, "ppoll_timeout_not_early", "ppoll returned early");
	check(ts.tv_sec == 0 && ts.tv_nsec == 0, "ppoll_timeout_left_zero", "time left not 0");

	/* Zero timeouts never block. */
	ts = (struct timespec){ 0, 0 };
	t0 = now();
	r = syscall(SYS_ppoll, &p, 1, &ts, NULL, 8);
	check(r == 0 && now() - t0 < 5 * MS, "ppoll_zero_timeout", "ppoll with 0 blocked or failed");
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	ts = (struct timespec){ 0, 0 };
	r = syscall(SYS_pselect6, fds[0] + 1, &rd, NULL, NULL, &ts, NULL);
	check(r == 0 && !FD_ISSET(fds[0], &rd), "pselect6_zero_timeout", "expected 0, set cleared");

	/* Ready at once: most of the time is left. */
	if (write(fds[1], "x", 1) != 1)
		fail("write", "%s", strerror(errno));
	ts = (struct timespec){ 1, 0 };
	r = syscall(SYS_ppoll, &p, 1, &ts, NULL, 8);
	check(r == 1 && p.revents == POLLIN && ts.tv_sec == 0 && ts.tv_nsec > 900 * MS,
	      "ppoll_time_left", "expected 1 ready and 0.9..1 s left");

	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	ts = (struct timespec){ 2, 0 };
	r = syscall(SYS_pselect6, fds[0] + 1, &rd, NULL, NULL, &ts, NULL);
	check(r == 1 && FD_ISSET(fds[0], &rd) && ts.tv_sec == 1 && ts.tv_nsec > 900 * MS,
	      "pselect6_time_left", "expected 1 ready and 1.9..2 s left");

	char c;
	if (read(fds[0], &c, 1) != 1)
		fail("read", "%s", strerror(errno));
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	ts = (struct timespec){ 0, 20 * MS };
	t0 = now();
	r = syscall(SYS_pselect6, fds[0] + 1, &rd, NULL, NULL, &ts, NULL);
	took = now() - t0;
	check(r == 0 && took >= 20 * MS && ts.tv_sec == 0 && ts.tv_nsec == 0,
	      "pselect6_timeout_not_early", "expected 0 after 20 ms, 0 left");

	/* select(), glibc's, over pselect6. */
	struct timeval tv = { 0, 15000 };
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	t0 = now();
	r = select(fds[0] + 1, &rd, NULL, NULL, &tv);
	check(r == 0 && now() - t0 >= 15 * MS, "select_timeout_not_early", "select returned early");
	close(fds[0]);
	close(fds[1]);
}

/* ---- select -------------------------------------------------------------- */

static void test_select(void)
{
	int fds[2];
	fd_set rd, wr, ex;
	struct timeval tv = { 0, 0 };

	if (pipe(fds) != 0)
		return;
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_ZERO(&ex);
	FD_SET(fds[0], &rd);
	FD_SET(fds[1], &rd);
	FD_SET(fds[0], &wr);
	FD_SET(fds[1], &wr);
	FD_SET(fds[0], &ex);
	int r = select(fds[1] + 1, &rd, &wr, &ex, &tv);
	check(r == 1 && !FD_ISSET(fds[0], &rd) && !FD_ISSET(fds[1], &rd) && !FD_ISSET(fds[0], &wr) &&
	      FD_ISSET(fds[1], &wr) && !FD_ISSET(fds[0], &ex),
	      "select_write_end_only", "expected only the write end, in the write set");

	if (write(fds[1], "x", 1) != 1)
		fail("write", "%s", strerror(errno));
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fds[0], &rd);
	FD_SET(fds[1], &wr);
	FD_SET(0, &wr);
	r = select(fds[1] + 1, &rd, &wr, NULL, NULL);
	check(r == 3 && FD_ISSET(fds[0], &rd) && FD_ISSET(fds[1], &wr) && FD_ISSET(0, &wr),
	      "select_counts_bits", "expected 3: the read end, the write end, stdin writable");

	/* An fd beyond nfds is not looked at. */
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	tv = (struct timeval){ 0, 0 };
	r = select(fds[0], &rd, NULL, NULL, &tv);
	check(r == 0, "select_beyond_nfds_ignored", "an fd >= nfds was reported");

	/* Closed descriptor in a set: EBADF. */
	close(28);
	FD_ZERO(&rd);
	FD_SET(28, &rd);
	tv = (struct timeval){ 0, 0 };
	errno = 0;
	r = select(29, &rd, NULL, NULL, &tv);
	expect_error("select_ebadf", r, errno, EBADF);
	errno = 0;
	r = select(-1, NULL, NULL, NULL, &tv);
	expect_error("select_negative_nfds", r, errno, EINVAL);
	/* Writer gone: readable (end of file). */
	close(fds[1]);
	char c;
	if (read(fds[0], &c, 1) != 1)
		fail("read", "%s", strerror(errno));
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	tv = (struct timeval){ 0, 0 };
	r = select(fds[0] + 1, &rd, NULL, NULL, &tv);
	check(r == 1 && FD_ISSET(fds[0], &rd), "select_hup_readable", "EOF not readable");
	close(fds[0]);
}

/* ---- errors -------------------------------------------------------------- */

static void test_errors(void)
{
	struct pollfd p = { 0, POLLOUT, 0 };
	struct timespec bad_ts = { 0, 1000000000L }, neg_ts = { -1, 0 }, ts0 = { 0, 0 };
	struct rlimit rl;
	long r;
	int e;

	CALL(r, e, poll(bad, 1, 0));
	expect_error("poll_efault", r, e, EFAULT);
	CALL(r, e, syscall(SYS_ppoll, &p, 1, bad, NULL, 8));
	expect_error("ppoll_timeout_efault", r, e, EFAULT);
	CALL(r, e, syscall(SYS_ppoll, &p, 1, &bad_ts, NULL, 8));
	expect_error("ppoll_timeout_einval", r, e, EINVAL);
	CALL(r, e, syscall(SYS_ppoll, &p, 1, &neg_ts, NULL, 8));
	expect_error("ppoll_negative_timeout", r, e, EINVAL);
	uint64_t mask = 0;
	CALL(r, e, syscall(SYS_ppoll, &p, 1, &ts0, &mask, 4));
	expect_error("ppoll_sigsetsize", r, e, EINVAL);
	CALL(r, e, syscall(SYS_ppoll, &p, 1, &ts0, bad, 8));
	expect_error("ppoll_sigmask_efault", r, e, EFAULT);

	getrlimit(RLIMIT_NOFILE, &rl);
	static struct pollfd many[1100];
	unsigned n = rl.rlim_cur < 1024 ? (unsigned)rl.rlim_cur : 1024;
	for (unsigned i = 0; i <= n; i++)
		many[i] = (struct pollfd){ -1, POLLIN, 0 };
	many[0].fd = 1;
	many[0].events = POLLOUT;
	CALL(r, e, poll(many, rl.rlim_cur + 1, 0));
	expect_error("poll_nfds_over_rlimit", r, e, EINVAL);
	CALL(r, e, poll(many, n, 0));
	check(r == 1 && many[0].revents == POLLOUT, "poll_nfds_at_rlimit", "expected 1 ready");

	fd_set rd;
	struct timespec ts = { 0, 0 };
	CALL(r, e, syscall(SYS_pselect6, 1, bad, NULL, NULL, &ts, NULL));
	expect_error("pselect6_set_efault", r, e, EFAULT);
	FD_ZERO(&rd);
	FD_SET(0, &rd);
	CALL(r, e, syscall(SYS_pselect6, 1, &rd, NULL, NULL, bad, NULL));
	expect_error("pselect6_timeout_efault", r, e, EFAULT);
	CALL(r, e, syscall(SYS_pselect6, 1, &rd, NULL, NULL, &ts, bad));
	expect_error("pselect6_sig_efault", r, e, EFAULT);
	struct { void *ss; size_t len; } sig = { &mask, 4 };
	CALL(r, e, syscall(SYS_pselect6, 1, &rd, NULL, NULL, &ts, &sig));
	expect_error("pselect6_sigsetsize", r, e, EINVAL);
	sig.len = 8;
	FD_ZERO(&rd);
	FD_SET(1, &rd);
	CALL(r, e, syscall(SYS_pselect6, 2, NULL, &rd, NULL, &ts, &sig));
	check(r == 1 && FD_ISSET(1, &rd), "pselect6_with_sigmask", "expected stdout writable");
}

/* ---- signal masks and signals -------------------------------------------- */

/* The mask given to ppoll lasts only for the call. */
static void test_sigmask_restored(void)
{
	sigset_t before, during, after;
	struct pollfd p = { 1, POLLOUT, 0 };
	struct timespec ts = { 0, 0 };

	sigemptyset(&before);
	sigprocmask(SIG_SETMASK, &before, NULL);
	sigemptyset(&during);
	sigaddset(&during, SIGUSR1);
	int r = ppoll(&p, 1, &ts, &during);
	sigprocmask(SIG_SETMASK, NULL, &after);
	check(r == 1 && !sigismember(&after, SIGUSR1), "ppoll_sigmask_restored",
	      "the ppoll mask outlived the call");
}

static void poll_forever(void *arg)
{
	int *fds = arg;
	struct pollfd p = { fds[0], POLLIN, 0 };

	close(fds[1]);
	poll(&p, 1, -1);
	_exit(3);
}

/* A blocked poll is interruptible: SIGKILL ends it at once. */
static void test_kill_ends_poll(void)
{
	int fds[2];

	if (pipe(fds) != 0)
		return;
	pid_t pid = start_child(poll_forever, fds);
	if (pid < 0) {
		fail("kill_ends_poll", "fork: %s", strerror(errno));
		return;
	}
	nap(10 * MS);
	int64_t t0 = now();
	kill(pid, SIGKILL);
	int st = wait_for(pid);
	expect_signal("kill_ends_poll", st, SIGKILL);
	check(now() - t0 < 100 * MS, "kill_ends_poll_at_once", "took over 100 ms");
	close(fds[0]);
	close(fds[1]);
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static void probe_handler(void *arg)
{
	(void)arg;
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	_exit(got_usr1 ? 0 : 4);
}

/* In a child: a handled signal sent by the parent interrupts poll (-EINTR);
 * blocked by ppoll's mask it does not. */
static void eintr_child(void *arg)
{
	int *fds = arg;
	struct pollfd p = { fds[0], POLLIN, 0 };
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigaction(SIGUSR1, &sa, NULL);
	close(fds[1]);
	/* Tell the parent we are ready through the status pipe (fds[2..3]). */
	if (write(fds[3], "r", 1) != 1)
		_exit(5);
	int r = poll(&p, 1, 2000);
	if (!(r == -1 && errno == EINTR && got_usr1))
		_exit(6);
	got_usr1 = 0;
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	struct timespec ts = { 0, 50 * MS };
	if (write(fds[3], "r", 1) != 1)
		_exit(5);
	r = ppoll(&p, 1, &ts, &block);
	/* Blocked for the call, the signal did not end it. (Linux then runs the
	 * handler as ppoll returns; qemu-user 7.2 loses the signal, so that is
	 * not checked.) */
	if (r != 0)
		_exit(7);
	_exit(0);
}

static void test_eintr(void)
{
	int st = in_child(probe_handler, NULL);

	if (!exited_with(st, 0)) {
		printf("note: poll.eintr skipped: signal handlers do not run yet (%s)\n", describe(st));
		return;
	}
	int fds[4];
	char c;
	if (pipe(fds) != 0 || pipe(fds + 2) != 0)
		return;
	pid_t pid = start_child(eintr_child, fds);
	close(fds[3]);
	if (pid < 0) {
		fail("eintr", "fork: %s", strerror(errno));
		return;
	}
	if (read(fds[2], &c, 1) == 1) {
		nap(10 * MS);
		kill(pid, SIGUSR1);
	}
	if (read(fds[2], &c, 1) == 1) {
		nap(10 * MS);
		kill(pid, SIGUSR1);
	}
	st = wait_for(pid);
	if (exited_with(st, 0))
		pass("eintr");
	else if (exited_with(st, 6))
		fail("eintr", "poll was not interrupted with EINTR");
	else if (exited_with(st, 7))
		fail("eintr", "ppoll's mask did not hold the signal off");
	else
		fail("eintr", "%s", describe(st));
	close(fds[0]);
	close(fds[1]);
	close(fds[2]);
}

/* ---- woken by a child ---------------------------------------------------- */

static void late_writer(void *arg)
{
	int *fds = arg;

	close(fds[0]);
	nap(30 * MS);
	if (write(fds[1], "w", 1) != 1)
		_exit(2);
	nap(30 * MS);   /* the writer stays a while: the poller sees POLLIN alone */
}

static void test_woken_by_child(void)
{
	int fds[2];

	if (pipe(fds) != 0)
		return;
	int64_t t0 = now();
	pid_t pid = start_child(late_writer, fds);
	close(fds[1]);
	struct pollfd p = { fds[0], POLLIN, 0 };
	int r = poll(&p, 1, 5000);
	int64_t took = now() - t0;
	if (r == 1 && p.revents == POLLIN)
		pass("woken_by_child");
	else
		fail("woken_by_child", "poll returned %d, revents 0x%x", r, (unsigned)p.revents);
	check(took >= 30 * MS && took < 1000 * MS, "woken_by_child_in_time",
	      "woke too early or only at the timeout");
	/* Then the child exits: POLLHUP wakes a blocking poll too. */
	char c;
	if (read(fds[0], &c, 1) != 1)
		fail("read", "%s", strerror(errno));
	r = poll(&p, 1, 5000);
	check(r == 1 && p.revents == POLLHUP, "woken_by_hup", "expected POLLHUP when the child exits");
	check(exited_with(wait_for(pid), 0), "woken_child_done", "child failed");
	close(fds[0]);

	/* select, woken the same way. */
	if (pipe(fds) != 0)
		return;
	pid = start_child(late_writer, fds);
	close(fds[1]);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	struct timeval tv = { 5, 0 };
	r = select(fds[0] + 1, &rd, NULL, NULL, &tv);
	check(r == 1 && FD_ISSET(fds[0], &rd) && tv.tv_sec < 5, "select_woken_by_child",
	      "select did not see the child's write");
	wait_for(pid);
	close(fds[0]);
}

/* ---- eventfd ------------------------------------------------------------- */

static void late_efd_writer(void *arg)
{
	int fd = *(int *)arg;
	uint64_t v = 5;

	nap(20 * MS);
	if (write(fd, &v, 8) != 8)
		_exit(2);
}

static void test_eventfd(void)
{
	uint64_t v;
	long r;
	int e;
	int fd = eventfd(3, 0);

	if (fd < 0) {
		fail("eventfd", "eventfd: %s", strerror(errno));
		return;
	}
	expect_revents("eventfd_ready", poll1(fd, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	check(read(fd, &v, 8) == 8 && v == 3, "eventfd_read_count", "expected 3");
	expect_revents("eventfd_empty_writable", poll1(fd, POLLIN | POLLOUT, 0), POLLOUT);
	v = 2;
	check(write(fd, &v, 8) == 8 && write(fd, &v, 8) == 8, "eventfd_write", strerror(errno));
	check(read(fd, &v, 8) == 8 && v == 4, "eventfd_writes_add", "expected 4");
	CALL(r, e, read(fd, &v, 4));
	expect_error("eventfd_short_read", r, e, EINVAL);
	CALL(r, e, write(fd, &v, 7));
	expect_error("eventfd_short_write", r, e, EINVAL);
	v = UINT64_MAX;
	CALL(r, e, write(fd, &v, 8));
	expect_error("eventfd_write_max", r, e, EINVAL);
	v = 1;
	if (write(fd, &v, 8) == 8) {
		CALL(r, e, read(fd, bad, 8));
		expect_error("eventfd_read_efault", r, e, EFAULT);
	}
	close(fd);

	/* Non-blocking: EAGAIN on an empty counter and on overflow. */
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	check((fcntl(fd, F_GETFL) & O_NONBLOCK) && (fcntl(fd, F_GETFD) & FD_CLOEXEC),
	      "eventfd_flags", "EFD_NONBLOCK/EFD_CLOEXEC not set");
	CALL(r, e, read(fd, &v, 8));
	expect_error("eventfd_eagain_empty", r, e, EAGAIN);
	v = UINT64_MAX - 1;
	check(write(fd, &v, 8) == 8, "eventfd_write_near_max", strerror(errno));
	expect_revents("eventfd_full_not_writable", poll1(fd, POLLIN | POLLOUT, 0), POLLIN);
	v = 1;
	CALL(r, e, write(fd, &v, 8));
	expect_error("eventfd_eagain_overflow", r, e, EAGAIN);
	v = 0;
	check(write(fd, &v, 8) == 8, "eventfd_write_zero_at_max", "a 0 write must not block");
	check(read(fd, &v, 8) == 8 && v == UINT64_MAX - 1, "eventfd_read_max", "expected max");
	close(fd);

	/* EFD_SEMAPHORE: each read takes 1. */
	fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	check(read(fd, &v, 8) == 8 && v == 1 && read(fd, &v, 8) == 8 && v == 1, "eventfd_semaphore",
	      "expected 1, 1");
	CALL(r, e, read(fd, &v, 8));
	expect_error("eventfd_semaphore_empty", r, e, EAGAIN);
	close(fd);

	CALL(r, e, eventfd(0, 0x100));
	expect_error("eventfd_bad_flags", r, e, EINVAL);

	/* Blocking read and poll, woken by a child's write. */
	fd = eventfd(0, 0);
	pid_t pid = start_child(late_efd_writer, &fd);
	if (fd < 0 || pid < 0) {
		fail("eventfd_blocking_read", "eventfd or fork: %s", strerror(errno));
		return;
	}
	int64_t t0 = now();
	check(read(fd, &v, 8) == 8 && v == 5 && now() - t0 >= 20 * MS, "eventfd_blocking_read",
	      "expected 5 after 20 ms");
	wait_for(pid);
	pid = start_child(late_efd_writer, &fd);
	if (pid < 0) {
		fail("eventfd_poll_woken", "fork: %s", strerror(errno));
		return;
	}
	t0 = now();
	int rv = poll1(fd, POLLIN, 5000);
	check(rv == POLLIN && now() - t0 >= 20 * MS, "eventfd_poll_woken", "expected POLLIN after 20 ms");
	wait_for(pid);
	close(fd);
}

int main(int argc, char **argv)
{
	(void)argc;
	self_path = argv[0];
	test_pipes();
	test_files();
	test_timeouts();
	test_select();
	test_errors();
	test_sigmask_restored();
	test_kill_ends_poll();
	test_eintr();
	test_woken_by_child();
	test_eventfd();
	return failures ? 1 : 0;
}
