/*
 * Signals as Linux delivers them: handlers (glibc's sigaction, which passes
 * no SA_RESTORER), siginfo, masks, SA_NODEFER/SA_RESETHAND/SA_ONSTACK,
 * FP/SIMD state across a handler, a forged rt_sigreturn frame, faults to
 * handlers, default actions, stop and continue, SIGCHLD and waitid, fork and
 * exec, rt_sigqueueinfo's limit, sigtimedwait, kill's targets.
 */
#define _GNU_SOURCE
#define PROG "signal"
#include "check.h"
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <ucontext.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

static volatile sig_atomic_t hits, order[8], norder, depth, maxdepth;
static siginfo_t last_info;
static void *volatile handler_local;

static void reset(void)
{
	hits = 0;
	norder = 0;
	depth = maxdepth = 0;
}

static void on_sig(int sig)
{
	hits++;
	if (norder < 8)
		order[norder++] = sig;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_info = *si;
	(void)sig;
}

static int set_handler(int sig, void (*h)(int), int flags, const sigset_t *mask)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	if (mask)
		sa.sa_mask = *mask;
	return sigaction(sig, &sa, NULL);
}

static int set_info_handler(int sig, void (*h)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h;
	sa.sa_flags = flags | SA_SIGINFO;
	return sigaction(sig, &sa, NULL);
}

static int on_bramble(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "bramble") != NULL;
}

/*
 * qemu-aarch64-static emulates signals inside its own process: it passes
 * only SA_RESTART to the host kernel (so SA_NOCLDSTOP and SA_NOCLDWAIT have
 * no effect there), keeps one pending slot per signal (no real-time queue,
 * no RLIMIT_SIGPENDING), does not check the PSTATE of a sigreturn frame,
 * and cannot exec an AArch64 program without binfmt_misc. The checks below
 * that depend on those follow Linux (kernel/signal.c, arch/arm64/kernel/
 * signal.c: valid_user_regs, do_notify_parent, __sigqueue_alloc) and run
 * only where the kernel itself implements them.
 */
static int kernel_semantics(void)
{
	return on_bramble();
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* ---- handlers ------------------------------------------------------------ */

static void test_handler_runs(void)
{
	reset();
	set_handler(SIGUSR1, on_sig, 0, NULL);
	int r = raise(SIGUSR1);
	check(r == 0 && hits == 1, "handler-runs-and-returns", "the handler did not run once");
	set_handler(SIGUSR1, SIG_DFL, 0, NULL);
}

static void test_siginfo(void)
{
	reset();
	set_info_handler(SIGUSR1, on_info, 0);
	kill(getpid(), SIGUSR1);
	if (hits == 1 && last_info.si_signo == SIGUSR1 && last_info.si_code == SI_USER &&
	    last_info.si_pid == getpid())
		pass("siginfo-kill");
	else
		fail("siginfo-kill", "hits %d signo %d code %d pid %d", hits, last_info.si_signo,
		     last_info.si_code, last_info.si_pid);
	reset();
	set_info_handler(SIGRTMIN, on_info, 0);
	union sigval v = { .sival_int = 42 };
	sigqueue(getpid(), SIGRTMIN, v);
	if (hits == 1 && last_info.si_signo == SIGRTMIN && last_info.si_code == SI_QUEUE &&
	    last_info.si_value.sival_int == 42 && last_info.si_pid == getpid())
		pass("siginfo-sigqueue");
	else
		fail("siginfo-sigqueue", "hits %d signo %d code %d value %d", hits,
		     last_info.si_signo, last_info.si_code, last_info.si_value.sival_int);
	reset();
	set_handler(SIGUSR1, SIG_DFL, 0, NULL);
	set_handler(SIGRTMIN, SIG_DFL, 0, NULL);
}

static void on_usr1_raise_usr2(int sig)
{
	on_sig(sig);
	raise(SIGUSR2);
	if (norder < 8)
		order[norder++] = 100;   /* after raising, still in the handler */
}

static void test_sa_mask(void)
{
	sigset_t m;

	reset();
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	set_handler(SIGUSR2, on_sig, 0, NULL);
	set_handler(SIGUSR1, on_usr1_raise_usr2, 0, &m);
	raise(SIGUSR1);
	/* SIGUSR2 waits for the end of the SIGUSR1 handler. */
	check(norder == 3 && order[0] == SIGUSR1 && order[1] == 100 && order[2] == SIGUSR2,
	      "sa-mask-defers", "SIGUSR2 ran inside the handler that blocks it");
	reset();
	set_handler(SIGUSR1, on_usr1_raise_usr2, 0, NULL);
	raise(SIGUSR1);
	check(norder == 3 && order[0] == SIGUSR1 && order[1] == SIGUSR2 && order[2] == 100,
	      "no-mask-nests", "SIGUSR2 did not run inside the handler");
	set_handler(SIGUSR1, SIG_DFL, 0, NULL);
	set_handler(SIGUSR2, SIG_DFL, 0, NULL);
}

static void on_nest(int sig)
{
	depth++;
	if (depth > maxdepth)
		maxdepth = depth;
	hits++;
	if (hits == 1)
		raise(sig);
	depth--;
}

static void test_nodefer(void)
{
	reset();
	set_handler(SIGUSR1, on_nest, SA_NODEFER, NULL);
	raise(SIGUSR1);
	check(hits == 2 && maxdepth == 2, "sa-nodefer-nests", "the signal did not nest");
	reset();
	set_handler(SIGUSR1, on_nest, 0, NULL);
	raise(SIGUSR1);
	check(hits == 2 && maxdepth == 1, "deferred-by-default", "the signal nested in its handler");
	set_handler(SIGUSR1, SIG_DFL, 0, NULL);
}

static void test_resethand(void)
{
	struct sigaction old;

	reset();
	set_handler(SIGUSR1, on_sig, SA_RESETHAND, NULL);
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	check(hits == 1 && old.sa_handler == SIG_DFL, "sa-resethand", "the handler was not reset");
}

static char altstack[65536] __attribute__((aligned(16)));
static stack_t seen_ss;

static void on_alt(int sig)
{
	(void)sig;
	void *sp;
	__asm__ volatile("mov %0, sp" : "=r"(sp));
	handler_local = sp;
	sigaltstack(NULL, &seen_ss);
}

static void test_altstack(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0 }, old;
	long r;
	int e;

	CALL(r, e, sigaltstack(&ss, &old));
	expect_ok("sigaltstack-set", r, e);
	check(old.ss_flags == SS_DISABLE, "sigaltstack-none-before", "an alternate stack was set");
	set_handler(SIGUSR1, on_alt, SA_ONSTACK, NULL);
	handler_local = NULL;
	raise(SIGUSR1);
	char *p = handler_local;
	if (p > altstack && p < altstack + sizeof(altstack))
		pass("sa-onstack-runs-there");
	else
		fail("sa-onstack-runs-there", "local at %p, stack %p..%p", (void *)p, (void *)altstack,
		     (void *)(altstack + sizeof(altstack)));
	check(seen_ss.ss_flags == SS_ONSTACK, "sigaltstack-onstack-flag",
	      "sigaltstack in the handler does not say SS_ONSTACK");
	set_handler(SIGUSR1, on_alt, 0, NULL);
	raise(SIGUSR1);
	p = handler_local;
	check(!(p > altstack && p < altstack + sizeof(altstack)), "no-onstack-normal-stack",
	      "a handler without SA_ONSTACK ran on the alternate stack");
	ss.ss_size = 1024;
	CALL(r, e, sigaltstack(&ss, NULL));
	expect_error("sigaltstack-too-small", r, e, ENOMEM);
	ss.ss_flags = SS_DISABLE;
	CALL(r, e, sigaltstack(&ss, NULL));
	expect_ok("sigaltstack-disable", r, e);
	set_handler(SIGUSR1, SIG_DFL, 0, NULL);
}

/* A synchronous SIGILL (delivered at once, everywhere) whose handler
 * clobbers caller-saved vector registers and steps over the instruction. */
static void on_clobber_fp(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig, (void)si;
	__asm__ volatile("movi v16.2d, #0\n movi v31.2d, #0\n movi v0.2d, #0\n" ::: "v0", "v16", "v31");
	uc->uc_mcontext.pc += 4;
	hits++;
}

static void test_fpsimd(void)
{
	uint64_t a = 0x0123456789abcdefUL, b = 0xfedcba9876543210UL, c = 0x5555aaaa5555aaaaUL;
	uint64_t oa, ob, oc, hi;

	reset();
	set_info_handler(SIGILL, on_clobber_fp, 0);
	__asm__ volatile("fmov d0, %4\n fmov d16, %5\n fmov d31, %6\n ins v31.d[1], %5\n"
		     ".inst 0x00000000\n"                        /* udf #0 */
		     "fmov %0, d0\n fmov %1, d16\n fmov %2, d31\n mov %3, v31.d[1]\n"
		     : "=&r"(oa), "=&r"(ob), "=&r"(oc), "=&r"(hi)
		     : "r"(a), "r"(b), "r"(c)
		     : "v0", "v16", "v31", "memory");
	check(hits == 1 && oa == a && ob == b && oc == c && hi == b, "fpsimd-preserved",
	      "FP/SIMD registers changed across the handler");
	set_handler(SIGILL, SIG_DFL, 0, NULL);
}

/* ---- rt_sigreturn checks its frame ----------------------------------------- */

static uint64_t forge_bits;

static void on_forge(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig, (void)si;
	uc->uc_mcontext.pstate |= forge_bits;
}

static void forge_child(void *arg)
{
	forge_bits = (uint64_t)(uintptr_t)arg;
	set_info_handler(SIGUSR1, on_forge, 0);
	raise(SIGUSR1);
	_exit(0);   /* not reached: the sigreturn gets SIGSEGV */
}

static void test_forged_frame(void)
{
	if (!kernel_semantics())
		return;
	expect_signal("sigreturn-el1h-segv", in_child(forge_child, (void *)0x5UL), SIGSEGV);
	expect_signal("sigreturn-irq-masked-segv", in_child(forge_child, (void *)0x80UL), SIGSEGV);
	expect_signal("sigreturn-aarch32-segv", in_child(forge_child, (void *)0x10UL), SIGSEGV);
}

static void on_flags(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig, (void)si;
	uc->uc_mcontext.pstate |= 0x20000000;   /* C: a flag user code may set */
}

static void test_sigreturn_flags(void)
{
	uint64_t nzcv;

	set_info_handler(SIGUSR1, on_flags, 0);
	register long x0 __asm__("x0") = getpid();
	__asm__ volatile("mov x2, #0\n cmp x2, #1\n"                    /* C clear */
		     "mov x1, #10\n mov x8, #129\n svc #0\n mrs %0, nzcv"
		     : "=r"(nzcv), "+r"(x0) : : "x1", "x2", "x8", "cc", "memory");
	check((nzcv & 0x20000000) != 0, "sigreturn-restores-flags",
	      "the condition flags set in the frame were not restored");
	set_handler(SIGUSR1, SIG_DFL, 0, NULL);
}

/* ---- faults to handlers ----------------------------------------------------- */

static sigjmp_buf fault_jmp;
static siginfo_t fault_info;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc, (void)sig;
	fault_info = *si;
	siglongjmp(fault_jmp, 1);
}

static void test_faults(void)
{
	set_info_handler(SIGSEGV, on_fault, 0);
	set_info_handler(SIGILL, on_fault, 0);
	set_info_handler(SIGTRAP, on_fault, 0);
	if (!sigsetjmp(fault_jmp, 1)) {
		*(volatile int *)0x1008 = 1;
		fail("segv-maperr", "no fault");
	} else if (fault_info.si_signo == SIGSEGV && fault_info.si_code == SEGV_MAPERR &&
		   fault_info.si_addr == (void *)0x1008) {
		pass("segv-maperr");
	} else {
		fail("segv-maperr", "signo %d code %d addr %p", fault_info.si_signo,
		     fault_info.si_code, fault_info.si_addr);
	}
	char *ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!sigsetjmp(fault_jmp, 1)) {
		ro[5] = 1;
		fail("segv-accerr", "no fault");
	} else if (fault_info.si_signo == SIGSEGV && fault_info.si_code == SEGV_ACCERR &&
		   fault_info.si_addr == ro + 5) {
		pass("segv-accerr");
	} else {
		fail("segv-accerr", "signo %d code %d addr %p (want %p)", fault_info.si_signo,
		     fault_info.si_code, fault_info.si_addr, ro + 5);
	}
	munmap(ro, PAGE);
	static void *volatile pc;
	if (!sigsetjmp(fault_jmp, 1)) {
		__asm__ volatile("adr x9, 1f\n str x9, [%0]\n 1: .inst 0x00000000"
				 : : "r"(&pc) : "x9", "memory");
		fail("sigill-illopc", "no fault");
	} else if (fault_info.si_signo == SIGILL && fault_info.si_addr == pc &&
		   /* arm64's do_undefinstr says ILL_ILLOPC; qemu-user ILL_ILLOPN */
		   (fault_info.si_code == ILL_ILLOPC || !kernel_semantics())) {
		pass("sigill-illopc");
	} else {
		fail("sigill-illopc", "signo %d code %d addr %p (pc %p)", fault_info.si_signo,
		     fault_info.si_code, fault_info.si_addr, pc);
	}
	if (!sigsetjmp(fault_jmp, 1)) {
		__asm__ volatile("brk #0x42");
		fail("sigtrap-brk", "no trap");
	} else {
		check(fault_info.si_signo == SIGTRAP, "sigtrap-brk", "not SIGTRAP");
	}
	set_handler(SIGSEGV, SIG_DFL, 0, NULL);
	set_handler(SIGILL, SIG_DFL, 0, NULL);
	set_handler(SIGTRAP, SIG_DFL, 0, NULL);
}

static void blocked_fault_child(void *arg)
{
	sigset_t m;

	(void)arg;
	set_info_handler(SIGSEGV, on_fault, 0);
	sigemptyset(&m);
	sigaddset(&m, SIGSEGV);
	sigprocmask(SIG_BLOCK, &m, NULL);
	*(volatile int *)0x1010 = 1;
	_exit(0);
}

static void ignored_fault_child(void *arg)
{
	(void)arg;
	signal(SIGSEGV, SIG_IGN);
	*(volatile int *)0x1010 = 1;
	_exit(0);
}

static void no_stack_child(void *arg)
{
	(void)arg;
	set_info_handler(SIGUSR1, on_fault, 0);
	/* sp far from any mapping: the frame cannot be written. */
	__asm__ volatile("mov x19, sp\n mov sp, %0\n mov x0, %1\n mov x1, #10\n mov x8, #129\n svc #0\n"
		     "mov sp, x19" : : "r"(0x20000UL), "r"((long)getpid())
		     : "x0", "x1", "x8", "x19", "memory");
	_exit(0);
}

static void test_forced_faults(void)
{
	expect_signal("segv-blocked-kills", in_child(blocked_fault_child, NULL), SIGSEGV);
	expect_signal("segv-ignored-kills", in_child(ignored_fault_child, NULL), SIGSEGV);
	expect_signal("no-stack-for-frame-segv", in_child(no_stack_child, NULL), SIGSEGV);
}

/* ---- default actions -------------------------------------------------------- */

static void raise_child(void *arg)
{
	raise((int)(long)arg);
	_exit(0);
}

static void test_defaults(void)
{
	int st = in_child(raise_child, (void *)(long)SIGQUIT);
	expect_signal("default-quit-kills", st, SIGQUIT);
	if (on_bramble())
		check(st != -1 && WCOREDUMP(st), "default-quit-core-bit", "no core bit in the status");
	expect_signal("default-term-kills", in_child(raise_child, (void *)(long)SIGTERM), SIGTERM);
	st = in_child(raise_child, (void *)(long)SIGCHLD);
	check(exited_with(st, 0), "default-chld-ignored", describe(st));
	st = in_child(raise_child, (void *)(long)SIGURG);
	check(exited_with(st, 0), "default-urg-ignored", describe(st));
	st = in_child(raise_child, (void *)(long)SIGCONT);
	check(exited_with(st, 0), "default-cont-ignored", describe(st));

	struct sigaction sa;
	long r;
	int e;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	CALL(r, e, sigaction(SIGKILL, &sa, NULL));
	expect_error("sigkill-not-catchable", r, e, EINVAL);
	CALL(r, e, sigaction(SIGSTOP, &sa, NULL));
	expect_error("sigstop-not-catchable", r, e, EINVAL);
	sigset_t all, now;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &now);
	sigset_t got;
	sigprocmask(SIG_SETMASK, &now, &got);
	check(!sigismember(&got, SIGKILL) && !sigismember(&got, SIGSTOP) && sigismember(&got, SIGUSR1),
	      "kill-stop-not-blockable", "SIGKILL or SIGSTOP was blocked");
}

/* ---- stop and continue, SIGCHLD, waitid -------------------------------------- */

static void suspend_forever(void *arg)
{
	sigset_t none;

	(void)arg;
	setpgid(0, 0);
	sigemptyset(&none);
	for (;;)
		sigsuspend(&none);
}

static void test_stop_continue(void)
{
	int st;
	pid_t c = start_child(suspend_forever, NULL);
	if (c < 0) {
		fail("fork", "%s", strerror(errno));
		return;
	}
	/* A group of its own, whose parent (this process) is in another group of
	 * the session: not orphaned, so SIGTSTP stops it rather than being
	 * discarded (a test run by init shares init's orphaned group). */
	setpgid(c, c);

	kill(c, SIGSTOP);
	pid_t r = waitpid(c, &st, WUNTRACED);
	check(r == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "wuntraced-stopped",
	      "waitpid WUNTRACED did not report the stop");
	r = waitpid(c, &st, WUNTRACED | WNOHANG);
	check(r == 0, "stop-reported-once", "the stop was reported twice");
	kill(c, SIGCONT);
	r = waitpid(c, &st, WCONTINUED);
	check(r == c && WIFCONTINUED(st), "wcontinued", "waitpid WCONTINUED did not report it");
	kill(c, SIGTSTP);
	r = waitpid(c, &st, WUNTRACED);
	check(r == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP, "sigtstp-stops",
	      "SIGTSTP did not stop the child");
	kill(c, SIGKILL);
	st = wait_for(c);
	expect_signal("sigkill-ends-stopped", st, SIGKILL);
}

static volatile sig_atomic_t chld_hits;
static siginfo_t chld_info;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	chld_hits++;
	chld_info = *si;
}

static void exit3(void *arg)
{
	(void)arg;
	_exit(3);
}

static void test_sigchld(void)
{
	sigset_t m, old;

	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, &old);
	chld_hits = 0;
	set_info_handler(SIGCHLD, on_chld, 0);
	pid_t c = start_child(exit3, NULL);
	if (c < 0) {
		fail("fork", "%s", strerror(errno));
		goto out;
	}
	sigset_t wait_mask = old;
	sigdelset(&wait_mask, SIGCHLD);
	while (!chld_hits)
		sigsuspend(&wait_mask);
	check(chld_info.si_signo == SIGCHLD && chld_info.si_code == CLD_EXITED &&
	      chld_info.si_pid == c && chld_info.si_status == 3, "sigchld-on-exit",
	      "SIGCHLD's info is wrong");
	int st = wait_for(c);
	check(exited_with(st, 3), "sigchld-then-wait", describe(st));

	/* A stop sends SIGCHLD too, unless SA_NOCLDSTOP. */
	chld_hits = 0;
	c = start_child(suspend_forever, NULL);
	if (c < 0) {
		fail("fork", "%s", strerror(errno));
		goto out;
	}
	kill(c, SIGSTOP);
	while (!chld_hits)
		sigsuspend(&wait_mask);
	check(chld_info.si_code == CLD_STOPPED && chld_info.si_status == SIGSTOP,
	      "sigchld-on-stop", "no CLD_STOPPED");
	waitpid(c, &st, WUNTRACED);
	chld_hits = 0;
	if (kernel_semantics()) {
		set_info_handler(SIGCHLD, on_chld, SA_NOCLDSTOP);
		kill(c, SIGCONT);
		kill(c, SIGKILL);
		while (!chld_hits)
			sigsuspend(&wait_mask);
		if (chld_info.si_code == CLD_KILLED && chld_info.si_status == SIGKILL)
			pass("sa-nocldstop");
		else
			fail("sa-nocldstop", "code %d status %d, expected only CLD_KILLED",
			     chld_info.si_code, chld_info.si_status);
	} else {
		kill(c, SIGKILL);
	}
	wait_for(c);
out:
	set_handler(SIGCHLD, SIG_DFL, 0, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (c < 0)
		return;

	/* SIG_IGN for SIGCHLD: children are reaped, wait finds none. */
	signal(SIGCHLD, SIG_IGN);
	c = start_child(exit3, NULL);
	if (c < 0) {
		fail("fork", "%s", strerror(errno));
		signal(SIGCHLD, SIG_DFL);
		return;
	}
	long r;
	int e;
	CALL(r, e, wait(&st));
	expect_error("sigchld-ignored-autoreap", r, e, ECHILD);
	signal(SIGCHLD, SIG_DFL);
	if (!kernel_semantics())
		return;
	set_handler(SIGCHLD, SIG_DFL, SA_NOCLDWAIT, NULL);
	c = start_child(exit3, NULL);
	if (c < 0) {
		fail("fork", "%s", strerror(errno));
		signal(SIGCHLD, SIG_DFL);
		return;
	}
	CALL(r, e, wait(&st));
	expect_error("sa-nocldwait-autoreap", r, e, ECHILD);
	set_handler(SIGCHLD, SIG_DFL, 0, NULL);
}

static void test_waitid(void)
{
	siginfo_t si;
	long r;
	int e;
	pid_t c = start_child(suspend_forever, NULL);
	if (c < 0) {
		fail("fork", "%s", strerror(errno));
		return;
	}
	setpgid(c, c);     /* its own group, known before it runs (P_PGID below) */

	memset(&si, 0xff, sizeof(si));
	CALL(r, e, waitid(P_PID, c, &si, WEXITED | WNOHANG));
	check(r == 0 && si.si_pid == 0 && si.si_signo == 0, "waitid-wnohang-nothing",
	      "WNOHANG with nothing to report did not clear the siginfo");
	kill(c, SIGSTOP);
	CALL(r, e, waitid(P_PID, c, &si, WSTOPPED));
	check(r == 0 && si.si_code == CLD_STOPPED && si.si_status == SIGSTOP && si.si_pid == c,
	      "waitid-stopped", "no CLD_STOPPED");
	kill(c, SIGCONT);
	CALL(r, e, waitid(P_ALL, 0, &si, WCONTINUED));
	check(r == 0 && si.si_code == CLD_CONTINUED && si.si_pid == c, "waitid-continued",
	      "no CLD_CONTINUED");
	kill(c, SIGTERM);
	CALL(r, e, waitid(P_PID, c, &si, WEXITED | WNOWAIT));
	check(r == 0 && si.si_code == CLD_KILLED && si.si_status == SIGTERM, "waitid-wnowait",
	      "no CLD_KILLED");
	CALL(r, e, waitid(P_PGID, c, &si, WEXITED));
	check(r == 0 && si.si_pid == c && si.si_code == CLD_KILLED, "waitid-pgid-reaps",
	      "the child left by WNOWAIT was not reaped");
	CALL(r, e, waitid(P_PID, c, &si, WEXITED));
	expect_error("waitid-gone", r, e, ECHILD);
	CALL(r, e, waitid(P_ALL, 0, &si, 0));
	expect_error("waitid-no-options", r, e, EINVAL);
	c = start_child(exit3, NULL);
	if (c < 0) {
		fail("fork", "%s", strerror(errno));
		return;
	}
	CALL(r, e, waitid(P_PID, c, &si, WEXITED));
	check(r == 0 && si.si_code == CLD_EXITED && si.si_status == 3, "waitid-exited",
	      "no CLD_EXITED 3");
}

/* ---- fork and exec ------------------------------------------------------------ */

static void fork_child(void *arg)
{
	sigset_t pend, mask;
	struct sigaction sa;

	(void)arg;
	sigpending(&pend);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	sigaction(SIGUSR2, NULL, &sa);
	_exit((sigismember(&pend, SIGUSR1) ? 1 : 0) | (sigismember(&mask, SIGUSR1) ? 0 : 2) |
	      (sa.sa_handler == on_sig ? 0 : 4));
}

static void test_fork_inherit(void)
{
	sigset_t m, old;

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, &old);
	set_handler(SIGUSR2, on_sig, 0, NULL);
	raise(SIGUSR1);
	int st = in_child(fork_child, NULL);
	check(exited_with(st, 0), "fork-inherits-mask-handlers-not-pending", describe(st));
	sigset_t pend;
	sigpending(&pend);
	check(sigismember(&pend, SIGUSR1), "sigpending-shows-blocked", "SIGUSR1 is not pending");
	set_handler(SIGUSR1, SIG_IGN, 0, NULL);   /* discards the pending one */
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR1), "sig-ign-discards-pending", "SIGUSR1 still pending");
	set_handler(SIGUSR1, SIG_DFL, 0, NULL);
	set_handler(SIGUSR2, SIG_DFL, 0, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static int exec_check(void)
{
	struct sigaction a, b;
	sigset_t mask;

	sigaction(SIGUSR1, NULL, &a);
	sigaction(SIGUSR2, NULL, &b);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	return (a.sa_handler == SIG_DFL ? 0 : 1) | (b.sa_handler == SIG_IGN ? 0 : 2) |
	       (sigismember(&mask, SIGINT) ? 0 : 4);
}

static const char *self_path;

static void exec_child(void *arg)
{
	sigset_t m;

	(void)arg;
	set_handler(SIGUSR1, on_sig, 0, NULL);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&m);
	sigaddset(&m, SIGINT);
	sigprocmask(SIG_BLOCK, &m, NULL);
	execl(self_path, self_path, "exec-check", (char *)NULL);
	_exit(99);
}

static void test_exec(void)
{
	if (!kernel_semantics())
		return;
	int st = in_child(exec_child, NULL);
	check(exited_with(st, 0), "exec-resets-caught-keeps-ignored-and-mask", describe(st));
}

/* ---- interrupted calls ------------------------------------------------------- */

static void arm_ms(long ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void late_writer(void *arg)
{
	int fd = (int)(long)arg;
	struct timespec ts = { 0, 200 * 1000000 };

	nanosleep(&ts, NULL);
	write(fd, "x", 1);
}

static void test_eintr_restart(void)
{
	int p[2];
	char c;
	long r;
	int e;

	pipe(p);
	reset();
	set_handler(SIGALRM, on_sig, 0, NULL);
	arm_ms(50);
	CALL(r, e, read(p[0], &c, 1));
	check(r == -1 && e == EINTR && hits == 1, "pipe-read-eintr", "read was not interrupted");
	reset();
	set_handler(SIGALRM, on_sig, SA_RESTART, NULL);
	pid_t w = start_child(late_writer, (void *)(long)p[1]);
	if (w < 0) {
		fail("fork", "%s", strerror(errno));
		return;
	}
	arm_ms(50);
	CALL(r, e, read(p[0], &c, 1));
	check(r == 1 && c == 'x' && hits == 1, "pipe-read-sa-restart",
	      "read was not restarted after the handler");
	wait_for(w);
	close(p[0]);
	close(p[1]);

	/* nanosleep: EINTR with the time left, even with SA_RESTART. */
	struct timespec req = { 1, 0 }, rem = { 0, 0 };
	reset();
	arm_ms(100);
	CALL(r, e, nanosleep(&req, &rem));
	long left_ms = rem.tv_sec * 1000 + rem.tv_nsec / 1000000;
	if (r == -1 && e == EINTR && left_ms > 800 && left_ms <= 900)
		pass("nanosleep-eintr-remaining");
	else
		fail("nanosleep-eintr-remaining", "r %ld %s, %ld ms left", r, ename(e), left_ms);

	/* sigsuspend: EINTR, never restarted, the mask back after. */
	sigset_t m, old, cur;
	sigemptyset(&m);
	sigaddset(&m, SIGALRM);
	sigprocmask(SIG_BLOCK, &m, &old);
	reset();
	arm_ms(30);
	sigset_t none;
	sigemptyset(&none);
	CALL(r, e, sigsuspend(&none));
	sigprocmask(SIG_SETMASK, NULL, &cur);
	check(r == -1 && e == EINTR && hits == 1 && sigismember(&cur, SIGALRM),
	      "sigsuspend-eintr-mask-restored", "sigsuspend did not end as on Linux");
	sigprocmask(SIG_SETMASK, &old, NULL);
	arm_ms(0);
	set_handler(SIGALRM, SIG_DFL, 0, NULL);
}

static void stopped_sleeper(void *arg)
{
	struct timespec req = { 0, 300 * 1000000 }, t0;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int r = nanosleep(&req, NULL);
	_exit(r == 0 && ms_since(&t0) >= 300 ? 0 : 1);
}

static void test_stop_restarts_sleep(void)
{
	int st;
	struct timespec ts = { 0, 50 * 1000000 };
	pid_t c = start_child(stopped_sleeper, NULL);
	if (c < 0) {
		fail("fork", "%s", strerror(errno));
		return;
	}

	nanosleep(&ts, NULL);
	kill(c, SIGSTOP);
	waitpid(c, &st, WUNTRACED);
	kill(c, SIGCONT);
	st = wait_for(c);
	check(exited_with(st, 0), "nanosleep-restarts-after-stop", describe(st));
}

/* ---- timers ------------------------------------------------------------------- */

static void test_alarm_itimer(void)
{
	sigset_t m, old, none;

	sigemptyset(&none);
	sigemptyset(&m);
	sigaddset(&m, SIGALRM);
	sigprocmask(SIG_BLOCK, &m, &old);
	reset();
	set_handler(SIGALRM, on_sig, 0, NULL);
	unsigned a = alarm(5);
	unsigned b = alarm(0);
	check(a == 0 && b == 5, "alarm-returns-remaining", "alarm did not return what was left");
	alarm(1);
	while (!hits)
		sigsuspend(&none);
	pass("alarm-fires");

	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, got;
	reset();
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &got);
	check(got.it_interval.tv_usec == 20000 && got.it_value.tv_usec <= 20000 &&
	      got.it_value.tv_usec > 0, "getitimer", "getitimer did not return the timer");
	while (hits < 3)
		sigsuspend(&none);
	struct itimerval zero = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &zero, &got);
	check(got.it_interval.tv_usec == 20000, "setitimer-periodic", "no interval");
	getitimer(ITIMER_REAL, &got);
	check(got.it_value.tv_sec == 0 && got.it_value.tv_usec == 0, "setitimer-disarm",
	      "still armed");
	long r;
	int e;
	it.it_value.tv_usec = 1000000;
	CALL(r, e, setitimer(ITIMER_REAL, &it, NULL));
	expect_error("setitimer-bad-usec", r, e, EINVAL);
	setitimer(ITIMER_REAL, &zero, NULL);
	set_handler(SIGALRM, SIG_DFL, 0, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ITIMER_VIRTUAL and ITIMER_PROF count the process's CPU time: a spin gets
 * SIGVTALRM / SIGPROF; a sleep does not advance them. */
static void cpu_itimer(int which, int sig, const char *name)
{
	struct itimerval it = { { 0, 0 }, { 0, 20000 } }, got;
	struct timespec t0;

	reset();
	set_handler(sig, on_sig, 0, NULL);
	setitimer(which, &it, NULL);
	struct timespec nap = { 0, 50 * 1000000 };
	nanosleep(&nap, NULL);
	int early = hits;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!hits && ms_since(&t0) < 3000)
		;
	getitimer(which, &got);
	if (!early && hits == 1 && order[0] == sig && !got.it_value.tv_sec && !got.it_value.tv_usec)
		pass(name);
	else
		fail(name, "early %d hits %d, left %ld.%06ld", early, hits,
		     (long)got.it_value.tv_sec, (long)got.it_value.tv_usec);
	set_handler(sig, SIG_DFL, 0, NULL);
}

static void test_cpu_itimers(void)
{
	cpu_itimer(ITIMER_VIRTUAL, SIGVTALRM, "itimer-virtual");
	cpu_itimer(ITIMER_PROF, SIGPROF, "itimer-prof");
}

static void test_posix_timer(void)
{
	struct sigevent ev;
	timer_t t;
	sigset_t m, old;
	siginfo_t si;
	long r;
	int e;

	sigemptyset(&m);
	sigaddset(&m, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &m, &old);
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGRTMIN;
	ev.sigev_value.sival_int = 77;
	CALL(r, e, timer_create(CLOCK_MONOTONIC, &ev, &t));
	expect_ok("timer-create", r, e);
	if (r) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return;
	}
	struct itimerspec its = { { 0, 0 }, { 0, 30 * 1000000 } }, cur;
	CALL(r, e, timer_settime(t, 0, &its, NULL));
	expect_ok("timer-settime", r, e);
	timer_gettime(t, &cur);
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= 30 * 1000000, "timer-gettime-running", "wrong time left");
	int sig = sigwaitinfo(&m, &si);
	check(sig == SIGRTMIN && si.si_code == SI_TIMER && si.si_value.sival_int == 77,
	      "timer-fires-sigev-signal", "no SI_TIMER signal with the value");
	timer_gettime(t, &cur);
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "timer-oneshot-disarmed",
	      "still armed");
	check(timer_getoverrun(t) == 0, "timer-getoverrun", "overrun not 0");
	CALL(r, e, timer_delete(t));
	expect_ok("timer-delete", r, e);

	/* A periodic timer whose signal is still queued counts overruns, queues once. */
	sigaddset(&m, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &m, NULL);
	ev.sigev_signo = SIGRTMIN + 2;
	if (timer_create(CLOCK_MONOTONIC, &ev, &t) == 0) {
		sigset_t one;
		sigemptyset(&one);
		sigaddset(&one, SIGRTMIN + 2);
		struct itimerspec per = { { 0, 10 * 1000000 }, { 0, 10 * 1000000 } };
		struct timespec nap = { 0, 55 * 1000000 }, zero = { 0, 0 };
		timer_settime(t, 0, &per, NULL);
		nanosleep(&nap, NULL);
		int s1 = sigtimedwait(&one, &si, &zero);
		int ov = si.si_overrun, gov = timer_getoverrun(t);
		int s2 = sigtimedwait(&one, &si, &zero);
		if (s1 == SIGRTMIN + 2 && ov >= 3 && ov <= 5 && gov == ov && s2 == -1)
			pass("timer-overrun");
		else
			fail("timer-overrun", "first %d overrun %d getoverrun %d second %d", s1, ov, gov,
			     s2);
		timer_delete(t);
	} else {
		fail("timer-overrun", "timer_create: %s", strerror(errno));
	}

	/* CLOCK_REALTIME, absolute, SIGEV_NONE: nothing is sent. */
	ev.sigev_notify = SIGEV_NONE;
	CALL(r, e, timer_create(CLOCK_REALTIME, &ev, &t));
	expect_ok("timer-create-realtime-none", r, e);
	if (r) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return;
	}
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_value = now;
	its.it_value.tv_sec += 10;
	timer_settime(t, TIMER_ABSTIME, &its, NULL);
	timer_gettime(t, &cur);
	check(cur.it_value.tv_sec >= 9 && cur.it_value.tv_sec <= 10, "timer-abstime",
	      "an absolute timer 10 s ahead does not say so");
	timer_delete(t);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CALL(r, e, timer_create(CLOCK_PROCESS_CPUTIME_ID + 100, NULL, &t));
	expect_error("timer-create-bad-clock", r, e, EINVAL);
}

/* ---- queues, waits, targets --------------------------------------------------- */

static void test_sigqueue_limit(void)
{
	struct rlimit old, lim = { 4, 4 };
	sigset_t m, prev;
	siginfo_t si;
	int n = 0, e = 0;

	if (!kernel_semantics())
		return;
	getrlimit(RLIMIT_SIGPENDING, &old);
	setrlimit(RLIMIT_SIGPENDING, &lim);
	sigemptyset(&m);
	sigaddset(&m, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &m, &prev);
	for (int i = 0; i < 10; i++) {
		union sigval v = { .sival_int = i };
		if (sigqueue(getpid(), SIGRTMIN + 1, v) < 0) {
			e = errno;
			break;
		}
		n++;
	}
	check(n == 4 && e == EAGAIN, "sigqueue-eagain-at-rlimit", "not EAGAIN after the limit");
	struct timespec zero = { 0, 0 };
	int got = 0, in_order = 1;
	while (sigtimedwait(&m, &si, &zero) == SIGRTMIN + 1) {
		in_order &= si.si_value.sival_int == got;
		got++;
	}
	check(got == 4 && in_order, "rt-signals-queue-in-order", "not every queued signal came back");
	setrlimit(RLIMIT_SIGPENDING, &old);
	sigprocmask(SIG_SETMASK, &prev, NULL);
}

static void test_sigtimedwait(void)
{
	sigset_t m, prev;
	siginfo_t si;
	struct timespec ts = { 0, 20 * 1000000 };
	long r;
	int e;

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, &prev);
	CALL(r, e, sigtimedwait(&m, &si, &ts));
	expect_error("sigtimedwait-timeout", r, e, EAGAIN);
	kill(getpid(), SIGUSR1);
	CALL(r, e, sigtimedwait(&m, &si, &ts));
	check(r == SIGUSR1 && si.si_code == SI_USER && si.si_pid == getpid(), "sigtimedwait-takes",
	      "did not take the pending SIGUSR1");
	sigprocmask(SIG_SETMASK, &prev, NULL);
}

static void self_group_kill(void *arg)
{
	(void)arg;
	setpgid(0, 0);
	hits = 0;
	set_handler(SIGUSR1, on_sig, 0, NULL);
	kill(0, SIGUSR1);
	_exit(hits == 1 ? 0 : 1);
}

static void test_kill_targets(void)
{
	long r;
	int e;

	int st = in_child(self_group_kill, NULL);
	check(exited_with(st, 0), "kill-0-own-group", describe(st));
	pid_t c = start_child(suspend_forever, NULL);
	if (c < 0) {
		fail("fork", "%s", strerror(errno));
		return;
	}
	setpgid(c, c);
	CALL(r, e, kill(-c, SIGTERM));
	expect_ok("kill-minus-pgid", r, e);
	expect_signal("kill-minus-pgid-kills", wait_for(c), SIGTERM);
	CALL(r, e, kill(1, 0));
	expect_ok("kill-init-0", r, e);
	CALL(r, e, kill(999999, 0));
	expect_error("kill-no-such", r, e, ESRCH);
	CALL(r, e, kill(getpid(), 65));
	expect_error("kill-bad-signal", r, e, EINVAL);
	if (!on_bramble())
		return;   /* the rest would reach every process of the host */
	if (under_pressure()) {   /* the hog is another process: kill(-1) would reach it */
		skip_under_pressure("kill-minus-1");
		return;
	}
	CALL(r, e, kill(1, SIGKILL));
	expect_ok("kill-init-sigkill-dropped", r, e);
	CALL(r, e, kill(-1, SIGKILL));
	expect_error("kill-minus-1-nobody", r, e, ESRCH);
	c = start_child(suspend_forever, NULL);
	if (c < 0) {
		fail("fork", "%s", strerror(errno));
		return;
	}
	CALL(r, e, kill(-1, SIGTERM));
	expect_ok("kill-minus-1", r, e);
	expect_signal("kill-minus-1-reaches-others", wait_for(c), SIGTERM);
	pass("init-survives");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec-check") == 0)
		return exec_check();
	self_path = argv[0];
	test_handler_runs();
	test_siginfo();
	test_sa_mask();
	test_nodefer();
	test_resethand();
	test_altstack();
	test_fpsimd();
	test_forged_frame();
	test_sigreturn_flags();
	test_faults();
	test_forced_faults();
	test_defaults();
	test_stop_continue();
	test_sigchld();
	test_waitid();
	test_fork_inherit();
	test_exec();
	test_eintr_restart();
	test_stop_restarts_sleep();
	test_alarm_itimer();
	test_cpu_itimers();
	test_posix_timer();
	test_sigqueue_limit();
	test_sigtimedwait();
	test_kill_targets();
	return failures ? 1 : 0;
}
