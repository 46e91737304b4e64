/*
 * Signals, as Linux arm64: per-process dispositions, a blocked mask, pending
 * sets (standard signals coalesce; real-time ones queue with their siginfo,
 * allocated fallibly and bounded by RLIMIT_SIGPENDING), delivery on every
 * return to EL0 with Linux's struct rt_sigframe, default actions (terminate,
 * core, ignore, stop, continue) and system-call restarts.
 *
 * What the rest of the kernel uses:
 *
 *   send_signal(p, sig, info)   queue sig for p (info NULL: SI_KERNEL). Linux's
 *                               rules: SIGKILL/SIGSTOP cannot be caught or
 *                               blocked, SIGCONT resumes a stopped p, init gets
 *                               only signals it has a handler for. 0, -EAGAIN
 *                               (a real-time signal that could not be queued).
 *   signal_send_kernel(p, sig)  the same, from the kernel (SI_KERNEL), result
 *                               ignored: job control (tty), SIGPIPE, SIGCHLD.
 *   signal_pending_for(p)       whether a sleep of p should end: an unblocked
 *                               signal is pending (wait.c uses it; so may poll).
 *   sigmask_set_temporary(m)    Linux's set_user_sigmask: installs m as
 *                               current's mask for the length of a sleep,
 *                               keeping the old one;
 *   sigmask_restore(interrupted) Linux's restore_saved_sigmask_unless: if the
 *                               call was interrupted (it returns -EINTR or
 *                               -ERESTARTNOHAND) the old mask comes back only
 *                               after a handler frame is built (so the handler
 *                               runs under m, and sigreturn restores the old
 *                               one); otherwise it comes back now.
 *
 *     ppoll:  if (sigmask given) sigmask_set_temporary(m);
 *             ret = ...wait_event...;   (-ERESTARTSYS from a signal)
 *             if (ret == -ERESTARTSYS) ret = -ERESTARTNOHAND;
 *             sigmask_restore(ret == -ERESTARTNOHAND);
 *
 * Kernel-internal error numbers (never seen by user space; the return to EL0
 * turns them into a restart or -EINTR):
 *   -ERESTARTSYS   restart if the handler has SA_RESTART (wait_event gives it)
 *   -ERESTARTNOINTR always restart
 *   -ERESTARTNOHAND restart only if no handler runs (sigsuspend, poll)
 *   -ERESTART_RESTARTBLOCK  like NOHAND, but restarted as restart_syscall (128)
 *                  through current->restart (nanosleep, clock_nanosleep)
 *
 * Locking: the kernel lock (kernel/spinlock.h), as everything else. A
 * signal for a thread running on another CPU kicks that CPU (an IPI,
 * sched_kick), so the thread sees it on its way back to EL0 at once.
 */
#ifndef BRAMBLE_SIGNAL_H
#define BRAMBLE_SIGNAL_H
#include "lib/types.h"
#include "lib/uapi/signal.h"

#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

#define SIGBIT(sig) (1UL << ((sig) - 1))
#define SIG_UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

struct proc;
struct trap_frame;
struct ptimer;

/* One pending real-time signal (or a standard one's info). */
struct sigqueue {
	struct sigqueue *next;
	bool *queued;            /* preallocated (a POSIX timer's): cleared at dequeue, not freed */
	struct ptimer *timer;    /* that timer: its overrun is read at dequeue */
	struct linux_siginfo info;
};

/* A standard signal's info, compact: si_code, si_errno and the union's first
 * 32 bytes (every field a standard signal's sender sets). */
struct sig_std_info {
	int32_t code, err;
	uint8_t raw[32];
};

/* The dispositions, shared by the threads of a process (CLONE_SIGHAND). */
struct sighand {
	int refs;
	struct linux_sigaction action[_NSIG];   /* [sig-1] */
};

/* The signal state each thread carries (embedded in struct proc): its
 * mask, what is pending for it, its alternate stack. */
struct sigstate {
	uint64_t blocked;                       /* never SIGKILL or SIGSTOP: every write masks them */
	uint64_t saved_blocked;                 /* sigmask_set_temporary's */
	bool restore_blocked;
	bool work;                              /* the return to EL0 may have signal work */
	uint64_t pending;                       /* bit sig-1 */
	struct sig_std_info std_info[SIGRTMIN - 1];    /* standard signals' info */
	struct sigqueue *rtq;                   /* queued real-time signals, in order */
	uint64_t alt_sp, alt_size;
	uint32_t alt_flags;
	int queued;                             /* entries in rtq (RLIMIT_SIGPENDING) */
};

/*
 * The word the return to EL0 tests (kernel/traps.c) instead of the whole
 * state: set by whatever can give a thread signal work (a signal sent, a
 * mask lowered or to be restored, a stop, a CPU itimer armed), cleared only
 * by the thread's own return, which then sets it again if work is left
 * (a CPU itimer keeps it set). With vm_check=on every return checks that
 * no work went unnoted.
 */
static inline void signal_note_work(struct sigstate *s)
{
	s->work = true;
}

int send_signal(struct proc *p, int sig, const struct linux_siginfo *info);
void signal_send_kernel(struct proc *p, int sig);
/* Queues a preallocated record (a POSIX timer's, so its signal never fails
 * for memory): sets *q->queued until it is dequeued; dropped if ignored. */
void signal_queue_prealloc(struct proc *p, struct sigqueue *q);
/* Takes a preallocated record back off p's queue if it is still there. */
void signal_unqueue_prealloc(struct proc *p, struct sigqueue *q);
bool signal_pending_for(const struct proc *p);
void sigmask_set_temporary(uint64_t mask);
void sigmask_restore(bool interrupted);

/* A fault from EL0: to a handler if one can run, else the process dies
 * (Linux's force_sig_fault: blocked or ignored means the default action).
 * what names the fault for the console line printed when it kills. */
void force_sig_fault(int sig, int code, uint64_t addr, const char *what);

/* The return to EL0: delivers pending signals (runs default actions, builds
 * handler frames) and finishes an interrupted system call. syscall_ret is
 * the call's result when returning from one (in tf->x[0]); orig_x0 its
 * first argument. */
void signal_return_to_user(struct trap_frame *tf, bool from_syscall, uint64_t orig_x0);

/* fork and clone: handlers (shared with CLONE_SIGHAND, else copied) and
 * mask inherited, nothing pending: 0 or -ENOMEM. exec: caught signals reset
 * to SIG_DFL, ignored ones and the mask kept, alternate stack gone, the
 * handlers no longer shared: 0 or -ENOMEM. The first process's: essential. */
int signal_fork(struct proc *child, const struct proc *parent, bool share);
/* Exec's dispositions: before its point of no return, the copy a shared
 * table will need (0 or -ENOMEM), so that after it signal_exec cannot fail. */
int signal_exec_prepare(struct proc *p, struct sighand **spare);
/* The smallest stack a signal frame fits on (AT_MINSIGSTKSZ). */
uint64_t signal_min_stack(void);
void signal_exec(struct proc *p, struct sighand *spare);
void signal_init_first(struct proc *p);
/* exit: frees the queued signals. The handlers stay until signal_release:
 * a thread-group leader that exits before its threads is still the parent
 * its children's exits consult (SIGCHLD's disposition), as on Linux. */
void signal_exit(struct proc *p);
/* The record is freed: signal_exit's work if not done, and the handlers
 * dropped. */
void signal_release(struct proc *p);
/* A process-directed signal (kill, the terminal, SIGCHLD): to the thread of
 * p's group that should take it (one waiting for it in sigtimedwait, else
 * one not blocking it, else the main thread), as Linux's complete_signal. */
int send_signal_group(struct proc *p, int sig, const struct linux_siginfo *info);

/* Whether p's SIGCHLD disposition reaps children automatically. */
bool signal_child_autoreap(const struct proc *p);
/* Notifies p's parent that p exited/stopped/continued (CLD_*). */
void signal_notify_parent(struct proc *p, int why, int status);

long signal_sigreturn(struct trap_frame *tf);
#endif
