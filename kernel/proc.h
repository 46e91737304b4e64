/*
 * Processes: the table, fork, exit and wait (xv6's shape, Linux's ABI).
 *
 * Locking: the kernel lock (kernel/spinlock.h) covers the table and every
 * task's fields, except what the task's own CPU reads lock-free on its way
 * in: its pid and tgid (fixed for life: getpid, gettid) and the pending
 * signal set's first look on a lockless call's return (kernel/traps.c).
 */
#ifndef BRAMBLE_PROC_H
#define BRAMBLE_PROC_H
#include "lib/types.h"
#include "arch/arm64/memory.h"
#include "arch/arm64/trap_frame.h"
#include "boot/bootargs.h"
#include "lib/uapi/resource.h"
#include "lib/uapi/signal.h"
#include "kernel/wait.h"
#include "kernel/signal.h"
#include "kernel/timer.h"
#include "kernel/cred.h"
#include "kernel/percpu.h"

#define NPROC 64
#define KSTACK_ORDER (KSTACK_SHIFT - 12)   /* 16 KiB kernel stacks (arch/arm64/memory.h) */
#define KSTACK_SIZE (1UL << KSTACK_SHIFT)

enum proc_state { P_UNUSED = 0, P_RUNNABLE, P_SLEEPING, P_ZOMBIE };

struct fpsimd_state {
	__uint128_t v[32];
	uint32_t fpsr, fpcr;
} __attribute__((aligned(16)));

struct file;
struct fdtable;
struct dentry;
struct mm;

/*
 * A task: a process's one thread, or one of its threads. The threads of a
 * process (CLONE_THREAD) share its mm, descriptor table, dispositions and
 * the process-wide fields, which are read from the group's leader (the
 * first thread, whose pid is the process id): pgid, sid, parent, rlimits,
 * timers, children. Each has its own pid (the thread id), registers,
 * kernel stack, signal mask and pending set.
 */
struct proc {
	int pid;                     /* the thread id; the process id for a leader */
	int tgid;                    /* the process id: the leader's pid */
	struct proc *leader;         /* the group's first thread (itself for a leader) */
	struct proc *next_thread;    /* the group's ring of threads */
	int live_threads;            /* leader: threads not yet exited, itself included */
	uint64_t dead_thread_ticks;  /* leader: CPU time of its threads that have exited */
	bool group_exit;             /* leader: exit_group or a fatal signal ends every thread */
	int group_status;            /* leader: the wait status the group reports */
	struct wait_queue group_wait;/* leader: a thread exiting wakes it (exec waits on it) */
	struct proc *exec_thread;    /* leader: the thread whose exec is ending the others */
	uint64_t sigwait_set;        /* in rt_sigtimedwait for these (process-directed choice) */
	int fs_group;                /* threads of one fs group (CLONE_FS) share cwd, root, umask */
	struct sighand *sighand;     /* dispositions, shared by CLONE_SIGHAND */
	int pgid, sid;               /* process group and session (fork keeps, exec keeps) */
	bool did_exec;               /* it has called execve (setpgid's EACCES) */
	bool tty_detached;           /* gave up the console as its terminal (TIOCNOTTY) */
	char name[16];
	struct cred cred;            /* user and group ids (fork copies, exec keeps) */
	enum proc_state state;
	bool on_cpu;                 /* some CPU runs it now (cpu says which); the others
				      * must not pick it, even while it is P_RUNNABLE */
	int cpu;                     /* the CPU it runs or last ran on */
	uint64_t fault_address;      /* the last fault's, for the signal frame */
	uint32_t fail_nth;           /* its fail-nth (mm/kalloc.h): its own, never inherited */
	int wait_status;             /* Linux wait status once a zombie */
	struct proc *parent;
	struct proc *vfork_parent;   /* waiting until this vfork child execs or exits */
	struct mm *mm;
	void *kstack;
	struct trap_frame *tf;       /* at the top of kstack */
	struct context ctx;
	struct fpsimd_state fp;
	uint64_t tpidr_el0;
	uaddr_t clear_child_tid;
	/* set_robust_list's head and length (kernel/futex.h: walked at exit
	 * and exec, then forgotten; a fork child starts without one). */
	uaddr_t robust_list;
	size_t robust_list_len;
	struct fdtable *files;       /* fs/fdtable.h */
	struct dentry *cwd, *root;   /* held (root: chroot's, "/" for all today) */
	struct dentry *exe;          /* the program it runs, held (/proc/PID/exe) */
	uint32_t umask;
	struct rlimit64 rlim[RLIM_NLIMITS];
	struct sigstate sig;         /* kernel/signal.h */
	bool stopped;                /* by a stop signal, until SIGCONT */
	int report;                  /* to the parent's wait: WUNTRACED/WCONTINUED bits */
	int stop_sig;
	bool autoreap;               /* a zombie nobody waits for: freed by the next switch */
	/* restart_syscall(128): what an interrupted sleep resumes (nanosleep, futex). */
	struct {
		long (*fn)(void);
		uint64_t deadline;
		uaddr_t rem;
		struct {             /* a timed futex wait (kernel/futex.c) */
			uaddr_t uaddr;
			uint32_t val, bitset;
			bool shared;
		} futex;
	} restart;
	struct timer real_timer;     /* ITIMER_REAL (kernel/ptimer.c) */
	uint64_t real_interval;
	struct ptimer *ptimers;      /* timer_create's */
	/* ITIMER_VIRTUAL, ITIMER_PROF: expiries in the process's CPU time (ns,
	 * 0: off) and intervals; user and kernel time are not told apart. */
	uint64_t cpu_timer[2], cpu_interval[2];
	uint64_t maxrss_kb, cmaxrss_kb;  /* the largest charge of its memory, KiB */
	struct wait_queue child_wait; /* it, waiting for a child to exit or leave vfork */
	/* CPU time, in counter ticks, measured at every switch (kernel/sched.c):
	 * its own, and its reaped children's with theirs (times, getrusage). */
	uint64_t cpu_ticks, child_cpu_ticks;
	uint64_t start_ns;           /* uptime_ns() when it was made (kernel/kstat.c) */
	/* Scheduling attributes (kernel/sched_attr.h): stored and reported,
	 * not yet obeyed by the round robin. fork inherits, exec keeps. */
	int policy;                  /* SCHED_NORMAL, _FIFO, _RR, _BATCH, _IDLE */
	int rt_priority;             /* 1..99 under FIFO and RR, else 0 */
	int nice;                    /* -20..19 */
	bool sched_reset_on_fork;    /* SCHED_RESET_ON_FORK */
	uint64_t cpus_allowed;       /* sched_setaffinity's mask: bit n is CPU n */
	int membarrier_state;        /* membarrier registrations (Linux: per mm; exec clears) */
};

/* The task this CPU runs (NULL in the idle loop): arch/arm64/current.h. */
#if __STDC_HOSTED__
extern struct proc *current;   /* host unit tests: their own fake */
#else
#define current ((struct proc *)arch_current_task())
#endif

/* The first process, from bootargs init=... and its arguments, made
 * runnable (the boot CPU's idle loop starts it); then arms fault injection
 * (fail_alloc=N) for everything after it. Returns it. */
struct proc *proc_start_init(const char *path, int argc, char argv[][BOOTARGS_ARG_LEN],
			     uint64_t fail_alloc_nth);
long proc_fork(struct trap_frame *tf, uint64_t flags, uaddr_t newsp, uaddr_t parent_tid,
	       uint64_t tls, uaddr_t child_tid);
/* exit(2): this thread ends; the process ends with its last thread. */
void proc_exit(int wait_status) __attribute__((noreturn));
/* exit_group(2) and fatal signals: every thread of the process ends, and
 * the process reports wait_status. */
void proc_exit_group(int wait_status) __attribute__((noreturn));
/* execve from any thread: the other threads end first, and the caller
 * takes the leader's place (its pid). */
void proc_exec_single(struct proc *p);
/* Whether p is the only thread of its process. */
static inline bool proc_single_threaded(const struct proc *p)
{
	return p->next_thread == NULL || p->next_thread == p;
}
long proc_wait(long pid, uaddr_t ustatus, int options);
/* waitid(2): idtype P_ALL/P_PID/P_PGID, fills the user siginfo. */
long proc_waitid(int idtype, long id, uaddr_t uinfo, int options);
/* p's process group. */
int proc_pgid(const struct proc *p);
struct proc *proc_init(void);
/* Calls fn for every live process (not unused slots). */
void proc_for_each(void (*fn)(struct proc *p, void *arg), void *arg);
/* Frees zombies nobody waits for (autoreap), but not current. */
void proc_reap_detached(void);
/* Sends sig to process pid alone (tkill, tgkill: SI_TKILL). Signals from
 * the kernel itself use send_signal/signal_send_kernel (kernel/signal.h). */
long proc_kill(long pid, int sig);
/* kill(2): pid > 0, or 0 / -1 / -pgid for groups and broadcast. */
long proc_kill_pid(long pid, int sig);
/* Sends sig to every process of group pgid: 0, -ESRCH if it has none. */
long proc_kill_pgrp(int pgid, int sig);
/* Linux's check_kill_permission for a signal from current (kill, tkill,
 * tgkill, rt_sigqueueinfo): 0, or -EPERM unless current is p, may signal
 * p by its uids (cred_may_kill), or sends SIGCONT within its session. */
long proc_may_signal(const struct proc *p, int sig);
/* Whether signal sig would be ignored or blocked by p (SIGTTIN/SIGTTOU rules). */
bool proc_sig_ignored_or_blocked(const struct proc *p, int sig);
/* Whether group pgid is orphaned (Linux's will_become_orphaned_pgrp, with
 * ignore, NULL for none): no member has a parent in another group of the
 * same session. A group with no members counts as orphaned. */
bool proc_pgrp_orphaned(int pgid, const struct proc *ignore);
/* Whether some process belongs to group pgid (in session sid, if sid > 0). */
bool proc_pgrp_exists(int pgid, int sid);
/* Process groups and sessions: setpgid, getpgid, setsid, getsid. */
long proc_setpgid(long pid, long pgid);
long proc_getpgid(long pid);
long proc_setsid(void);
long proc_getsid(long pid);
/* Records p's memory charge in its maxrss if it is the largest yet. */
void proc_note_maxrss(struct proc *p);
struct proc *proc_by_pid(int pid);
/* The ids files are created with and checked against. */
static inline uint32_t proc_fsuid(const struct proc *p) { return p->cred.fsuid; }
static inline uint32_t proc_fsgid(const struct proc *p) { return p->cred.fsgid; }
/* Kills the current process for a fault: one console line, then exit. */
void proc_fault_kill(int sig, const char *what, uint64_t addr) __attribute__((noreturn));
void proc_set_name(struct proc *p, const char *path);
/* A vfork child has let go of its parent's memory (exec or exit). */
void proc_vfork_release(struct proc *p);
int proc_count(void);

/* Scheduler (kernel/sched.c): one run queue for every CPU, switching at
 * blocking points and ticks, under the kernel lock.
 * Sleeping is kernel/wait.h's; sched_wake makes a sleeper runnable. */
void schedule(void);
void yield(void);
void sched_wake(struct proc *p);
/* The CPU time p has used (ns): CLOCK_PROCESS_CPUTIME_ID, times, getrusage.
 * User and kernel time are not told apart: all of it counts as user time. */
uint64_t proc_cpu_ns(const struct proc *p);
/* The same for p's reaped children (and theirs). */
uint64_t proc_children_cpu_ns(const struct proc *p);
/* The whole process's: every thread's, those that exited included. */
uint64_t proc_group_cpu_ns(const struct proc *p);
void sched_add(struct proc *p);
void sched_remove(struct proc *p);

/* arch/arm64/switch.S */
void cpu_switch(struct context *prev, struct context *next);
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);
void ret_from_fork(void);
#endif
