/* Timed wake-ups and sleeping (see kernel/timer.h). */
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "kernel/tick.h"
#include "lib/printk.h"

static struct timer *timers;   /* sorted by deadline, nearest first */

void timer_add(struct timer *t, uint64_t deadline, struct wait_queue *wq)
{
	struct timer **pp = &timers;

	t->deadline = deadline;
	t->wq = wq;
	t->fn = NULL;
	while (*pp && (*pp)->deadline <= deadline)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->pending = true;
	if (timers == t)
		tick_reprogram();     /* the new nearest deadline */
}

void timer_add_fn(struct timer *t, uint64_t deadline, void (*fn)(struct timer *t))
{
	timer_add(t, deadline, NULL);
	t->fn = fn;
}

void timer_cancel(struct timer *t)
{
	if (!t->pending)
		return;
	for (struct timer **pp = &timers; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	t->pending = false;
}

bool timer_expire(uint64_t now)
{
	bool any = false;

	while (timers && timers->deadline <= now) {
		struct timer *t = timers;
		timers = t->next;
		t->pending = false;
		if (t->fn)
			t->fn(t);      /* may re-add t */
		else
			wake_up(t->wq);
		any = true;
	}
	return any;
}

bool timer_next_deadline(uint64_t *deadline)
{
	if (!timers)
		return false;
	*deadline = timers->deadline;
	return true;
}

long sleep_until(uint64_t deadline)
{
	struct wait_queue wq = WAIT_QUEUE_INIT;
	struct timer t;
	long err;

	if (uptime_ns() >= deadline)
		return 0;
	timer_add(&t, deadline, &wq);
	err = wait_event(&wq, uptime_ns() >= deadline);
	timer_cancel(&t);
	return err;
}
