/*
 * System-wide counters and the load average, for /proc/stat and
 * /proc/loadavg: context switches, processes made since boot, interrupts
 * taken, the last pid handed out, and Linux's exponentially decaying
 * averages of the number of runnable processes (kernel/sched/loadavg.c:
 * sampled every 5 seconds, 11-bit fixed point).
 */
#ifndef BRAMBLE_KSTAT_H
#define BRAMBLE_KSTAT_H
#include "lib/types.h"

struct proc;

#define LOADAVG_FSHIFT 11
#define LOADAVG_FIXED_1 (1UL << LOADAVG_FSHIFT)

/* Hooks: a switch to another process (kernel/sched.c), a new process put
 * on the run queue (sched_add: counts it, notes its pid and start time),
 * an interrupt taken (kernel/tick.c). */
void kstat_context_switch(void);
void kstat_process_new(struct proc *p);
void kstat_irq(void);
/* The scheduler tick and the idle entry: folds the 5-second periods that
 * have passed into the load averages, with the number of runnable
 * processes as it was since the last sample. */
void kstat_sample_load(void);

struct kstat_counts {
	uint64_t context_switches;
	uint64_t forks;           /* processes made since boot (init included) */
	uint64_t irqs;
	int last_pid;
};
void kstat_counts(struct kstat_counts *c);
/* The 1, 5 and 15 minute averages, fixed point (LOADAVG_FSHIFT), brought
 * up to now first. */
void kstat_loadavg(uint64_t avg[3]);
/* Processes runnable now (R), and sleeping ones (S: no D state exists). */
int kstat_nr_running(void);
#endif
