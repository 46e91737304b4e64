/*
 * Wait queues: how a process blocks until something happens, never by
 * spinning. Each thing that can be waited for (a pipe's data, a pipe's room,
 * a parent's children, the console's input, a timed sleep) has its own
 * struct wait_queue; a process sleeps on it with a condition, and whoever
 * changes what the condition reads calls wake_up() on that queue. A woken
 * process re-checks its condition and sleeps again if it is still false, so
 * a spurious or shared wake-up is harmless.
 *
 *     long err = wait_event(&pipe->readable, pipe_has_data(pipe));
 *     if (err)
 *             return err;            (-ERESTARTSYS: a signal came first)
 *
 * -ERESTARTSYS (kernel/signal.h) becomes -EINTR for user space, or a restart
 * of the call when the handler has SA_RESTART; a call that must never
 * restart (or restarts differently) returns its own code instead.
 *
 * Locking: the kernel lock (kernel/spinlock.h) protects every queue and
 * the state its conditions read. The kernel runs with interrupts masked
 * (kernel/cpu.h) and one CPU at a time under that lock, so between a
 * waiter's last check of its condition and its sleep nothing else can run,
 * and no wake-up is lost; the sleep hands the lock to the CPU's next task.
 * The only code that runs "from an interrupt" is the interrupt handlers of
 * kernel/tick.c (the timer, the console's receive interrupt and what it
 * calls in fs/console.c, IPIs), called under the same lock on the way in
 * from EL0 or from the idle loop, never in the middle of other kernel code.
 *
 * The waiter record lives on the sleeper's kernel stack for the length of
 * its sleep, linked into the queue by wait_prepare() and out by
 * wait_finish() (always, whatever ended the sleep).
 */
#ifndef BRAMBLE_WAIT_H
#define BRAMBLE_WAIT_H
#include "lib/types.h"
#include "lib/uapi/errno.h"

struct proc;

struct waiter {
	struct proc *proc;
	struct waiter *next;
};

struct wait_queue {
	struct waiter *first;
};

#define WAIT_QUEUE_INIT { 0 }

static inline void wait_queue_init(struct wait_queue *wq)
{
	wq->first = 0;
}

/* Whether anyone sleeps on wq. */
static inline bool wait_queue_active(const struct wait_queue *wq)
{
	return wq->first != 0;
}

/* Makes every process sleeping on wq runnable; each re-checks its condition. */
void wake_up(struct wait_queue *wq);

/* The pieces of wait_event (use the macros). */
void wait_prepare(struct wait_queue *wq, struct waiter *w);
void wait_finish(struct wait_queue *wq, struct waiter *w);
/* One sleep until a wake-up; returns 0, or -ERESTARTSYS when interruptible
 * and an unblocked signal is pending (then without sleeping). */
long wait_sleep(bool interruptible);

/*
 * Sleeps until cond is true: 0, or -ERESTARTSYS if a signal is pending first.
 * cond is evaluated before the first sleep and after every wake-up.
 */
#define wait_event(wq, cond) __wait_event(wq, cond, true)

/* The same, but signals do not end the sleep (Linux's TASK_UNINTERRUPTIBLE,
 * e.g. a vfork parent waiting for its child to let go of the memory). */
#define wait_event_uninterruptible(wq, cond) ((void)__wait_event(wq, cond, false))

#define __wait_event(wq, cond, intr) ({                                 \
	long __err = 0;                                                 \
	if (!(cond)) {                                                  \
		struct waiter __w;                                      \
		wait_prepare((wq), &__w);                               \
		while (!(cond) && !(__err = wait_sleep(intr)))          \
			;                                               \
		wait_finish((wq), &__w);                                \
	}                                                               \
	__err;                                                          \
})
#endif
