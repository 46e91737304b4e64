/*
 * Scheduling attributes and their permission rules (kernel/sched_attr.h):
 * Linux's __sched_setscheduler, set_one_prio/can_nice, sched_setaffinity
 * and membarrier, for processes that are each one task. The checks are
 * made in Linux's order, so that a call failing for two reasons answers
 * Linux's errno.
 */
#include "kernel/sched_attr.h"
#include "kernel/proc.h"
#include "kernel/tick.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "arch/arm64/barrier.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/resource.h"
#include "lib/uapi/sched.h"

/* linux/membarrier.h's enum membarrier_cmd and enum membarrier_cmd_flag
 * (an enum there, so lib/uapi/'s #define check cannot see it: kept here). */
enum {
	MEMBARRIER_CMD_QUERY = 0,
	MEMBARRIER_CMD_GLOBAL = 1 << 0,
	MEMBARRIER_CMD_GLOBAL_EXPEDITED = 1 << 1,
	MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2,
	MEMBARRIER_CMD_PRIVATE_EXPEDITED = 1 << 3,
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4,
	MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5,
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 6,
	MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 1 << 7,
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 1 << 8,
	MEMBARRIER_CMD_FLAG_CPU = 1 << 0,
};

/* What QUERY reports: every command of Linux 6.1 on arm64 (which has the
 * SYNC_CORE flavour) but the RSEQ pair, as Bramble has no rseq(2). */
#define MEMBARRIER_SUPPORTED                                                          \
	(MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |                    \
	 MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED | \
	 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED |                                  \
	 MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE |                                 \
	 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE)

/* Bits of proc.membarrier_state: the registrations made (Linux's
 * MEMBARRIER_STATE_*_READY, per mm there). */
#define MB_GLOBAL_EXPEDITED  1
#define MB_PRIVATE_EXPEDITED 2
#define MB_SYNC_CORE         4

#define NS_PER_SEC 1000000000ULL

void sched_attr_init(struct proc *p)
{
	p->policy = SCHED_NORMAL;
	p->rt_priority = 0;
	p->nice = 0;
	p->sched_reset_on_fork = false;
	p->cpus_allowed = SCHED_ONLINE_MASK;
	p->membarrier_state = 0;
}

static bool rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static bool fair_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH;
}

void sched_attr_fork(struct proc *child, const struct proc *parent)
{
	child->policy = parent->policy;
	child->rt_priority = parent->rt_priority;
	child->nice = parent->nice;
	child->cpus_allowed = parent->cpus_allowed;
	child->membarrier_state = parent->membarrier_state;
	child->sched_reset_on_fork = false;
	/* Linux's sched_fork: the child goes back to SCHED_NORMAL and a
	 * non-negative nice, and does not pass the flag on. */
	if (parent->sched_reset_on_fork) {
		if (rt_policy(child->policy)) {
			child->policy = SCHED_NORMAL;
			child->rt_priority = 0;
		}
		if (child->nice < 0)
			child->nice = 0;
	}
}

void sched_attr_exec(struct proc *p)
{
	p->membarrier_state = 0;   /* membarrier_exec_mmap: the new mm has none */
}

struct proc *sched_find(int pid, long *err)
{
	struct proc *p;

	if (pid < 0) {
		*err = -EINVAL;
		return NULL;
	}
	p = pid ? proc_by_pid(pid) : current;
	*err = p ? 0 : -ESRCH;
	return p;
}

/* ---- policy and real-time priority (kernel/sched/core.c) ------------------ */

/* Linux's can_nice: nice is within p's RLIMIT_NICE (20 - nice <= the
 * limit) or the caller has CAP_SYS_NICE. */
static bool can_nice(const struct proc *p, int nice)
{
	return (uint64_t)(20 - nice) <= p->rlim[RLIMIT_NICE].rlim_cur ||
	       cred_capable_nice(&current->cred);
}

static bool valid_policy(int policy)
{
	return fair_policy(policy) || rt_policy(policy) || policy == SCHED_IDLE;
}

/* The unprivileged caller's checks of __sched_setscheduler (user &&
 * !capable(CAP_SYS_NICE)): -EPERM or 0. */
static long setscheduler_perm(const struct proc *p, int policy, int priority, bool reset)
{
	uint64_t rtprio = p->rlim[RLIMIT_RTPRIO].rlim_cur;

	if (cred_capable_nice(&current->cred))
		return 0;
	if (rt_policy(policy)) {
		if (policy != p->policy && !rtprio)
			return -EPERM;
		if (priority > p->rt_priority && (uint64_t)priority > rtprio)
			return -EPERM;
	}
	/* SCHED_IDLE counts as nice 20: leaving it needs RLIMIT_NICE's leave. */
	if (p->policy == SCHED_IDLE && policy != SCHED_IDLE && !can_nice(p, p->nice))
		return -EPERM;
	if (!cred_may_sched(&current->cred, &p->cred))
		return -EPERM;
	if (p->sched_reset_on_fork && !reset)
		return -EPERM;
	return 0;
}

long sched_set_policy(struct proc *p, int policy, int priority)
{
	bool reset = p->sched_reset_on_fork;

	if (policy < 0) {
		policy = p->policy;   /* sched_setparam */
	} else {
		reset = policy & SCHED_RESET_ON_FORK;
		policy &= ~SCHED_RESET_ON_FORK;
		if (!valid_policy(policy))
			return -EINVAL;   /* SCHED_DEADLINE too: it needs sched_setattr's fields */
	}
	if (priority < 0 || priority > RT_PRIO_MAX || rt_policy(policy) != (priority != 0))
		return -EINVAL;
	long err = setscheduler_perm(p, policy, priority, reset);
	if (err)
		return err;
	p->policy = policy;
	p->rt_priority = priority;
	p->sched_reset_on_fork = reset;
	return 0;
}

int sched_get_policy(const struct proc *p)
{
	return p->policy | (p->sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

int sched_get_priority(const struct proc *p)
{
	return rt_policy(p->policy) ? p->rt_priority : 0;
}

long sched_priority_max(int policy)
{
	if (rt_policy(policy))
		return RT_PRIO_MAX;
	return valid_policy(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

long sched_priority_min(int policy)
{
	if (rt_policy(policy))
		return 1;
	return valid_policy(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

/* Linux answers 0 (no slice) for SCHED_FIFO; Bramble's round robin slices
 * every policy alike, one tick each, and says so. */
uint64_t sched_rr_interval_ns(const struct proc *p)
{
	(void)p;
	return NS_PER_SEC / TICK_HZ;
}

/* ---- nice (kernel/sys.c setpriority, getpriority) ------------------------- */

struct prio_match {
	int which;
	int who;                  /* a pid, pgid or uid, 0 resolved */
	int nice;                 /* setpriority's */
	long result;              /* -ESRCH until a process matches */
};

static bool prio_matches(const struct proc *p, const struct prio_match *m)
{
	switch (m->which) {
	case PRIO_PROCESS: return p->pid == m->who;
	case PRIO_PGRP:    return proc_pgid(p) == m->who;
	default:           return p->cred.uid == (uint32_t)m->who;
	}
}

/* Linux's set_one_prio: the last failure sticks, a success clears only ESRCH. */
static void set_one_prio(struct proc *p, void *arg)
{
	struct prio_match *m = arg;

	if (!prio_matches(p, m))
		return;
	if (!cred_may_sched(&current->cred, &p->cred)) {
		m->result = -EPERM;
		return;
	}
	if (m->nice < p->nice && !can_nice(p, m->nice)) {
		m->result = -EACCES;
		return;
	}
	if (m->result == -ESRCH)
		m->result = 0;
	p->nice = m->nice;
}

/* The highest priority (20 - nice) among the matches. */
static void get_one_prio(struct proc *p, void *arg)
{
	struct prio_match *m = arg;

	if (prio_matches(p, m) && 20 - p->nice > m->result)
		m->result = 20 - p->nice;
}

/* who == 0 is the caller itself, its group or its real uid. */
static long prio_match_init(struct prio_match *m, int which, int who)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	m->which = which;
	m->who = who;
	m->result = -ESRCH;
	if (!who)
		m->who = which == PRIO_PROCESS ? current->pid :
			 which == PRIO_PGRP ? proc_pgid(current) : (int)current->cred.uid;
	return 0;
}

long sched_setpriority(int which, int who, int nice)
{
	struct prio_match m;
	long err = prio_match_init(&m, which, who);

	if (err)
		return err;
	m.nice = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice;
	proc_for_each(set_one_prio, &m);
	return m.result;
}

long sched_getpriority(int which, int who)
{
	struct prio_match m;
	long err = prio_match_init(&m, which, who);

	if (err)
		return err;
	proc_for_each(get_one_prio, &m);
	return m.result;
}

/* ---- affinity ------------------------------------------------------------- */

long sched_set_affinity(struct proc *p, uint64_t mask)
{
	if (!cred_may_sched(&current->cred, &p->cred))
		return -EPERM;
	/* Linux keeps the mask within the possible CPUs and refuses one with
	 * no active CPU in it. */
	mask &= (SCHED_NR_CPUS >= 64 ? ~0ULL : (1ULL << SCHED_NR_CPUS) - 1);
	if (!(mask & SCHED_ONLINE_MASK))
		return -EINVAL;
	p->cpus_allowed = mask;
	sched_affinity_changed(p);
	return 0;
}

uint64_t sched_get_affinity(const struct proc *p)
{
	return p->cpus_allowed & SCHED_ONLINE_MASK;
}

/* ---- membarrier (kernel/sched/membarrier.c) ------------------------------- */

/*
 * A barrier on every other CPU: each takes an exception (the IPI) and runs
 * this, and the caller waits for all (kernel/smp.c). The exception entry
 * and the function's dsb order that CPU's earlier accesses before the
 * caller goes on; with one CPU the system call itself was the barrier.
 */
static void barrier_here(void *arg)
{
	(void)arg;
	dsb(ish);
	isb();      /* SYNC_CORE: the context synchronization it asks for */
}

static void barrier_everywhere(void)
{
	if (nr_cpus_online > 1)
		smp_call_others(barrier_here, NULL);
}

static long private_expedited(int ready)
{
	if (!(current->membarrier_state & ready))
		return -EPERM;
	barrier_everywhere();
	return 0;
}

static long membarrier_register(int state)
{
	current->membarrier_state |= state;
	return 0;
}

long sched_membarrier(int cmd, unsigned flags, int cpu_id)
{
	(void)cpu_id;   /* only MEMBARRIER_CMD_FLAG_CPU's, for the RSEQ command */
	if (cmd == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) {
		if (flags && flags != MEMBARRIER_CMD_FLAG_CPU)
			return -EINVAL;
	} else if (flags) {
		return -EINVAL;
	}
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MEMBARRIER_SUPPORTED;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		barrier_everywhere();
		return 0;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
		return membarrier_register(MB_GLOBAL_EXPEDITED);
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		return private_expedited(MB_PRIVATE_EXPEDITED);
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
		return membarrier_register(MB_PRIVATE_EXPEDITED);
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		return private_expedited(MB_SYNC_CORE);
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
		return membarrier_register(MB_SYNC_CORE);
	default:
		return -EINVAL;   /* the RSEQ pair too: Linux without CONFIG_RSEQ */
	}
}
