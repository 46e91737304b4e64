/*
 * The scheduler: one CPU, round robin. A process gives up the CPU where it
 * sleeps on a wait queue in the kernel (kernel/wait.h: pipes, the console,
 * wait4, vfork, nanosleep), exits or yields, or when the tick (kernel/tick.c)
 * interrupts it in user mode. The kernel itself is never preempted: it runs
 * with interrupts masked, which is also what protects the run queue and
 * every process's state here.
 *
 * When no process is runnable the CPU idles in schedule() itself, on the
 * stack of the process that went to sleep (there is no idle process): WFI
 * until the timer interrupt wakes someone (tick_idle).
 */
#include "kernel/proc.h"
#include "kernel/panic.h"
#include "lib/printk.h"
#include "kernel/tick.h"
#include "kernel/kstat.h"
#include "mm/vm.h"
#include "arch/arm64/sysreg.h"

struct proc *current;
static struct proc *runq[NPROC];
static struct context boot_context;   /* kmain's, left for good by the first switch */
static uint64_t slice_start;          /* timer_count() when current got the CPU */

void sched_add(struct proc *p)
{
	for (int i = 0; i < NPROC; i++)
		if (!runq[i]) {
			runq[i] = p;
			kstat_process_new(p);
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

/* Charges current for its time on the CPU up to now. */
static void account(void)
{
	uint64_t now = timer_count();

	if (current)
		current->cpu_ticks += now - slice_start;
	slice_start = now;
}

static uint64_t counter_ticks_to_ns(uint64_t t)
{
	uint64_t f = timer_freq();

	return f ? t / f * 1000000000 + t % f * 1000000000 / f : 0;
}

uint64_t proc_cpu_ns(const struct proc *p)
{
	uint64_t t = p->cpu_ticks;

	if (p == current)
		t += timer_count() - slice_start;
	return counter_ticks_to_ns(t);
}

uint64_t proc_group_cpu_ns(const struct proc *p)
{
	const struct proc *g = p->leader, *t = g;
	uint64_t ns = counter_ticks_to_ns(g->dead_thread_ticks);

	do {
		if (t->state != P_ZOMBIE || t == g)
			ns += proc_cpu_ns(t);
	} while ((t = t->next_thread) != g);
	return ns;
}

uint64_t proc_children_cpu_ns(const struct proc *p)
{
	return counter_ticks_to_ns(p->child_cpu_ticks);
}

static void switch_to(struct proc *next)
{
	struct proc *prev = current;
	struct context *from = prev ? &prev->ctx : &boot_context;

	account();
	kstat_context_switch();
	if (prev) {
		fpsimd_save(&prev->fp);
		prev->tpidr_el0 = read_sysreg(tpidr_el0);
	}
	current = next;
	vm_activate(next->mm);
	fpsimd_restore(&next->fp);
	write_sysreg(next->tpidr_el0, tpidr_el0);
	cpu_switch(from, &next->ctx);
	proc_reap_detached();   /* back on the CPU: free zombies nobody waits for */
}

/*
 * Runs the next runnable process (current again if it is the only one).
 * With none, idles until an interrupt makes one runnable; the idle time is
 * charged to nobody. Nothing runnable and nothing that could ever wake
 * anyone (no timer, no console reader) is a deadlock: a panic.
 */
void schedule(void)
{
	struct proc *next;

	while (!(next = pick_next())) {
		account();
		kstat_sample_load();   /* the load average sees the idle time */
		if (!tick_idle())
			panic("sched: no runnable process (every process waits)");
		slice_start = timer_count();
	}
	if (next != current)
		switch_to(next);
}

void yield(void)
{
	schedule();
}

void sched_wake(struct proc *p)
{
	if (p->state == P_SLEEPING)
		p->state = P_RUNNABLE;
}
