/*
 * killall: kill(-1, sig), which signals every process but init and the
 * caller. Run alone (tests/qemu/run-all boots it as init's only program,
 * from /bin/solo), so that the only other processes are its own children.
 * On Linux, only inside a new PID namespace (unshare -fp).
 *
 * Prints "PASS killall.<case>" or "FAIL killall.<case>: <why>" per check
 * and exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "killall"
#include "check.h"

#define CHILDREN 3

static void spin(void *arg)
{
	(void)arg;
	for (;;)
		usleep(10000);
}

int main(void)
{
	pid_t kids[CHILDREN];
	long r;
	int e;

	CALL(r, e, kill(-1, 0));
	expect_error("none-to-signal", r, e, ESRCH);
	for (int i = 0; i < CHILDREN; i++)
		kids[i] = start_child(spin, NULL);
	usleep(50000);
	CALL(r, e, kill(-1, 0));
	expect_ok("children-exist", r, e);
	CALL(r, e, kill(-1, SIGKILL));
	expect_ok("kill-all", r, e);
	pass("caller-survives");
	int all = 1;
	for (int i = 0; i < CHILDREN; i++) {
		int st = wait_for(kids[i]);
		if (!killed_by(st, SIGKILL)) {
			fail("children-killed", "child %d: %s", i, describe(st));
			all = 0;
		}
	}
	if (all)
		pass("children-killed");
	check(kill(1, 0) == 0, "init-spared", "init is gone");
	CALL(r, e, kill(-1, SIGTERM));
	expect_error("none-left", r, e, ESRCH);
	return failures ? 1 : 0;
}
