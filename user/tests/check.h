/*
 * check.h: what the test programs share. The PASS/FAIL report and the
 * failure count, running code in a forked child and telling how it ended,
 * and the common expectations (a signal, an error number, success).
 *
 * A program defines _GNU_SOURCE and then PROG, its name, before including
 * this; every report line is "PASS <PROG>.<case>" or
 * "FAIL <PROG>.<case>: <why>", and the program exits 0 only if failures is
 * still 0. The functions are static and marked unused, so that a program
 * takes only those it calls. The system headers below come with it; a
 * program includes only the others it needs.
 */
#ifndef BRAMBLE_TESTS_CHECK_H
#define BRAMBLE_TESTS_CHECK_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include (check.h uses GNU extensions)"
#endif
#ifndef PROG
#error "define PROG, the program's name, before including check.h"
#endif

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define MIB (1UL << 20)

/* The initramfs's text file and what it holds. */
#define HELLO_PATH "/hello.txt"
#define HELLO_TEXT "Hello from Bramble's initramfs!\n"

#define CHECK_FN static __attribute__((unused))

/* ---- reporting ---------------------------------------------------------- */

/* How many checks failed; main returns failures ? 1 : 0. */
static int failures;

/* Reports a passed check. */
CHECK_FN void pass(const char *name)
{
	printf("PASS " PROG ".%s\n", name);
	fflush(stdout);
}

/* Reports a failed check, why given printf-style, and counts it. */
CHECK_FN void fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
CHECK_FN void fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("FAIL " PROG ".%s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Passes name if ok, else fails it with the fixed reason why. */
CHECK_FN void check(int ok, const char *name, const char *why)
{
	if (ok)
		pass(name);
	else
		fail(name, "%s", why);
}

/* The symbolic name of errno value e ("ENOMEM"). */
CHECK_FN const char *ename(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "unknown errno";
}

/* ---- under memory pressure ---------------------------------------------- */

/*
 * While user/hog.c runs (tests/qemu/run-all's pressure boot), another
 * process takes all the memory it can and gives it back, over and over,
 * leaving a headroom (hog.c says why and how much). The contract then:
 *
 * - Every case must still pass. ENOMEM is an allowed outcome only where a
 *   case already expects it (the tests that exhaust memory themselves:
 *   the hog only makes them get there sooner); no case may give up on an
 *   ENOMEM it did not expect, since the headroom covers what each needs.
 * - A check of a system-wide figure (free memory before and after, the
 *   commit charge left) or of "no other process" (kill(-1)) cannot hold:
 *   the figures move with the hog and the hog is another process. It is
 *   reported as "SKIP <PROG>.<case>: under memory pressure", never as a
 *   pass; run-all lists the cases that may skip, and the boot checks the
 *   exact memory balance itself once the hog is gone.
 */
#define PRESSURE_PID_FILE "/tmp/hog.pid"

/* Whether the pressure hog is running. */
CHECK_FN int under_pressure(void)
{
	return access(PRESSURE_PID_FILE, F_OK) == 0;
}

/* Reports the check name skipped under memory pressure. */
CHECK_FN void skip_under_pressure(const char *name)
{
	printf("SKIP " PROG ".%s: under memory pressure\n", name);
	fflush(stdout);
}

/* ---- children ----------------------------------------------------------- */

/* Forks a child that runs fn(arg) and then exits 0; returns its pid, or -1 if fork failed. */
CHECK_FN pid_t start_child(void (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return pid;
}

/* Waits for child pid; returns its wait status, or -1 (pid -1, or waitpid failed; errno says why). */
CHECK_FN int wait_for(pid_t pid)
{
	int st;

	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

/* Runs fn(arg) in a forked child, which then exits 0; returns the wait status or -1. */
CHECK_FN int in_child(void (*fn)(void *), void *arg)
{
	return wait_for(start_child(fn, arg));
}

/* Whether wait status st (or -1) is an exit with status code. */
CHECK_FN int exited_with(int st, int code)
{
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == code;
}

/* Whether wait status st (or -1) is a death by signal sig. */
CHECK_FN int killed_by(int st, int sig)
{
	return st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

/* How a child ended, from its wait status (or -1), for a FAIL line. */
CHECK_FN const char *describe(int st)
{
	static char buf[96];

	if (st == -1)
		snprintf(buf, sizeof buf, "fork/wait failed: %s", strerror(errno));
	else if (WIFEXITED(st))
		snprintf(buf, sizeof buf, "child exited with status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof buf, "child killed by signal %d (%s)", WTERMSIG(st),
			 sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
	else
		snprintf(buf, sizeof buf, "child wait status 0x%x", (unsigned)st);
	return buf;
}

/* Passes name if the child of wait status st was killed by signal sig. */
CHECK_FN void expect_signal(const char *name, int st, int sig)
{
	if (killed_by(st, sig))
		pass(name);
	else
		fail(name, "expected SIG%s, %s", sigabbrev_np(sig), describe(st));
}

/* For in_child: a write to the byte at p. */
CHECK_FN void touch_write(void *p)
{
	*(volatile char *)p = 1;
}

/* For in_child: a read of the byte at p. */
CHECK_FN void touch_read(void *p)
{
	(void)*(volatile char *)p;
}

/* ---- results of calls --------------------------------------------------- */

/* Runs a call with errno cleared and captures its result and errno. */
#define CALL(r, e, expr) do { errno = 0; (r) = (long)(expr); (e) = errno; } while (0)

/* A call that failed must have failed with errno want (e is its errno). */
CHECK_FN void expect_errno(const char *name, int e, int want)
{
	if (e != want)
		fail(name, "failed with %s (%s), expected %s", ename(e), strerror(e), ename(want));
	else
		pass(name);
}

/* A call that must return -1 with errno want. */
CHECK_FN void expect_error(const char *name, long r, int e, int want)
{
	if (r != -1)
		fail(name, "returned %ld, expected -1/%s", r, ename(want));
	else
		expect_errno(name, e, want);
}

/* A call that must return 0. */
CHECK_FN void expect_ok(const char *name, long r, int e)
{
	if (r == 0)
		pass(name);
	else if (r == -1)
		fail(name, "failed with %s (%s)", ename(e), strerror(e));
	else
		fail(name, "returned %ld", r);
}

#endif
