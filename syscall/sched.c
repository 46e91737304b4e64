/*
 * The scheduling calls (kernel/sched_attr.h does the work): policies and
 * priorities, nice values, CPU affinity, getcpu and membarrier, with
 * Linux's argument checks in Linux's order (kernel/sched/core.c,
 * kernel/sys.c). sched_yield is in proc.c.
 */
#include "syscall/syscall.h"
#include "kernel/sched_attr.h"
#include "mm/uaccess.h"
#include "lib/uapi/time.h"

#define CPUMASK_BYTES 8   /* Linux's cpumask_size(): nr_cpu_ids bits in longs */

/* Linux's find_process_by_pid: 0 is the caller; a negative pid is no one. */
static struct proc *find_process(int pid)
{
	return pid ? (pid > 0 ? proc_by_pid(pid) : NULL) : current;
}

/* sched_setscheduler and sched_setparam (policy -1). */
static long do_setscheduler(int pid, int policy, uaddr_t uparam)
{
	int priority;   /* struct sched_param is one int */

	if (uaddr_is_null(uparam) || pid < 0)
		return -EINVAL;
	if (copy_from_user(current->mm, &priority, uparam, sizeof(priority)) < 0)
		return -EFAULT;
	struct proc *p = find_process(pid);
	if (!p)
		return -ESRCH;
	return sched_set_policy(p, policy, priority);
}

long sys_sched_setscheduler(int pid, int policy, uaddr_t param)
{
	if (policy < 0)
		return -EINVAL;
	return do_setscheduler(pid, policy, param);
}

long sys_sched_setparam(int pid, uaddr_t param)
{
	return do_setscheduler(pid, -1, param);
}

long sys_sched_getscheduler(int pid)
{
	long err;
	struct proc *p = sched_find(pid, &err);

	return p ? sched_get_policy(p) : err;
}

long sys_sched_getparam(int pid, uaddr_t param)
{
	long err;

	if (uaddr_is_null(param))
		return -EINVAL;
	struct proc *p = sched_find(pid, &err);
	if (!p)
		return err;
	int priority = sched_get_priority(p);
	return copy_to_user(current->mm, param, &priority, sizeof(priority)) < 0 ? -EFAULT : 0;
}

long sys_sched_get_priority_max(int policy)
{
	return sched_priority_max(policy);
}

long sys_sched_get_priority_min(int policy)
{
	return sched_priority_min(policy);
}

long sys_sched_rr_get_interval(int pid, uaddr_t interval)
{
	long err;
	struct proc *p = sched_find(pid, &err);

	if (!p)
		return err;
	uint64_t ns = sched_rr_interval_ns(p);
	struct linux_timespec ts = { (int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000) };
	return copy_to_user(current->mm, interval, &ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

/* Linux reads min(len, cpumask_size()) bytes, the rest of the mask clear. */
long sys_sched_setaffinity(int pid, uint32_t len, uaddr_t mask)
{
	uint64_t m = 0;

	if (copy_from_user(current->mm, &m, mask, len < CPUMASK_BYTES ? len : CPUMASK_BYTES) < 0)
		return -EFAULT;
	struct proc *p = find_process(pid);
	if (!p)
		return -ESRCH;
	return sched_set_affinity(p, m);
}

/* Returns the bytes written: min(len, cpumask_size()). */
long sys_sched_getaffinity(int pid, uint32_t len, uaddr_t mask)
{
	if ((uint64_t)len * 8 < SCHED_NR_CPUS || (len & (sizeof(long) - 1)))
		return -EINVAL;
	struct proc *p = find_process(pid);
	if (!p)
		return -ESRCH;
	uint64_t m = sched_get_affinity(p);
	size_t n = len < CPUMASK_BYTES ? len : CPUMASK_BYTES;
	return copy_to_user(current->mm, mask, &m, n) < 0 ? -EFAULT : (long)n;
}

long sys_setpriority(int which, int who, int niceval)
{
	return sched_setpriority(which, who, niceval);
}

long sys_getpriority(int which, int who)
{
	return sched_getpriority(which, who);
}

/* Every process runs on CPU 0, of NUMA node 0. The cache argument is unused
 * since Linux 2.6.24. */
long sys_getcpu(uaddr_t cpu, uaddr_t node, uaddr_t cache)
{
	uint32_t zero = 0, here = (uint32_t)smp_processor_id();
	bool fault = false;

	(void)cache;
	if (!uaddr_is_null(cpu))
		fault |= copy_to_user(current->mm, cpu, &here, sizeof(here)) < 0;
	if (!uaddr_is_null(node))
		fault |= copy_to_user(current->mm, node, &zero, sizeof(zero)) < 0;
	return fault ? -EFAULT : 0;
}

long sys_membarrier(int cmd, uint32_t flags, int cpu_id)
{
	return sched_membarrier(cmd, flags, cpu_id);
}
