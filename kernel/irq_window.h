/* The reschedule side of lib/irq_window.h. */
#ifndef BRAMBLE_KERNEL_IRQ_WINDOW_H
#define BRAMBLE_KERNEL_IRQ_WINDOW_H
#include "lib/irq_window.h"
#include "kernel/percpu.h"

void irq_window_resched_now(void);

/* On the way back to EL0, under the kernel lock (or with one CPU): the
 * reschedule an interrupt taken inside a loop asked for. */
static inline void irq_window_resched(void)
{
	if (__builtin_expect(this_cpu()->resched, 0))
		irq_window_resched_now();
}
#endif
