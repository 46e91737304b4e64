/* Timer-interrupt lateness per CPU (kernel/irq_latency.h). */
#include "kernel/irq_latency.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "lib/printk.h"

/* In counter ticks, turned into ns when read (the hot path only compares). */
static struct {
	uint64_t max_ticks;
	uint64_t interrupts;
} lat[NR_CPUS];

void irq_latency_note(uint64_t now, uint64_t cval)
{
	int id = smp_processor_id();

	if (now < cval)
		return;          /* not this compare value's interrupt */
	if (now - cval > lat[id].max_ticks)
		lat[id].max_ticks = now - cval;
	lat[id].interrupts++;
}

static uint64_t ticks_to_ns(uint64_t t)
{
	uint64_t f = timer_freq();

	/* Split so that t * 1e9 cannot overflow for any lateness. */
	return t / f * 1000000000u + t % f * 1000000000u / f;
}

void irq_latency_get(int cpu, struct irq_latency *out)
{
	assert_kernel_locked();
	out->max_ns = ticks_to_ns(lat[cpu].max_ticks);
	out->interrupts = lat[cpu].interrupts;
}

void irq_latency_reset(void)
{
	assert_kernel_locked();
	for (int i = 0; i < NR_CPUS; i++)
		lat[i].max_ticks = lat[i].interrupts = 0;
}
