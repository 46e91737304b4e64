/*
 * Signals (see kernel/signal.h): sending, the pending sets, delivery with
 * Linux arm64's struct rt_sigframe, rt_sigreturn, default actions and the
 * restart of interrupted system calls.
 */
#include "kernel/signal.h"
#include "kernel/sched.h"
#include "kernel/proc.h"
#include "kernel/tick.h"
#include "kernel/ptimer.h"
#include "kernel/vdso.h"
#include "lib/printk.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/wait.h"
#include "mm/kalloc.h"
#include "mm/uaccess.h"
#include "arch/arm64/pstate.h"
#include "arch/arm64/trap_frame.h"
#include <string.h>

_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo_t is 128 bytes");
_Static_assert(sizeof(struct linux_ucontext) == 4560, "struct ucontext is 4560 bytes on arm64");
_Static_assert(__builtin_offsetof(struct linux_ucontext, uc_mcontext) == 176, "uc_mcontext at 176");
_Static_assert(__builtin_offsetof(struct linux_ucontext, uc_sigmask) == 40, "uc_sigmask at 40");
_Static_assert(sizeof(struct linux_fpsimd_context) == 528, "fpsimd_context is 528 bytes");
_Static_assert(__builtin_offsetof(struct linux_sigcontext, reserved) == 288, "__reserved at 288");

#define NR_RESTART_SYSCALL 128
#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define SYNC_SIGNALS (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | \
		      SIGBIT(SIGFPE) | SIGBIT(SIGSYS))
#define CORE_FLAG 0x80

enum sig_default { ACT_TERM, ACT_CORE, ACT_IGN, ACT_STOP, ACT_CONT };

static int queued_total;   /* queued real-time signals of the one user (RLIMIT_SIGPENDING) */

static enum sig_default default_action(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
	case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return ACT_CORE;
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return ACT_IGN;
	case SIGCONT:
		return ACT_CONT;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return ACT_STOP;
	default:
		return ACT_TERM;
	}
}

static bool is_handler(uint64_t h)
{
	return h != SIG_DFL && h != SIG_IGN;
}

/* Whether sig would be dropped at once (Linux's sig_ignored): ignored and
 * not blocked (a blocked one stays pending: the disposition may change). */
static bool sig_dropped(const struct proc *p, int sig)
{
	uint64_t h = p->sighand->action[sig - 1].handler;

	if (p == proc_init() && !is_handler(h))
		return true;   /* init gets only what it handles, SIGKILL included */
	if (p->sig.blocked & SIGBIT(sig) & ~SIG_UNBLOCKABLE)
		return false;
	if (h == SIG_IGN)
		return sig != SIGKILL && sig != SIGSTOP;
	return h == SIG_DFL && (default_action(sig) == ACT_IGN || default_action(sig) == ACT_CONT);
}

bool signal_pending_for(const struct proc *p)
{
	return (p->sig.pending & ~(p->sig.blocked & ~SIG_UNBLOCKABLE)) != 0;
}

static void kernel_info(struct linux_siginfo *i, int sig)
{
	memset(i, 0, sizeof(*i));
	i->si_signo = sig;
	i->si_code = SI_KERNEL;
}

/* An interruptible sleep ends, a stopped one re-checks, and a thread
 * running on another CPU enters the kernel to see what came. */
static void signal_wake(struct proc *p)
{
	signal_note_work(&p->sig);
	sched_wake(p);
	sched_kick(p);
}

int send_signal(struct proc *p, int sig, const struct linux_siginfo *info)
{
	struct linux_siginfo ki;

	if (sig <= 0 || sig > _NSIG || !p || p->state == P_ZOMBIE || p->state == P_UNUSED)
		return 0;
	if (!info) {
		kernel_info(&ki, sig);
		info = &ki;
	}
	if (p == proc_init() && !is_handler(p->sighand->action[sig - 1].handler))
		return 0;
	/* Stop and continue cancel each other at once, whatever the mask. */
	if (SIGBIT(sig) & STOP_SIGNALS)
		p->sig.pending &= ~SIGBIT(SIGCONT);
	if (sig == SIGCONT) {
		struct proc *g = p->leader, *t = g;
		p->sig.pending &= ~STOP_SIGNALS;
		/* The stop is the process's: every thread goes on. */
		if (g->stopped) {
			g->stopped = false;
			g->report = WCONTINUED;
			signal_notify_parent(g, CLD_CONTINUED, SIGCONT);
			do {
				sched_wake(t);
			} while ((t = t->next_thread) != g);
		}
	}
	if (sig_dropped(p, sig))
		return 0;
	if (sig < SIGRTMIN) {
		if (!(p->sig.pending & SIGBIT(sig))) {
			struct sig_std_info *si = &p->sig.std_info[sig - 1];
			si->code = info->si_code;
			si->err = info->si_errno;
			memcpy(si->raw, info->u.raw, sizeof(si->raw));
		}
	} else {
		/* Queued with its info. Linux's rule: kill() (si_code >= 0) may go
		 * past the limit or lose the info; sigqueue, tkill and timers get
		 * EAGAIN. */
		bool limited = info->si_code < 0;
		struct sigqueue *q = NULL;
		if (!limited || (uint64_t)queued_total < p->rlim[RLIMIT_SIGPENDING].rlim_cur)
			q = kalloc(sizeof(*q));
		if (!q && limited)
			return -EAGAIN;
		if (q) {
			q->info = *info;
			q->next = NULL;
			struct sigqueue **pp = &p->sig.rtq;
			while (*pp)
				pp = &(*pp)->next;
			*pp = q;
			p->sig.queued++;
			queued_total++;
		}
	}
	p->sig.pending |= SIGBIT(sig);
	signal_wake(p);
	return 0;
}

void signal_send_kernel(struct proc *p, int sig)
{
	(void)send_signal_group(p, sig, NULL);
}

void signal_queue_prealloc(struct proc *p, struct sigqueue *q)
{
	int sig = q->info.si_signo;

	if (p->state == P_ZOMBIE || p->state == P_UNUSED || sig_dropped(p, sig))
		return;
	q->next = NULL;
	struct sigqueue **pp = &p->sig.rtq;
	while (*pp)
		pp = &(*pp)->next;
	*pp = q;
	*q->queued = true;
	p->sig.pending |= SIGBIT(sig);
	signal_wake(p);
}

void signal_unqueue_prealloc(struct proc *p, struct sigqueue *q)
{
	bool more = false;

	if (!*q->queued)
		return;
	for (struct sigqueue **pp = &p->sig.rtq; *pp;) {
		if (*pp == q) {
			*pp = q->next;
			continue;
		}
		more |= (*pp)->info.si_signo == q->info.si_signo;
		pp = &(*pp)->next;
	}
	*q->queued = false;
	if (!more)
		p->sig.pending &= ~SIGBIT(q->info.si_signo);
}

/* Takes the first pending signal of set (synchronous ones first) with its info. */
static int dequeue(struct proc *p, uint64_t set, struct linux_siginfo *info)
{
	uint64_t ready = p->sig.pending & set;
	int sig;

	if (!ready)
		return 0;
	if (ready & SYNC_SIGNALS)
		ready &= SYNC_SIGNALS;
	sig = __builtin_ctzll(ready) + 1;
	if (sig < SIGRTMIN) {
		const struct sig_std_info *si = &p->sig.std_info[sig - 1];
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = si->code;
		info->si_errno = si->err;
		memcpy(info->u.raw, si->raw, sizeof(si->raw));
		p->sig.pending &= ~SIGBIT(sig);
		return sig;
	}
	bool more = false, found = false;
	for (struct sigqueue **pp = &p->sig.rtq; *pp;) {
		struct sigqueue *q = *pp;
		if (q->info.si_signo != sig) {
			pp = &q->next;
			continue;
		}
		if (found) {
			more = true;
			break;
		}
		found = true;
		*info = q->info;
		*pp = q->next;
		if (q->queued) {
			*q->queued = false;
			if (q->timer)
				ptimer_dequeued(q->timer, info);
		} else {
			kfree(q);
			p->sig.queued--;
			queued_total--;
		}
	}
	if (!found) {      /* its record could not be allocated: the info is lost */
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
	}
	if (!more)
		p->sig.pending &= ~SIGBIT(sig);
	return sig;
}

void sigmask_set_temporary(uint64_t mask)
{
	struct proc *p = current;

	if (!p->sig.restore_blocked)
		p->sig.saved_blocked = p->sig.blocked;
	p->sig.restore_blocked = true;
	p->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	signal_note_work(&p->sig);
}

void sigmask_restore(bool interrupted)
{
	struct proc *p = current;

	if (interrupted || !p->sig.restore_blocked)
		return;
	p->sig.blocked = p->sig.saved_blocked;
	p->sig.restore_blocked = false;
	signal_note_work(&p->sig);
}

bool signal_child_autoreap(const struct proc *p)
{
	const struct linux_sigaction *ka = &p->sighand->action[SIGCHLD - 1];

	return ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT);
}

void signal_notify_parent(struct proc *p, int why, int status)
{
	struct proc *parent = p->parent;
	struct linux_siginfo info;

	if (!parent)
		return;
	wake_up(&parent->child_wait);
	if ((why == CLD_STOPPED || why == CLD_CONTINUED) &&
	    (parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		return;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGCHLD;
	info.si_code = why;
	info.u.chld.pid = p->pid;
	info.u.chld.status = status;
	info.u.chld.utime = (int64_t)(proc_group_cpu_ns(p) / 10000000);
	(void)send_signal(parent, SIGCHLD, &info);
}

/* Dies of sig's default action, and so does every thread of the process. */
static void __attribute__((noreturn)) die(int sig, bool core)
{
	proc_exit_group(sig | (core ? CORE_FLAG : 0));
}

/* Linux's force_sig: a blocked or ignored sig gets its default action. */
static void force_sig(struct proc *p, int sig, const struct linux_siginfo *info)
{
	struct linux_sigaction *ka = &p->sighand->action[sig - 1];

	if (ka->handler == SIG_IGN || (p->sig.blocked & SIGBIT(sig))) {
		ka->handler = SIG_DFL;
		p->sig.blocked &= ~SIGBIT(sig);
	}
	if (p == proc_init() && !is_handler(ka->handler))
		die(sig, default_action(sig) == ACT_CORE);   /* no mercy for init's own fault */
	p->sig.pending &= ~SIGBIT(sig);
	(void)send_signal(p, sig, info);
}

void force_sig_fault(int sig, int code, uint64_t addr, const char *what)
{
	struct proc *p = current;
	struct linux_sigaction *ka = &p->sighand->action[sig - 1];
	struct linux_siginfo info;

	if (!is_handler(ka->handler) || (p->sig.blocked & SIGBIT(sig)))
		proc_fault_kill(sig, what, addr);   /* the console line, then death */
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.u.fault.addr = addr;
	p->fault_address = addr;
	force_sig(p, sig, &info);
}

static bool on_alt_stack(const struct proc *p, uint64_t sp)
{
	return p->sig.alt_size && sp > p->sig.alt_sp && sp - p->sig.alt_sp <= p->sig.alt_size;
}

static struct linux_rt_sigframe frame_buf;   /* under the kernel lock, never preempted */

/* What setup_frame puts below the stack pointer, at most: the frame record,
 * the frame, and the rounding of each to 16 bytes (Linux's
 * signal_minsigstksz, AT_MINSIGSTKSZ). */
uint64_t signal_min_stack(void)
{
	return 16 + ALIGN_UP(sizeof(struct linux_rt_sigframe), 16) + 16;
}

static int setup_frame(struct proc *p, struct trap_frame *tf, int sig,
		       const struct linux_siginfo *info, struct linux_sigaction *ka, uint64_t oldmask)
{
	struct linux_rt_sigframe *f = &frame_buf;
	uint64_t sp = tf->sp;
	bool on_alt = on_alt_stack(p, sp);

	memset(f, 0, sizeof(*f));
	f->uc.uc_stack.ss_sp = p->sig.alt_sp;
	f->uc.uc_stack.ss_size = p->sig.alt_size;
	f->uc.uc_stack.ss_flags = (int32_t)(p->sig.alt_flags |
		(on_alt ? SS_ONSTACK : p->sig.alt_size ? 0 : SS_DISABLE));
	if ((ka->flags & SA_ONSTACK) && p->sig.alt_size && !on_alt) {
		sp = p->sig.alt_sp + p->sig.alt_size;
		if (p->sig.alt_flags & SS_AUTODISARM) {
			p->sig.alt_sp = p->sig.alt_size = 0;
			p->sig.alt_flags = 0;
		}
	}
	uint64_t record = (sp - 16) & ~15UL;
	uint64_t at = (record - sizeof(*f)) & ~15UL;
	f->info = *info;
	f->uc.uc_sigmask = oldmask;
	struct linux_sigcontext *sc = &f->uc.uc_mcontext;
	sc->fault_address = (SIGBIT(sig) & SYNC_SIGNALS) ? p->fault_address : 0;
	memcpy(sc->regs, tf->x, sizeof(sc->regs));
	sc->sp = tf->sp;
	sc->pc = tf->elr;
	sc->pstate = tf->spsr & ~(uint64_t)PSR_DAIF_MASK;
	struct linux_fpsimd_context *fp = (struct linux_fpsimd_context *)sc->reserved;
	fpsimd_save(&p->fp);
	fp->head.magic = FPSIMD_MAGIC;
	fp->head.size = sizeof(*fp);
	fp->fpsr = p->fp.fpsr;
	fp->fpcr = p->fp.fpcr;
	memcpy(fp->vregs, p->fp.v, sizeof(fp->vregs));
	/* the terminator after it is zero already */
	uint64_t rec[2] = { tf->x[29], tf->x[30] };
	if (sp < 4096 || copy_to_user(p->mm, uaddr(at), f, sizeof(*f)) < 0 ||
	    copy_to_user(p->mm, uaddr(record), rec, sizeof(rec)) < 0)
		return -EFAULT;
	tf->x[0] = (uint64_t)sig;
	tf->x[1] = at + __builtin_offsetof(struct linux_rt_sigframe, info);
	tf->x[2] = at + __builtin_offsetof(struct linux_rt_sigframe, uc);
	tf->x[29] = record;
	tf->x[30] = (ka->flags & SA_RESTORER) ? ka->restorer : vdso_sigreturn_address();
	tf->sp = at;
	tf->elr = ka->handler;
	return 0;
}

static long sigreturn_bad(struct trap_frame *tf)
{
	struct linux_siginfo info;

	kernel_info(&info, SIGSEGV);
	force_sig(current, SIGSEGV, &info);
	return (long)tf->x[0];
}

long signal_sigreturn(struct trap_frame *tf)
{
	struct proc *p = current;
	struct linux_rt_sigframe *f = &frame_buf;

	p->restart.fn = NULL;
	if ((tf->sp & 15) || copy_from_user(p->mm, f, uaddr(tf->sp), sizeof(*f)) < 0)
		return sigreturn_bad(tf);
	struct linux_sigcontext *sc = &f->uc.uc_mcontext;
	uint64_t ps = sc->pstate;
	/* Only EL0t, AArch64, nothing masked: a forged frame gets SIGSEGV. */
	if ((ps & PSR_MODE_MASK) != PSR_MODE_EL0t || (ps & PSR_MODE32_BIT) || (ps & PSR_DAIF_MASK))
		return sigreturn_bad(tf);
	const struct linux_fpsimd_context *fp = NULL;
	for (size_t off = 0; off + sizeof(struct linux_aarch64_ctx) <= sizeof(sc->reserved);) {
		const struct linux_aarch64_ctx *h = (const void *)(sc->reserved + off);
		if (h->magic == 0 && h->size == 0)
			break;
		if (h->magic == FPSIMD_MAGIC && h->size == sizeof(*fp) && !fp &&
		    off + sizeof(*fp) <= sizeof(sc->reserved))
			fp = (const void *)h;
		else if (h->magic != 0x45535201 /* ESR_MAGIC: ignored */ || h->size < 8 || (h->size & 15))
			return sigreturn_bad(tf);
		off += h->size;
	}
	if (!fp)
		return sigreturn_bad(tf);
	memcpy(tf->x, sc->regs, sizeof(tf->x));
	tf->sp = sc->sp;
	tf->elr = sc->pc;
	tf->spsr = (ps & (PSR_N_BIT | PSR_Z_BIT | PSR_C_BIT | PSR_V_BIT)) |
		   PSR_MODE_EL0t | PSR_D_BIT | PSR_A_BIT | PSR_F_BIT;   /* as exec sets it */
	memcpy(p->fp.v, fp->vregs, sizeof(p->fp.v));
	p->fp.fpsr = fp->fpsr;
	p->fp.fpcr = fp->fpcr;
	fpsimd_restore(&p->fp);
	p->sig.blocked = f->uc.uc_sigmask & ~SIG_UNBLOCKABLE;
	p->sig.restore_blocked = false;
	signal_note_work(&p->sig);
	if (p->sig.alt_flags & SS_AUTODISARM || !p->sig.alt_size) {
		const struct linux_stack *ss = &f->uc.uc_stack;
		if (!(ss->ss_flags & SS_DISABLE) && ss->ss_size >= MINSIGSTKSZ &&
		    !on_alt_stack(p, tf->sp)) {
			p->sig.alt_sp = ss->ss_sp;
			p->sig.alt_size = ss->ss_size;
			p->sig.alt_flags = (uint32_t)ss->ss_flags & SS_AUTODISARM;
		}
	}
	return (long)tf->x[0];
}

/* Sleeps while p's process is stopped (or until SIGKILL). */
static void stay_stopped(struct proc *p)
{
	while (p->leader->stopped && !(p->sig.pending & SIGBIT(SIGKILL))) {
		p->state = P_SLEEPING;
		schedule();
	}
}

/* Stops the whole process until SIGCONT (or SIGKILL), telling the parent
 * once; the other threads stop on their way back to EL0. */
static void do_stop(struct proc *p, int sig)
{
	struct proc *g = p->leader, *t = g;

	g->stopped = true;
	g->stop_sig = sig;
	g->report = WUNTRACED;
	signal_notify_parent(g, CLD_STOPPED, sig);
	do {
		if (t != p)
			signal_wake(t);    /* a sleeping or running thread comes to stop too */
	} while ((t = t->next_thread) != g);
	stay_stopped(p);
	if (p->sig.pending & SIGBIT(SIGKILL))
		g->stopped = false;
}

void signal_return_to_user(struct trap_frame *tf, bool from_syscall, uint64_t orig_x0)
{
	struct proc *p = current;
	struct linux_siginfo info;
	int sig;

	if (p->leader->cpu_timer[0] | p->leader->cpu_timer[1])
		itimer_cpu_check(p->leader);   /* the process's CPU itimers */
	if (p->leader->stopped)
		stay_stopped(p);               /* another thread stopped the process */
	while ((sig = dequeue(p, ~(p->sig.blocked & ~SIG_UNBLOCKABLE), &info))) {
		struct linux_sigaction *ka = &p->sighand->action[sig - 1];
		if (ka->handler == SIG_IGN)
			continue;
		if (ka->handler == SIG_DFL) {
			enum sig_default act = default_action(sig);
			if (p == proc_init() && sig != SIGKILL)
				continue;
			if (act == ACT_IGN || act == ACT_CONT)
				continue;
			if (act == ACT_STOP) {
				/* An orphaned group ignores the terminal's stops. */
				if (sig != SIGSTOP && proc_pgrp_orphaned(proc_pgid(p), NULL))
					continue;
				do_stop(p, sig);
				continue;
			}
			die(sig, act == ACT_CORE);
		}
		if (from_syscall) {
			long ret = (long)tf->x[0];
			if (ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK ||
			    (ret == -ERESTARTSYS && !(ka->flags & SA_RESTART))) {
				tf->x[0] = (uint64_t)-EINTR;
			} else if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR) {
				tf->x[0] = orig_x0;
				tf->elr -= 4;
			}
			from_syscall = false;
		}
		uint64_t oldmask = p->sig.restore_blocked ? p->sig.saved_blocked : p->sig.blocked;
		struct linux_sigaction act = *ka;
		if (ka->flags & SA_RESETHAND) {
			ka->handler = SIG_DFL;
			ka->flags &= ~(uint64_t)SA_SIGINFO;
		}
		if (setup_frame(p, tf, sig, &info, &act, oldmask) < 0) {
			struct linux_siginfo si;
			kernel_info(&si, SIGSEGV);
			if (sig == SIGSEGV)
				ka->handler = SIG_DFL;
			force_sig(p, SIGSEGV, &si);
			continue;
		}
		p->sig.restore_blocked = false;
		p->sig.blocked |= act.mask | ((act.flags & SA_NODEFER) ? 0 : SIGBIT(sig));
		p->sig.blocked &= ~SIG_UNBLOCKABLE;
	}
	if (from_syscall) {
		long ret = (long)tf->x[0];
		if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND) {
			tf->x[0] = orig_x0;
			tf->elr -= 4;
		} else if (ret == -ERESTART_RESTARTBLOCK) {
			tf->x[0] = orig_x0;
			tf->x[8] = NR_RESTART_SYSCALL;
			tf->elr -= 4;
		}
	}
	if (p->sig.restore_blocked) {
		p->sig.blocked = p->sig.saved_blocked;
		p->sig.restore_blocked = false;
	}
}

void signal_init_first(struct proc *p)
{
	p->sighand = kmalloc_or_panic(sizeof(*p->sighand), 16);
	memset(p->sighand, 0, sizeof(*p->sighand));
	p->sighand->refs = 1;
	signal_note_work(&p->sig);
}

int signal_fork(struct proc *child, const struct proc *parent, bool share)
{
	if (share) {
		child->sighand = parent->sighand;
		child->sighand->refs++;
	} else {
		if (!(child->sighand = kalloc(sizeof(*child->sighand))))
			return -ENOMEM;
		*child->sighand = *parent->sighand;
		child->sighand->refs = 1;
	}
	child->sig.blocked = parent->sig.restore_blocked ? parent->sig.saved_blocked
							 : parent->sig.blocked;
	child->sig.alt_sp = parent->sig.alt_sp;
	child->sig.alt_size = parent->sig.alt_size;
	child->sig.alt_flags = parent->sig.alt_flags;
	signal_note_work(&child->sig);     /* its first return looks */
	return 0;
}

int signal_exec_prepare(struct proc *p, struct sighand **spare)
{
	*spare = NULL;
	if (p->sighand->refs > 1 && !(*spare = kalloc(sizeof(**spare))))
		return -ENOMEM;
	return 0;
}

void signal_exec(struct proc *p, struct sighand *spare)
{
	if (p->sighand->refs > 1) {
		/* Shared with another process (CLONE_SIGHAND without
		 * CLONE_THREAD): the new program gets its own copy. */
		*spare = *p->sighand;
		spare->refs = 1;
		p->sighand->refs--;
		p->sighand = spare;
	} else {
		kfree(spare);   /* the sharers were threads, gone with the exec */
	}
	for (int i = 0; i < _NSIG; i++) {
		struct linux_sigaction *ka = &p->sighand->action[i];
		if (ka->handler != SIG_IGN)
			memset(ka, 0, sizeof(*ka));
	}
	p->sig.alt_sp = p->sig.alt_size = 0;
	p->sig.alt_flags = 0;
}

void signal_exit(struct proc *p)
{
	while (p->sig.rtq) {
		struct sigqueue *q = p->sig.rtq;
		p->sig.rtq = q->next;
		if (q->queued) {
			*q->queued = false;   /* its timer frees it */
			continue;
		}
		kfree(q);
		queued_total--;
	}
	p->sig.queued = 0;
	p->sig.pending = 0;
}

void signal_release(struct proc *p)
{
	signal_exit(p);
	if (p->sighand && --p->sighand->refs == 0)
		kfree(p->sighand);
	p->sighand = NULL;
}

/* Whether t should take a process-directed sig now (Linux's wants_signal). */
static bool wants(const struct proc *t, int sig)
{
	return t->state != P_ZOMBIE && t->state != P_UNUSED && !(t->sig.blocked & SIGBIT(sig));
}

int send_signal_group(struct proc *p, int sig, const struct linux_siginfo *info)
{
	struct proc *leader = p->leader ? p->leader : p, *t = leader;

	if (sig <= 0 || sig > _NSIG)
		return 0;
	/* A thread sleeping in sigtimedwait for it first, then one that does
	 * not block it; a stop or SIGKILL goes through the main thread, which
	 * stops or ends the whole group. */
	do {
		if (t->sigwait_set & SIGBIT(sig) && t->state != P_ZOMBIE)
			return send_signal(t, sig, info);
	} while ((t = t->next_thread) && t != leader);
	t = leader;
	do {
		if (wants(t, sig))
			return send_signal(t, sig, info);
	} while ((t = t->next_thread) && t != leader);
	return send_signal(leader->state == P_ZOMBIE && p->state != P_ZOMBIE ? p : leader, sig, info);
}

/* Used by rt_sigtimedwait: takes a pending signal of set, whatever the mask. */
int signal_dequeue_set(uint64_t set, struct linux_siginfo *info)
{
	return dequeue(current, set, info);
}
