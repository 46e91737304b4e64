/* Process system calls. Single-threaded processes: a thread id is the pid. */
#include "syscall/syscall.h"
#include "fs/fs_proc.h"
#include "mm/vm.h"
#include "lib/uapi/sched.h"
#include "kernel/exec.h"
#include "lib/printk.h"
#include "kernel/tick.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "lib/uapi/prctl.h"
#include "lib/uapi/resource.h"
#include "lib/uapi/signal.h"
#include "lib/uapi/time.h"
#include "lib/uapi/wait.h"
#include <string.h>

#define INT_MIN (-2147483647 - 1)
#define NR_OPEN 1048576                  /* Linux's fs.nr_open: the most RLIMIT_NOFILE may be */
#define USER_HZ 100                      /* clock_t ticks (sysconf(_SC_CLK_TCK), AT_CLKTCK) */

long sys_exit(int status)
{
	proc_exit((status & 0xff) << 8);
}

long sys_exit_group(int status)
{
	proc_exit_group((status & 0xff) << 8);
}

/* arm64's order: flags, newsp, parent_tidptr, tls, child_tidptr. The child
 * starts from a copy of the caller's registers, so this one takes the frame. */
long sys_clone(struct trap_frame *tf, unsigned long flags, uaddr_t newsp, uaddr_t parent_tid,
	       unsigned long tls, uaddr_t child_tid)
{
	return proc_fork(tf, flags, newsp, parent_tid, tls, child_tid);
}

/* struct clone_args (linux/sched.h), as far as CLONE_ARGS_SIZE_VER2. */
struct linux_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
		 set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_SIZE_VER0 64
#define CLONE_PIDFD          0x00001000
#define CLONE_INTO_CGROUP    0x200000000ULL

/* The bytes of a larger struct than this kernel knows must be zero (E2BIG
 * otherwise), as Linux's copy_struct_from_user. */
static long clone_args_from_user(uaddr_t uargs, size_t size, struct linux_clone_args *a)
{
	size_t known = sizeof(*a);

	memset(a, 0, sizeof(*a));
	if (size < CLONE_ARGS_SIZE_VER0 || size > PAGE_SIZE)
		return -EINVAL;
	if (copy_from_user(current->mm, a, uargs, size < known ? size : known) < 0)
		return -EFAULT;
	for (size_t off = known; off < size; off++) {
		uint8_t b;
		if (copy_from_user(current->mm, &b, uaddr_add(uargs, off), 1) < 0)
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	return 0;
}

long sys_clone3(struct trap_frame *tf, uaddr_t uargs, size_t size)
{
	struct linux_clone_args a;
	long err = clone_args_from_user(uargs, size, &a);

	if (err)
		return err;
	/* The signal is its own field here; pidfds, set_tid and cgroups are
	 * not provided (Linux would need privilege or a pidfd file). */
	if ((a.flags & (CSIGNAL | CLONE_DETACHED)) || (a.exit_signal & ~(uint64_t)CSIGNAL) ||
	    a.exit_signal > _NSIG)
		return -EINVAL;
	if ((a.flags & (CLONE_PIDFD | CLONE_INTO_CGROUP)) || a.set_tid || a.set_tid_size)
		return -EINVAL;
	if ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal)
		return -EINVAL;
	if ((a.stack == 0) != (a.stack_size == 0) || a.stack > UINT64_MAX - a.stack_size)
		return -EINVAL;
	uaddr_t sp = uaddr(a.stack ? a.stack + a.stack_size : 0);
	return proc_fork(tf, a.flags | a.exit_signal, sp, uaddr(a.parent_tid), a.tls,
			 uaddr(a.child_tid));
}

/* unshare(2) of what Bramble shares: the fs state and the descriptor table;
 * CLONE_THREAD, CLONE_SIGHAND and CLONE_VM only when nothing shares them. */
long sys_unshare(uint64_t flags)
{
	if (flags & ~(uint64_t)(CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_THREAD |
				CLONE_SIGHAND | CLONE_VM))
		return -EINVAL;
	if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) && !proc_single_threaded(current))
		return -EINVAL;
	if ((flags & CLONE_VM) && current->mm->users > 1)
		return -EINVAL;
	if (flags & CLONE_FILES) {
		long err = fs_proc_unshare_files(current);
		if (err)
			return err;
	}
	if (flags & CLONE_FS)
		fs_proc_unshare_fs(current);
	return 0;
}

long sys_execve(uaddr_t path, uaddr_t argv, uaddr_t envp)
{
	proc_note_maxrss(current);   /* the old image's memory counts too */
	return sys_execve_impl(path, argv, envp);
}

long sys_wait4(int pid, uaddr_t status, int options, uaddr_t rusage)
{
	if (pid == INT_MIN)
		return -ESRCH;   /* -INT_MIN is no process group */
	long r = proc_wait(pid, status, options);
	/* As Linux's wait4: the usage is stored for a child reported, after
	 * it was reaped (a bad pointer is EFAULT then). */
	if (r > 0 && !uaddr_is_null(rusage)) {
		static const struct linux_rusage zero;
		if (copy_to_user(current->mm, rusage, &zero, sizeof(zero)) < 0)
			return -EFAULT;
	}
	return r;
}

long sys_waitid(int idtype, int id, uaddr_t infop, int options, uaddr_t rusage)
{
	if (!uaddr_is_null(rusage)) {
		static const struct linux_rusage zero;
		if (copy_to_user(current->mm, rusage, &zero, sizeof(zero)) < 0)
			return -EFAULT;
	}
	return proc_waitid(idtype, id, infop, options);
}

long sys_getpid(void)
{
	return current->tgid;
}

long sys_gettid(void)
{
	return current->pid;
}

long sys_getppid(void)
{
	struct proc *parent = current->leader->parent;

	return parent ? parent->tgid : 0;
}

long sys_setpgid(int pid, int pgid)
{
	return proc_setpgid(pid, pgid);
}

long sys_getpgid(int pid)
{
	return proc_getpgid(pid);
}

long sys_getsid(int pid)
{
	return proc_getsid(pid);
}

long sys_setsid(void)
{
	return proc_setsid();
}

long sys_set_tid_address(uaddr_t tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

/* getrlimit/setrlimit/prlimit64 share this: old out, then new in. */
static long do_prlimit(int pid, unsigned int res, uaddr_t unew, uaddr_t uold)
{
	struct rlimit64 nl;

	if (pid && pid != current->pid)
		return proc_by_pid(pid) ? -EPERM : -ESRCH;
	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (!uaddr_is_null(unew) && copy_from_user(current->mm, &nl, unew, sizeof(nl)) < 0)
		return -EFAULT;
	if (!uaddr_is_null(unew) && nl.rlim_cur > nl.rlim_max)
		return -EINVAL;
	if (!uaddr_is_null(unew) && res == RLIMIT_NOFILE && nl.rlim_max > NR_OPEN)
		return -EPERM;
	if (!uaddr_is_null(uold) && copy_to_user(current->mm, uold, &current->rlim[res], sizeof(nl)) < 0)
		return -EFAULT;
	if (!uaddr_is_null(unew)) {
		/* A process's limit: every thread carries it. */
		struct proc *t = current;
		do {
			t->rlim[res] = nl;
		} while ((t = t->next_thread) != current);
	}
	return 0;
}

long sys_prlimit64(int pid, unsigned int resource, uaddr_t new_rlim, uaddr_t old_rlim)
{
	return do_prlimit(pid, resource, new_rlim, old_rlim);
}

long sys_getrlimit(unsigned int resource, uaddr_t rlim)
{
	return do_prlimit(0, resource, uaddr(0), rlim);
}

long sys_setrlimit(unsigned int resource, uaddr_t rlim)
{
	return do_prlimit(0, resource, rlim, uaddr(0));
}

/* ---- CPU time ------------------------------------------------------------------ */

static int64_t ns_to_clock_t(uint64_t ns)
{
	return (int64_t)(ns / (1000000000UL / USER_HZ));
}

static struct linux_timeval ns_to_timeval(uint64_t ns)
{
	return (struct linux_timeval){ (int64_t)(ns / 1000000000UL),
				       (int64_t)(ns % 1000000000UL / 1000) };
}

/* Returns clock ticks since boot, as Linux returns them since its own start.
 * The same figures as getrusage's RUSAGE_SELF and RUSAGE_CHILDREN. */
long sys_times(uaddr_t buf)
{
	struct linux_tms t = {
		/* All CPU time is counted as user time (kernel/proc.h). */
		.tms_utime = ns_to_clock_t(proc_group_cpu_ns(current)),
		.tms_cutime = ns_to_clock_t(proc_children_cpu_ns(current)),
	};

	if (!uaddr_is_null(buf) && copy_to_user(current->mm, buf, &t, sizeof(t)) < 0)
		return -EFAULT;
	return (long)(uptime_ns() / (1000000000UL / USER_HZ));
}

/* Adds task t's own figures to *ru. */
static void rusage_add_task(struct linux_rusage *ru, struct proc *t)
{
	proc_note_maxrss(t);
	ru->ru_utime = ns_to_timeval(proc_cpu_ns(t));
	if ((int64_t)t->maxrss_kb > ru->ru_maxrss)
		ru->ru_maxrss = (int64_t)t->maxrss_kb;   /* the memory is shared: the largest */
}

/*
 * RUSAGE_SELF is the whole thread group's (its CPU time summed over the
 * threads, those that exited included), RUSAGE_THREAD the calling task's
 * alone.
 */
long sys_getrusage(int who, uaddr_t usage)
{
	struct linux_rusage ru;

	memset(&ru, 0, sizeof(ru));
	switch (who) {
	case RUSAGE_SELF:
		rusage_add_task(&ru, current);
		ru.ru_utime = ns_to_timeval(proc_group_cpu_ns(current));
		break;
	case RUSAGE_THREAD:
		rusage_add_task(&ru, current);
		break;
	case RUSAGE_CHILDREN:
		ru.ru_utime = ns_to_timeval(proc_children_cpu_ns(current));
		ru.ru_maxrss = (int64_t)current->cmaxrss_kb;
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user(current->mm, usage, &ru, sizeof(ru)) < 0 ? -EFAULT : 0;
}

long sys_sched_yield(void)
{
	yield();
	return 0;
}

long sys_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4,
	       unsigned long arg5)
{
	char name[16];

	(void)arg3, (void)arg4, (void)arg5;
	switch (option) {
	case PR_SET_NAME:
		if (strncpy_from_user(current->mm, name, uaddr(arg2), sizeof(name)) < 0 &&
		    copy_from_user(current->mm, name, uaddr(arg2), sizeof(name) - 1) < 0)
			return -EFAULT;
		name[sizeof(name) - 1] = 0;
		memcpy(current->name, name, sizeof(name));
		return 0;
	case PR_GET_NAME:
		return copy_to_user(current->mm, uaddr(arg2), current->name, 16) < 0 ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}
