/*
 * How late each CPU took its timer interrupt: the counter when the handler
 * ran minus the compare value the timer fired at. The kernel runs with
 * interrupts masked and lets them in only from EL0, the idle loop and the
 * irq_window of long loops (lib/irq_window.h), so this lateness is how long
 * the CPU kept them masked (or waited for the kernel lock) after the timer
 * came due: the bound no system call may break. /proc/irq_latency shows the
 * worst per CPU since boot or the last reset (fs/proc/irq_latency.c).
 * Written by the timer handler and read by procfs, both under the kernel
 * lock, which protects the records.
 */
#ifndef BRAMBLE_KERNEL_IRQ_LATENCY_H
#define BRAMBLE_KERNEL_IRQ_LATENCY_H
#include "lib/types.h"

/* The timer fired at counter value cval and is handled at now. */
void irq_latency_note(uint64_t now, uint64_t cval);

struct irq_latency {
	uint64_t max_ns;       /* the latest handling so far, in ns */
	uint64_t interrupts;   /* timer interrupts measured */
};
void irq_latency_get(int cpu, struct irq_latency *out);
/* Forgets what was measured, on every CPU. */
void irq_latency_reset(void);
#endif
