/*
 * threads: POSIX threads as glibc runs them on Linux (clone with
 * CLONE_THREAD, futex, set_tid_address and CLONE_CHILD_CLEARTID for join,
 * set_robust_list, tgkill, per-thread signal masks).
 *
 *   threads                 (the tests)
 *   threads --exec-child N  (what the exec case runs: exits N if its pid is
 *                            its tid, N + 1 if not)
 *
 * Covers create/join and the value passed back, detach, many threads each
 * with its own slot, gettid/getpid, mutexes (normal, recursive,
 * error-checking, trylock, robust with owner death), condition variables
 * (signal, broadcast, timed waits on both clocks), barriers, rwlocks,
 * thread-local storage and errno, cancellation of a blocked thread,
 * pthread_kill, sigwait, a process-directed signal going to the one thread
 * that does not block it, fork and exec from a thread, pthread_exit,
 * exit_group, a fatal signal in a thread, sched_yield/sched_getaffinity, a
 * 64 KiB stack, a stack of the caller's own, pthread_once and key
 * destructors. Whatever could end the process runs in a forked child.
 * Threads get 256 KiB stacks by default (pthread_setattr_default_np), not
 * glibc's 8 MiB, for mem=64M without overcommit.
 *
 * tests/linux/run-threads runs it under qemu-aarch64-static and built for
 * the host: qemu-user cannot run the robust-mutex cases (set_robust_list is
 * ENOSYS there) nor the exec case (no binfmt_misc for AArch64).
 *
 * Prints "PASS threads.<case>" or "FAIL threads.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "threads"
#include "check.h"
#include "threads.h"
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static const char *self_path;

static pid_t tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static struct timespec deadline_in(clockid_t clk, long ms)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* Waits (at most 5 s) until *flag is nonzero; returns whether it became so. */
static int wait_flag(atomic_int *flag)
{
	for (int i = 0; i < 5000; i++) {
		if (atomic_load(flag))
			return 1;
		msleep(1);
	}
	return 0;
}

/* Creates a thread; a failure is reported under name. Returns 0 or -1. */
static int start(const char *name, pthread_t *t, void *(*fn)(void *), void *arg)
{
	int e = pthread_create(t, NULL, fn, arg);
	if (e) {
		fail(name, "pthread_create: %s", ename(e));
		return -1;
	}
	return 0;
}

/* Joins t; the value it returned goes to *ret (if given). Returns 0 or -1. */
static int join(const char *name, pthread_t t, void **ret)
{
	void *r;
	int e = pthread_join(t, &r);
	if (e) {
		fail(name, "pthread_join: %s", ename(e));
		return -1;
	}
	if (ret)
		*ret = r;
	return 0;
}

/* ---- create, join, detach ------------------------------------------------ */

static void *twice(void *arg)
{
	return (void *)((uintptr_t)arg * 2);
}

static void test_create_join(void)
{
	pthread_t t;
	void *r;

	if (start("create_join", &t, twice, (void *)21) || join("create_join", t, &r))
		return;
	if (r == (void *)42)
		pass("create_join");
	else
		fail("create_join", "join gave %p, the thread returned %p", r, (void *)42);

	check(pthread_join(pthread_self(), NULL) == EDEADLK, "join_self_edeadlk",
	      "pthread_join of the calling thread did not give EDEADLK");
}

static atomic_int detached_done;

static void *detached(void *arg)
{
	sigset_t all;

	(void)arg;
	/* No later process-directed signal may come to this thread if it is still exiting. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	msleep(10);
	atomic_store(&detached_done, 1);
	return NULL;
}

static void test_detach(void)
{
	pthread_t t;
	pthread_attr_t a;

	if (start("detach", &t, detached, NULL))
		return;
	int e = pthread_detach(t);
	if (e) {
		fail("detach", "pthread_detach: %s", ename(e));
		return;
	}
	if (!wait_flag(&detached_done)) {
		fail("detach", "the detached thread did not finish in 5 s");
		return;
	}
	/* A thread created detached, then the process carrying on. */
	atomic_store(&detached_done, 0);
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	e = pthread_create(&t, &a, detached, NULL);
	pthread_attr_destroy(&a);
	if (e) {
		fail("detach", "pthread_create detached: %s", ename(e));
		return;
	}
	if (!wait_flag(&detached_done)) {
		fail("detach", "the thread created detached did not finish in 5 s");
		return;
	}
	msleep(20);
	pass("detach");
}

/* ---- many threads, ids ---------------------------------------------------- */

#define MANY 16

static struct slot {
	int index;
	int value;
	pid_t tid, pid;
	pthread_t self;
} slots[MANY];

static void *fill_slot(void *arg)
{
	struct slot *s = arg;
	s->value = s->index * 10 + 1;
	s->tid = tid();
	s->pid = getpid();
	s->self = pthread_self();
	sched_yield();
	return NULL;
}

static void test_many(void)
{
	pthread_t t[MANY];
	int n, bad = 0;

	for (n = 0; n < MANY; n++) {
		slots[n].index = n;
		if (start("many", &t[n], fill_slot, &slots[n]))
			break;
	}
	for (int i = 0; i < n; i++)
		if (join("many", t[i], NULL))
			bad = 1;
	if (n < MANY || bad)
		return;

	for (int i = 0; i < MANY; i++)
		if (slots[i].value != i * 10 + 1) {
			fail("many", "slot %d holds %d, expected %d", i, slots[i].value, i * 10 + 1);
			bad = 1;
		}
	if (!bad)
		pass("many");

	bad = 0;
	for (int i = 0; i < MANY && !bad; i++) {
		if (slots[i].pid != getpid()) {
			fail("getpid_same", "thread %d has getpid %d, the process is %d", i, slots[i].pid, getpid());
			bad = 1;
		}
	}
	if (!bad)
		pass("getpid_same");

	bad = 0;
	for (int i = 0; i < MANY && !bad; i++) {
		if (slots[i].tid == getpid() || slots[i].tid <= 0) {
			fail("gettid_distinct", "thread %d has tid %d (pid %d)", i, slots[i].tid, getpid());
			bad = 1;
		}
		for (int j = 0; j < i && !bad; j++)
			if (slots[i].tid == slots[j].tid) {
				fail("gettid_distinct", "threads %d and %d both have tid %d", j, i, slots[i].tid);
				bad = 1;
			}
		if (!bad && pthread_equal(slots[i].self, t[i]) == 0) {
			fail("gettid_distinct", "thread %d: pthread_self differs from what pthread_create gave", i);
			bad = 1;
		}
	}
	if (!bad)
		pass("gettid_distinct");
	check(tid() == getpid(), "main_tid_is_pid", "the main thread's tid is not the pid");
}

/* ---- mutexes -------------------------------------------------------------- */

#define MUTEX_THREADS 4
#define MUTEX_ITERS 1000

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg)
{
	(void)arg;
	for (int i = 0; i < MUTEX_ITERS; i++) {
		pthread_mutex_lock(&counter_lock);
		long c = counter;
		if (i % 64 == 0)
			sched_yield();
		counter = c + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

/* For the mutex cases: a trylock (or unlock) from another thread. */
struct other_op {
	pthread_mutex_t *m;
	int unlock;         /* unlock instead of trylock */
	int result;
};

static void *other_op(void *arg)
{
	struct other_op *o = arg;
	if (o->unlock)
		o->result = pthread_mutex_unlock(o->m);
	else {
		o->result = pthread_mutex_trylock(o->m);
		if (o->result == 0)
			pthread_mutex_unlock(o->m);
	}
	return NULL;
}

/* Runs other_op in a thread and returns its result, or -1. */
static int from_other(const char *name, pthread_mutex_t *m, int unlock)
{
	struct other_op o = { m, unlock, -1 };
	pthread_t t;

	if (start(name, &t, other_op, &o) || join(name, t, NULL))
		return -1;
	return o.result;
}

static void init_mutex(pthread_mutex_t *m, int type, int robust)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, type);
	if (robust)
		pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

/*
 * Locks a robust mutex whose owner may be dead: 2 s at most, so that a
 * kernel which does not walk the robust list at exit fails the case
 * (ETIMEDOUT) rather than hanging it.
 */
static int robust_lock(pthread_mutex_t *m)
{
	struct timespec ts = deadline_in(CLOCK_REALTIME, 2000);
	return pthread_mutex_timedlock(m, &ts);
}

static void *lock_and_exit(void *arg)
{
	pthread_mutex_lock(arg);
	return NULL;        /* still holding it */
}

static void test_mutexes(void)
{
	pthread_t t[MUTEX_THREADS];
	pthread_mutex_t m;
	int n, r;

	counter = 0;
	for (n = 0; n < MUTEX_THREADS; n++)
		if (start("mutex.normal", &t[n], count_up, NULL))
			break;
	for (int i = 0; i < n; i++)
		join("mutex.normal", t[i], NULL);
	if (counter == MUTEX_THREADS * MUTEX_ITERS)
		pass("mutex.normal");
	else
		fail("mutex.normal", "counter %ld after %d threads x %d increments", counter, MUTEX_THREADS, MUTEX_ITERS);

	/* trylock of a held default mutex */
	pthread_mutex_lock(&counter_lock);
	r = from_other("mutex.trylock_ebusy", &counter_lock, 0);
	pthread_mutex_unlock(&counter_lock);
	if (r == EBUSY)
		pass("mutex.trylock_ebusy");
	else
		fail("mutex.trylock_ebusy", "trylock of a mutex another thread holds gave %s", ename(r));
	r = from_other("mutex.trylock_free", &counter_lock, 0);
	check(r == 0, "mutex.trylock_free", "trylock of an unlocked mutex failed");

	/* recursive */
	init_mutex(&m, PTHREAD_MUTEX_RECURSIVE, 0);
	int r1 = pthread_mutex_lock(&m), r2 = pthread_mutex_lock(&m), r3 = pthread_mutex_trylock(&m);
	pthread_mutex_unlock(&m);
	pthread_mutex_unlock(&m);
	int held = from_other("mutex.recursive", &m, 0);
	pthread_mutex_unlock(&m);
	int freed = from_other("mutex.recursive", &m, 0);
	if (r1 || r2 || r3)
		fail("mutex.recursive", "locking it three times gave %s, %s, %s", ename(r1), ename(r2), ename(r3));
	else if (held != EBUSY)
		fail("mutex.recursive", "locked 3 times, unlocked twice: another thread's trylock gave %s", ename(held));
	else if (freed != 0)
		fail("mutex.recursive", "unlocked as often as locked: another thread's trylock gave %s", ename(freed));
	else
		pass("mutex.recursive");
	pthread_mutex_destroy(&m);

	/* error-checking */
	init_mutex(&m, PTHREAD_MUTEX_ERRORCHECK, 0);
	pthread_mutex_lock(&m);
	r = pthread_mutex_lock(&m);
	if (r == EDEADLK)
		pass("mutex.errorcheck_edeadlk");
	else
		fail("mutex.errorcheck_edeadlk", "relocking by the owner gave %s", ename(r));
	r = from_other("mutex.errorcheck_eperm", &m, 1);
	if (r == EPERM)
		pass("mutex.errorcheck_eperm");
	else
		fail("mutex.errorcheck_eperm", "unlock by a thread that is not the owner gave %s", ename(r));
	r = pthread_mutex_unlock(&m);
	int again = pthread_mutex_unlock(&m);
	if (r == 0 && again == EPERM)
		pass("mutex.errorcheck_unlock");
	else
		fail("mutex.errorcheck_unlock", "owner's unlock gave %s, a second unlock %s (expected EPERM)", ename(r), ename(again));
	pthread_mutex_destroy(&m);

	/* robust, the owner gone */
	init_mutex(&m, PTHREAD_MUTEX_NORMAL, 1);
	pthread_t owner;
	if (start("mutex.robust_owner_dead", &owner, lock_and_exit, &m) == 0 &&
	    join("mutex.robust_owner_dead", owner, NULL) == 0) {
		r = robust_lock(&m);
		if (r != EOWNERDEAD)
			fail("mutex.robust_owner_dead", "lock after the owner exited gave %s, expected EOWNERDEAD", ename(r));
		else {
			pass("mutex.robust_owner_dead");
			int c = pthread_mutex_consistent(&m), u = pthread_mutex_unlock(&m);
			int l = robust_lock(&m), u2 = pthread_mutex_unlock(&m);
			int o = from_other("mutex.robust_consistent", &m, 0);
			if (c || u || l || u2 || o)
				fail("mutex.robust_consistent", "consistent %s, unlock %s, lock %s, unlock %s, other thread's trylock %s",
				     ename(c), ename(u), ename(l), ename(u2), ename(o));
			else
				pass("mutex.robust_consistent");
		}
	}
	pthread_mutex_destroy(&m);

	/* robust, not made consistent: unrecoverable */
	init_mutex(&m, PTHREAD_MUTEX_NORMAL, 1);
	if (start("mutex.robust_notrecoverable", &owner, lock_and_exit, &m) == 0 &&
	    join("mutex.robust_notrecoverable", owner, NULL) == 0) {
		r = robust_lock(&m);
		int u = r == EOWNERDEAD ? pthread_mutex_unlock(&m) : -1;
		int l = robust_lock(&m);
		if (r == EOWNERDEAD && u == 0 && l == ENOTRECOVERABLE)
			pass("mutex.robust_notrecoverable");
		else if (r != EOWNERDEAD)
			fail("mutex.robust_notrecoverable", "lock after the owner exited gave %s, expected EOWNERDEAD", ename(r));
		else
			fail("mutex.robust_notrecoverable", "lock %s, unlock %s, lock again %s (expected EOWNERDEAD, 0, ENOTRECOVERABLE)",
			     ename(r), ename(u), ename(l));
	}
}

/* ---- condition variables ---------------------------------------------------- */

#define WAITERS 4

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int cv_ready, cv_go, cv_woken;

static void *cv_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv_lock);
	cv_ready++;
	while (!cv_go)
		pthread_cond_wait(&cv, &cv_lock);
	cv_woken++;
	pthread_mutex_unlock(&cv_lock);
	return NULL;
}

/* Waits until n waiters are ready (they hold the lock until they wait). */
static int wait_ready(int n)
{
	for (int i = 0; i < 5000; i++) {
		pthread_mutex_lock(&cv_lock);
		int r = cv_ready;
		pthread_mutex_unlock(&cv_lock);
		if (r >= n)
			return 1;
		msleep(1);
	}
	return 0;
}

static void test_cond(void)
{
	pthread_t t[WAITERS];
	int n;

	/* signal, one waiter */
	cv_ready = cv_go = cv_woken = 0;
	if (start("cond.signal", &t[0], cv_waiter, NULL) == 0) {
		if (!wait_ready(1))
			fail("cond.signal", "the waiter did not start");
		msleep(10);
		pthread_mutex_lock(&cv_lock);
		cv_go = 1;
		pthread_cond_signal(&cv);
		pthread_mutex_unlock(&cv_lock);
		if (join("cond.signal", t[0], NULL) == 0)
			check(cv_woken == 1, "cond.signal", "the waiter did not wake");
	}

	/* broadcast, N waiters */
	cv_ready = cv_go = cv_woken = 0;
	for (n = 0; n < WAITERS; n++)
		if (start("cond.broadcast", &t[n], cv_waiter, NULL))
			break;
	if (!wait_ready(n))
		fail("cond.broadcast", "the waiters did not start");
	msleep(10);
	pthread_mutex_lock(&cv_lock);
	cv_go = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&cv_lock);
	for (int i = 0; i < n; i++)
		join("cond.broadcast", t[i], NULL);
	if (n == WAITERS && cv_woken == WAITERS)
		pass("cond.broadcast");
	else if (n == WAITERS)
		fail("cond.broadcast", "%d of %d waiters woke", cv_woken, WAITERS);

	/* timed waits */
	struct timespec past = deadline_in(CLOCK_REALTIME, 0);
	past.tv_sec -= 1;
	pthread_mutex_lock(&cv_lock);
	int r = pthread_cond_timedwait(&cv, &cv_lock, &past);
	pthread_mutex_unlock(&cv_lock);
	if (r == ETIMEDOUT)
		pass("cond.timedwait_past");
	else
		fail("cond.timedwait_past", "a deadline a second ago gave %s", ename(r));

	struct timespec soon = deadline_in(CLOCK_REALTIME, 20);
	long long t0 = now_ns(CLOCK_MONOTONIC);
	pthread_mutex_lock(&cv_lock);
	do
		r = pthread_cond_timedwait(&cv, &cv_lock, &soon);
	while (r == 0);
	pthread_mutex_unlock(&cv_lock);
	long long waited = now_ns(CLOCK_MONOTONIC) - t0;
	if (r != ETIMEDOUT)
		fail("cond.timedwait_short", "a deadline 20 ms ahead gave %s", ename(r));
	else if (waited < 19000000LL)
		fail("cond.timedwait_short", "ETIMEDOUT after %lld us, the deadline was 20 ms ahead", waited / 1000);
	else
		pass("cond.timedwait_short");

	pthread_condattr_t ca;
	pthread_cond_t mcv;
	clockid_t clk = -1;
	pthread_condattr_init(&ca);
	int s = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_condattr_getclock(&ca, &clk);
	pthread_cond_init(&mcv, &ca);
	pthread_condattr_destroy(&ca);
	soon = deadline_in(CLOCK_MONOTONIC, 20);
	t0 = now_ns(CLOCK_MONOTONIC);
	pthread_mutex_lock(&cv_lock);
	do
		r = pthread_cond_timedwait(&mcv, &cv_lock, &soon);
	while (r == 0);
	pthread_mutex_unlock(&cv_lock);
	waited = now_ns(CLOCK_MONOTONIC) - t0;
	pthread_cond_destroy(&mcv);
	if (s || clk != CLOCK_MONOTONIC)
		fail("cond.monotonic", "pthread_condattr_setclock: %s, clock %d", ename(s), (int)clk);
	else if (r != ETIMEDOUT)
		fail("cond.monotonic", "a CLOCK_MONOTONIC deadline 20 ms ahead gave %s", ename(r));
	else if (waited < 19000000LL)
		fail("cond.monotonic", "ETIMEDOUT after %lld us, the deadline was 20 ms ahead", waited / 1000);
	else
		pass("cond.monotonic");
}

/* ---- barriers ------------------------------------------------------------- */

#define BARRIER_THREADS 5
#define BARRIER_ROUNDS 3

static pthread_barrier_t barrier;
static atomic_int serials, barrier_errors, barrier_phase[BARRIER_ROUNDS];

static void *at_barrier(void *arg)
{
	(void)arg;
	for (int round = 0; round < BARRIER_ROUNDS; round++) {
		atomic_fetch_add(&barrier_phase[round], 1);
		int r = pthread_barrier_wait(&barrier);
		if (r == PTHREAD_BARRIER_SERIAL_THREAD)
			atomic_fetch_add(&serials, 1);
		else if (r != 0)
			atomic_fetch_add(&barrier_errors, 1);
		/* all of this round arrived before anyone passed */
		if (atomic_load(&barrier_phase[round]) != BARRIER_THREADS)
			atomic_fetch_add(&barrier_errors, 1);
	}
	return NULL;
}

static void test_barrier(void)
{
	pthread_t t[BARRIER_THREADS];
	int n;

	pthread_barrier_init(&barrier, NULL, BARRIER_THREADS);
	for (n = 0; n < BARRIER_THREADS; n++)
		if (start("barrier", &t[n], at_barrier, NULL))
			break;
	if (n < BARRIER_THREADS)
		return;     /* (those made wait at the barrier for ever, unjoined) */
	for (int i = 0; i < n; i++)
		join("barrier", t[i], NULL);
	pthread_barrier_destroy(&barrier);
	if (serials == BARRIER_ROUNDS && barrier_errors == 0)
		pass("barrier");
	else
		fail("barrier", "%d serial threads in %d rounds (one each expected), %d errors", (int)serials,
		     BARRIER_ROUNDS, (int)barrier_errors);
}

/* ---- rwlocks -------------------------------------------------------------- */

#define READERS 4

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static atomic_int readers_in, readers_max, readers_timeout;

static void *reader(void *arg)
{
	(void)arg;
	pthread_rwlock_rdlock(&rw);
	int in = atomic_fetch_add(&readers_in, 1) + 1;
	if (in > atomic_load(&readers_max))
		atomic_store(&readers_max, in);
	/* stays in until all the readers are in at once */
	int i;
	for (i = 0; i < 5000 && atomic_load(&readers_in) < READERS; i++)
		msleep(1);
	if (i == 5000)
		atomic_store(&readers_timeout, 1);
	atomic_store(&readers_max, READERS);
	pthread_rwlock_unlock(&rw);
	return NULL;
}

struct rw_try {
	int rd, wr;
};

static void *rw_try(void *arg)
{
	struct rw_try *r = arg;
	r->rd = pthread_rwlock_tryrdlock(&rw);
	if (r->rd == 0)
		pthread_rwlock_unlock(&rw);
	r->wr = pthread_rwlock_trywrlock(&rw);
	if (r->wr == 0)
		pthread_rwlock_unlock(&rw);
	return NULL;
}

static void *rw_writer(void *arg)
{
	atomic_int *inside = arg;
	pthread_rwlock_wrlock(&rw);
	atomic_store(inside, 1);
	pthread_rwlock_unlock(&rw);
	return NULL;
}

static void test_rwlock(void)
{
	pthread_t t[READERS];
	struct rw_try tr;
	int n;

	for (n = 0; n < READERS; n++)
		if (start("rwlock.readers", &t[n], reader, NULL))
			break;
	for (int i = 0; i < n; i++)
		join("rwlock.readers", t[i], NULL);
	if (n == READERS)
		check(!readers_timeout, "rwlock.readers", "the readers were not all inside the read lock at once");

	pthread_rwlock_wrlock(&rw);
	tr.rd = tr.wr = -1;
	if (start("rwlock.writer_excludes", &t[0], rw_try, &tr) == 0 && join("rwlock.writer_excludes", t[0], NULL) == 0) {
		if (tr.rd == EBUSY && tr.wr == EBUSY)
			pass("rwlock.writer_excludes");
		else
			fail("rwlock.writer_excludes", "with a writer in: tryrdlock %s, trywrlock %s", ename(tr.rd), ename(tr.wr));
	}
	/* a blocked writer gets in when the writer leaves */
	atomic_int inside = 0;
	if (start("rwlock.writer_waits", &t[0], rw_writer, &inside) == 0) {
		msleep(20);
		int early = atomic_load(&inside);
		pthread_rwlock_unlock(&rw);
		if (join("rwlock.writer_waits", t[0], NULL) == 0)
			check(!early && inside, "rwlock.writer_waits", early ? "a second writer got in with the first" :
			      "the waiting writer did not get in");
	} else
		pthread_rwlock_unlock(&rw);

	pthread_rwlock_rdlock(&rw);
	tr.rd = tr.wr = -1;
	if (start("rwlock.reader_excludes_writer", &t[0], rw_try, &tr) == 0 &&
	    join("rwlock.reader_excludes_writer", t[0], NULL) == 0) {
		if (tr.rd == 0 && tr.wr == EBUSY)
			pass("rwlock.reader_excludes_writer");
		else
			fail("rwlock.reader_excludes_writer", "with a reader in: tryrdlock %s (expected 0), trywrlock %s (expected EBUSY)",
			     ename(tr.rd), ename(tr.wr));
	}
	pthread_rwlock_unlock(&rw);
}

/* ---- thread-local storage, errno ------------------------------------------------ */

#define TLS_THREADS 4

static __thread int tls_value = 7;
static __thread char tls_array[256];

struct tls_result {
	int index;
	int initial;
	int ok;
	void *addr;
	int err;
};

static void *tls_thread(void *arg)
{
	struct tls_result *r = arg;
	r->initial = tls_value;
	r->addr = &tls_value;
	tls_value = 100 + r->index;
	memset(tls_array, r->index, sizeof tls_array);
	for (int i = 0; i < 5; i++) {
		sched_yield();
		msleep(1);
	}
	r->ok = tls_value == 100 + r->index;
	for (size_t i = 0; i < sizeof tls_array; i++)
		if (tls_array[i] != (char)r->index)
			r->ok = 0;
	/* errno: this thread's failure is EBADF, the main thread's ENOENT */
	close(-1);
	msleep(5);
	r->err = errno;
	return NULL;
}

static void test_tls(void)
{
	pthread_t t[TLS_THREADS];
	struct tls_result r[TLS_THREADS];
	int n, bad = 0;

	tls_value = 1;
	memset(r, 0, sizeof r);
	for (n = 0; n < TLS_THREADS; n++) {
		r[n].index = n;
		if (start("tls", &t[n], tls_thread, &r[n]))
			break;
	}
	errno = 0;
	if (access("/no/such/file", F_OK) != 0 && errno == ENOENT) {
		msleep(10);
	}
	int main_err = errno;
	for (int i = 0; i < n; i++)
		join("tls", t[i], NULL);
	if (n < TLS_THREADS)
		return;
	for (int i = 0; i < TLS_THREADS && !bad; i++) {
		if (r[i].initial != 7)
			fail("tls", "thread %d's __thread variable started at %d, its initializer is 7", i, r[i].initial), bad = 1;
		else if (!r[i].ok)
			fail("tls", "thread %d's __thread variables were changed by another thread", i), bad = 1;
		else if (r[i].addr == (void *)&tls_value)
			fail("tls", "thread %d's __thread variable is at the main thread's address", i), bad = 1;
		for (int j = 0; j < i && !bad; j++)
			if (r[i].addr == r[j].addr)
				fail("tls", "threads %d and %d share a __thread variable's address", j, i), bad = 1;
	}
	if (!bad && tls_value != 1)
		fail("tls", "the main thread's __thread variable is %d, it set 1", tls_value), bad = 1;
	if (!bad)
		pass("tls");

	bad = 0;
	for (int i = 0; i < TLS_THREADS && !bad; i++)
		if (r[i].err != EBADF)
			fail("errno", "thread %d's errno after close(-1) is %s", i, ename(r[i].err)), bad = 1;
	if (!bad && main_err != ENOENT)
		fail("errno", "the main thread's errno is %s, expected ENOENT", ename(main_err)), bad = 1;
	if (!bad)
		pass("errno");
}

/* ---- cancellation ------------------------------------------------------------ */

static atomic_int cancel_started, cleanup_ran;

static void cleanup_unlock(void *m)
{
	atomic_store(&cleanup_ran, 1);
	pthread_mutex_unlock(m);
}

static void *cancel_in_condwait(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv_lock);
	pthread_cleanup_push(cleanup_unlock, &cv_lock);
	atomic_store(&cancel_started, 1);
	for (;;)
		pthread_cond_wait(&cv, &cv_lock);
	pthread_cleanup_pop(1);
	return NULL;
}

static void *cancel_in_pause(void *arg)
{
	(void)arg;
	atomic_store(&cancel_started, 1);
	for (;;)
		pause();
	return NULL;
}

static void *cancel_in_sleep(void *arg)
{
	(void)arg;
	atomic_store(&cancel_started, 1);
	for (;;)
		sleep(10);
	return NULL;
}

static void cancel_case(const char *name, void *(*fn)(void *))
{
	pthread_t t;
	void *r = NULL;

	atomic_store(&cancel_started, 0);
	atomic_store(&cleanup_ran, 0);
	if (start(name, &t, fn, NULL))
		return;
	wait_flag(&cancel_started);
	msleep(10);     /* into the blocking call */
	int e = pthread_cancel(t);
	if (e) {
		fail(name, "pthread_cancel: %s", ename(e));
		return;
	}
	if (join(name, t, &r))
		return;
	if (r != PTHREAD_CANCELED)
		fail(name, "join gave %p, expected PTHREAD_CANCELED", r);
	else
		pass(name);
}

static void test_cancel(void)
{
	cancel_case("cancel.cond_wait", cancel_in_condwait);
	if (!cleanup_ran)
		fail("cancel.cleanup", "the cleanup handler did not run");
	else if (pthread_mutex_trylock(&cv_lock) != 0)
		fail("cancel.cleanup", "the mutex the cancelled cond_wait took back is still locked");
	else {
		pthread_mutex_unlock(&cv_lock);
		pass("cancel.cleanup");
	}
	cancel_case("cancel.pause", cancel_in_pause);
	cancel_case("cancel.sleep", cancel_in_sleep);
}

/* ---- signals ---------------------------------------------------------------- */

static volatile sig_atomic_t handler_tid, handler_hits;

static void record_tid(int sig)
{
	(void)sig;
	handler_tid = tid();
	handler_hits++;
}

static void set_handler(int sig, void (*h)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sigaction(sig, &sa, NULL);
}

static atomic_int target_tid, target_stop;

/* Waits for a signal until told to stop (the handler runs here). */
static void *signal_target(void *arg)
{
	sigset_t *unblock = arg;
	if (unblock)
		pthread_sigmask(SIG_UNBLOCK, unblock, NULL);
	atomic_store(&target_tid, tid());
	while (!atomic_load(&target_stop))
		msleep(1);
	return NULL;
}

static void test_pthread_kill(void)
{
	pthread_t t;

	set_handler(SIGUSR1, record_tid);
	handler_tid = 0;
	handler_hits = 0;
	atomic_store(&target_tid, 0);
	atomic_store(&target_stop, 0);
	if (start("pthread_kill", &t, signal_target, NULL))
		return;
	wait_flag(&target_tid);
	int e = pthread_kill(t, SIGUSR1);
	for (int i = 0; i < 5000 && !handler_hits; i++)
		msleep(1);
	atomic_store(&target_stop, 1);
	join("pthread_kill", t, NULL);
	if (e)
		fail("pthread_kill", "pthread_kill: %s", ename(e));
	else if (handler_hits != 1)
		fail("pthread_kill", "the handler ran %d times", (int)handler_hits);
	else if (handler_tid != atomic_load(&target_tid))
		fail("pthread_kill", "the handler ran in tid %d, the target is %d (main %d)", (int)handler_tid,
		     atomic_load(&target_tid), tid());
	else
		pass("pthread_kill");
	set_handler(SIGUSR1, SIG_DFL);

	check(pthread_kill(pthread_self(), 0) == 0, "pthread_kill_zero", "pthread_kill(self, 0) failed");
}

struct waiter_result {
	int sig;
	int err;
	pid_t tid;
	int timeout_err;
};

static void *sigwaiter(void *arg)
{
	struct waiter_result *w = arg;
	sigset_t set;
	struct timespec ts = { 0, 20000000L };

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	w->tid = tid();
	/* nothing pending yet: a short timeout */
	if (sigtimedwait(&set, NULL, &ts) == -1)
		w->timeout_err = errno;
	atomic_store(&target_tid, tid());
	w->err = sigwait(&set, &w->sig);
	return NULL;
}

static void *sigtimedwaiter(void *arg)
{
	struct waiter_result *w = arg;
	sigset_t set;
	struct timespec ts = { 5, 0 };
	siginfo_t si;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	w->tid = tid();
	atomic_store(&target_tid, tid());
	w->sig = sigtimedwait(&set, &si, &ts);
	w->err = w->sig < 0 ? errno : 0;
	if (w->sig > 0 && si.si_code != SI_TKILL)
		w->err = -si.si_code;
	return NULL;
}

static void test_sigwait(void)
{
	sigset_t set, old;
	pthread_t t;
	struct waiter_result w;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, &old);

	/* process-directed kill, taken by sigwait in another thread */
	memset(&w, 0, sizeof w);
	atomic_store(&target_tid, 0);
	if (start("sigwait.process", &t, sigwaiter, &w) == 0) {
		wait_flag(&target_tid);
		msleep(10);
		kill(getpid(), SIGUSR1);
		if (join("sigwait.process", t, NULL) == 0) {
			if (w.err || w.sig != SIGUSR1)
				fail("sigwait.process", "sigwait gave %s, signal %d", ename(w.err), w.sig);
			else
				pass("sigwait.process");
			if (w.timeout_err == EAGAIN)
				pass("sigtimedwait.timeout");
			else
				fail("sigtimedwait.timeout", "sigtimedwait with nothing pending and 20 ms gave %s", ename(w.timeout_err));
		}
	}
	sigset_t pending;
	sigpending(&pending);
	check(!sigismember(&pending, SIGUSR1), "sigwait.consumed", "SIGUSR1 is still pending after sigwait took it");

	/* thread-directed, sigtimedwait */
	memset(&w, 0, sizeof w);
	atomic_store(&target_tid, 0);
	if (start("sigtimedwait.thread", &t, sigtimedwaiter, &w) == 0) {
		wait_flag(&target_tid);
		msleep(10);
		pthread_kill(t, SIGUSR2);
		if (join("sigtimedwait.thread", t, NULL) == 0) {
			if (w.sig != SIGUSR2 || w.err)
				fail("sigtimedwait.thread", "sigtimedwait gave %d, %s (negative: si_code)", w.sig,
				     w.err > 0 ? ename(w.err) : "si_code is not SI_TKILL");
			else
				pass("sigtimedwait.thread");
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void test_process_directed(void)
{
	sigset_t set, old;
	pthread_t t;

	set_handler(SIGUSR2, record_tid);
	handler_tid = 0;
	handler_hits = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	atomic_store(&target_tid, 0);
	atomic_store(&target_stop, 0);
	if (start("kill_process", &t, signal_target, &set)) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return;
	}
	wait_flag(&target_tid);
	kill(getpid(), SIGUSR2);
	for (int i = 0; i < 5000 && !handler_hits; i++)
		msleep(1);
	atomic_store(&target_stop, 1);
	join("kill_process", t, NULL);
	sigset_t pending;
	sigpending(&pending);
	int still = sigismember(&pending, SIGUSR2);
	if (handler_hits != 1)
		fail("kill_process", "the handler ran %d times%s", (int)handler_hits, still ? " (SIGUSR2 is pending)" : "");
	else if (handler_tid != atomic_load(&target_tid))
		fail("kill_process", "the handler ran in tid %d; the only thread not blocking SIGUSR2 is %d",
		     (int)handler_tid, atomic_load(&target_tid));
	else
		pass("kill_process");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	set_handler(SIGUSR2, SIG_DFL);
}

/* ---- fork, exec --------------------------------------------------------------- */

static atomic_long spinner_count;
static atomic_int spinner_stop;

static void *spinner(void *arg)
{
	(void)arg;
	while (!atomic_load(&spinner_stop)) {
		atomic_fetch_add(&spinner_count, 1);
		msleep(1);
	}
	return NULL;
}

static void *do_nothing(void *arg)
{
	return arg;
}

/* In the child of a fork made by a non-main thread. */
static int forked_child(void)
{
	if (getpid() != tid())
		return 2;               /* the forking thread is the child's main thread */
	long c1 = atomic_load(&spinner_count);
	msleep(30);
	if (atomic_load(&spinner_count) != c1)
		return 3;               /* the spinner came along */
	pthread_t t;
	void *r;
	if (pthread_create(&t, NULL, do_nothing, (void *)5) || pthread_join(t, &r) || r != (void *)5)
		return 4;               /* threads in the child */
	return 0;
}

struct fork_result {
	pid_t pid;
	int st;
};

static void *forker(void *arg)
{
	struct fork_result *f = arg;
	fflush(NULL);
	f->pid = fork();
	if (f->pid == 0)
		_exit(forked_child());
	f->st = wait_for(f->pid);
	return NULL;
}

static void test_fork(void)
{
	pthread_t sp, fk;
	struct fork_result f = { -1, -1 };

	atomic_store(&spinner_stop, 0);
	if (start("fork", &sp, spinner, NULL))
		return;
	if (start("fork", &fk, forker, &f) == 0 && join("fork", fk, NULL) == 0) {
		if (exited_with(f.st, 0))
			pass("fork");
		else if (exited_with(f.st, 2))
			fail("fork", "in the child, the forking thread's tid is not the pid");
		else if (exited_with(f.st, 3))
			fail("fork", "the parent's other thread runs on in the child");
		else if (exited_with(f.st, 4))
			fail("fork", "the child could not create and join a thread");
		else
			fail("fork", "%s", describe(f.st));
	}
	long c1 = atomic_load(&spinner_count);
	msleep(30);
	long c2 = atomic_load(&spinner_count);
	atomic_store(&spinner_stop, 1);
	join("fork.parent_threads_run", sp, NULL);
	check(c2 > c1, "fork.parent_threads_run", "the parent's other thread stopped after the fork");
}

static void *execer(void *arg)
{
	char *const argv[] = { (char *)self_path, "--exec-child", "7", NULL };
	(void)arg;
	msleep(10);
	execv(self_path, argv);
	_exit(100 + errno);
}

static void exec_from_thread(void *arg)
{
	pthread_t t;
	(void)arg;
	atomic_store(&spinner_stop, 0);
	if (pthread_create(&t, NULL, spinner, NULL) || pthread_create(&t, NULL, execer, NULL))
		_exit(99);
	for (;;)
		pause();
}

static void test_exec(void)
{
	int st = in_child(exec_from_thread, NULL);
	if (exited_with(st, 7))
		pass("exec");
	else if (exited_with(st, 8))
		fail("exec", "after execve from a non-main thread, the new program's tid is not its pid");
	else if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) > 100)
		fail("exec", "execve(\"%s\") from a thread failed: %s", self_path, ename(WEXITSTATUS(st) - 100));
	else
		fail("exec", "expected the new program's exit status 7, %s", describe(st));
}

/* ---- exits ------------------------------------------------------------------- */

static void nested_exit(void)
{
	pthread_exit((void *)42);
}

static void *exits_early(void *arg)
{
	(void)arg;
	nested_exit();
	return (void *)1;
}

static void *exit_later(void *arg)
{
	msleep(20);
	exit((int)(uintptr_t)arg);
}

static void main_pthread_exit(void *arg)
{
	pthread_t t;
	(void)arg;
	if (pthread_create(&t, NULL, exit_later, (void *)5))
		_exit(99);
	pthread_exit(NULL);
}

static void *exit_now(void *arg)
{
	exit((int)(uintptr_t)arg);
}

static void thread_exit_group(void *arg)
{
	pthread_t t;
	(void)arg;
	atomic_store(&spinner_stop, 0);
	for (int i = 0; i < 3; i++)
		if (pthread_create(&t, NULL, spinner, NULL))
			_exit(99);
	if (pthread_create(&t, NULL, exit_now, (void *)3))
		_exit(99);
	for (;;)
		pause();
}

static void *segv_now(void *arg)
{
	(void)arg;
	msleep(10);
	raise(SIGSEGV);
	return NULL;
}

static void *fault_now(void *arg)
{
	(void)arg;
	static int *volatile bad = (int *)16;
	msleep(10);
	*bad = 1;
	return NULL;
}

static void thread_fatal(void *arg)
{
	pthread_t t;
	atomic_store(&spinner_stop, 0);
	if (pthread_create(&t, NULL, spinner, NULL) || pthread_create(&t, NULL, arg, NULL))
		_exit(99);
	for (;;)
		pause();
}

static void test_exits(void)
{
	pthread_t t;
	void *r = NULL;

	if (start("pthread_exit", &t, exits_early, NULL) == 0 && join("pthread_exit", t, &r) == 0) {
		if (r == (void *)42)
			pass("pthread_exit");
		else
			fail("pthread_exit", "join gave %p, pthread_exit was given %p", r, (void *)42);
	}

	int st = in_child(main_pthread_exit, NULL);
	if (exited_with(st, 5))
		pass("main_pthread_exit");
	else
		fail("main_pthread_exit", "main called pthread_exit, another thread exit(5) 20 ms later: %s", describe(st));

	st = in_child(thread_exit_group, NULL);
	if (exited_with(st, 3))
		pass("exit_group");
	else
		fail("exit_group", "a thread called exit(3) with 4 others running: %s", describe(st));

	st = in_child(thread_fatal, segv_now);
	expect_signal("fatal_signal.raise", st, SIGSEGV);
	st = in_child(thread_fatal, fault_now);
	expect_signal("fatal_signal.fault", st, SIGSEGV);
}

/* ---- scheduling, stacks, once, keys ----------------------------------------------- */

static void *yielder(void *arg)
{
	int *r = arg;
	for (int i = 0; i < 10; i++)
		if (sched_yield() != 0)
			*r = errno;
	return NULL;
}

static void test_sched(void)
{
	pthread_t t;
	int err = 0;
	if (start("sched_yield", &t, yielder, &err) == 0) {
		yielder(&err);
		join("sched_yield", t, NULL);
		if (err)
			fail("sched_yield", "sched_yield: %s", ename(err));
		else
			pass("sched_yield");
	}

	cpu_set_t set;
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		fail("sched_getaffinity", "sched_getaffinity: %s", strerror(errno));
	else if (CPU_COUNT(&set) < 1)
		fail("sched_getaffinity", "an empty CPU set");
	else
		pass("sched_getaffinity");

	CPU_ZERO(&set);
	int e = pthread_getaffinity_np(pthread_self(), sizeof set, &set);
	if (e)
		fail("pthread_getaffinity", "pthread_getaffinity_np: %s", ename(e));
	else
		check(CPU_COUNT(&set) >= 1, "pthread_getaffinity", "an empty CPU set");
}

#define SMALL_STACK (64UL << 10)

struct stack_result {
	size_t use;         /* how much of it to write to */
	void *local;
	void *addr;
	size_t size;
	int err;
};

static void *on_small_stack(void *arg)
{
	struct stack_result *s = arg;
	volatile char buf[s->use];
	pthread_attr_t a;

	for (size_t i = 0; i < sizeof buf; i += 512)
		buf[i] = (char)i;
	s->local = (void *)buf;
	s->err = pthread_getattr_np(pthread_self(), &a);
	if (!s->err) {
		pthread_attr_getstack(&a, &s->addr, &s->size);
		pthread_attr_destroy(&a);
	}
	return (void *)(uintptr_t)buf[512];
}

/* A thread on a stack of size bytes (the attribute's size); reports under name. */
static void small_stack_case(const char *name, size_t size)
{
	pthread_attr_t a;
	pthread_t t;
	struct stack_result s;
	void *r;

	memset(&s, 0, sizeof s);
	s.use = size / 4;
	pthread_attr_init(&a);
	int e = pthread_attr_setstacksize(&a, size);
	if (e)
		fail(name, "pthread_attr_setstacksize(%zu): %s", size, ename(e));
	else if ((e = pthread_create(&t, &a, on_small_stack, &s)))
		fail(name, "pthread_create: %s", ename(e));
	else if (join(name, t, &r) == 0) {
		char *lo = s.addr, *hi = lo + s.size;
		if (r != (void *)(uintptr_t)(char)512)
			fail(name, "the thread returned %p", r);
		else if (s.err)
			fail(name, "pthread_getattr_np: %s", ename(s.err));
		else if (s.size < size || (char *)s.local < lo || (char *)s.local >= hi)
			fail(name, "stack [%p, %p) of %zu bytes, a local at %p", (void *)lo, (void *)hi, s.size, s.local);
		else
			pass(name);
	}
	pthread_attr_destroy(&a);
}

static void test_stacks(void)
{
	pthread_attr_t a;
	pthread_t t;
	struct stack_result s;
	void *r;
	int e;

	/*
	 * glibc's PTHREAD_STACK_MIN is 128 KiB on AArch64 (bits/pthread_stack_min.h,
	 * room for 64 KiB pages): a 64 KiB stack size is EINVAL there, and
	 * runs where the minimum is smaller (x86-64: 16 KiB).
	 */
	size_t min = PTHREAD_STACK_MIN;
	if (SMALL_STACK < min) {
		pthread_attr_init(&a);
		e = pthread_attr_setstacksize(&a, SMALL_STACK);
		pthread_attr_destroy(&a);
		if (e == EINVAL)
			pass("stacksize_64k");
		else
			fail("stacksize_64k", "64 KiB, below PTHREAD_STACK_MIN (%zu), gave %s, expected EINVAL", min, ename(e));
	} else
		small_stack_case("stacksize_64k", SMALL_STACK);
	small_stack_case("stacksize_min", min);

	/* a stack the caller maps */
	size_t size = 128UL << 10;
	char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED) {
		fail("own_stack", "mmap: %s", strerror(errno));
		return;
	}
	memset(&s, 0, sizeof s);
	s.use = size / 4;
	pthread_attr_init(&a);
	pthread_attr_setstack(&a, stack, size);
	e = pthread_create(&t, &a, on_small_stack, &s);
	pthread_attr_destroy(&a);
	if (e)
		fail("own_stack", "pthread_create: %s", ename(e));
	else if (join("own_stack", t, &r) == 0) {
		if ((char *)s.local < stack || (char *)s.local >= stack + size)
			fail("own_stack", "a local at %p, the stack given is [%p, %p)", s.local, (void *)stack, (void *)(stack + size));
		else
			pass("own_stack");
	}
	munmap(stack, size);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_runs;
static pthread_key_t key;
static atomic_int destructor_runs, destructor_bad;

static void once_init(void)
{
	atomic_fetch_add(&once_runs, 1);
	msleep(10);
}

static void destructor(void *v)
{
	if ((uintptr_t)v < 1 || (uintptr_t)v > 4)
		atomic_fetch_add(&destructor_bad, 1);
	atomic_fetch_add(&destructor_runs, 1);
}

static void *once_and_key(void *arg)
{
	pthread_once(&once, once_init);
	if (pthread_getspecific(key) != NULL)
		atomic_fetch_add(&destructor_bad, 1);
	pthread_setspecific(key, arg);
	sched_yield();
	if (pthread_getspecific(key) != arg)
		atomic_fetch_add(&destructor_bad, 1);
	return NULL;
}

static void test_once_keys(void)
{
	pthread_t t[4];
	int n;

	if (pthread_key_create(&key, destructor)) {
		fail("key_destructor", "pthread_key_create failed");
		return;
	}
	for (n = 0; n < 4; n++)
		if (start("once", &t[n], once_and_key, (void *)(uintptr_t)(n + 1)))
			break;
	for (int i = 0; i < n; i++)
		join("once", t[i], NULL);
	if (n < 4)
		return;
	check(once_runs == 1, "once", "pthread_once's function did not run exactly once");
	if (destructor_runs == 4 && destructor_bad == 0)
		pass("key_destructor");
	else
		fail("key_destructor", "%d destructor runs for 4 threads, %d wrong values", (int)destructor_runs, (int)destructor_bad);
	pthread_key_delete(key);
}


/* ---- /proc/self/task lists the threads ------------------------------------------ */

static pthread_barrier_t task_bar;
static volatile long task_tid;

static void *task_thread(void *arg)
{
	(void)arg;
	task_tid = syscall(SYS_gettid);
	pthread_barrier_wait(&task_bar);    /* listed */
	pthread_barrier_wait(&task_bar);    /* may go */
	return NULL;
}

static int task_listed(long tid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
	return stat(path, &st) == 0;
}

static void test_proc_task(void)
{
	pthread_t t;

	pthread_barrier_init(&task_bar, NULL, 2);
	if (pthread_create(&t, NULL, task_thread, NULL) != 0) {
		fail("proc_task", "pthread_create: %s", strerror(errno));
		return;
	}
	pthread_barrier_wait(&task_bar);
	check(task_listed(getpid()) && task_listed(task_tid), "proc_task.lists",
	      "/proc/self/task does not list the main thread and a running one");
	pthread_barrier_wait(&task_bar);
	pthread_join(t, NULL);
	pthread_barrier_destroy(&task_bar);
	check(!task_listed(task_tid), "proc_task.gone", "a joined thread is still in /proc/self/task");
}

/* ---- a stop stops every thread ------------------------------------------------ */

static volatile uint64_t *spins;   /* MAP_SHARED: the child's thread counts here */

static void *stop_spinner(void *arg)
{
	(void)arg;
	for (;;)
		(*spins)++;
	return NULL;
}

static void stopped_child(void *arg)
{
	pthread_t t;

	(void)arg;
	if (pthread_create(&t, NULL, stop_spinner, NULL) != 0)
		_exit(20);
	for (;;)
		pause();
}

static uint64_t spins_after(long ms)
{
	struct timespec d = { 0, ms * 1000000L };

	nanosleep(&d, NULL);
	return *spins;
}

static void test_group_stop(void)
{
	int st;

	spins = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (spins == MAP_FAILED) {
		fail("group_stop", "mmap: %s", strerror(errno));
		return;
	}
	pid_t c = start_child(stopped_child, NULL);
	uint64_t a = spins_after(50), b = spins_after(50);
	kill(c, SIGSTOP);
	int reported = waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st);
	uint64_t s1 = spins_after(20), s2 = spins_after(50);
	kill(c, SIGCONT);
	uint64_t r1 = spins_after(50), r2 = spins_after(50);
	kill(c, SIGKILL);
	wait_for(c);
	check(b > a, "group_stop.running", "the child's thread did not run");
	check(reported && s1 == s2, "group_stop.all_stopped",
	      "after SIGSTOP to the process, one of its threads kept running");
	check(r2 > r1, "group_stop.all_continued", "after SIGCONT the thread did not run again");
	munmap((void *)spins, 4096);
}

/* ---- a leader that ends before its threads ---------------------------------- */

/*
 * The leader ends alone (SYS_exit) while a thread lives; then a child of
 * the process exits, and the thread reads /proc/self/status (the leader's
 * record) and reaps the child. The zombie leader still holds the
 * process's signal handlers, which the child's exit consults (SIGCHLD's
 * disposition), as on Linux; the kernel once read them freed (a panic).
 */
static int leader_pipe[2];
static pid_t leader_child;

static void *leader_gone_thread(void *arg)
{
	static char buf[2048];
	int st, ok = 1;

	(void)arg;
	msleep(50);                              /* the leader has ended by now */
	if (write(leader_pipe[1], "x", 1) != 1)
		ok = 0;
	int fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0 || !strstr(buf, "SigIgn:"))
		ok = 0;
	if (fd >= 0)
		close(fd);
	if (waitpid(leader_child, &st, 0) != leader_child || !WIFEXITED(st) || WEXITSTATUS(st) != 7)
		ok = 0;
	syscall(SYS_exit_group, ok ? 0 : 1);
	return NULL;
}

static void leader_exits_first(void *arg)
{
	pthread_t t;
	char c;

	(void)arg;
	if (pipe(leader_pipe))
		_exit(3);
	leader_child = fork();
	if (leader_child == 0) {
		_exit(read(leader_pipe[0], &c, 1) == 1 ? 7 : 8);
	}
	if (leader_child < 0 || pthread_create(&t, NULL, leader_gone_thread, NULL))
		_exit(4);
	syscall(SYS_exit, 0);
}

static void test_leader_exits_first(void)
{
	int st = in_child(leader_exits_first, NULL);
	if (exited_with(st, 0))
		pass("leader-exits-first");
	else
		fail("leader-exits-first", "the thread saw a failure: %s", describe(st));

	/* /proc/PID/status of a zombie (exited, not yet waited for). */
	static char buf[2048];
	char path[64];
	siginfo_t si;
	pid_t c = fork();
	if (c == 0)
		_exit(3);
	int ok = c > 0 && waitid(P_PID, (id_t)c, &si, WEXITED | WNOWAIT) == 0;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)c);
	int fd = ok ? open(path, O_RDONLY) : -1;
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	check(n > 0 && strstr(buf, "State:\tZ") && strstr(buf, "SigCgt:"), "zombie-proc-status",
	      "/proc/PID/status of a zombie did not read");
	wait_for(c);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--exec-child") == 0) {
		int n = atoi(argv[2]);
		return getpid() == tid() ? n : n + 1;
	}
	self_path = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (small_default_stacks() != 0)
		return 1;

	test_create_join();
	test_detach();
	test_many();
	test_mutexes();
	test_cond();
	test_barrier();
	test_rwlock();
	test_tls();
	test_cancel();
	test_pthread_kill();
	test_sigwait();
	test_process_directed();
	test_fork();
	test_exec();
	test_exits();
	test_sched();
	test_stacks();
	test_once_keys();
	test_group_stop();
	test_proc_task();
	test_leader_exits_first();
	return failures ? 1 : 0;
}
