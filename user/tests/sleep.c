/*
 * sleep: blocking costs no CPU, and sleeps end on time. nanosleep and
 * clock_nanosleep never wake early (and, the timer being programmed for the
 * deadline, not a tick late either); a process asleep in nanosleep, in
 * waitpid or on an empty pipe uses (almost) no CPU time, measured with
 * CLOCK_PROCESS_CPUTIME_ID; a process that spins while another sleeps gets
 * (almost) all the CPU; a signal ends a long sleep at once.
 *
 * Prints "PASS sleep.<case>" or "FAIL sleep.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "sleep"
#include "check.h"
#include <stdint.h>
#include <time.h>

#define MS 1000000LL

static int64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t now(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static int64_t cpu(void)
{
	return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

static void nap(int64_t ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };

	nanosleep(&ts, NULL);
}

/* The CPU-time clock counts a spin, so that "little CPU" below means something. */
static void test_cpu_clock(void)
{
	int64_t c0 = cpu(), t0 = now();

	while (now() - t0 < 20 * MS)
		;
	int64_t used = cpu() - c0;
	if (used >= 19 * MS && used <= 21 * MS)
		pass("cpu_clock_counts_spin");
	else
		fail("cpu_clock_counts_spin", "20 ms of spinning counted as %lld ns", (long long)used);
}

static void test_not_early(void)
{
	static const int64_t d[] = { 1000, 1 * MS, 7 * MS, 15 * MS, 120 * MS };
	int early = 0, late = 0;
	int64_t worst = 0;

	for (unsigned i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		int64_t t0 = now();
		nap(d[i]);
		int64_t slept = now() - t0;
		early += slept < d[i];
		late += slept > d[i] + 2 * MS;   /* well under a 10 ms tick */
		if (slept - d[i] > worst)
			worst = slept - d[i];
	}
	check(!early, "nanosleep_not_early", "a nanosleep returned before its time");
	if (!late)
		pass("nanosleep_on_time");
	else
		fail("nanosleep_on_time", "%d sleeps woke more than 2 ms late (worst %lld ns)", late,
		     (long long)worst);

	struct timespec dl;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_nsec += 30 * MS;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL);
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	check(r == 0 && (t.tv_sec > dl.tv_sec || (t.tv_sec == dl.tv_sec && t.tv_nsec >= dl.tv_nsec)),
	      "abstime_not_early", "clock_nanosleep(TIMER_ABSTIME) returned before the deadline");
}

/* A 1.5 s sleep, alone on the system (the parent waits): almost no CPU. */
static void sleeper_alone(void *arg)
{
	(void)arg;
	int64_t c0 = cpu(), t0 = now();
	nap(1500 * MS);
	int64_t slept = now() - t0, used = cpu() - c0;
	_exit(slept < 1500 * MS ? 2 : used > 1 * MS ? 3 : 0);
}

static void test_sleep_costs_nothing(void)
{
	int64_t c0 = cpu();
	int st = in_child(sleeper_alone, NULL);
	int64_t waited = cpu() - c0;

	if (exited_with(st, 0))
		pass("sleep_uses_no_cpu");
	else if (exited_with(st, 3))
		fail("sleep_uses_no_cpu", "1.5 s of nanosleep used more than 1 ms of CPU");
	else
		fail("sleep_uses_no_cpu", "%s", describe(st));
	/* fork, exit and wait themselves take well under a millisecond. */
	if (waited < 5 * MS)
		pass("wait_uses_no_cpu");
	else
		fail("wait_uses_no_cpu", "waiting 1.5 s for a child used %lld ns of CPU",
		     (long long)waited);
}

static void sleeper_100ms(void *arg)
{
	(void)arg;
	nap(100 * MS);
}

/* While a child sleeps, a spinning parent gets (almost) all the CPU. */
static void test_spinner_gets_cpu(void)
{
	pid_t pid = start_child(sleeper_100ms, NULL);
	int64_t c0 = cpu(), t0 = now(), t;

	while ((t = now()) - t0 < 100 * MS)
		;
	int64_t used = cpu() - c0, span = t - t0;
	int st = wait_for(pid);
	if (used * 100 >= span * 99)
		pass("spinner_gets_cpu");
	else
		fail("spinner_gets_cpu", "spun %lld ns, ran only %lld ns", (long long)span,
		     (long long)used);
	check(exited_with(st, 0), "sleeper_done", describe(st));
}

/* A reader blocked on an empty pipe for 0.5 s uses no CPU. */
static void blocked_reader(void *arg)
{
	int *fds = arg;
	char c;

	close(fds[1]);
	int64_t c0 = cpu();
	ssize_t r = read(fds[0], &c, 1);
	int64_t used = cpu() - c0;
	_exit(r != 1 || c != 'x' ? 2 : used > 1 * MS ? 3 : 0);
}

static void test_pipe_wait_costs_nothing(void)
{
	int fds[2];

	if (pipe(fds) != 0) {
		fail("pipe_wait_uses_no_cpu", "pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = start_child(blocked_reader, fds);
	close(fds[0]);
	nap(500 * MS);
	ssize_t w = write(fds[1], "x", 1);
	close(fds[1]);
	int st = wait_for(pid);
	if (w == 1 && exited_with(st, 0))
		pass("pipe_wait_uses_no_cpu");
	else if (exited_with(st, 3))
		fail("pipe_wait_uses_no_cpu", "0.5 s blocked in read used more than 1 ms of CPU");
	else
		fail("pipe_wait_uses_no_cpu", "write %zd, %s", w, describe(st));
}

static void long_sleeper(void *arg)
{
	(void)arg;
	nap(100LL * 1000 * MS);
	_exit(7);
}

/* A signal ends a 100 s sleep at once (the sleep is interruptible). */
static void test_kill_ends_sleep(void)
{
	pid_t pid = start_child(long_sleeper, NULL);
	nap(10 * MS);
	int64_t t0 = now();
	kill(pid, SIGKILL);
	int st = wait_for(pid);
	int64_t took = now() - t0;
	expect_signal("kill_ends_sleep", st, SIGKILL);
	if (took < 5 * MS)
		pass("kill_ends_sleep_at_once");
	else
		fail("kill_ends_sleep_at_once", "reaping the killed sleeper took %lld ns",
		     (long long)took);
}

int main(void)
{
	test_cpu_clock();
	test_not_early();
	test_sleep_costs_nothing();
	test_spinner_gets_cpu();
	test_pipe_wait_costs_nothing();
	test_kill_ends_sleep();
	return failures ? 1 : 0;
}
