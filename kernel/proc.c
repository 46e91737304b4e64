/*
 * Processes: creation (the first one, fork), exit, wait and kill.
 * Everything a process holds — its address space, kernel stack, files and
 * commit charge — is returned by exit and the parent's wait.
 */
#include "kernel/proc.h"
#include "kernel/exec.h"
#include "lib/uapi/errno.h"
#include "kernel/panic.h"
#include "lib/printk.h"
#include "kernel/run_end.h"
#include "lib/format.h"
#include "mm/vm.h"
#include "mm/kalloc.h"
#include "kernel/kstack.h"
#include "mm/commit.h"
#include "mm/uaccess.h"
#include "fs/file.h"
#include "fs/fs_proc.h"
#include "fs/fdtable.h"
#include "fs/console.h"
#include "lib/uapi/sched.h"
#include "lib/uapi/wait.h"
#include <string.h>
#include "arch/arm64/sysreg.h"
#include "kernel/ptimer.h"
#include "kernel/futex.h"
#include "kernel/sched_attr.h"

#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | \
			 CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
			 CLONE_CHILD_SETTID)

static struct proc *procs[NPROC];
static int next_pid = 1;
static struct proc *init_proc;

struct proc *proc_by_pid(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i] && procs[i]->pid == pid && procs[i]->state != P_UNUSED)
			return procs[i];
	return NULL;
}

int proc_count(void)
{
	int n = 0;

	for (int i = 0; i < NPROC; i++)
		n += procs[i] != NULL;
	return n;
}

void describe_current(char *buf, size_t size)
{
	if (current)
		ksnprintf(buf, size, "pid %d \"%s\"", current->pid, current->name);
	else if (init_proc)
		ksnprintf(buf, size, "idle");
	else
		ksnprintf(buf, size, "boot");
}

void proc_set_name(struct proc *p, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n >= sizeof(p->name))
		n = sizeof(p->name) - 1;
	memcpy(p->name, base, n);
	p->name[n] = 0;
}

static void default_rlimits(struct proc *p)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	p->rlim[RLIMIT_STACK] = (struct rlimit64){ 8UL << 20, RLIM_INFINITY };
	p->rlim[RLIMIT_NOFILE] = (struct rlimit64){ 1024, FD_MAX };   /* Linux: INR_OPEN_CUR, INR_OPEN_MAX */
	/* Linux's INIT_RLIMITS: no raising of priority without CAP_SYS_NICE. */
	p->rlim[RLIMIT_NICE] = (struct rlimit64){ 0, 0 };
	p->rlim[RLIMIT_RTPRIO] = (struct rlimit64){ 0, 0 };
}

/*
 * A process record with its kernel stack (charged); NULL when out of memory.
 * The first process is essential: its record comes from kmalloc_or_panic.
 */
static struct proc *proc_alloc(bool essential)
{
	int slot = -1;

	for (int i = 0; i < NPROC; i++)
		if (!procs[i]) {
			slot = i;
			break;
		}
	if (slot < 0)
		return NULL;
	struct proc *p = essential ? kmalloc_or_panic(sizeof(*p), 16) : kalloc(sizeof(*p));
	if (!p)
		return NULL;
	if (essential)
		memset(p, 0, sizeof(*p));
	if (commit_charge(1UL << KSTACK_ORDER) < 0) {
		kfree(p);
		return NULL;
	}
	p->kstack = kstack_alloc();
	if (!p->kstack) {
		commit_uncharge(1UL << KSTACK_ORDER);
		kfree(p);
		return NULL;
	}
	p->tf = (struct trap_frame *)((char *)p->kstack + KSTACK_SIZE - sizeof(struct trap_frame));
	p->ctx.sp = (uint64_t)p->tf;
	p->ctx.lr = (uint64_t)ret_from_fork;
	p->pid = p->tgid = next_pid++;
	p->leader = p;
	p->next_thread = p;
	p->live_threads = 1;
	p->fs_group = p->pid;
	procs[slot] = p;
	return p;
}

/* Takes p out of its group's ring of threads. */
static void unlink_thread(struct proc *p)
{
	struct proc *q = p;

	if (!p->next_thread || p->next_thread == p)
		return;
	while (q->next_thread != p)
		q = q->next_thread;
	q->next_thread = p->next_thread;
	p->next_thread = p;
}

/* The last of a process: its kernel stack and record (it is not running). */
static void proc_free(struct proc *p)
{
	unlink_thread(p);
	signal_release(p);
	for (int i = 0; i < NPROC; i++)
		if (procs[i] == p)
			procs[i] = NULL;
	sched_remove(p);
	kstack_free(p->kstack);
	commit_uncharge(1UL << KSTACK_ORDER);
	kfree(p);
}

struct proc *proc_start_init(const char *path, int argc, char argv[][BOOTARGS_ARG_LEN],
			     uint64_t fail_alloc_nth)
{
	struct proc *p = proc_alloc(true);
	const char *args[BOOTARGS_MAX_INIT_ARGS + 2];
	int n = 0;
	long err;

	if (!p)
		panic("no memory for the first process");
	init_proc = p;
	p->pgid = p->sid = p->pid;   /* init leads session 1, as on Linux */
	cred_init_root(&p->cred);
	sched_attr_init(p);
	run_end_note_start();
	signal_init_first(p);
	default_rlimits(p);
	fs_proc_init(p);
	args[n++] = path;
	for (int i = 0; i < argc && n < BOOTARGS_MAX_INIT_ARGS + 1; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	err = exec_kernel(p, path, args);
	if (err < 0)
		panic("cannot run init %s: error %ld", path, -err);
	p->state = P_RUNNABLE;
	sched_add(p);
	/* The first process is not optional: fault injection starts after it. */
	fail_alloc_set(fail_alloc_nth);
	if (fail_alloc_nth)
		printk("Fault injection: fallible allocation #%lu after this will fail\n",
		       (unsigned long)fail_alloc_nth);
	/* Under QEMU -icount shift=0 one ns of virtual time is one instruction. */
	printk("Starting init: %s (%lu ns since reset)\n", path, (unsigned long)uptime_ns());
	return p;
}

uint32_t *alloc_fail_nth_of_current(void)
{
	struct proc *p = current;

	return p ? &p->fail_nth : NULL;
}

/* The combinations Linux's copy_process refuses. */
static long clone_flags_valid(uint64_t flags)
{
	if (flags & ~(uint64_t)CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & (CLONE_PARENT | CLONE_THREAD)) && current == init_proc)
		return -EINVAL;   /* init has no siblings (SIGNAL_UNKILLABLE) */
	return 0;
}

/* A thread joins current's group: the process-wide fields are the group's. */
static void join_group(struct proc *child, struct proc *parent)
{
	struct proc *g = parent->leader;

	child->tgid = g->tgid;
	child->leader = g;
	child->next_thread = parent->next_thread;
	parent->next_thread = child;
	g->live_threads++;
	child->parent = g->parent;
}

long proc_fork(struct trap_frame *tf, uint64_t flags, uaddr_t newsp, uaddr_t parent_tid,
	       uint64_t tls, uaddr_t child_tid)
{
	struct proc *parent = current, *child;
	int err = (int)clone_flags_valid(flags);

	if (err)
		return err;
	child = proc_alloc(false);
	if (!child)
		return proc_count() >= NPROC ? -EAGAIN : -ENOMEM;
	child->mm = (flags & CLONE_VM) ? vm_share(parent->mm) : vm_fork(parent->mm, &err);
	if (!child->mm || fs_proc_fork(child, parent, flags) < 0 ||
	    signal_fork(child, parent, flags & CLONE_SIGHAND) < 0) {
		fs_proc_exit(child);
		vm_put(child->mm);
		proc_free(child);
		/* Linux: a thread that cannot be had is EAGAIN to pthread_create. */
		return (flags & CLONE_THREAD) ? -EAGAIN : -ENOMEM;
	}
	*child->tf = *tf;
	child->tf->x[0] = 0;
	if (!uaddr_is_null(newsp))
		child->tf->sp = uaddr_val(newsp);
	memcpy(child->name, parent->name, sizeof(child->name));
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	child->cred = parent->cred;
	sched_attr_fork(child, parent);
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->tty_detached = parent->tty_detached;
	if (flags & CLONE_THREAD)
		join_group(child, parent);
	else
		child->parent = (flags & CLONE_PARENT) ? parent->leader->parent : parent->leader;
	fpsimd_save(&child->fp);
	child->tpidr_el0 = read_sysreg(tpidr_el0);
	if (flags & CLONE_SETTLS)
		child->tpidr_el0 = tls;
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = child_tid;
	uint32_t tid = child->pid;
	if (flags & CLONE_CHILD_SETTID)
		copy_to_user(child->mm, child_tid, &tid, sizeof(tid));
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(parent->mm, parent_tid, &tid, sizeof(tid));
	child->state = P_RUNNABLE;
	sched_add(child);
	if (flags & CLONE_VFORK) {
		/* Uninterruptible: the child runs on this memory until it lets go. */
		child->vfork_parent = parent;
		wait_event_uninterruptible(&parent->child_wait, !child->vfork_parent);
	}
	return child->pid;
}

void proc_vfork_release(struct proc *p)
{
	if (p->vfork_parent) {
		wake_up(&p->vfork_parent->child_wait);
		p->vfork_parent = NULL;
	}
}

static void kill_orphaned_pgrps(struct proc *p);

/* A process's group and session: every thread carries them. */
static void set_group_ids(struct proc *p, int pgid, int sid)
{
	struct proc *t = p;

	do {
		t->pgid = pgid;
		t->sid = sid;
	} while ((t = t->next_thread) && t != p);
}

/* Orphans go to init, which reaps them. */
static void reparent_children(struct proc *p)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *c = procs[i];
		if (c && c->parent == p) {
			c->parent = init_proc;
			if (c->state == P_ZOMBIE)
				wake_up(&init_proc->child_wait);
		}
	}
}

/* CLONE_CHILD_CLEARTID: 0 at the address and one waiter woken, so that
 * pthread_join returns (only while others share the memory, as Linux). */
static void clear_child_tid(struct proc *p)
{
	uint32_t zero = 0;

	if (uaddr_is_null(p->clear_child_tid) || !p->mm || p->mm->users < 2)
		return;
	if (copy_to_user(p->mm, p->clear_child_tid, &zero, sizeof(zero)) == 0)
		futex_wake_user(p->mm, p->clear_child_tid, 1, false);
	p->clear_child_tid = uaddr(0);
}

/* What every thread lets go of when it ends. */
static void release_thread(struct proc *p)
{
	struct mm *mm = p->mm;

	futex_exit_robust(p);        /* the list is in the memory about to go */
	clear_child_tid(p);
	fs_proc_exit(p);
	proc_note_maxrss(p);
	p->mm = NULL;
	vm_activate(NULL);
	vm_put(mm);
	proc_vfork_release(p);
}

/* Whether a task may be one proc_reap_detached frees: set with every
 * autoreap, so that the scan runs only when there can be something. */
static bool reap_pending;

/* The process ends: its last thread has, g is its leader. */
static void end_process(struct proc *g)
{
	/* exit_group's status, else the leader's own (Linux's group_exit_code). */
	if (g->group_exit)
		g->wait_status = g->group_status;
	ptimer_exit(g);
	if (g == init_proc) {
		/* Its handlers, which a zombie keeps until it is freed: the
		 * balance counts init as holding its kernel stack alone. */
		signal_release(g);
		run_end_init_exited(g->wait_status);
	}
	if (g->sid == g->pid)
		tty_session_leader_exit(g);
	reparent_children(g);
	g->stopped = false;
	if (g->parent) {
		/* A parent that ignores SIGCHLD (or set SA_NOCLDWAIT) never waits:
		 * the zombie is freed by the next switch (proc_reap_detached). */
		int st = g->wait_status;
		g->autoreap = signal_child_autoreap(g->parent);
		reap_pending |= g->autoreap;
		int code = (st & 0x7f) == 0 ? CLD_EXITED : (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
		signal_notify_parent(g, code, code == CLD_EXITED ? (st >> 8) & 0xff : st & 0x7f);
	}
}

void proc_exit(int wait_status)
{
	struct proc *p = current, *g = p->leader;

	proc_reap_detached();
	if (g->group_exit)
		wait_status = g->group_status;
	/* The process's last thread: groups it held together are orphaned
	 * now (checked while it still counts as alive). */
	if (g->live_threads == 1)
		kill_orphaned_pgrps(g);
	release_thread(p);
	signal_exit(p);
	p->wait_status = wait_status;
	p->state = P_ZOMBIE;
	bool last = --g->live_threads == 0;
	wake_up(&g->group_wait);
	if (p != g) {
		/* A thread is reaped at once; the leader stays for the wait. */
		g->dead_thread_ticks += p->cpu_ticks;
		p->autoreap = true;
		reap_pending = true;
		p->live_threads = 0;    /* a dead thread names nobody (kill of its tid) */
	}
	if (last)
		end_process(g);
	schedule();
	panic("a zombie was scheduled");
}

void proc_exit_group(int wait_status)
{
	struct proc *g = current->leader;

	/* Threads killed by an exec in another thread end alone. */
	if (g->exec_thread && g->exec_thread != current)
		proc_exit(wait_status);
	if (!g->group_exit) {
		g->group_exit = true;
		g->group_status = wait_status;
		for (struct proc *t = current->next_thread; t != current; t = t->next_thread)
			if (t->state != P_ZOMBIE)
				send_signal(t, SIGKILL, NULL);
	}
	proc_exit(wait_status);
}

/* exec's de_thread: every other thread ends; a thread that is not the
 * leader takes the leader's place and pid, as Linux's. */
void proc_exec_single(struct proc *p)
{
	struct proc *g = p->leader;

	if (proc_single_threaded(p))
		return;
	g->exec_thread = p;
	for (struct proc *t = p->next_thread; t != p; t = t->next_thread)
		if (t->state != P_ZOMBIE)
			send_signal(t, SIGKILL, NULL);
	wait_event_uninterruptible(&g->group_wait, g->live_threads == 1);
	g->exec_thread = NULL;
	if (p == g)
		return;
	/* The leader is a zombie now: p takes its pid and process-wide state. */
	int pid = g->pid;
	g->pid = p->pid;
	p->pid = p->tgid = pid;
	p->parent = g->parent;
	p->pgid = g->pgid;
	p->sid = g->sid;
	p->child_cpu_ticks = g->child_cpu_ticks;
	p->dead_thread_ticks += g->cpu_ticks + g->dead_thread_ticks;
	for (int i = 0; i < NPROC; i++)
		if (procs[i] && procs[i] != g && procs[i]->parent == g)
			procs[i]->parent = p;
	unlink_thread(g);
	for (int i = 0; i < NPROC; i++)
		if (procs[i] && procs[i]->leader == g)
			procs[i]->leader = p;
	p->leader = p;
	p->live_threads = 1;
	g->autoreap = true;
	reap_pending = true;
	g->parent = NULL;
}

void proc_fault_kill(int sig, const char *what, uint64_t addr)
{
	printk("pid %d (%s): %s at 0x%lx, pc 0x%lx: killed by signal %d\n", current->pid,
	       current->name, what, (unsigned long)addr, (unsigned long)current->tf->elr, sig);
	proc_exit_group(sig | 0x80);   /* every fault signal dumps core (no core file is written) */
}

struct proc *proc_init(void)
{
	return init_proc;
}

int proc_pgid(const struct proc *p)
{
	return p->pgid;
}

void proc_for_each(void (*fn)(struct proc *p, void *arg), void *arg)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i] && procs[i]->state != P_UNUSED)
			fn(procs[i], arg);
}

void proc_reap_detached(void)
{
	bool left = false;

	if (!reap_pending)
		return;
	for (int i = 0; i < NPROC; i++) {
		struct proc *z = procs[i];
		if (!z || !z->autoreap || z->state == P_UNUSED)
			continue;
		if (z != current && z->state == P_ZOMBIE)
			proc_free(z);
		else
			left = true;
	}
	reap_pending = left;
}

/* What a waiting parent can collect from a child. */
enum wait_event_kind { WE_NONE, WE_EXITED, WE_STOPPED, WE_CONTINUED };

static bool wait_matches(const struct proc *c, int idtype, long id)
{
	/* Children are the process's, whichever thread waits; a thread is
	 * never waited for, and a leader only once its threads are gone. */
	if (c->parent != current->leader || c->autoreap || c->state == P_UNUSED ||
	    c->pid != c->tgid)
		return false;
	if (c->state == P_ZOMBIE && c->live_threads > 0)
		return false;
	switch (idtype) {
	case P_PID: return c->pid == id;
	case P_PGID: return proc_pgid(c) == id;
	default: return true;
	}
}

/* A child of idtype/id with something to report per options, or NULL; *any
 * says whether such a child exists at all. */
static struct proc *find_event(int idtype, long id, int options, enum wait_event_kind *kind,
			       bool *any)
{
	*any = false;
	for (int i = 0; i < NPROC; i++) {
		struct proc *c = procs[i];
		if (!c || !wait_matches(c, idtype, id))
			continue;
		*any = true;
		if (c->state == P_ZOMBIE && (options & WEXITED)) {
			*kind = WE_EXITED;
			return c;
		}
		if (c->state != P_ZOMBIE && (options & WUNTRACED) && c->stopped &&
		    (c->report & WUNTRACED)) {
			*kind = WE_STOPPED;
			return c;
		}
		if (c->state != P_ZOMBIE && (options & WCONTINUED) && (c->report & WCONTINUED)) {
			*kind = WE_CONTINUED;
			return c;
		}
	}
	*kind = WE_NONE;
	return NULL;
}

/* The parent sleeps on its own child_wait queue, which a child's exit, stop
 * and continue wake (and reparenting, when it hands init a zombie). */
static long wait_common(int idtype, long id, int options, struct proc **out,
			enum wait_event_kind *kind)
{
	struct proc *c;
	bool any;

	proc_reap_detached();
	if (options & WNOHANG) {
		c = find_event(idtype, id, options, kind, &any);
	} else {
		long err = wait_event(&current->leader->child_wait,
				      (c = find_event(idtype, id, options, kind, &any)) || !any);
		if (err)
			return err;
	}
	*out = c;
	return c ? 1 : any ? 0 : -ECHILD;
}

static void collect(struct proc *z)
{
	struct proc *g = current->leader;

	g->child_cpu_ticks += z->cpu_ticks + z->dead_thread_ticks + z->child_cpu_ticks;
	if (z->maxrss_kb > g->cmaxrss_kb)
		g->cmaxrss_kb = z->maxrss_kb;
	if (z->cmaxrss_kb > g->cmaxrss_kb)
		g->cmaxrss_kb = z->cmaxrss_kb;
	proc_free(z);
}

long proc_wait(long pid, uaddr_t ustatus, int options)
{
	enum wait_event_kind kind;
	struct proc *c;
	int idtype = P_ALL;
	long id = 0, r;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid > 0) {
		idtype = P_PID;
		id = pid;
	} else if (pid == 0 || pid < -1) {
		idtype = P_PGID;
		id = pid ? -pid : proc_pgid(current);
	}
	r = wait_common(idtype, id, options | WEXITED, &c, &kind);
	if (r <= 0)
		return r;
	int st = kind == WE_EXITED ? c->wait_status
	       : kind == WE_STOPPED ? (c->stop_sig << 8) | 0x7f : 0xffff;
	int cpid = c->pid;
	/* As Linux's kernel_wait4: the event is consumed (the zombie reaped)
	 * before the status is stored, so a bad pointer is EFAULT after it. */
	if (kind == WE_EXITED)
		collect(c);
	else
		c->report &= ~(kind == WE_STOPPED ? WUNTRACED : WCONTINUED);
	if (!uaddr_is_null(ustatus) && copy_to_user(current->mm, ustatus, &st, sizeof(st)) < 0)
		return -EFAULT;
	return cpid;
}

long proc_waitid(int idtype, long id, uaddr_t uinfo, int options)
{
	enum wait_event_kind kind;
	struct linux_siginfo info;
	struct proc *c;
	long r;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD |
			__WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (idtype) {
	case P_ALL:
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		if (id == 0)
			id = proc_pgid(current);
		break;
	default:
		return -EINVAL;
	}
	r = wait_common(idtype, id, options, &c, &kind);
	if (r < 0)
		return r;
	memset(&info, 0, sizeof(info));
	if (c) {
		info.si_signo = SIGCHLD;
		info.u.chld.pid = c->pid;
		if (kind == WE_EXITED) {
			int st = c->wait_status;
			info.si_code = (st & 0x7f) == 0 ? CLD_EXITED : (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
			info.u.chld.status = (st & 0x7f) == 0 ? (st >> 8) & 0xff : st & 0x7f;
		} else {
			info.si_code = kind == WE_STOPPED ? CLD_STOPPED : CLD_CONTINUED;
			info.u.chld.status = kind == WE_STOPPED ? c->stop_sig : SIGCONT;
		}
	}
	/* Consumed first, as Linux's waitid: a bad infop is EFAULT after it. */
	if (c && !(options & WNOWAIT)) {
		if (kind == WE_EXITED)
			collect(c);
		else
			c->report &= ~(kind == WE_STOPPED ? WUNTRACED : WCONTINUED);
	}
	if (!uaddr_is_null(uinfo) && copy_to_user(current->mm, uinfo, &info, sizeof(info)) < 0)
		return -EFAULT;
	return 0;
}

static void user_info(struct linux_siginfo *info, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	info->u.rt.pid = current ? current->tgid : 0;
	info->u.rt.uid = current ? current->cred.uid : 0;
}

/* tkill and tgkill aim at one thread; kill at its whole process. */
static long kill_one(struct proc *p, int sig, int code)
{
	struct linux_siginfo info;

	user_info(&info, sig, code);
	if (!sig)
		return 0;
	return code == SI_TKILL ? send_signal(p, sig, &info) : send_signal_group(p, sig, &info);
}

long proc_may_signal(const struct proc *p, int sig)
{
	if (!current || p == current || cred_may_kill(&current->cred, &p->cred))
		return 0;
	if (sig == SIGCONT && p->sid == current->sid)
		return 0;   /* job control across users within a session */
	return -EPERM;
}

/* A signal from current's system call: checked, then sent. */
static long kill_one_checked(struct proc *p, int sig, int code)
{
	long err = proc_may_signal(p, sig);

	return err ? err : kill_one(p, sig, code);
}

long proc_kill(long pid, int sig)
{
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	struct proc *p = pid > 0 ? proc_by_pid((int)pid) : NULL;
	if (!p)
		return -ESRCH;
	long err = proc_may_signal(p, sig);
	if (err)
		return err;
	return p->state == P_ZOMBIE ? -ESRCH : kill_one(p, sig, SI_TKILL);
}

/* Every live member of group pgid, as Linux's __kill_pgrp_info: 0 if one
 * took the signal, else the last error (-ESRCH for an empty group). A
 * system call's signal (checked) is refused per member, the kernel's not. */
static long kill_pgrp(int pgid, int sig, bool checked)
{
	bool sent = false;
	long ret = -ESRCH;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = procs[i];
		if (!p || p->state == P_UNUSED || p->state == P_ZOMBIE || proc_pgid(p) != pgid ||
		    p->pid != p->tgid)
			continue;
		ret = checked ? kill_one_checked(p, sig, SI_USER) : kill_one(p, sig, SI_USER);
		sent |= ret == 0;
	}
	return sent ? 0 : ret;
}

long proc_kill_pgrp(int pgid, int sig)
{
	return kill_pgrp(pgid, sig, false);
}

/*
 * kill(2)'s targets, as Linux: pid > 0 that process; 0 the caller's process
 * group; -1 every process the caller may signal but init and itself (ESRCH
 * if there is none; those it may not signal are skipped, not an error);
 * < -1 the process group -pid. Init takes only the signals it has a
 * handler for (send_signal). Permission is Linux's check_kill_permission
 * (proc_may_signal).
 */
long proc_kill_pid(long pid, int sig)
{
	int found = 0;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid > 0) {
		struct proc *p = proc_by_pid((int)pid);
		if (!p)
			return -ESRCH;
		long err = proc_may_signal(p, sig);
		if (err)
			return err;
		/* A leader that has exited still names its live threads. */
		return p->state == P_ZOMBIE && p->live_threads == 0 ? 0 : kill_one(p, sig, SI_USER);
	}
	if (pid == 0)
		return kill_pgrp(proc_pgid(current), sig, true);
	if (pid < -1)
		return pid < -2147483647L ? -ESRCH : kill_pgrp((int)-pid, sig, true);
	long ret = 0;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = procs[i];
		if (!p || p->tgid == current->tgid || p == init_proc || p->state == P_UNUSED ||
		    p->pid != p->tgid)
			continue;
		found++;
		long r = p->state == P_ZOMBIE ? proc_may_signal(p, sig)
					      : kill_one_checked(p, sig, SI_USER);
		if (r != -EPERM)
			ret = r;
	}
	return found ? ret : -ESRCH;
}

bool proc_sig_ignored_or_blocked(const struct proc *p, int sig)
{
	uint64_t bit = 1UL << (sig - 1);

	return p->sighand->action[sig - 1].handler == SIG_IGN || (p->sig.blocked & bit);
}

/* A zombie still belongs to its group until it is reaped, as on Linux (its
 * pid is detached only then): a pipeline's later members may join, and hand
 * the terminal to, a group whose first member has already exited. */
bool proc_pgrp_exists(int pgid, int sid)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = procs[i];
		if (p && p->state != P_UNUSED && p->pgid == pgid &&
		    (sid <= 0 || p->sid == sid))
			return true;
	}
	return false;
}

/* Linux's will_become_orphaned_pgrp: true unless some member (other than
 * ignore) has a live parent in a different group of the same session. */
bool proc_pgrp_orphaned(int pgid, const struct proc *ignore)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = procs[i];
		if (!p || p == ignore || p->state == P_UNUSED || p->state == P_ZOMBIE ||
		    p->pgid != pgid)
			continue;
		struct proc *q = p->parent;
		if (!q || q == ignore || q->state == P_ZOMBIE || q == init_proc)
			continue;
		if (q->pgid != pgid && q->sid == p->sid)
			return false;
	}
	return true;
}

/* Whether p is stopped (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU). */
static bool proc_stopped(const struct proc *p)
{
	return p->stopped;
}

static bool pgrp_has_stopped(int pgid)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i] && procs[i]->pgid == pgid && procs[i]->state != P_ZOMBIE &&
		    proc_stopped(procs[i]))
			return true;
	return false;
}

/* A group newly orphaned by p's exit with stopped members gets SIGHUP, then
 * SIGCONT (POSIX; Linux's kill_orphaned_pgrp). Stopping arrives with the
 * signal work: until then no member can be stopped and nothing is sent. */
static void orphan_check_one(int pgid, int sid, const struct proc *exiting)
{
	if (pgid <= 0 || sid != exiting->sid || !proc_pgrp_exists(pgid, 0))
		return;
	if (proc_pgrp_orphaned(pgid, exiting) && !proc_pgrp_orphaned(pgid, NULL) &&
	    pgrp_has_stopped(pgid)) {
		proc_kill_pgrp(pgid, SIGHUP);
		proc_kill_pgrp(pgid, SIGCONT);
	}
}

static void kill_orphaned_pgrps(struct proc *p)
{
	/* Its own group, if it held it together with an outside parent... */
	if (p->parent && p->parent->pgid != p->pgid && p->parent->sid == p->sid)
		orphan_check_one(p->pgid, p->sid, p);
	/* ...and each child's group it was the outside link for. */
	for (int i = 0; i < NPROC; i++) {
		struct proc *c = procs[i];
		if (c && c->parent == p && c->pgid != p->pgid)
			orphan_check_one(c->pgid, c->sid, p);
	}
}

static struct proc *pid_or_current(long pid)
{
	if (!pid)
		return current;
	struct proc *p = pid > 0 && pid <= 2147483647L ? proc_by_pid((int)pid) : NULL;
	return p && p->state != P_ZOMBIE ? p : NULL;
}

long proc_getpgid(long pid)
{
	if (pid < 0)
		return -ESRCH;
	struct proc *p = pid_or_current(pid);
	return p ? p->pgid : -ESRCH;
}

long proc_getsid(long pid)
{
	if (pid < 0)
		return -ESRCH;
	struct proc *p = pid_or_current(pid);
	return p ? p->sid : -ESRCH;
}

/* setpgid(2), with Linux's checks in Linux's order. */
long proc_setpgid(long pid, long pgid)
{
	if (!pid)
		pid = current->pid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0 || pgid > 2147483647L)
		return -EINVAL;
	struct proc *p = pid > 0 ? pid_or_current(pid) : NULL;
	if (!p)
		return -ESRCH;
	if (p != current) {
		if (p->parent != current)
			return -ESRCH;
		if (p->sid != current->sid)
			return -EPERM;
		if (p->did_exec)
			return -EACCES;
	}
	if (p->sid == p->pid)     /* a session leader */
		return -EPERM;
	if (pgid != p->pid && !proc_pgrp_exists((int)pgid, current->sid))
		return -EPERM;
	set_group_ids(p, (int)pgid, p->sid);
	return 0;
}

long proc_setsid(void)
{
	struct proc *p = current;

	if (p->pgid == p->pid || proc_pgrp_exists(p->pid, 0))
		return -EPERM;
	set_group_ids(p, p->pid, p->pid);
	tty_session_left(p);
	return p->sid;
}

void proc_note_maxrss(struct proc *p)
{
	uint64_t kb = p->mm ? p->mm->charged * (PAGE_SIZE / 1024) : 0;

	if (kb > p->maxrss_kb)
		p->maxrss_kb = kb;
}
