/*
 * Timed wake-ups: a list of deadlines, nearest first, each waking a wait
 * queue when the clock (uptime_ns) reaches it. The timer interrupt expires
 * them (kernel/tick.c), and the hardware timer is always programmed for the
 * nearer of the next scheduler tick and the first deadline here, so a
 * sleeper wakes at its deadline, not at the tick after it.
 *
 * Locking: the kernel lock, as for wait queues (kernel/wait.h); the list
 * is changed by process context on any CPU (add, cancel) and by CPU 0's
 * timer interrupt handler (expire), which never runs in the middle of
 * kernel code. A CPU other than 0 that moves the first deadline tells CPU 0
 * by IPI (tick_reprogram).
 */
#ifndef BRAMBLE_TIMER_H
#define BRAMBLE_TIMER_H
#include "lib/types.h"

struct wait_queue;

struct timer {
	uint64_t deadline;        /* ns since boot (uptime_ns) */
	struct wait_queue *wq;    /* woken at the deadline */
	void (*fn)(struct timer *t);   /* or, when set, called instead (from the tick) */
	struct timer *next;
	bool pending;             /* on the list, not yet expired */
};

/* Puts t on the list: wq is woken once uptime_ns() >= deadline. */
void timer_add(struct timer *t, uint64_t deadline, struct wait_queue *wq);
/* Puts t on the list to call fn(t) at the deadline (from the timer interrupt). */
void timer_add_fn(struct timer *t, uint64_t deadline, void (*fn)(struct timer *t));
/* Takes t off the list if it is still there. */
void timer_cancel(struct timer *t);
/* Wakes and removes every timer due at now; true if there was one. */
bool timer_expire(uint64_t now);
/* Whether any timer is pending; *deadline is the first one's. */
bool timer_next_deadline(uint64_t *deadline);

/*
 * Sleeps until uptime_ns() >= deadline, never earlier: 0, or -ERESTARTSYS when
 * a signal ends the sleep first (uptime_ns() then says how much was left).
 */
long sleep_until(uint64_t deadline);
#endif
