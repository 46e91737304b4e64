/*
 * Timers that send signals: ITIMER_REAL (setitimer, getitimer, alarm) and
 * POSIX timers (timer_create ...) on CLOCK_REALTIME/CLOCK_MONOTONIC with
 * SIGEV_SIGNAL or SIGEV_NONE. Built on kernel/timer.h deadlines with a
 * callback; every clock counts from boot. POSIX timers are kalloc'd
 * (timer_create gives EAGAIN without memory), freed by timer_delete, exec
 * and exit; the itimers live in struct proc, survive exec, not fork.
 * ITIMER_VIRTUAL and ITIMER_PROF both count all of the process's CPU time
 * (kernel/sched.c does not tell user from kernel time), checked on every
 * return to EL0, so to the scheduler tick.
 */
#ifndef BRAMBLE_PTIMER_H
#define BRAMBLE_PTIMER_H
#include "lib/types.h"
#include "lib/uapi/time.h"
#include "lib/uapi/signal.h"
#include "kernel/timer.h"

struct proc;

struct ptimer {
	struct ptimer *next;
	struct proc *owner;
	struct timer t;
	int id, clock, notify, signo;
	uint64_t value;           /* sigev_value */
	uint64_t interval;        /* ns; 0: one-shot */
	int overrun, last_overrun;
	struct sigqueue *sigq;    /* preallocated for a real-time signo */
	bool sigq_queued;
};

long itimer_get(int which, struct linux_itimerval *v);
long itimer_set(int which, const struct linux_itimerval *v, struct linux_itimerval *old);
long ptimer_create(int clock, const struct linux_sigevent *ev, int *id);
long ptimer_settime(int id, int flags, const struct linux_itimerspec *v, struct linux_itimerspec *old);
long ptimer_gettime(int id, struct linux_itimerspec *v);
long ptimer_getoverrun(int id);
long ptimer_delete(int id);
/* ITIMER_VIRTUAL/ITIMER_PROF: sends SIGVTALRM/SIGPROF when p's CPU time has
 * reached them (called on every return to EL0 while one is armed). */
void itimer_cpu_check(struct proc *p);
/* Its preallocated signal was taken: the overrun so far goes into info. */
void ptimer_dequeued(struct ptimer *t, struct linux_siginfo *info);
/* exec (POSIX timers go) and exit (everything goes). */
void ptimer_exec(struct proc *p);
void ptimer_exit(struct proc *p);
#endif
