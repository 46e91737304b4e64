/*
 * /proc/irq_latency: per online CPU, the latest it took a timer interrupt
 * after the timer came due, and how many it measured (kernel/irq_latency.h).
 * Bramble's own file (Linux measures this with tracers instead). A write,
 * which only root may make (the file is 0644, root's), starts the
 * measurement over.
 */
#include "fs/proc/internal.h"
#include "kernel/irq_latency.h"
#include "kernel/percpu.h"

int proc_show_irq_latency(struct seq *s, long id)
{
	(void)id;
	seq_puts(s, "cpu max_ns interrupts\n");
	for (int i = 0; i < nr_cpus_online; i++) {
		struct irq_latency l;
		irq_latency_get(i, &l);
		seq_printf(s, "cpu%d %lu %lu\n", i, (unsigned long)l.max_ns,
			   (unsigned long)l.interrupts);
	}
	return 0;
}

long proc_write_irq_latency(long id, const char *buf, size_t n)
{
	(void)id;
	(void)buf;
	irq_latency_reset();
	return (long)n;
}
