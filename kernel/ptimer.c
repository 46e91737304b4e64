/* Signal-sending timers (see kernel/ptimer.h). */
#include "kernel/ptimer.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/tick.h"
#include "kernel/vdso.h"
#include "lib/printk.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"
#include <string.h>

#define NSEC_PER_SEC 1000000000UL
#define NSEC_PER_USEC 1000UL
#define PTIMER_MAX 32     /* timers per process */
#define container_of(p, type, member) ((type *)((char *)(p) - __builtin_offsetof(type, member)))

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The next expiry of a periodic timer that fired at deadline, past now. */
static uint64_t next_expiry(uint64_t deadline, uint64_t interval, int *overrun)
{
	uint64_t now = uptime_ns(), next = add_sat(deadline, interval);

	if (next <= now) {
		uint64_t missed = (now - next) / interval + 1;
		*overrun += (int)(missed > 0x7fffffff ? 0x7fffffff : missed);
		next = add_sat(next, missed * interval);
	}
	return next;
}

/* The same in CPU time, which only advances while the process runs. */
static uint64_t next_cpu_expiry(uint64_t at, uint64_t interval, uint64_t now, int *overrun)
{
	uint64_t next = add_sat(at, interval);

	if (next <= now) {
		uint64_t missed = (now - next) / interval + 1;
		*overrun += (int)(missed > 0x7fffffff ? 0x7fffffff : missed);
		next = add_sat(next, missed * interval);
	}
	return next;
}

/* ---- ITIMER_REAL ------------------------------------------------------------------ */

static void real_fire(struct timer *t)
{
	struct proc *p = container_of(t, struct proc, real_timer);
	int overrun = 0;

	signal_send_kernel(p, SIGALRM);
	if (p->real_interval)
		timer_add_fn(t, next_expiry(t->deadline, p->real_interval, &overrun), real_fire);
}

static uint64_t tv_ns(const struct linux_timeval *tv)
{
	if ((uint64_t)tv->tv_sec > UINT64_MAX / NSEC_PER_SEC - 1)
		return UINT64_MAX;
	return (uint64_t)tv->tv_sec * NSEC_PER_SEC + (uint64_t)tv->tv_usec * NSEC_PER_USEC;
}

static struct linux_timeval ns_tv(uint64_t ns)
{
	/* Linux rounds a running timer's remainder up to the microsecond. */
	ns = add_sat(ns, NSEC_PER_USEC - 1);
	return (struct linux_timeval){ (int64_t)(ns / NSEC_PER_SEC),
				       (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

void itimer_cpu_check(struct proc *p)
{
	static const int sigs[2] = { SIGVTALRM, SIGPROF };
	uint64_t now = proc_group_cpu_ns(p);

	for (int i = 0; i < 2; i++) {
		if (!p->cpu_timer[i] || now < p->cpu_timer[i])
			continue;
		signal_send_kernel(p, sigs[i]);
		if (p->cpu_interval[i]) {
			int overrun = 0;
			p->cpu_timer[i] = next_cpu_expiry(p->cpu_timer[i], p->cpu_interval[i], now,
							  &overrun);
		} else {
			p->cpu_timer[i] = 0;
		}
	}
}

long itimer_get(int which, struct linux_itimerval *v)
{
	struct proc *p = current->leader;   /* timers are the process's */

	if (which == ITIMER_VIRTUAL || which == ITIMER_PROF) {
		uint64_t now = proc_group_cpu_ns(p), at = p->cpu_timer[which - 1];
		v->it_interval = ns_tv(p->cpu_interval[which - 1]);
		v->it_value = at ? ns_tv(at > now ? at - now : 1) : (struct linux_timeval){ 0, 0 };
		return 0;
	}
	if (which != ITIMER_REAL)
		return -EINVAL;
	uint64_t now = uptime_ns();
	v->it_interval = ns_tv(p->real_interval);
	v->it_value = p->real_timer.pending
		? ns_tv(p->real_timer.deadline > now ? p->real_timer.deadline - now : 1)
		: (struct linux_timeval){ 0, 0 };
	return 0;
}

long itimer_set(int which, const struct linux_itimerval *v, struct linux_itimerval *old)
{
	struct proc *p = current->leader;

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	if (v->it_value.tv_usec < 0 || v->it_value.tv_usec >= 1000000 || v->it_value.tv_sec < 0 ||
	    v->it_interval.tv_usec < 0 || v->it_interval.tv_usec >= 1000000 ||
	    v->it_interval.tv_sec < 0)
		return -EINVAL;
	itimer_get(which, old);
	uint64_t value = tv_ns(&v->it_value), interval = value ? tv_ns(&v->it_interval) : 0;
	if (which != ITIMER_REAL) {
		p->cpu_timer[which - 1] = value ? add_sat(proc_group_cpu_ns(p), value) : 0;
		p->cpu_interval[which - 1] = interval;
		/* Every thread's return to EL0 checks an armed one. */
		struct proc *t = p;
		do {
			signal_note_work(&t->sig);
		} while ((t = t->next_thread) != p);
		return 0;
	}
	timer_cancel(&p->real_timer);
	p->real_interval = interval;
	if (value)
		timer_add_fn(&p->real_timer, add_sat(uptime_ns(), value), real_fire);
	return 0;
}

/* ---- POSIX timers ----------------------------------------------------------------- */

static struct ptimer *find(int id)
{
	for (struct ptimer *t = current->leader->ptimers; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

static void ptimer_fire(struct timer *tm)
{
	struct ptimer *t = container_of(tm, struct ptimer, t);
	struct linux_siginfo info;

	if (t->notify != SIGEV_NONE) {
		memset(&info, 0, sizeof(info));
		info.si_signo = t->signo;
		info.si_code = SI_TIMER;
		info.u.timer.tid = t->id;
		info.u.timer.overrun = t->overrun;
		info.u.timer.value = t->value;
		/* Still pending from the last expiry: an overrun, not a second signal. */
		if (t->sigq && t->sigq_queued) {
			t->overrun++;
		} else if (t->sigq) {
			t->sigq->info = info;
			signal_queue_prealloc(t->owner, t->sigq);
		} else if (t->owner->sig.pending & SIGBIT(t->signo)) {
			t->overrun++;
		} else {
			t->last_overrun = t->overrun;
			t->overrun = 0;
			(void)send_signal(t->owner, t->signo, &info);
		}
	}
	if (t->interval)
		timer_add_fn(tm, next_expiry(tm->deadline, t->interval, &t->overrun), ptimer_fire);
}

long ptimer_create(int clock, const struct linux_sigevent *ev, int *id)
{
	struct proc *p = current->leader;
	struct ptimer *t;
	int n = 0;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME)
		return -EINVAL;
	if (ev) {
		int notify = ev->sigev_notify & ~SIGEV_THREAD_ID;
		if (notify != SIGEV_SIGNAL && notify != SIGEV_NONE)
			return -EINVAL;
		if ((ev->sigev_notify & SIGEV_THREAD_ID) && ev->tid != p->pid)
			return -EINVAL;
		if (notify == SIGEV_SIGNAL && (ev->sigev_signo <= 0 || ev->sigev_signo > _NSIG))
			return -EINVAL;
	}
	for (struct ptimer *o = p->ptimers; o; o = o->next)
		n++;
	if (n >= PTIMER_MAX)
		return -EAGAIN;
	t = kalloc(sizeof(*t));
	if (!t)
		return -EAGAIN;
	memset(t, 0, sizeof(*t));
	int signo = ev ? ev->sigev_signo : SIGALRM;
	if ((!ev || (ev->sigev_notify & ~SIGEV_THREAD_ID) == SIGEV_SIGNAL) && signo >= SIGRTMIN) {
		/* Its signal is queued from the tick: allocated now, never then. */
		t->sigq = kalloc(sizeof(*t->sigq));
		if (!t->sigq) {
			kfree(t);
			return -EAGAIN;
		}
		t->sigq->queued = &t->sigq_queued;
		t->sigq->timer = t;
	}
	int nid = 0;
	while (find(nid))
		nid++;
	t->id = nid;
	t->owner = p;
	t->clock = clock;
	t->notify = ev ? ev->sigev_notify & ~SIGEV_THREAD_ID : SIGEV_SIGNAL;
	t->signo = ev ? ev->sigev_signo : SIGALRM;
	t->value = ev ? ev->sigev_value : (uint64_t)nid;
	t->next = p->ptimers;
	p->ptimers = t;
	*id = nid;
	return 0;
}

static bool ts_valid(const struct linux_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (int64_t)NSEC_PER_SEC;
}

static uint64_t ts_ns(const struct linux_timespec *ts)
{
	if ((uint64_t)ts->tv_sec > UINT64_MAX / NSEC_PER_SEC - 1)
		return UINT64_MAX;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

static struct linux_timespec ns_ts(uint64_t ns)
{
	return (struct linux_timespec){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
}

long ptimer_gettime(int id, struct linux_itimerspec *v)
{
	struct ptimer *t = find(id);
	uint64_t now = uptime_ns();

	if (!t)
		return -EINVAL;
	v->it_interval = ns_ts(t->interval);
	v->it_value = ns_ts(t->t.pending ? (t->t.deadline > now ? t->t.deadline - now : 1) : 0);
	return 0;
}

long ptimer_settime(int id, int flags, const struct linux_itimerspec *v, struct linux_itimerspec *old)
{
	struct ptimer *t = find(id);

	if (!t)
		return -EINVAL;
	if (!ts_valid(&v->it_value) || !ts_valid(&v->it_interval))
		return -EINVAL;
	ptimer_gettime(id, old);
	timer_cancel(&t->t);
	uint64_t value = ts_ns(&v->it_value);
	t->interval = value ? ts_ns(&v->it_interval) : 0;
	t->overrun = 0;
	if (value) {
		uint64_t deadline = !(flags & TIMER_ABSTIME) ? add_sat(uptime_ns(), value)
				  : t->clock == CLOCK_REALTIME ? vdso_realtime_to_boot(value) : value;
		timer_add_fn(&t->t, deadline, ptimer_fire);
		if (deadline <= uptime_ns())
			tick_reprogram();
	}
	return 0;
}

void ptimer_dequeued(struct ptimer *t, struct linux_siginfo *info)
{
	info->u.timer.overrun = t->overrun;
	t->last_overrun = t->overrun;
	t->overrun = 0;
}

long ptimer_getoverrun(int id)
{
	struct ptimer *t = find(id);

	return t ? t->last_overrun : -EINVAL;
}

static void unlink_free(struct proc *p, struct ptimer *t)
{
	for (struct ptimer **pp = &p->ptimers; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	timer_cancel(&t->t);
	if (t->sigq) {
		signal_unqueue_prealloc(p, t->sigq);
		kfree(t->sigq);
	}
	kfree(t);
}

long ptimer_delete(int id)
{
	struct ptimer *t = find(id);

	if (!t)
		return -EINVAL;
	unlink_free(current->leader, t);
	return 0;
}

void ptimer_exec(struct proc *p)
{
	while (p->ptimers)
		unlink_free(p, p->ptimers);
}

void ptimer_exit(struct proc *p)
{
	ptimer_exec(p);
	timer_cancel(&p->real_timer);
	p->real_interval = 0;
}
