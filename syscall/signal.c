/* Signal and timer system calls: decoding for kernel/signal.c and kernel/ptimer.c. */
#include "syscall/syscall.h"
#include "kernel/signal.h"
#include "kernel/ptimer.h"
#include "kernel/tick.h"
#include "lib/printk.h"
#include "kernel/timer.h"
#include "mm/uaccess.h"
#include "lib/uapi/signal.h"
#include "lib/uapi/time.h"
#include <string.h>

#define SIGSET_SIZE 8      /* sizeof(sigset_t) in the kernel: 64 signals */
#define NSEC_PER_SEC 1000000000UL
#define SA_KNOWN (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_RESTORER | SA_ONSTACK | \
		  SA_RESTART | SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS)

int signal_dequeue_set(uint64_t set, struct linux_siginfo *info);

long sys_kill(int pid, int sig)
{
	return proc_kill_pid(pid, sig);
}

long sys_tkill(int tid, int sig)
{
	if (tid <= 0)
		return -EINVAL;
	return proc_kill(tid, sig);
}

long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct proc *p = proc_by_pid(tid);
	if (p && p->tgid != tgid)
		return -ESRCH;   /* tid is not a thread of tgid */
	return proc_kill(tid, sig);
}

long sys_rt_sigaction(int sig, uaddr_t act, uaddr_t oact, size_t sigsetsize)
{
	struct linux_sigaction ka;
	struct linux_sigaction *cur;

	if (sigsetsize != SIGSET_SIZE || sig < 1 || sig > _NSIG)
		return -EINVAL;
	cur = &current->sighand->action[sig - 1];
	if (!uaddr_is_null(act) && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (!uaddr_is_null(act) && copy_from_user(current->mm, &ka, act, sizeof(ka)) < 0)
		return -EFAULT;
	if (!uaddr_is_null(oact)) {
		struct linux_sigaction old = *cur;
		if (copy_to_user(current->mm, oact, &old, sizeof(old)) < 0)
			return -EFAULT;
	}
	if (!uaddr_is_null(act)) {
		ka.flags &= SA_KNOWN;       /* unknown flags are cleared, as Linux does */
		ka.mask &= ~SIG_UNBLOCKABLE;
		*cur = ka;
		/* Setting SIG_IGN (or SIG_DFL for a signal ignored by default)
		 * discards what is pending of it. */
		if (ka.handler == SIG_IGN || (ka.handler == SIG_DFL &&
		    (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT))) {
			struct linux_siginfo info;
			while (current->sig.pending & SIGBIT(sig))
				signal_dequeue_set(SIGBIT(sig), &info);
		}
	}
	return 0;
}

long sys_rt_sigprocmask(int how, uaddr_t set, uaddr_t oset, size_t sigsetsize)
{
	uint64_t s, *blocked = &current->sig.blocked;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (!uaddr_is_null(set) && copy_from_user(current->mm, &s, set, sizeof(s)) < 0)
		return -EFAULT;
	if (!uaddr_is_null(set) && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	if (!uaddr_is_null(oset) && copy_to_user(current->mm, oset, blocked, sizeof(s)) < 0)
		return -EFAULT;
	if (uaddr_is_null(set))
		return 0;
	switch (how) {
	case SIG_BLOCK: *blocked |= s; break;
	case SIG_UNBLOCK: *blocked &= ~s; break;
	default: *blocked = s; break;
	}
	*blocked &= ~SIG_UNBLOCKABLE;
	signal_note_work(&current->sig);   /* a pending signal may be unblocked */
	return 0;
}

long sys_rt_sigpending(uaddr_t set, size_t sigsetsize)
{
	uint64_t s = current->sig.pending & current->sig.blocked;

	if (sigsetsize > SIGSET_SIZE)
		return -EINVAL;
	return copy_to_user(current->mm, set, &s, sigsetsize) < 0 ? -EFAULT : 0;
}

long sys_rt_sigsuspend(uaddr_t umask, size_t sigsetsize)
{
	uint64_t mask;
	struct wait_queue wq = WAIT_QUEUE_INIT;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(current->mm, &mask, umask, sizeof(mask)) < 0)
		return -EFAULT;
	sigmask_set_temporary(mask);
	(void)wait_event(&wq, false);   /* until a signal */
	return -ERESTARTNOHAND;         /* the return to EL0 restores the mask */
}

long sys_rt_sigtimedwait(uaddr_t uset, uaddr_t uinfo, uaddr_t utimeout, size_t sigsetsize)
{
	struct proc *p = current;
	struct linux_siginfo info;
	uint64_t set, ns = UINT64_MAX;
	long err;
	int sig;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(p->mm, &set, uset, sizeof(set)) < 0)
		return -EFAULT;
	set &= ~SIG_UNBLOCKABLE;
	if (!uaddr_is_null(utimeout) && (err = timespec_from_user(utimeout, &ns)))
		return err;
	sig = signal_dequeue_set(set, &info);
	if (!sig && ns) {
		/* The awaited signals wake the sleep: unblocked for its length. */
		uint64_t old = p->sig.blocked, now = uptime_ns();
		uint64_t deadline = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
		struct wait_queue wq = WAIT_QUEUE_INIT;
		struct timer t;
		p->sig.blocked &= ~set;
		p->sigwait_set = set;     /* the process's signals of set come here */
		if (deadline != UINT64_MAX)
			timer_add(&t, deadline, &wq);
		(void)wait_event(&wq, uptime_ns() >= deadline);
		if (deadline != UINT64_MAX)
			timer_cancel(&t);
		p->sigwait_set = 0;
		p->sig.blocked = old;
		signal_note_work(&p->sig);
		sig = signal_dequeue_set(set, &info);
		if (!sig && uptime_ns() < deadline)
			return -EINTR;   /* another signal: never restarted */
	}
	if (!sig)
		return -EAGAIN;
	if (!uaddr_is_null(uinfo) && copy_to_user(p->mm, uinfo, &info, sizeof(info)) < 0)
		return -EFAULT;
	return sig;
}

/* rt_sigqueueinfo (to the process) and rt_tgsigqueueinfo (to one thread). */
static long queueinfo(int pid, int sig, uaddr_t uinfo, bool thread)
{
	struct linux_siginfo info;
	struct proc *p;

	if (copy_from_user(current->mm, &info, uinfo, sizeof(info)) < 0)
		return -EFAULT;
	/* Only the kernel may claim SI_USER or a kernel code for another process. */
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) && pid != current->tgid && pid != current->pid)
		return -EPERM;
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	info.si_signo = sig;
	p = pid > 0 ? proc_by_pid(pid) : NULL;
	if (!p)
		return -ESRCH;
	long err = proc_may_signal(p, sig);
	if (err)
		return err;
	if (p->state == P_ZOMBIE)
		return -ESRCH;
	if (!sig)
		return 0;
	return thread ? send_signal(p, sig, &info) : send_signal_group(p, sig, &info);
}

long sys_rt_sigqueueinfo(int pid, int sig, uaddr_t uinfo)
{
	return queueinfo(pid, sig, uinfo, false);
}

long sys_rt_tgsigqueueinfo(int tgid, int tid, int sig, uaddr_t uinfo)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct proc *p = proc_by_pid(tid);
	if (!p || p->tgid != tgid)
		return -ESRCH;
	return queueinfo(tid, sig, uinfo, true);
}

long sys_sigaltstack(struct trap_frame *tf, uaddr_t uss, uaddr_t uoss)
{
	struct sigstate *s = &current->sig;
	bool on = s->alt_size && tf->sp > s->alt_sp && tf->sp - s->alt_sp <= s->alt_size;
	struct linux_stack ss, old = {
		.ss_sp = s->alt_sp, .ss_size = s->alt_size,
		.ss_flags = (int32_t)(s->alt_flags | (on ? SS_ONSTACK : s->alt_size ? 0 : SS_DISABLE)),
	};

	if (!uaddr_is_null(uss)) {
		if (copy_from_user(current->mm, &ss, uss, sizeof(ss)) < 0)
			return -EFAULT;
		if (on)
			return -EPERM;
		uint32_t mode = (uint32_t)ss.ss_flags & ~SS_AUTODISARM;
		if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			s->alt_sp = s->alt_size = 0;
			s->alt_flags = 0;
		} else {
			if (ss.ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			s->alt_sp = ss.ss_sp;
			s->alt_size = ss.ss_size;
			s->alt_flags = (uint32_t)ss.ss_flags & SS_AUTODISARM;
		}
	}
	if (!uaddr_is_null(uoss) && copy_to_user(current->mm, uoss, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigreturn(struct trap_frame *tf)
{
	return signal_sigreturn(tf);
}

long sys_restart_syscall(void)
{
	long (*fn)(void) = current->restart.fn;

	current->restart.fn = NULL;
	return fn ? fn() : -EINTR;
}

/* ---- timers --------------------------------------------------------------------- */

long sys_getitimer(int which, uaddr_t value)
{
	struct linux_itimerval v;
	long err = itimer_get(which, &v);

	if (err)
		return err;
	return copy_to_user(current->mm, value, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

long sys_setitimer(int which, uaddr_t value, uaddr_t ovalue)
{
	struct linux_itimerval v, old;
	long err;

	if (uaddr_is_null(value))
		memset(&v, 0, sizeof(v));
	else if (copy_from_user(current->mm, &v, value, sizeof(v)) < 0)
		return -EFAULT;
	if ((err = itimer_set(which, &v, &old)))
		return err;
	if (!uaddr_is_null(ovalue) && copy_to_user(current->mm, ovalue, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_timer_create(int clock, uaddr_t sevp, uaddr_t timerid)
{
	struct linux_sigevent ev, *evp = NULL;
	int id;
	long err;

	if (!uaddr_is_null(sevp)) {
		if (copy_from_user(current->mm, &ev, sevp, sizeof(ev)) < 0)
			return -EFAULT;
		evp = &ev;
	}
	if ((err = ptimer_create(clock, evp, &id)) < 0)
		return err;
	if (copy_to_user(current->mm, timerid, &id, sizeof(id)) < 0) {
		ptimer_delete(id);
		return -EFAULT;
	}
	return 0;
}

long sys_timer_settime(int timerid, int flags, uaddr_t value, uaddr_t ovalue)
{
	struct linux_itimerspec v, old;
	long err;

	if (copy_from_user(current->mm, &v, value, sizeof(v)) < 0)
		return -EFAULT;
	if ((err = ptimer_settime(timerid, flags, &v, &old)))
		return err;
	if (!uaddr_is_null(ovalue) && copy_to_user(current->mm, ovalue, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_timer_gettime(int timerid, uaddr_t value)
{
	struct linux_itimerspec v;
	long err = ptimer_gettime(timerid, &v);

	if (err)
		return err;
	return copy_to_user(current->mm, value, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

long sys_timer_getoverrun(int timerid)
{
	return ptimer_getoverrun(timerid);
}

long sys_timer_delete(int timerid)
{
	return ptimer_delete(timerid);
}
