/* Wait queues (see kernel/wait.h). */
#include "kernel/wait.h"
#include "kernel/proc.h"

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
	if (interruptible && signal_pending_for(current))
		return -ERESTARTSYS;
	current->state = P_SLEEPING;
	schedule();
	return 0;
}
