/* System-wide counters and the load average (see kernel/kstat.h). */
#include "kernel/kstat.h"
#include "kernel/proc.h"
#include "lib/printk.h"

#define LOAD_FREQ_NS (5000000000ULL + 10000000ULL)  /* Linux's 5 HZ + 1 */
#define EXP_1  1884   /* 1/exp(5sec/1min) as fixed point */
#define EXP_5  2014   /* 1/exp(5sec/5min) */
#define EXP_15 2037   /* 1/exp(5sec/15min) */
#define MAX_MISSED 2048   /* periods folded at most (after that all three have settled) */

static struct kstat_counts counts;
static uint64_t avenrun[3];
static uint64_t next_load_update = LOAD_FREQ_NS;
static uint64_t last_active;   /* runnable processes at the last sample, fixed point */

void kstat_context_switch(void)
{
	counts.context_switches++;
}

void kstat_process_new(struct proc *p)
{
	counts.forks++;
	counts.last_pid = p->pid;
	p->start_ns = uptime_ns();
}

void kstat_irq(void)
{
	counts.irqs++;
}

void kstat_counts(struct kstat_counts *c)
{
	*c = counts;
}

static void count_running(struct proc *p, void *arg)
{
	if (p->state == P_RUNNABLE && !p->leader->stopped)
		(*(int *)arg)++;
}

int kstat_nr_running(void)
{
	int n = 0;

	proc_for_each(count_running, &n);
	return n;
}

/* Linux's calc_load: one period's decay toward active. */
static uint64_t calc_load(uint64_t load, uint64_t exp, uint64_t active)
{
	uint64_t newload = load * exp + active * (LOADAVG_FIXED_1 - exp);

	if (active >= load)
		newload += LOADAVG_FIXED_1 - 1;
	return newload / LOADAVG_FIXED_1;
}

static void fold_periods(uint64_t now)
{
	if (now < next_load_update)
		return;
	uint64_t n = (now - next_load_update) / LOAD_FREQ_NS + 1;
	next_load_update += n * LOAD_FREQ_NS;
	if (n > MAX_MISSED)
		n = MAX_MISSED;
	while (n--) {
		avenrun[0] = calc_load(avenrun[0], EXP_1, last_active);
		avenrun[1] = calc_load(avenrun[1], EXP_5, last_active);
		avenrun[2] = calc_load(avenrun[2], EXP_15, last_active);
	}
}

void kstat_sample_load(void)
{
	fold_periods(uptime_ns());
	last_active = (uint64_t)kstat_nr_running() * LOADAVG_FIXED_1;
}

void kstat_loadavg(uint64_t avg[3])
{
	kstat_sample_load();
	for (int i = 0; i < 3; i++)
		avg[i] = avenrun[i];
}
