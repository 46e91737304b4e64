/*
 * orphan: a process group orphaned by its last outside parent's exit, with a
 * stopped member, gets SIGHUP and then SIGCONT (POSIX; Linux's
 * kill_orphaned_pgrp). The member's handlers report through a pipe.
 *
 * Prints "PASS orphan.<case>" or "FAIL orphan.<case>: <why>" and exits 0
 * only if all passed.
 */
#define _GNU_SOURCE
#include <poll.h>

#define PROG "orphan"
#include "check.h"

static int report_fd;

static void on_hup(int sig)
{
	(void)sig;
	(void)write(report_fd, "H", 1);
}

static void on_cont(int sig)
{
	(void)sig;
	(void)write(report_fd, "C", 1);
}

/* P: a session of its own; C: a group of its own in it, stopped; then P exits. */
static void session_leader(void *arg)
{
	(void)arg;
	if (setsid() < 0)
		_exit(2);
	pid_t c = fork();
	if (c == 0) {
		signal(SIGHUP, on_hup);
		signal(SIGCONT, on_cont);
		setpgid(0, 0);
		raise(SIGSTOP);
		_exit(0);
	}
	setpgid(c, c);
	int st;
	if (waitpid(c, &st, WUNTRACED) != c || !WIFSTOPPED(st))
		_exit(3);
	_exit(0);      /* C's group is orphaned now: nobody in the session outside it */
}

int main(void)
{
	int fds[2];
	char got[8] = { 0 };

	if (pipe(fds) < 0) {
		fail("pipe", "%s", strerror(errno));
		return 1;
	}
	report_fd = fds[1];
	int st = in_child(session_leader, NULL);
	check(exited_with(st, 0), "leader-exits", describe(st));
	close(fds[1]);
	struct pollfd pfd = { fds[0], POLLIN, 0 };
	size_t n = 0;
	while (n < 2 && poll(&pfd, 1, 3000) == 1) {
		ssize_t r = read(fds[0], got + n, sizeof(got) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	/* Both arrive; their handlers run SIGCONT's first, as on Linux (the
	 * frame for SIGHUP is built first, SIGCONT's on top of it). */
	check(memchr(got, 'H', n) != NULL, "sighup", "no SIGHUP reached the stopped member");
	check(memchr(got, 'C', n) != NULL, "sigcont", "no SIGCONT reached it");
	check(n == 2 && got[0] == 'C' && got[1] == 'H', "handler-order",
	      "the handlers did not run SIGCONT's, then SIGHUP's");
	return failures ? 1 : 0;
}
