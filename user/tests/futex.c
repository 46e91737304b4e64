/*
 * futex: futex(2) and the robust lists, without threads. The argument
 * checks and timeouts on private futexes; shared futexes on MAP_SHARED
 * memory between forked processes: waking N and the count returned,
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE, every FUTEX_WAKE_OP operation and
 * compare; a waiter killed by SIGKILL leaves no waiter behind; signals
 * during a wait (EINTR for a handler, SA_RESTART, a stop and continue);
 * a process dying with robust locks held: FUTEX_OWNER_DIED and the waiter
 * woken, the pending lock, exec, a cyclic list, get_robust_list.
 *
 * How many sleep on a word is asked with FUTEX_CMP_REQUEUE from the word
 * onto itself (nothing moves, the count is returned), so no check depends
 * on a delay. qemu-aarch64-static has no robust lists (ENOSYS); those
 * checks were verified with this file built natively on x86-64 Linux.
 */
#define _GNU_SOURCE
#define PROG "futex"
#include "check.h"
#include <limits.h>
#include <linux/futex.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>

#define MS 1000000LL

static int on_bramble;

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts,
		  uint32_t *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

/* The requeues and WAKE_OP take a count where the timeout goes. */
static long futex2(uint32_t *uaddr, int op, uint32_t val, long val2, uint32_t *uaddr2,
		   uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, (void *)val2, uaddr2, val3);
}

static int64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec ts_of(int64_t ns)
{
	return (struct timespec){ ns / 1000000000LL, ns % 1000000000LL };
}

static void nap_ms(int ms)
{
	struct timespec ts = ts_of(ms * MS);

	nanosleep(&ts, NULL);
}

/* How many sleep on the shared word w (see the top). */
static long waiters(uint32_t *w)
{
	return futex2(w, FUTEX_CMP_REQUEUE, 0, INT_MAX, w, *(volatile uint32_t *)w);
}

/* Waits (at most about 5 s) until n sleep on w. */
static int await_waiters(uint32_t *w, long n)
{
	for (int i = 0; i < 5000; i++) {
		if (waiters(w) == n)
			return 1;
		nap_ms(1);
	}
	return 0;
}

static uint32_t *shared_page(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* ---- arguments and timeouts (private) ----------------------------------- */

static void test_private_errors(void)
{
	static uint32_t w[2] = { 1, 0 };
	struct timespec ts = { 0, 0 };
	long r;
	int e;

	CALL(r, e, futex(&w[0], FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0));
	expect_error("wait.mismatch_eagain", r, e, EAGAIN);
	CALL(r, e, futex((uint32_t *)((char *)w + 1), FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
	expect_error("wait.unaligned_einval", r, e, EINVAL);
	CALL(r, e, futex((uint32_t *)((char *)w + 2), FUTEX_WAKE, 1, NULL, NULL, 0));
	expect_error("wake.unaligned_einval", r, e, EINVAL);
	CALL(r, e, futex((uint32_t *)0x10, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	expect_error("wait.bad_address_efault", r, e, EFAULT);
	CALL(r, e, futex((uint32_t *)0x10, FUTEX_WAIT, 0, NULL, NULL, 0));
	expect_error("wait_shared.bad_address_efault", r, e, EFAULT);
	CALL(r, e, futex(&w[0], FUTEX_WAIT_PRIVATE, 1, (struct timespec *)0x10, NULL, 0));
	expect_error("wait.bad_timespec_efault", r, e, EFAULT);
	ts.tv_nsec = 1000000000;
	CALL(r, e, futex(&w[0], FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0));
	expect_error("wait.nsec_too_big_einval", r, e, EINVAL);
	ts = (struct timespec){ -1, 0 };
	CALL(r, e, futex(&w[0], FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0));
	expect_error("wait.negative_timeout_einval", r, e, EINVAL);
	CALL(r, e, futex(&w[0], FUTEX_WAIT_BITSET_PRIVATE, 1, NULL, NULL, 0));
	expect_error("wait_bitset.zero_einval", r, e, EINVAL);
	CALL(r, e, futex(&w[0], FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0));
	expect_error("wake_bitset.zero_einval", r, e, EINVAL);
	CALL(r, e, futex(&w[0], FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
	expect_error("wait.clock_realtime_enosys", r, e, ENOSYS);
	CALL(r, e, futex(&w[0], FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
	expect_error("wake.clock_realtime_enosys", r, e, ENOSYS);
	CALL(r, e, futex(&w[0], 14 | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0));
	expect_error("op.unknown_enosys", r, e, ENOSYS);
	CALL(r, e, futex(&w[0], FUTEX_FD, 0, NULL, NULL, 0));
	expect_error("op.fd_enosys", r, e, ENOSYS);
	CALL(r, e, futex(&w[0], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	check(r == 0, "wake.nobody_zero", "a wake with no sleeper did not return 0");
	CALL(r, e, futex2(&w[0], FUTEX_REQUEUE_PRIVATE, -1, 1, &w[1], 0));
	expect_error("requeue.negative_einval", r, e, EINVAL);
}

/* The PI family is not implemented on Bramble: ENOSYS (Linux has it). */
static void test_pi_enosys(void)
{
	static uint32_t w[2];
	static const int ops[] = { FUTEX_LOCK_PI, FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI,
				   FUTEX_WAIT_REQUEUE_PI, FUTEX_CMP_REQUEUE_PI, FUTEX_LOCK_PI2 };
	int bad = 0;

	if (!on_bramble) {
		pass("pi.enosys (not Bramble: Linux implements them)");
		return;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		errno = 0;
		if (futex2(&w[0], ops[i] | FUTEX_PRIVATE_FLAG, 1, 0, &w[1], 0) != -1 || errno != ENOSYS) {
			fail("pi.enosys", "op %d: %s", ops[i], ename(errno));
			bad = 1;
		}
	}
	if (!bad)
		pass("pi.enosys");
}

static void test_timeouts(void)
{
	static uint32_t w;
	struct timespec ts = ts_of(10 * MS);
	int64_t t0 = clock_ns(CLOCK_MONOTONIC);
	long r;
	int e;

	CALL(r, e, futex(&w, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0));
	int64_t took = clock_ns(CLOCK_MONOTONIC) - t0;
	expect_error("wait.relative_10ms_etimedout", r, e, ETIMEDOUT);
	if (took >= 10 * MS && took < 1000 * MS)
		pass("wait.relative_10ms_not_early");
	else
		fail("wait.relative_10ms_not_early", "took %lld ns", (long long)took);

	ts = ts_of(clock_ns(CLOCK_MONOTONIC) - MS);
	CALL(r, e, futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY));
	expect_error("wait_bitset.absolute_past_etimedout", r, e, ETIMEDOUT);
	ts = (struct timespec){ 0, 0 };
	CALL(r, e, futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY));
	expect_error("wait_bitset.absolute_zero_etimedout", r, e, ETIMEDOUT);
	ts = ts_of(clock_ns(CLOCK_REALTIME) - MS);
	CALL(r, e, futex(&w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &ts, NULL, 1));
	expect_error("wait_bitset.realtime_past_etimedout", r, e, ETIMEDOUT);

	t0 = clock_ns(CLOCK_MONOTONIC);
	ts = ts_of(t0 + 10 * MS);
	CALL(r, e, futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY));
	took = clock_ns(CLOCK_MONOTONIC) - t0;
	expect_error("wait_bitset.absolute_10ms_etimedout", r, e, ETIMEDOUT);
	check(took >= 10 * MS, "wait_bitset.absolute_not_early", "woke before the deadline");

	/* A value that does not match wins over an expired timeout. */
	ts = (struct timespec){ 0, 0 };
	CALL(r, e, futex(&w, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0));
	expect_error("wait.mismatch_before_timeout", r, e, EAGAIN);
}

/* ---- shared futexes across fork ----------------------------------------- */

/* A child's wait on a shared word: exit 0 woken, 2 EAGAIN, 3 other. */
static void child_wait(uint32_t *w, uint32_t val, uint32_t bitset)
{
	struct timespec ts = { 20, 0 };   /* nothing here should hang a run */

	if (fork() != 0)
		return;
	ts = ts_of(clock_ns(CLOCK_MONOTONIC) + 20000 * MS);
	long r = futex(w, FUTEX_WAIT_BITSET, val, &ts, NULL, bitset);
	_exit(r == 0 ? 0 : errno == EAGAIN ? 2 : 3);
}

static int reap_all_ok(int n)
{
	int ok = 1, st;

	for (int i = 0; i < n; i++) {
		if (wait(&st) < 0 || !exited_with(st, 0))
			ok = 0;
	}
	return ok;
}

static void test_shared_wake(uint32_t *page)
{
	uint32_t *w = &page[0];
	long r;

	*w = 0;
	fflush(NULL);
	for (int i = 0; i < 3; i++)
		child_wait(w, 0, FUTEX_BITSET_MATCH_ANY);
	if (!await_waiters(w, 3)) {
		fail("shared.wake_n", "the 3 children did not all sleep (%ld)", waiters(w));
		futex(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
		reap_all_ok(3);
		return;
	}
	r = futex(w, FUTEX_WAKE, 2, NULL, NULL, 0);
	check(r == 2, "shared.wake_2_of_3", "FUTEX_WAKE 2 did not return 2");
	check(waiters(w) == 1, "shared.one_left", "not one sleeper left");
	r = futex(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	check(r == 1, "shared.wake_rest", "FUTEX_WAKE INT_MAX did not return 1");
	check(reap_all_ok(3), "shared.children_woken", "a child did not end woken");
}

/* Wakes by bitset: only the sleepers whose bitset meets the waker's. */
static void test_shared_bitset(uint32_t *page)
{
	uint32_t *w = &page[1];
	long r;

	*w = 0;
	fflush(NULL);
	child_wait(w, 0, 1);
	child_wait(w, 0, 2);
	if (!await_waiters(w, 2)) {
		fail("bitset.wake", "the children did not sleep");
		futex(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
		reap_all_ok(2);
		return;
	}
	r = futex(w, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 4);
	check(r == 0, "bitset.disjoint_wakes_none", "a disjoint bitset woke someone");
	r = futex(w, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 2);
	check(r == 1, "bitset.wakes_matching", "bitset 2 did not wake exactly one");
	r = futex(w, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 3);
	check(r == 1, "bitset.wakes_other", "bitset 3 did not wake the other");
	check(reap_all_ok(2), "bitset.children_woken", "a child did not end woken");
}

static void test_requeue(uint32_t *page)
{
	uint32_t *w1 = &page[2], *w2 = &page[3];
	long r;
	int e;

	*w1 = 0;
	*w2 = 0;
	fflush(NULL);
	for (int i = 0; i < 3; i++)
		child_wait(w1, 0, FUTEX_BITSET_MATCH_ANY);
	if (!await_waiters(w1, 3)) {
		fail("cmp_requeue", "the children did not sleep");
		futex(w1, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
		reap_all_ok(3);
		return;
	}
	CALL(r, e, futex2(w1, FUTEX_CMP_REQUEUE, 0, INT_MAX, w2, 1));
	expect_error("cmp_requeue.mismatch_eagain", r, e, EAGAIN);
	r = futex2(w1, FUTEX_CMP_REQUEUE, 1, 1, w2, 0);
	check(r == 2, "cmp_requeue.wake1_move1", "did not return 2 (1 woken, 1 moved)");
	check(waiters(w1) == 1 && waiters(w2) == 1, "cmp_requeue.moved",
	      "not one sleeper on each word");
	r = futex2(w1, FUTEX_REQUEUE, 0, INT_MAX, w2, 0);
	check(r == 1, "requeue.moves_rest", "FUTEX_REQUEUE did not move the last one");
	r = futex(w2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	check(r == 2, "requeue.woken_on_second", "the moved sleepers were not woken on the second word");
	check(futex(w1, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 0, "requeue.first_empty",
	      "a sleeper was left on the first word");
	check(reap_all_ok(3), "cmp_requeue.children_woken", "a child did not end woken");
}

/* The WAKE_OP cases: the word before, the op, the word after, whether the
 * compare (of the old value) wakes the sleeper of the second word. */
struct wake_op_case {
	const char *name;
	uint32_t before;
	uint32_t op;
	uint32_t after;
	int hit;
};

static const struct wake_op_case wake_op_cases[] = {
	{ "set_eq",        5, FUTEX_OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_EQ, 5), 7, 1 },
	{ "add_ne",        7, FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_NE, 7), 10, 0 },
	{ "or_lt",         10, FUTEX_OP(FUTEX_OP_OR, 5, FUTEX_OP_CMP_LT, 11), 15, 1 },
	{ "andn_le",       15, FUTEX_OP(FUTEX_OP_ANDN, 3, FUTEX_OP_CMP_LE, 14), 12, 0 },
	{ "xor_gt",        12, FUTEX_OP(FUTEX_OP_XOR, 15, FUTEX_OP_CMP_GT, 11), 3, 1 },
	{ "add_neg_ge",    3, FUTEX_OP(FUTEX_OP_ADD, -1, FUTEX_OP_CMP_GE, 3), 2, 1 },
	{ "shift_set_lt_neg", 2, FUTEX_OP((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_LT, -1), 16, 0 },
	{ "shift31_or_ge", 16, FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 31, FUTEX_OP_CMP_GE, 0), 0x80000010u, 1 },
	{ "signed_lt",     0x80000010u, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_LT, 0), 0, 1 },
	{ "eq_neg",        0xffffffffu, FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, -1), 1, 1 },
};

/* The second word's sleeper: waits again after every wake until told to stop. */
static void wake_op_sleeper(uint32_t *w2, volatile uint32_t *stop)
{
	if (fork() != 0)
		return;
	while (!*stop)
		futex(w2, FUTEX_WAIT, *(volatile uint32_t *)w2, NULL, NULL, 0);
	_exit(0);
}

static void wake_op_case(uint32_t *w1, uint32_t *w2, const struct wake_op_case *c)
{
	char name[64];
	long r;

	snprintf(name, sizeof(name), "wake_op.%s", c->name);
	*w2 = c->before;
	futex(w2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);   /* the sleeper re-reads it */
	if (!await_waiters(w2, 1)) {
		fail(name, "the sleeper did not sleep");
		return;
	}
	r = futex2(w1, FUTEX_WAKE_OP, 1, 1, w2, c->op);
	if (r != c->hit || *w2 != c->after)
		fail(name, "returned %ld, word %#x; expected %d, %#x", r, *w2, c->hit, c->after);
	else
		pass(name);
}

static void test_wake_op(uint32_t *page)
{
	uint32_t *w1 = &page[4], *w2 = &page[5], *stop = &page[6];
	long r;
	int e;

	*w1 = 0;
	*w2 = 0;
	*stop = 0;
	fflush(NULL);
	child_wait(w1, 0, FUTEX_BITSET_MATCH_ANY);
	wake_op_sleeper(w2, stop);
	if (!await_waiters(w1, 1) || !await_waiters(w2, 1)) {
		fail("wake_op", "the children did not sleep");
	} else {
		*w2 = 5;
		r = futex2(w1, FUTEX_WAKE_OP, 1, 1, w2, FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 5));
		check(r == 2 && *w2 == 6, "wake_op.wakes_both", "did not wake one on each word");
		for (size_t i = 0; i < sizeof(wake_op_cases) / sizeof(wake_op_cases[0]); i++)
			wake_op_case(w1, w2, &wake_op_cases[i]);
	}
	*w2 = 9;
	CALL(r, e, futex2(w1, FUTEX_WAKE_OP, 1, 1, w2, (6u << 28) | 1));
	expect_error("wake_op.bad_op_enosys", r, e, ENOSYS);
	check(*w2 == 9, "wake_op.bad_op_untouched", "a bad op changed the word");
	CALL(r, e, futex2(w1, FUTEX_WAKE_OP, 1, 1, w2, (9u << 24) | (4 << 12)));
	expect_error("wake_op.bad_cmp_enosys", r, e, ENOSYS);
	check(*w2 == 4, "wake_op.bad_cmp_op_done", "a bad compare did not leave the op done (Linux)");
	CALL(r, e, futex2(w1, FUTEX_WAKE_OP, 1, 1, (uint32_t *)0x10, 0));
	expect_error("wake_op.bad_address_efault", r, e, EFAULT);
	*stop = 1;
	futex(w2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	futex(w1, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	check(reap_all_ok(2), "wake_op.children_done", "a child did not end well");
}

/* A sleeper killed by SIGKILL ends, and leaves no sleeper behind. */
static void test_killed_waiter(uint32_t *page)
{
	uint32_t *w = &page[7];
	pid_t pid;

	*w = 0;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		futex(w, FUTEX_WAIT, 0, NULL, NULL, 0);
		_exit(0);
	}
	if (!await_waiters(w, 1)) {
		fail("kill.waiter", "the child did not sleep");
		kill(pid, SIGKILL);
		wait_for(pid);
		return;
	}
	kill(pid, SIGKILL);
	expect_signal("kill.waiter_dies", wait_for(pid), SIGKILL);
	check(waiters(w) == 0, "kill.no_waiter_left", "the dead child is still a sleeper");
	check(futex(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 0, "kill.wake_finds_none",
	      "a wake found the dead child");
}

/* ---- signals during a wait ---------------------------------------------- */

static uint32_t sig_word;

static void on_alarm(int sig)
{
	(void)sig;
	sig_word = 1;   /* a restarted wait then sees the change */
}

static void alarm_in(int ms, int flags)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, ms * 1000 } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void test_signals(void)
{
	struct timespec ts = { 5, 0 };
	long r;
	int e;

	sig_word = 0;
	alarm_in(20, 0);
	CALL(r, e, futex(&sig_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	expect_error("signal.handler_eintr", r, e, EINTR);

	sig_word = 0;
	alarm_in(20, SA_RESTART);
	CALL(r, e, futex(&sig_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	expect_error("signal.sa_restart_restarts", r, e, EAGAIN);

	sig_word = 0;
	alarm_in(20, SA_RESTART);
	CALL(r, e, futex(&sig_word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0));
	expect_error("signal.timed_handler_eintr", r, e, EINTR);
	signal(SIGALRM, SIG_DFL);
}

/* A timed wait stopped and continued goes on to its deadline (restart_syscall). */
static void test_stop_continue(uint32_t *page)
{
	uint32_t *w = &page[8];
	pid_t pid;

	*w = 0;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct timespec ts = ts_of(300 * MS);
		int64_t t0 = clock_ns(CLOCK_MONOTONIC);
		long r = futex(w, FUTEX_WAIT, 0, &ts, NULL, 0);
		int64_t took = clock_ns(CLOCK_MONOTONIC) - t0;
		_exit(r == -1 && errno == ETIMEDOUT ? (took >= 300 * MS ? 0 : 4) : 5);
	}
	if (await_waiters(w, 1)) {
		kill(pid, SIGSTOP);
		nap_ms(20);
		kill(pid, SIGCONT);
	}
	int st = wait_for(pid);
	check(exited_with(st, 0), "signal.stop_cont_timed_wait_resumes", describe(st));
}

/* ---- robust lists ------------------------------------------------------- */

struct robust_lock {
	struct robust_list list;
	uint32_t word;
};

static long set_robust(struct robust_list_head *h, size_t len)
{
	return syscall(SYS_set_robust_list, h, len);
}

static long get_robust(int pid, struct robust_list_head **h, size_t *len)
{
	return syscall(SYS_get_robust_list, pid, h, len);
}

/* The child: holds lock (its tid in the word, with waiters if told), marks
 * pending as being taken, waits until the parent sleeps on wait_on, and
 * exits without unlocking. */
static void robust_child(struct robust_lock *lock, struct robust_lock *pending,
			 uint32_t *wait_on, uint32_t waiters_bit)
{
	static struct robust_list_head head;

	lock->word = (uint32_t)gettid() | waiters_bit;
	head.list.next = &lock->list;
	lock->list.next = &head.list;
	head.futex_offset = offsetof(struct robust_lock, word);
	head.list_op_pending = pending ? &pending->list : NULL;
	if (set_robust(&head, sizeof(head)) != 0)
		_exit(6);
	if (wait_on && !await_waiters(wait_on, 1))
		_exit(7);
	_exit(0);
}

static void test_robust_api(void)
{
	struct robust_list_head *h = NULL, *mine = NULL;
	size_t len = 0;
	long r;
	int e;

	CALL(r, e, get_robust(0, &mine, &len));
	check(r == 0 && len == sizeof(struct robust_list_head), "robust.get_self",
	      "get_robust_list(0) failed or the length is not 24");
	CALL(r, e, set_robust(mine, sizeof(*mine) - 1));
	expect_error("robust.set_bad_len_einval", r, e, EINVAL);
	CALL(r, e, set_robust(mine, sizeof(*mine) + 8));
	expect_error("robust.set_long_len_einval", r, e, EINVAL);
	CALL(r, e, get_robust(0x3ffffff0, &h, &len));
	expect_error("robust.get_no_such_pid_esrch", r, e, ESRCH);
	CALL(r, e, get_robust(0, (struct robust_list_head **)0x10, &len));
	expect_error("robust.get_bad_pointer_efault", r, e, EFAULT);
	/* another process's, here the parent's (same uid) */
	CALL(r, e, get_robust(getppid(), &h, &len));
	check(r == 0 || (r == -1 && e == EPERM), "robust.get_other", "neither 0 nor EPERM");
	check(set_robust(mine, sizeof(*mine)) == 0, "robust.set_again", "set_robust_list failed");
}

static void test_robust_death(uint32_t *page)
{
	struct robust_lock *lock = (struct robust_lock *)&page[16];
	long r;
	pid_t pid;
	int st;

	/* A waiter sleeping on a held lock is woken, the word says the owner died. */
	lock->word = 0;
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		robust_child(lock, NULL, &lock->word, 0);
	while (lock->word == 0)
		nap_ms(1);
	uint32_t held = __atomic_or_fetch(&lock->word, FUTEX_WAITERS, __ATOMIC_SEQ_CST);
	r = futex(&lock->word, FUTEX_WAIT, held, NULL, NULL, 0);
	st = wait_for(pid);
	check(exited_with(st, 0), "robust.child_exits", describe(st));
	check(r == 0, "robust.waiter_woken", "the waiter was not woken by the death");
	check(lock->word == (FUTEX_OWNER_DIED | FUTEX_WAITERS), "robust.owner_died_waiters",
	      "the word is not OWNER_DIED | WAITERS");
}

/* in_child passes one argument: the lock alone, nobody waiting. */
static void robust_child_alone(void *lock)
{
	robust_child(lock, NULL, NULL, 0);
}

static void robust_child_pending(void *page)
{
	struct robust_lock *lock = (struct robust_lock *)&((uint32_t *)page)[16];
	struct robust_lock *pend = (struct robust_lock *)&((uint32_t *)page)[32];

	robust_child(lock, pend, &pend->word, 0);
}

static void test_robust_more(uint32_t *page)
{
	struct robust_lock *lock = (struct robust_lock *)&page[16];
	struct robust_lock *pend = (struct robust_lock *)&page[32];
	struct robust_lock *other = (struct robust_lock *)&page[48];
	long r;
	int st;

	lock->word = 0;
	st = in_child(robust_child_alone, lock);
	check(exited_with(st, 0) && lock->word == FUTEX_OWNER_DIED, "robust.owner_died_alone",
	      "the word is not OWNER_DIED");

	/* The pending lock (owner 0: an unlock under way) gets its waiter woken. */
	lock->word = 0;
	pend->word = 0;
	fflush(NULL);
	pid_t pid = start_child(robust_child_pending, page);
	r = futex(&pend->word, FUTEX_WAIT, 0, NULL, NULL, 0);
	st = wait_for(pid);
	check(exited_with(st, 0) && r == 0 && pend->word == 0, "robust.pending_unlock_wakes",
	      "the pending lock's waiter was not woken, or its word changed");

	/* A word holding another's tid is left alone. */
	other->word = 12345;
	other->list.next = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		static struct robust_list_head head;
		head.list.next = &other->list;
		other->list.next = &head.list;
		head.futex_offset = offsetof(struct robust_lock, word);
		head.list_op_pending = NULL;
		_exit(set_robust(&head, sizeof(head)) == 0 ? 0 : 6);
	}
	st = wait_for(pid);
	check(exited_with(st, 0) && other->word == 12345, "robust.others_lock_untouched",
	      "a lock held by another tid was changed");

	/* exec walks the list too: the old image's locks die with it. */
	other->word = 0;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		static struct robust_list_head head;
		head.list.next = &other->list;
		other->list.next = &head.list;
		other->word = (uint32_t)gettid();
		head.futex_offset = offsetof(struct robust_lock, word);
		head.list_op_pending = NULL;
		if (set_robust(&head, sizeof(head)) == 0)
			execl("/bin/true", "true", (char *)NULL);
		_exit(6);
	}
	st = wait_for(pid);
	check(exited_with(st, 0) && other->word == FUTEX_OWNER_DIED, "robust.exec_walks",
	      "exec did not mark the lock OWNER_DIED");

	/* A cyclic list that never returns to the head ends at the bound. */
	other->word = 0;
	pid = fork();
	if (pid == 0) {
		static struct robust_list_head head;
		head.list.next = &other->list;
		other->list.next = &other->list;   /* a loop */
		other->word = (uint32_t)gettid();
		head.futex_offset = offsetof(struct robust_lock, word);
		head.list_op_pending = NULL;
		_exit(set_robust(&head, sizeof(head)) == 0 ? 0 : 6);
	}
	st = wait_for(pid);
	check(exited_with(st, 0) && (other->word & FUTEX_OWNER_DIED), "robust.cycle_bounded",
	      "a cyclic list did not end (or the lock was not marked)");
}

static int robust_supported(void)
{
	struct robust_list_head *h;
	size_t len;

	return get_robust(0, &h, &len) == 0 || errno != ENOSYS;
}

int main(void)
{
	struct utsname u;
	uint32_t *page = shared_page();

	on_bramble = uname(&u) == 0 && strstr(u.version, "Bramble") != NULL;
	if (!page) {
		fail("mmap", "no MAP_SHARED page: %s", strerror(errno));
		return 1;
	}
	test_private_errors();
	test_pi_enosys();
	test_timeouts();
	test_shared_wake(page);
	test_shared_bitset(page);
	test_requeue(page);
	test_wake_op(page);
	test_killed_waiter(page);
	test_signals();
	test_stop_continue(page);
	if (robust_supported()) {
		test_robust_api();
		test_robust_death(page);
		test_robust_more(page);
	} else {
		pass("robust.skipped (no robust lists: qemu-user)");
	}
	return failures ? 1 : 0;
}
