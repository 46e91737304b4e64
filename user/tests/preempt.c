/*
 * preempt: the scheduler tick takes the CPU from a process that never
 * blocks. Two children spin forever, counting in shared memory; the parent
 * sleeps, finds that both made progress (it ran at all, so they were
 * preempted), kills them while they run, and reaps them.
 *
 * Prints "PASS preempt.<case>" or "FAIL preempt.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "preempt"
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

static pid_t spinner(volatile uint64_t *counter)
{
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			(*counter)++;
	return pid;
}

int main(void)
{
	volatile uint64_t *counts = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counts == MAP_FAILED) {
		fail("setup", "mmap: %s", strerror(errno));
		return 1;
	}
	pid_t a = spinner(&counts[0]), b = spinner(&counts[1]);
	if (a < 0 || b < 0) {
		fail("setup", "fork: %s", strerror(errno));
		return 1;
	}
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	nanosleep(&nap, NULL);
	check(counts[0] > 0 && counts[1] > 0, "both_spinners_ran",
	      "a spinner never ran while the other spun");
	check(kill(a, SIGKILL) == 0 && kill(b, SIGKILL) == 0, "kill_running", strerror(errno));
	int sa = wait_for(a), sb = wait_for(b);
	check(killed_by(sa, SIGKILL) && killed_by(sb, SIGKILL), "reaped_killed",
	      "the spinners did not end by SIGKILL");
	return failures ? 1 : 0;
}
