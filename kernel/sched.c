/*
 * The scheduler: one CPU, round robin. A process gives up the CPU where it
 * blocks or yields in the kernel (wait4, exit, console reads, nanosleep), or
 * when the tick (kernel/tick.c) interrupts it in user mode. The kernel itself
 * is never preempted: it runs with interrupts masked.
 */
#include "kernel/proc.h"
#include "kernel/panic.h"
#include "mm/vm.h"
#include "arch/arm64/sysreg.h"

struct proc *current;
static struct proc *runq[NPROC];
static struct context boot_context;   /* kmain's, left for good by the first switch */

void sched_add(struct proc *p)
{
	for (int i = 0; i < NPROC; i++)
		if (!runq[i]) {
			runq[i] = p;
			return;
		}
	panic("sched: more than %d processes", NPROC);
}

void sched_remove(struct proc *p)
{
	for (int i = 0; i < NPROC; i++)
		if (runq[i] == p)
			runq[i] = 0;
}

/* The next runnable process after current, round robin. */
static struct proc *pick_next(void)
{
	int start = 0;

	for (int i = 0; i < NPROC; i++)
		if (runq[i] == current)
			start = i + 1;
	for (int n = 0; n < NPROC; n++) {
		struct proc *p = runq[(start + n) % NPROC];
		if (p && p->state == P_RUNNABLE)
			return p;
	}
	return 0;
}

static void switch_to(struct proc *next)
{
	struct proc *prev = current;
	struct context *from = prev ? &prev->ctx : &boot_context;

	if (prev) {
		fpsimd_save(&prev->fp);
		prev->tpidr_el0 = read_sysreg(tpidr_el0);
	}
	current = next;
	vm_activate(next->mm);
	fpsimd_restore(&next->fp);
	write_sysreg(next->tpidr_el0, tpidr_el0);
	cpu_switch(from, &next->ctx);
}

void schedule(void)
{
	struct proc *next = pick_next();

	if (!next)
		panic("sched: no runnable process (every process waits)");
	if (next != current)
		switch_to(next);
}

void yield(void)
{
	schedule();
}

/* Sleeps on chan until wakeup(chan); callers re-check their condition. */
void sleep_on(void *chan)
{
	(void)chan;
	current->state = P_SLEEPING;
	schedule();
}

/* Wakes the processes sleeping on chan (a proc waits on itself for children). */
void wakeup(void *chan)
{
	struct proc *p = chan;

	if (p && p->state == P_SLEEPING)
		p->state = P_RUNNABLE;
}
