/*
 * futexstress: the futex system call as Linux has it, and locks built on it
 * under contention.
 *
 *   futexstress [-t THREADS] [-k ITERATIONS]     (default 8 x 2000)
 *
 * THREADS threads each add 1 to a counter ITERATIONS times under a
 * pthread_mutex, then again under a lock of this program's own (C11 atomics,
 * FUTEX_WAIT_PRIVATE/FUTEX_WAKE_PRIVATE): the count must be exactly
 * THREADS x ITERATIONS. Then the operations one by one: FUTEX_WAIT's value
 * check (EAGAIN) and timeouts (relative, FUTEX_WAIT_BITSET's absolute
 * CLOCK_MONOTONIC and CLOCK_REALTIME), FUTEX_WAKE's count, FUTEX_REQUEUE and
 * FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP, a shared futex across fork on a
 * MAP_SHARED page (and a private wake not reaching it), and the errors:
 * ENOSYS, EFAULT, EINVAL. pthread_join's use of CLONE_CHILD_CLEARTID is
 * covered by every join here.
 *
 * Prints "PASS futexstress.<case>" or "FAIL futexstress.<case>: <why>" per
 * check and exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "futexstress"
#include "check.h"
#include "threads.h"
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define MAX_THREADS 64

static int nthreads = 8, iterations = 2000;

static long futex(void *uaddr, int op, unsigned val, const void *timeout_or_val2, void *uaddr2, unsigned val3)
{
	return syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
}

static struct timespec ns_to_ts(long long ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };
	return ts;
}

/* ---- contention ------------------------------------------------------------- */

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static long counter;

/* The lock of Drepper's "Futexes Are Tricky", mutex 2: 0 free, 1 locked, 2 locked with waiters. */
static atomic_int flock_word;

static void flock_lock(void)
{
	int c = 0;
	if (atomic_compare_exchange_strong(&flock_word, &c, 1))
		return;
	if (c != 2)
		c = atomic_exchange(&flock_word, 2);
	while (c != 0) {
		futex(&flock_word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
		c = atomic_exchange(&flock_word, 2);
	}
}

static void flock_unlock(void)
{
	if (atomic_fetch_sub(&flock_word, 1) != 1) {
		atomic_store(&flock_word, 0);
		futex(&flock_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
}

static pthread_barrier_t go;

static void *mutex_adder(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&go);
	for (int i = 0; i < iterations; i++) {
		pthread_mutex_lock(&mutex);
		long c = counter;
		if ((i & 127) == 0)
			sched_yield();
		counter = c + 1;
		pthread_mutex_unlock(&mutex);
	}
	return NULL;
}

static void *futex_adder(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&go);
	for (int i = 0; i < iterations; i++) {
		flock_lock();
		long c = counter;
		if ((i & 127) == 0)
			sched_yield();
		counter = c + 1;
		flock_unlock();
	}
	return NULL;
}

static void contention(const char *name, void *(*fn)(void *))
{
	pthread_t t[MAX_THREADS];
	int n, e = 0;

	counter = 0;
	pthread_barrier_init(&go, NULL, nthreads);
	for (n = 0; n < nthreads; n++)
		if ((e = pthread_create(&t[n], NULL, fn, NULL)))
			break;
	if (n < nthreads) {
		fail(name, "pthread_create of thread %d: %s", n, ename(e));
		_exit(1);   /* the others wait at the barrier for ever */
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	if (counter == (long)nthreads * iterations)
		pass(name);
	else
		fail(name, "count %ld, expected %d threads x %d = %ld", counter, nthreads, iterations,
		     (long)nthreads * iterations);
}

/* ---- single operations --------------------------------------------------------- */

static void test_wait_errors(void)
{
	int word = 5;
	long r;
	int e;

	CALL(r, e, futex(&word, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0));
	expect_error("wait.eagain", r, e, EAGAIN);
	CALL(r, e, futex(&word, FUTEX_WAIT, 6, NULL, NULL, 0));
	expect_error("wait.eagain_shared", r, e, EAGAIN);

	struct timespec rel = { 0, 10000000L };
	long long t0 = now_ns(CLOCK_MONOTONIC);
	CALL(r, e, futex(&word, FUTEX_WAIT_PRIVATE, 5, &rel, NULL, 0));
	long long waited = now_ns(CLOCK_MONOTONIC) - t0;
	if (r == -1 && e == ETIMEDOUT && waited < 9500000LL)
		fail("wait.timeout", "ETIMEDOUT after %lld us of a 10 ms timeout", waited / 1000);
	else
		expect_error("wait.timeout", r, e, ETIMEDOUT);

	/* A second ago, or the clock's first nanosecond on a system up for less
	 * (a negative time would be EINVAL, not a past one). */
	long long ago = now_ns(CLOCK_MONOTONIC) - 1000000000LL;
	struct timespec past = ns_to_ts(ago > 0 ? ago : 1);
	CALL(r, e, futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &past, NULL, FUTEX_BITSET_MATCH_ANY));
	expect_error("wait_bitset.past", r, e, ETIMEDOUT);

	struct timespec soon = ns_to_ts(now_ns(CLOCK_MONOTONIC) + 20000000LL);
	CALL(r, e, futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &soon, NULL, FUTEX_BITSET_MATCH_ANY));
	long long late = now_ns(CLOCK_MONOTONIC) - (soon.tv_sec * 1000000000LL + soon.tv_nsec);
	if (r == -1 && e == ETIMEDOUT && late < 0)
		fail("wait_bitset.absolute", "ETIMEDOUT %lld us before the absolute deadline", -late / 1000);
	else
		expect_error("wait_bitset.absolute", r, e, ETIMEDOUT);

	soon = ns_to_ts(now_ns(CLOCK_REALTIME) + 20000000LL);
	CALL(r, e, futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 5, &soon, NULL, FUTEX_BITSET_MATCH_ANY));
	late = now_ns(CLOCK_REALTIME) - (soon.tv_sec * 1000000000LL + soon.tv_nsec);
	if (r == -1 && e == ETIMEDOUT && late < 0)
		fail("wait_bitset.realtime", "ETIMEDOUT %lld us before the CLOCK_REALTIME deadline", -late / 1000);
	else
		expect_error("wait_bitset.realtime", r, e, ETIMEDOUT);

	CALL(r, e, futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &past, NULL, 0));
	expect_error("wait_bitset.zero_bitset_einval", r, e, EINVAL);

	struct timespec bad = { 0, 1000000000L };
	CALL(r, e, futex(&word, FUTEX_WAIT_PRIVATE, 5, &bad, NULL, 0));
	expect_error("wait.bad_timeout_einval", r, e, EINVAL);
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	CALL(r, e, futex(&word, FUTEX_WAIT_PRIVATE, 5, &bad, NULL, 0));
	expect_error("wait.negative_timeout_einval", r, e, EINVAL);

	CALL(r, e, futex(&word, 99, 0, NULL, NULL, 0));
	expect_error("op.unknown_enosys", r, e, ENOSYS);
	CALL(r, e, futex(&word, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
	expect_error("op.wake_clock_realtime_enosys", r, e, ENOSYS);

	/* an address nothing is mapped at */
	void *hole = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole != MAP_FAILED)
		munmap(hole, PAGE);
	CALL(r, e, futex(hole, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	expect_error("wait.efault", r, e, EFAULT);
	CALL(r, e, futex(hole, FUTEX_WAIT, 0, NULL, NULL, 0));
	expect_error("wait.efault_shared", r, e, EFAULT);
	CALL(r, e, futex(hole, FUTEX_WAKE, 1, NULL, NULL, 0));
	expect_error("wake.efault_shared", r, e, EFAULT);
	/* a private wake never reads the word: Linux hashes the address alone */
	CALL(r, e, futex(hole, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	if (r == 0)
		pass("wake.private_unmapped_zero");
	else
		fail("wake.private_unmapped_zero", "FUTEX_WAKE_PRIVATE at an unmapped address gave %ld (%s), Linux gives 0",
		     r, ename(e));

	char *misaligned = (char *)&word + 1;
	CALL(r, e, futex(misaligned, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	expect_error("wait.unaligned_einval", r, e, EINVAL);
	CALL(r, e, futex(misaligned, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	expect_error("wake.unaligned_einval", r, e, EINVAL);

	CALL(r, e, futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	if (r == 0)
		pass("wake.none_waiting");
	else
		fail("wake.none_waiting", "FUTEX_WAKE with no waiter gave %ld (%s)", r, ename(e));
}

/* Waiters: each waits on its futex while the word holds its value, then counts itself woken. */
struct waiter {
	atomic_int *word;
	int val;
	int op;
	atomic_int *arrived, *woken;
	long result;
	int err;
};

static void *waiter(void *arg)
{
	struct waiter *w = arg;
	struct timespec limit = { 10, 0 };      /* no case here waits that long */

	atomic_fetch_add(w->arrived, 1);
	w->result = futex(w->word, w->op, w->val, &limit, NULL, 0);
	w->err = w->result ? errno : 0;
	atomic_fetch_add(w->woken, 1);
	return NULL;
}

#define NWAITERS 3

static atomic_int arrived, woken;
static pthread_t wt[NWAITERS];
static struct waiter ws[NWAITERS];

/* Starts n waiters on word (value val); returns how many started. */
static int start_waiters(int n, atomic_int *word, int val)
{
	int i;

	atomic_store(&arrived, 0);
	atomic_store(&woken, 0);
	for (i = 0; i < n; i++) {
		ws[i] = (struct waiter){ word, val, FUTEX_WAIT_PRIVATE, &arrived, &woken, 0, 0 };
		if (pthread_create(&wt[i], NULL, waiter, &ws[i]))
			break;
	}
	for (int k = 0; k < 5000 && atomic_load(&arrived) < i; k++)
		msleep(1);
	msleep(50);     /* from "arrived" into FUTEX_WAIT */
	return i;
}

/* Waits up to 2 s for the woken count to reach n. */
static int woken_reaches(int n)
{
	for (int k = 0; k < 2000 && atomic_load(&woken) < n; k++)
		msleep(1);
	return atomic_load(&woken) >= n;
}

/* Wakes all and joins; returns whether each waiter's FUTEX_WAIT returned 0. */
static int finish_waiters(int n, atomic_int *word)
{
	int ok = 1;

	for (int k = 0; k < 2000 && atomic_load(&woken) < n; k++) {
		futex(word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
		msleep(1);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(wt[i], NULL);
		if (ws[i].result != 0)
			ok = 0;
	}
	return ok;
}

static void test_wake(void)
{
	static atomic_int word;
	long r;

	atomic_store(&word, 0);
	int n = start_waiters(NWAITERS, &word, 0);
	if (n < NWAITERS) {
		fail("wake.count", "could not start %d waiters", NWAITERS);
		finish_waiters(n, &word);
		return;
	}
	r = futex(&word, FUTEX_WAKE_PRIVATE, 2, NULL, NULL, 0);
	int two = woken_reaches(2);
	msleep(20);
	int after_two = atomic_load(&woken);
	long r2 = futex(&word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	int all = woken_reaches(3);
	int ok = finish_waiters(n, &word);
	if (r != 2)
		fail("wake.count", "FUTEX_WAKE of 2 with 3 waiting gave %ld", r);
	else if (!two || after_two != 2)
		fail("wake.count", "FUTEX_WAKE of 2 woke %d waiters", after_two);
	else if (r2 != 1 || !all)
		fail("wake.count", "FUTEX_WAKE of the rest gave %ld", r2);
	else if (!ok)
		fail("wake.count", "a woken FUTEX_WAIT did not return 0");
	else
		pass("wake.count");
}

static void test_requeue(void)
{
	static atomic_int from, to;
	long r, r1, r2;
	int e;

	atomic_store(&from, 0);
	atomic_store(&to, 0);
	int n = start_waiters(NWAITERS, &from, 0);
	if (n < NWAITERS) {
		fail("cmp_requeue", "could not start %d waiters", NWAITERS);
		finish_waiters(n, &from);
		return;
	}
	/* the compare value differs: nothing moves */
	CALL(r, e, futex(&from, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)(uintptr_t)INT_MAX, &to, 1));
	expect_error("cmp_requeue.eagain", r, e, EAGAIN);

	/* wake 1, move the other 2: returns woken + requeued */
	CALL(r, e, futex(&from, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)(uintptr_t)INT_MAX, &to, 0));
	int one = woken_reaches(1);
	msleep(20);
	int w1 = atomic_load(&woken);
	r1 = futex(&from, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	r2 = futex(&to, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	woken_reaches(3);
	finish_waiters(n, &to);
	if (r != 3)
		fail("cmp_requeue", "FUTEX_CMP_REQUEUE (wake 1, requeue all) of 3 waiters gave %ld (%s), expected 3", r,
		     r < 0 ? ename(e) : "");
	else if (!one || w1 != 1)
		fail("cmp_requeue", "it woke %d waiters, expected 1", w1);
	else if (r1 != 0 || r2 != 2)
		fail("cmp_requeue", "then a wake of the first futex woke %ld (expected 0), of the second %ld (expected 2)", r1, r2);
	else
		pass("cmp_requeue");

	/* FUTEX_REQUEUE: no compare; wake 0, move 1 of 3 */
	atomic_store(&from, 0);
	atomic_store(&to, 0);
	n = start_waiters(NWAITERS, &from, 0);
	CALL(r, e, futex(&from, FUTEX_REQUEUE_PRIVATE, 0, (void *)(uintptr_t)1, &to, 0));
	r2 = futex(&to, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	int moved = woken_reaches(1);
	r1 = futex(&from, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	woken_reaches(3);
	finish_waiters(n, &from);
	if (n < NWAITERS)
		fail("requeue", "could not start %d waiters", NWAITERS);
	else if (r != 1)
		fail("requeue", "FUTEX_REQUEUE (wake 0, requeue 1) of 3 waiters gave %ld (%s), expected 1", r, r < 0 ? ename(e) : "");
	else if (r2 != 1 || !moved)
		fail("requeue", "a wake of the second futex woke %ld, expected the 1 moved", r2);
	else if (r1 != 2)
		fail("requeue", "a wake of the first futex woke %ld, expected the 2 left", r1);
	else
		pass("requeue");
}

static void test_wake_op(void)
{
	static atomic_int f1, f2;
	pthread_t t1, t2;
	struct waiter a, b;
	long r;
	int e;

	for (int round = 0; round < 2; round++) {
		const char *name = round == 0 ? "wake_op.cmp_true" : "wake_op.cmp_false";
		atomic_store(&f1, 0);
		atomic_store(&f2, round == 0 ? 0 : 5);
		atomic_store(&arrived, 0);
		atomic_store(&woken, 0);
		a = (struct waiter){ &f1, 0, FUTEX_WAIT_PRIVATE, &arrived, &woken, 0, 0 };
		b = (struct waiter){ &f2, atomic_load(&f2), FUTEX_WAIT_PRIVATE, &arrived, &woken, 0, 0 };
		pthread_create(&t1, NULL, waiter, &a);
		pthread_create(&t2, NULL, waiter, &b);
		for (int k = 0; k < 5000 && atomic_load(&arrived) < 2; k++)
			msleep(1);
		msleep(50);
		/*
		 * *f2 += 1, then wake 1 on f1, and 1 on f2 if the old *f2 == 0. The
		 * waiter on f2 waits for its old value; the wake does not check it.
		 */
		CALL(r, e, futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)(uintptr_t)1, &f2,
				 FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)));
		int expect = round == 0 ? 2 : 1;
		woken_reaches(expect);
		msleep(20);
		int w = atomic_load(&woken);
		int v2 = atomic_load(&f2);
		/* release whoever is left */
		for (int k = 0; k < 2000 && atomic_load(&woken) < 2; k++) {
			futex(&f1, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
			futex(&f2, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
			msleep(1);
		}
		pthread_join(t1, NULL);
		pthread_join(t2, NULL);
		if (r != expect)
			fail(name, "FUTEX_WAKE_OP gave %ld (%s), expected %d", r, r < 0 ? ename(e) : "woken", expect);
		else if (w != expect)
			fail(name, "%d waiters woke, expected %d", w, expect);
		else if (v2 != (round == 0 ? 1 : 6))
			fail(name, "the second word is %d after FUTEX_OP_ADD 1, expected %d", v2, round == 0 ? 1 : 6);
		else
			pass(name);
	}
}

/* ---- shared across fork --------------------------------------------------------- */

struct shared {
	atomic_int word;
	atomic_int arrived;
};

static void test_shared(void)
{
	struct shared *sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		fail("shared_fork", "mmap: %s", strerror(errno));
		return;
	}
	atomic_store(&sh->word, 0);
	atomic_store(&sh->arrived, 0);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec limit = { 5, 0 };
		atomic_store(&sh->arrived, 1);
		while (atomic_load(&sh->word) == 0) {
			if (futex(&sh->word, FUTEX_WAIT, 0, &limit, NULL, 0) != 0 && errno == ETIMEDOUT)
				_exit(2);
		}
		_exit(0);
	}
	if (pid < 0) {
		fail("shared_fork", "fork: %s", strerror(errno));
		return;
	}
	for (int k = 0; k < 5000 && !atomic_load(&sh->arrived); k++)
		msleep(1);
	msleep(50);
	/* a private wake is keyed on this process's memory: it does not reach the child */
	long rp = futex(&sh->word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	atomic_store(&sh->word, 1);
	long r = futex(&sh->word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	int st = wait_for(pid);
	if (r != 1)
		fail("shared_fork", "a shared FUTEX_WAKE with the child waiting gave %ld, expected 1 (%s)", r, describe(st));
	else if (!exited_with(st, 0))
		fail("shared_fork", "%s", exited_with(st, 2) ? "the child's FUTEX_WAIT timed out" : describe(st));
	else
		pass("shared_fork");
	if (rp == 0)
		pass("shared_fork.private_wake_misses");
	else
		fail("shared_fork.private_wake_misses", "FUTEX_WAKE_PRIVATE woke %ld waiter(s) of another process", rp);
	munmap(sh, PAGE);
}


int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "t:k:")) != -1) {
		if (opt == 't')
			nthreads = atoi(optarg);
		else if (opt == 'k')
			iterations = atoi(optarg);
		else
			nthreads = 0;
	}
	if (nthreads < 1 || nthreads > MAX_THREADS || iterations < 1) {
		fprintf(stderr, "usage: futexstress [-t THREADS (1-%d)] [-k ITERATIONS]\n", MAX_THREADS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (small_default_stacks() != 0)
		return 1;

	contention("mutex_count", mutex_adder);
	contention("futex_lock_count", futex_adder);
	test_wait_errors();
	test_wake();
	test_requeue();
	test_wake_op();
	test_shared();
	return failures ? 1 : 0;
}
