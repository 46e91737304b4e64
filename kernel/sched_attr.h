/*
 * A process's scheduling attributes, as Linux keeps them in task_struct:
 * the policy and real-time priority (sched_setscheduler), the nice value
 * (setpriority), the CPUs it may run on (sched_setaffinity), and its
 * membarrier registrations; with Linux's permission rules
 * (kernel/sched/core.c, kernel/sys.c, kernel/sched/membarrier.c).
 *
 * Bramble's round robin (kernel/sched.c) stores these honestly but obeys
 * none of them yet: every runnable process gets the same tick-long slice
 * in turn whatever its policy, priority or nice value, and every process
 * runs on CPU 0. The SMP issue reads cpus_allowed.
 */
#ifndef BRAMBLE_SCHED_ATTR_H
#define BRAMBLE_SCHED_ATTR_H
#include "lib/types.h"
#include "kernel/percpu.h"

struct proc;

/* The CPUs the kernel knows and schedules on: Linux's nr_cpu_ids and
 * cpu_active_mask, the CPUs brought up (kernel/smp.c; no hotplug). */
#define SCHED_NR_CPUS ((unsigned)nr_cpus_online)
#define SCHED_ONLINE_MASK cpu_online_mask()

/* Linux's range of nice values. */
#define NICE_MIN (-20)
#define NICE_MAX 19
#define RT_PRIO_MAX 99   /* MAX_RT_PRIO - 1 */

/* The first process's: SCHED_NORMAL, nice 0, all online CPUs. */
void sched_attr_init(struct proc *p);
/* fork: the child inherits them, less what SCHED_RESET_ON_FORK resets;
 * membarrier registrations go with the copied memory. exec keeps them all
 * but the membarrier registrations (a new mm). */
void sched_attr_fork(struct proc *child, const struct proc *parent);
void sched_attr_exec(struct proc *p);

/* The process pid names for the sched_* calls: 0 is current; -ESRCH
 * (returned as NULL with *err set) for none, -EINVAL for pid < 0. */
struct proc *sched_find(int pid, long *err);

/* sched_setscheduler / sched_setparam (policy -1: keep it): 0 or -errno. */
long sched_set_policy(struct proc *p, int policy, int priority);
/* The policy with SCHED_RESET_ON_FORK as sched_getscheduler reports it. */
int sched_get_policy(const struct proc *p);
/* sched_getparam's priority: the real-time one for FIFO and RR, else 0. */
int sched_get_priority(const struct proc *p);
/* sched_get_priority_max/min: the range for policy, or -EINVAL. */
long sched_priority_max(int policy);
long sched_priority_min(int policy);
/* sched_rr_get_interval: the slice p gets, in ns. */
uint64_t sched_rr_interval_ns(const struct proc *p);

/* setpriority(which, who, nice) and getpriority (20 - nice, the raw
 * call's convention), over PRIO_PROCESS, PRIO_PGRP, PRIO_USER. */
long sched_setpriority(int which, int who, int nice);
long sched_getpriority(int which, int who);

/* sched_setaffinity with the mask already read: 0 or -errno. */
long sched_set_affinity(struct proc *p, uint64_t mask);
/* The mask sched_getaffinity reports: the allowed CPUs that are online. */
uint64_t sched_get_affinity(const struct proc *p);

/* membarrier(cmd, flags, cpu_id), as Linux 6.1 on one online CPU. */
long sched_membarrier(int cmd, unsigned flags, int cpu_id);
#endif
