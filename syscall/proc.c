/* Process system calls. Single-threaded processes: a thread id is the pid. */
#include "syscall/syscall.h"
#include "kernel/exec.h"
#include "mm/uaccess.h"
#include <string.h>

#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define SIG_IGN 1
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

SYSCALL(exit)
{
	proc_exit((int)((ARG(0) & 0xff) << 8));
}

SYSCALL(exit_group)
{
	proc_exit((int)((ARG(0) & 0xff) << 8));
}

SYSCALL(clone)
{
	/* arm64's order: flags, newsp, parent_tidptr, tls, child_tidptr. */
	return proc_fork(tf, ARG(0), ARG(1), ARG(2), ARG(3), ARG(4));
}

SYSCALL(execve)
{
	return sys_execve_impl(ARG(0), ARG(1), ARG(2));
}

SYSCALL(wait4)
{
	if (ARG(3)) {
		static const uint8_t zero_rusage[144];
		if (copy_to_user(current->mm, ARG(3), zero_rusage, sizeof(zero_rusage)) < 0)
			return -EFAULT;
	}
	return proc_wait((long)(int)ARG(0), ARG(1), (int)ARG(2));
}

SYSCALL(getpid)
{
	(void)tf;
	return current->pid;
}

SYSCALL(gettid)
{
	(void)tf;
	return current->pid;
}

SYSCALL(getppid)
{
	(void)tf;
	return current->parent ? current->parent->pid : 0;
}

SYSCALL(getuid)
{
	(void)tf;
	return 0;   /* everyone is root: there is one user */
}

SYSCALL(kill)
{
	return proc_kill((long)(int)ARG(0), (int)ARG(1));
}

SYSCALL(tkill)
{
	return proc_kill((long)(int)ARG(0), (int)ARG(1));
}

SYSCALL(tgkill)
{
	if ((int)ARG(0) <= 0 || (int)ARG(1) <= 0)
		return -EINVAL;
	return proc_kill((long)(int)ARG(1), (int)ARG(2));
}

SYSCALL(set_tid_address)
{
	current->clear_child_tid = ARG(0);
	return current->pid;
}

SYSCALL(set_robust_list)
{
	return ARG(1) == 24 ? 0 : -EINVAL;   /* sizeof(struct robust_list_head) */
}

/* getrlimit/setrlimit/prlimit64 share this: old out, then new in. */
static long do_prlimit(long pid, unsigned res, uint64_t unew, uint64_t uold)
{
	struct rlimit64 nl;

	if (pid && pid != current->pid)
		return proc_by_pid((int)pid) ? -EPERM : -ESRCH;
	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (unew && copy_from_user(current->mm, &nl, unew, sizeof(nl)) < 0)
		return -EFAULT;
	if (unew && nl.cur > nl.max)
		return -EINVAL;
	if (uold && copy_to_user(current->mm, uold, &current->rlim[res], sizeof(nl)) < 0)
		return -EFAULT;
	if (unew)
		current->rlim[res] = nl;
	return 0;
}

SYSCALL(prlimit64)
{
	return do_prlimit((long)(int)ARG(0), (unsigned)ARG(1), ARG(2), ARG(3));
}

SYSCALL(getrlimit)
{
	return do_prlimit(0, (unsigned)ARG(0), 0, ARG(1));
}

SYSCALL(setrlimit)
{
	return do_prlimit(0, (unsigned)ARG(0), ARG(1), 0);
}

/* Handlers are recorded but never run: a signal not ignored ends the
 * process (its default action for the signals that matter here). */
SYSCALL(rt_sigaction)
{
	int sig = (int)ARG(0);
	uint64_t act[4] = { 0 };

	if (ARG(3) != 8 || sig < 1 || sig > 64)
		return -EINVAL;
	if (ARG(1) && (sig == SIGKILL || sig == 19 /* SIGSTOP */))
		return -EINVAL;
	if (ARG(2)) {
		uint64_t old[4] = { (current->sig_ignored >> (sig - 1)) & 1 ? SIG_IGN : 0, 0, 0, 0 };
		if (copy_to_user(current->mm, ARG(2), old, sizeof(old)) < 0)
			return -EFAULT;
	}
	if (ARG(1)) {
		if (copy_from_user(current->mm, act, ARG(1), sizeof(act)) < 0)
			return -EFAULT;
		if (act[0] == SIG_IGN)
			current->sig_ignored |= 1UL << (sig - 1);
		else
			current->sig_ignored &= ~(1UL << (sig - 1));
	}
	return 0;
}

SYSCALL(rt_sigprocmask)
{
	uint64_t set;

	if (ARG(3) != 8)
		return -EINVAL;
	if (ARG(2) && copy_to_user(current->mm, ARG(2), &current->sigmask, 8) < 0)
		return -EFAULT;
	if (!ARG(1))
		return 0;
	if (copy_from_user(current->mm, &set, ARG(1), 8) < 0)
		return -EFAULT;
	switch (ARG(0)) {
	case SIG_BLOCK: current->sigmask |= set; break;
	case SIG_UNBLOCK: current->sigmask &= ~set; break;
	case SIG_SETMASK: current->sigmask = set; break;
	default: return -EINVAL;
	}
	return 0;
}

SYSCALL(sched_yield)
{
	(void)tf;
	yield();
	return 0;
}

SYSCALL(prctl)
{
	char name[16];

	switch (ARG(0)) {
	case PR_SET_NAME:
		if (strncpy_from_user(current->mm, name, ARG(1), sizeof(name)) < 0 &&
		    copy_from_user(current->mm, name, ARG(1), sizeof(name) - 1) < 0)
			return -EFAULT;
		name[sizeof(name) - 1] = 0;
		memcpy(current->name, name, sizeof(name));
		return 0;
	case PR_GET_NAME:
		return copy_to_user(current->mm, ARG(1), current->name, 16) < 0 ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}
