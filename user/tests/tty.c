/*
 * tty: the console as a terminal, and process groups and sessions, with
 * Linux's results (checked under qemu-aarch64-static on a pseudo-terminal
 * that is nobody's controlling terminal, as the console is under Bramble's
 * init).
 *
 *   termios: TCGETS/TCSETS/TCSETSW/TCSETSF round trips, TCFLSH, TCXONC,
 *   TIOCGWINSZ/TIOCSWINSZ, FIONREAD; VMIN/VTIME reads; O_NONBLOCK.
 *   groups and sessions: getpgid, getpgrp, setpgid (ESRCH, EPERM, EACCES,
 *   EINVAL), setsid, getsid; the console acquired as a controlling
 *   terminal (TIOCSCTTY), TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCNOTTY,
 *   /dev/tty; a background read (SIGTTIN, or -EIO when SIGTTIN is ignored,
 *   blocked or the group orphaned) and a background write with TOSTOP
 *   (SIGTTOU, or allowed when it is ignored).
 *
 * A signal that stops a process (SIGTTIN, SIGTTOU) ends it until stopping
 * exists: the checks accept "stopped by" (waited for with WUNTRACED, then
 * killed) or "killed by" that signal.
 */
#define _GNU_SOURCE
#define PROG "tty"
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>

static int tty_fd = 0;
static const char *self;    /* argv[0], run again as "--sleep" */

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void test_termios(void)
{
	struct termios t, saved, got;
	long r;
	int e;

	CALL(r, e, tcgetattr(tty_fd, &saved));
	expect_ok("tcgets", r, e);
	check((saved.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG),
	      "tcgets.canonical-echo-isig", "not the default modes");
	check(saved.c_cc[VINTR] == 3 && saved.c_cc[VERASE] == 0177 && saved.c_cc[VEOF] == 4 &&
	      saved.c_cc[VSUSP] == 032 && saved.c_cc[VWERASE] == 027,
	      "tcgets.control-chars", "not Linux's defaults");

	t = saved;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	t.c_cc[VERASE] = 8;
	CALL(r, e, tcsetattr(tty_fd, TCSANOW, &t));
	expect_ok("tcsets", r, e);
	tcgetattr(tty_fd, &got);
	check(!(got.c_lflag & (ICANON | ECHO)) && got.c_cc[VERASE] == 8 && got.c_cc[VMIN] == 0,
	      "tcsets.round-trip", "modes not kept");

	/* VMIN 0, VTIME 0: a poll, 0 at once. VTIME 2: 0 after 0.2 s. */
	char c;
	CALL(r, e, read(tty_fd, &c, 1));
	check(r == 0, "raw.vmin0-vtime0", "read did not return 0 at once");
	t.c_cc[VTIME] = 2;
	CALL(r, e, tcsetattr(tty_fd, TCSADRAIN, &t));
	expect_ok("tcsetsw", r, e);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CALL(r, e, read(tty_fd, &c, 1));
	long ms = ms_since(&t0);
	check(r == 0 && ms >= 150 && ms < 2000, "raw.vtime-timeout", "no timed 0");

	CALL(r, e, tcsetattr(tty_fd, TCSAFLUSH, &saved));
	expect_ok("tcsetsf", r, e);
	tcgetattr(tty_fd, &got);
	check(got.c_lflag == saved.c_lflag && memcmp(got.c_cc, saved.c_cc, NCCS) == 0,
	      "tcsets.restored", "modes not restored");

	CALL(r, e, tcflush(tty_fd, TCIFLUSH));
	expect_ok("tcflsh", r, e);
	CALL(r, e, ioctl(tty_fd, TCFLSH, 7));
	expect_error("tcflsh.bad-arg", r, e, EINVAL);
	CALL(r, e, tcflow(tty_fd, TCOON));
	expect_ok("tcxonc", r, e);
	CALL(r, e, ioctl(tty_fd, TCXONC, 9));
	expect_error("tcxonc.bad-arg", r, e, EINVAL);
	int n = -1;
	CALL(r, e, ioctl(tty_fd, FIONREAD, &n));
	check(r == 0 && n == 0, "fionread", "not 0 bytes waiting");
	CALL(r, e, ioctl(tty_fd, 0x54ff, 0));
	expect_error("unknown-ioctl", r, e, ENOTTY);

	struct winsize ws, ws2 = { .ws_row = 33, .ws_col = 101 }, ws3;
	ioctl(tty_fd, TIOCGWINSZ, &ws);
	CALL(r, e, ioctl(tty_fd, TIOCSWINSZ, &ws2));
	expect_ok("tiocswinsz", r, e);
	ioctl(tty_fd, TIOCGWINSZ, &ws3);
	check(ws3.ws_row == 33 && ws3.ws_col == 101, "winsize.round-trip", "not kept");
	ioctl(tty_fd, TIOCSWINSZ, &ws);

	/* Canonical mode, O_NONBLOCK, no line: EAGAIN. */
	int fd = dup(tty_fd);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	CALL(r, e, read(fd, &c, 1));
	expect_error("nonblock.eagain", r, e, EAGAIN);
	fcntl(fd, F_SETFL, 0);
	close(fd);
}

static void test_ids(void)
{
	long r;
	int e;

	check(getpgrp() == getpgid(0), "getpgrp-is-getpgid0", "differ");
	check(getpgid(getpid()) == getpgrp(), "getpgid-self", "differ");
	check(getsid(0) > 0 && getsid(0) == getsid(getpid()), "getsid-self", "bad session");
	CALL(r, e, getpgid(-1));
	expect_error("getpgid.negative", r, e, ESRCH);
	CALL(r, e, getpgid(999999));
	expect_error("getpgid.no-such", r, e, ESRCH);
	CALL(r, e, getsid(999999));
	expect_error("getsid.no-such", r, e, ESRCH);
	CALL(r, e, setpgid(-1, 0));
	expect_error("setpgid.negative-pid", r, e, EINVAL);
	CALL(r, e, setpgid(0, -5));
	expect_error("setpgid.negative-pgid", r, e, EINVAL);
	CALL(r, e, setpgid(999999, 0));
	expect_error("setpgid.no-such", r, e, ESRCH);
	CALL(r, e, setpgid(getppid(), getppid()));
	expect_error("setpgid.not-a-child", r, e, ESRCH);
	CALL(r, e, setpgid(0, 999999));
	expect_error("setpgid.no-such-group", r, e, EPERM);
}

/* ---- in a child: groups, sessions, the controlling terminal ------------- */

static void grandchild_sleep(void *arg)
{
	(void)arg;
	usleep(400000);
}

static void grandchild_setsid(void *arg)
{
	(void)arg;
	setsid();
	usleep(400000);
}

static void bg_read(void *arg)
{
	int how = *(int *)arg;
	char c;

	setpgid(0, 0);
	if (how == 1)
		signal(SIGTTIN, SIG_IGN);
	if (how == 2) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGTTIN);
		sigprocmask(SIG_BLOCK, &s, NULL);
	}
	ssize_t r = read(tty_fd, &c, 1);
	_exit(r == -1 && errno == EIO ? 42 : 43);
}

static void bg_write(void *arg)
{
	int ignore = *(int *)arg;

	setpgid(0, 0);
	if (ignore)
		signal(SIGTTOU, SIG_IGN);
	ssize_t r = write(tty_fd, "\n", 1);
	_exit(r == 1 ? 42 : 43);
}

static void bg_tcsetattr(void *arg)
{
	struct termios t;

	(void)arg;
	setpgid(0, 0);
	tcgetattr(tty_fd, &t);
	tcsetattr(tty_fd, TCSANOW, &t);
	_exit(44);   /* not reached before SIGTTOU takes it */
}

/* Stopped by sig (then ended here), or killed by it until stopping exists. */
static void expect_stop_or_kill(const char *name, pid_t pid, int sig)
{
	int st;

	if (waitpid(pid, &st, WUNTRACED) < 0) {
		fail(name, "waitpid: %s", strerror(errno));
		return;
	}
	if (WIFSTOPPED(st)) {
		check(WSTOPSIG(st) == sig, name, "stopped by another signal");
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return;
	}
	expect_signal(name, st, sig);
}

/* An orphaned group's read: EIO, no SIGTTIN (the result through a pipe). */
static void orphan_read(void *arg)
{
	int *pfd = arg;

	setpgid(0, 0);
	if (fork() == 0) {
		char c;
		usleep(100000);   /* its parent is gone: the group is orphaned */
		ssize_t r = read(tty_fd, &c, 1);
		char res = r == -1 && errno == EIO ? 'E' : 'X';
		if (write(pfd[1], &res, 1) != 1)
			_exit(1);
		_exit(0);
	}
	_exit(0);
}

static void session_leader(void *arg)
{
	long r;
	int e, v = -1, fd;
	pid_t me = getpid();

	(void)arg;
	CALL(r, e, setsid());
	check(r == me, "setsid", "did not return the pid");
	check(getsid(0) == me && getpgrp() == me, "setsid.leads", "not its own session and group");
	CALL(r, e, setsid());
	expect_error("setsid.leader-eperm", r, e, EPERM);
	CALL(r, e, setpgid(0, 0));
	expect_error("setpgid.session-leader", r, e, EPERM);

	CALL(r, e, ioctl(tty_fd, TIOCGPGRP, &v));
	expect_error("tiocgpgrp.not-ctty", r, e, ENOTTY);
	CALL(r, e, ioctl(tty_fd, TIOCGSID, &v));
	expect_error("tiocgsid.not-ctty", r, e, ENOTTY);
	CALL(r, e, open("/dev/tty", O_RDWR));
	expect_error("dev-tty.no-ctty", r, e, ENXIO);

	CALL(r, e, ioctl(tty_fd, TIOCSCTTY, 0));
	expect_ok("tiocsctty", r, e);
	CALL(r, e, ioctl(tty_fd, TIOCSCTTY, 0));
	expect_ok("tiocsctty.again", r, e);
	CALL(r, e, ioctl(tty_fd, TIOCGPGRP, &v));
	check(r == 0 && v == me, "tiocgpgrp", "not its group");
	check(tcgetpgrp(tty_fd) == me, "tcgetpgrp", "not its group");
	CALL(r, e, ioctl(tty_fd, TIOCGSID, &v));
	check(r == 0 && v == me, "tiocgsid", "not its session");
	check(tcgetsid(tty_fd) == me, "tcgetsid", "not its session");
	fd = open("/dev/tty", O_RDWR);
	check(fd >= 0, "dev-tty.opens", "open failed");
	if (fd >= 0)
		close(fd);

	CALL(r, e, tcsetpgrp(tty_fd, -1));
	expect_error("tcsetpgrp.negative", r, e, EINVAL);
	CALL(r, e, tcsetpgrp(tty_fd, 999999));
	expect_error("tcsetpgrp.no-such", r, e, ESRCH);
	CALL(r, e, tcsetpgrp(tty_fd, 1));
	expect_error("tcsetpgrp.other-session", r, e, EPERM);
	CALL(r, e, tcsetpgrp(tty_fd, me));
	expect_ok("tcsetpgrp.own", r, e);

	/* setpgid on children: EACCES once it has exec'd, EPERM in another session. */
	fflush(NULL);
	pid_t c = fork();
	if (c == 0) {
		execl(self, self, "--sleep", (char *)NULL);
		_exit(1);
	}
	usleep(200000);
	CALL(r, e, setpgid(c, c));
	expect_error("setpgid.after-exec", r, e, EACCES);
	kill(c, SIGKILL);
	wait_for(c);
	c = start_child(grandchild_setsid, NULL);
	usleep(100000);
	CALL(r, e, setpgid(c, c));
	expect_error("setpgid.other-session", r, e, EPERM);
	wait_for(c);
	c = start_child(grandchild_sleep, NULL);
	CALL(r, e, setpgid(c, c));
	expect_ok("setpgid.child", r, e);
	check(getpgid(c) == c, "setpgid.child-leads", "not its own group");
	CALL(r, e, setpgid(c, me));
	expect_ok("setpgid.child-back", r, e);
	wait_for(c);

	/* Background reads and writes. */
	int how = 0;
	expect_stop_or_kill("bg-read.sigttin", start_child(bg_read, &how), SIGTTIN);
	how = 1;
	check(exited_with(wait_for(start_child(bg_read, &how)), 42), "bg-read.ignored-eio",
	      "not EIO");
	how = 2;
	check(exited_with(wait_for(start_child(bg_read, &how)), 42), "bg-read.blocked-eio",
	      "not EIO");
	int pfd[2];
	if (pipe(pfd) == 0) {
		char res = 0;
		wait_for(start_child(orphan_read, pfd));
		close(pfd[1]);
		check(read(pfd[0], &res, 1) == 1 && res == 'E', "bg-read.orphaned-eio", "not EIO");
		close(pfd[0]);
	}
	int ignore = 0;
	check(exited_with(wait_for(start_child(bg_write, &ignore)), 42), "bg-write.no-tostop",
	      "write refused");
	struct termios t, saved;
	tcgetattr(tty_fd, &saved);
	t = saved;
	t.c_lflag |= TOSTOP;
	tcsetattr(tty_fd, TCSANOW, &t);
	expect_stop_or_kill("bg-write.tostop-sigttou", start_child(bg_write, &ignore), SIGTTOU);
	ignore = 1;
	check(exited_with(wait_for(start_child(bg_write, &ignore)), 42),
	      "bg-write.tostop-ignored", "write refused");
	tcsetattr(tty_fd, TCSANOW, &saved);
	expect_stop_or_kill("bg-tcsets.sigttou", start_child(bg_tcsetattr, NULL), SIGTTOU);

	/* Giving it up: the foreground group gets SIGHUP (ignored here). */
	signal(SIGHUP, SIG_IGN);
	CALL(r, e, ioctl(tty_fd, TIOCNOTTY));
	expect_ok("tiocnotty", r, e);
	CALL(r, e, ioctl(tty_fd, TIOCGPGRP, &v));
	expect_error("tiocnotty.gone", r, e, ENOTTY);
	CALL(r, e, ioctl(tty_fd, TIOCNOTTY));
	expect_error("tiocnotty.again", r, e, ENOTTY);
	fflush(NULL);
	_exit(failures ? 1 : 0);
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1 && strcmp(argv[1], "--sleep") == 0) {
		usleep(1000000);
		return 0;
	}
	if (!isatty(tty_fd)) {
		fail("isatty", "standard input is not a terminal");
		return 1;
	}
	test_termios();
	test_ids();
	int st = in_child(session_leader, NULL);
	/* Its checks printed themselves; it must have ended normally. */
	check(WIFEXITED(st), "session-leader.exited", describe(st));
	failures += exited_with(st, 0) ? 0 : 1;
	return failures ? 1 : 0;
}
