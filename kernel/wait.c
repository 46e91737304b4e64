/* Wait queues (see kernel/wait.h). */
#include "kernel/wait.h"
#include "kernel/proc.h"

/*
 * Whether a signal should end p's interruptible sleep. Today a signal that
 * is not ignored always ends the process (p->killed); when handlers come,
 * this is where a pending, unblocked signal turns a sleep into -EINTR (and
 * the system call into a restart or EINTR for user space).
 */
static bool signal_pending(const struct proc *p)
{
	return p->killed != 0;
}

void wake_up(struct wait_queue *wq)
{
	for (struct waiter *w = wq->first; w; w = w->next)
		sched_wake(w->proc);
}

void wait_prepare(struct wait_queue *wq, struct waiter *w)
{
	w->proc = current;
	w->next = wq->first;
	wq->first = w;
}

void wait_finish(struct wait_queue *wq, struct waiter *w)
{
	for (struct waiter **pp = &wq->first; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return;
		}
}

long wait_sleep(bool interruptible)
{
	if (interruptible && signal_pending(current))
		return -EINTR;
	current->state = P_SLEEPING;
	schedule();
	return 0;
}
