/*
 * threadoom: creating threads until there is no memory for another must end
 * in pthread_create failing with EAGAIN, the threads made still running, and
 * everything given back.
 *
 *   threadoom [-t KIB] [-n MAX] [-s STACK_KIB] [-u NPROC] [-a AS_KIB]
 *
 * A forked child creates threads of STACK_KIB (default 256) KiB stacks, each
 * blocked on a condition variable, until pthread_create fails (at most MAX,
 * default 1024: reaching it is a failure). glibc gives EAGAIN both when the
 * stack's mmap or mprotect fails with ENOMEM and when clone fails (it turns
 * ENOMEM into EAGAIN; clone's own EAGAIN stays). The child then checks that
 * every thread it made is running, releases and joins them all, creates one
 * more (memory is back), and exits.
 *
 * The free memory (sysinfo) before the child against after it: exact unless
 * -t gives a tolerance. It is measured around the child, not around the
 * joins, because glibc keeps up to 40 MiB of the stacks of joined threads
 * for reuse; the child's exit gives them back.
 *
 * Bramble's runner gives no options: the threads run until the commit limit
 * (no overcommit; in mem=64M that is some 200 stacks of 256 KiB) or the
 * kernel's own memory stops them. A Linux host overcommits and would go on
 * to MAX, so its run bounds the child instead:
 *   -u NPROC   RLIMIT_NPROC in the child (as uid/gid 65534 when run as root:
 *              root is not held to it); clone then fails with EAGAIN
 *   -a AS_KIB  RLIMIT_AS in the child; the stack's mmap then fails with
 *              ENOMEM, EAGAIN from pthread_create (qemu-user ignores RLIMIT_AS)
 * and -t some MiB, the host's other work moving its free memory.
 *
 * Prints "PASS threadoom.<case>" or "FAIL threadoom.<case>: <why>" per check,
 *   threadoom: up to <MAX> threads of <S> KiB stacks
 *   threadoom: <N> threads, then pthread_create: <E>
 *   threadoom: free memory before <K> KiB, after <K> KiB (tolerance <T> KiB)
 * and exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "threadoom"
#include "check.h"
#include <grp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>

static unsigned long max_threads = 1024, stack_kib = 256, nproc_limit, as_kib;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int released;
static unsigned long running;

static void *blocked(void *arg)
{
	pthread_mutex_lock(&lock);
	running++;
	while (!released)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return arg;
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Creates threads until one fails (or max); returns how many, the error in *err. */
static unsigned long create_all(pthread_t *t, unsigned long max, int *err)
{
	pthread_attr_t a;
	unsigned long n;

	*err = 0;
	pthread_attr_init(&a);
	int e = pthread_attr_setstacksize(&a, stack_kib << 10);
	if (e) {
		*err = e;
		return 0;
	}
	for (n = 0; n < max; n++) {
		e = pthread_create(&t[n], &a, blocked, (void *)(uintptr_t)(n + 1));
		if (e) {
			*err = e;
			break;
		}
	}
	pthread_attr_destroy(&a);
	return n;
}

/* Releases and joins threads t[0..n); returns how many gave back the wrong value or failed to join. */
static unsigned long release_all(pthread_t *t, unsigned long n)
{
	unsigned long bad = 0;

	pthread_mutex_lock(&lock);
	released = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (unsigned long i = 0; i < n; i++) {
		void *r;
		if (pthread_join(t[i], &r) != 0 || r != (void *)(uintptr_t)(i + 1))
			bad++;
	}
	return bad;
}

/* The warm-up: a few threads made and joined, as the measured child will. */
static void warm_up(void *arg)
{
	pthread_t t[4];
	int err;

	(void)arg;
	unsigned long n = create_all(t, 4, &err);
	release_all(t, n);
	_exit(n == 4 ? 0 : 1);
}

static void limit(int resource, rlim_t value, const char *name)
{
	struct rlimit rl = { value, value };
	if (setrlimit(resource, &rl) != 0) {
		fail("setup", "setrlimit(%s, %llu): %s", name, (unsigned long long)value, strerror(errno));
		_exit(1);
	}
}

static void exhaust(void *arg)
{
	pthread_t *t = arg;
	int err;

	if (nproc_limit) {
		/* root is not held to RLIMIT_NPROC */
		if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)) {
			fail("setup", "becoming uid 65534: %s", strerror(errno));
			_exit(1);
		}
		limit(RLIMIT_NPROC, nproc_limit, "RLIMIT_NPROC");
	}
	if (as_kib)
		limit(RLIMIT_AS, (rlim_t)as_kib << 10, "RLIMIT_AS");

	unsigned long n = create_all(t, max_threads, &err);
	printf("threadoom: %lu threads, then pthread_create: %s\n", n, err ? ename(err) : "no failure");
	if (err == 0)
		fail("exhausted", "%lu threads of %lu KiB stacks made without a failure", n, stack_kib);
	else if (err != EAGAIN)
		fail("eagain", "pthread_create failed with %s (%s), expected EAGAIN", ename(err), strerror(err));
	else {
		pass("exhausted");
		pass("eagain");
	}

	/* every thread made is running (waits up to 10 s) */
	unsigned long r = 0;
	for (int i = 0; i < 10000; i++) {
		pthread_mutex_lock(&lock);
		r = running;
		pthread_mutex_unlock(&lock);
		if (r >= n)
			break;
		msleep(1);
	}
	if (r == n)
		pass("all_running");
	else
		fail("all_running", "%lu of the %lu threads made are running", r, n);

	unsigned long bad = release_all(t, n);
	if (bad == 0)
		pass("join_all");
	else
		fail("join_all", "%lu of %lu joins failed or gave back the wrong value", bad, n);

	/* the memory is back: another thread can be made */
	released = 0;
	running = 0;
	pthread_t one;
	unsigned long m = create_all(&one, 1, &err);
	if (m == 1)
		release_all(&one, 1);
	if (m == 1)
		pass("recovers");
	else
		fail("recovers", "after joining them all, pthread_create failed with %s", ename(err));
	fflush(stdout);
	_exit(failures ? 1 : 0);
}

static int free_kib(unsigned long long *kib)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return -1;
	*kib = (unsigned long long)si.freeram * (si.mem_unit ? si.mem_unit : 1) / 1024;
	return 0;
}

static unsigned long number(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);
	if (*end || end == s) {
		fprintf(stderr, "threadoom: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long long tolerance = 0, before = 0, after = 0;
	int opt;

	while ((opt = getopt(argc, argv, "t:n:s:u:a:")) != -1) {
		switch (opt) {
		case 't': tolerance = number(optarg); break;
		case 'n': max_threads = number(optarg); break;
		case 's': stack_kib = number(optarg); break;
		case 'u': nproc_limit = number(optarg); break;
		case 'a': as_kib = number(optarg); break;
		default:
			fprintf(stderr, "usage: threadoom [-t KIB] [-n MAX] [-s STACK_KIB] [-u NPROC] [-a AS_KIB]\n");
			return 2;
		}
	}
	if (max_threads == 0 || stack_kib == 0) {
		fprintf(stderr, "threadoom: -n and -s must be positive\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* (stdout's buffer made now, not in the child when memory has run out) */
	printf("threadoom: up to %lu threads of %lu KiB stacks\n", max_threads, stack_kib);

	/* the thread handles, before the measurement (the child writes its copy) */
	pthread_t *t = calloc(max_threads, sizeof *t);
	if (!t) {
		fail("setup", "calloc of %lu handles failed", max_threads);
		return 1;
	}
	for (unsigned long i = 0; i < max_threads; i++)
		t[i] = 0;

	int st = in_child(warm_up, NULL);
	if (!exited_with(st, 0)) {
		fail("warm_up", "4 threads could not be made and joined: %s", describe(st));
		return 1;
	}
	if (free_kib(&before) != 0)
		fail("sysinfo", "sysinfo: %s", strerror(errno));

	st = in_child(exhaust, t);
	if (!exited_with(st, 0) && !exited_with(st, 1))
		fail("child", "the child creating threads: %s", describe(st));

	if (free_kib(&after) != 0)
		fail("sysinfo", "sysinfo: %s", strerror(errno));
	printf("threadoom: free memory before %llu KiB, after %llu KiB (tolerance %llu KiB)\n", before, after, tolerance);
	unsigned long long diff = before > after ? before - after : after - before;
	if (under_pressure())
		skip_under_pressure("free_memory");
	else if (diff <= tolerance)
		pass("free_memory");
	else
		fail("free_memory", "%llu KiB %s free memory after the child", diff, after < before ? "less" : "more");
	free(t);
	return failures || !exited_with(st, 0) ? 1 : 0;
}
