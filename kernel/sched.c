/*
 * The scheduler: one run queue for every CPU, round robin, under the
 * kernel lock (kernel/spinlock.h). A task gives up its CPU where it sleeps
 * on a wait queue in the kernel (kernel/wait.h), exits or yields, or when
 * its CPU's tick (kernel/tick.c) interrupts it in user mode. The kernel
 * itself is never preempted: it runs with interrupts masked.
 *
 * One queue with one lock rather than one per CPU: with the kernel lock
 * around every kernel entry, per-CPU queues would take the same lock, and
 * a CPU that finds the queue empty costs only its look (make bench reports
 * the speedup of four CPU-bound processes over one). A task runs only on
 * a CPU its affinity mask allows, and never on two CPUs at once (on_cpu).
 *
 * Each CPU has an idle thread: the boot CPU's is kmain's stack, the
 * others' the stacks smp_boot_secondaries gave them. When nothing it may
 * run is runnable a CPU switches to it, which waits in WFI with the kernel
 * lock let go (tick_idle) until an interrupt: its timer, the console, or a
 * wake-up from another CPU (smp_kick_idle).
 */
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/panic.h"
#include "lib/printk.h"
#include "kernel/tick.h"
#include "kernel/kstat.h"
#include "mm/vm.h"
#include "arch/arm64/sysreg.h"

static struct proc *runq[NPROC];
static uint64_t runq_used;     /* bit i: runq[i] holds a task (so a pick skips the empty) */
_Static_assert(NPROC <= 64, "runq_used has a bit for each slot");
static int rr_next;              /* where the next look at runq starts */

/* Some CPU should look at p: one idle CPU it may run on. */
static void kick_for(struct proc *p)
{
	if (nr_cpus_online > 1)
		smp_kick_idle(p->cpus_allowed);
}

void sched_add(struct proc *p)
{
	for (int i = 0; i < NPROC; i++)
		if (!runq[i]) {
			runq[i] = p;
			runq_used |= 1ULL << i;
			kstat_process_new(p);
			p->cpu = smp_processor_id();
			if (p->state == P_RUNNABLE)
				kick_for(p);   /* a new task: an idle CPU may take it */
			return;
		}
	panic("sched: more than %d processes", NPROC);
}

void sched_remove(struct proc *p)
{
	for (int i = 0; i < NPROC; i++)
		if (runq[i] == p) {
			runq[i] = 0;
			runq_used &= ~(1ULL << i);
		}
}

static bool allowed_on(const struct proc *p, int cpu)
{
	return p->cpus_allowed >> cpu & 1;
}

static bool may_run_here(const struct proc *p, int cpu)
{
	return p->state == P_RUNNABLE && !p->on_cpu && allowed_on(p, cpu);
}

/* The next task this CPU may run, round robin; prev (still on this CPU)
 * only when nothing else is there. NULL: nothing, go idle. */
static struct proc *pick_next(struct proc *prev)
{
	int cpu = smp_processor_id();
	unsigned from = (unsigned)rr_next % NPROC;
	/* The slots from rr_next on, then those before it: round robin. */
	uint64_t after = runq_used & (~0ULL << from), before = runq_used & ~(~0ULL << from);

	for (uint64_t set = after ? after : before; set; ) {
		int i = __builtin_ctzll(set);
		struct proc *p = runq[i];
		if (p != prev && may_run_here(p, cpu)) {
			rr_next = i + 1;
			return p;
		}
		set &= set - 1;
		if (!set && after) {
			set = before;
			after = 0;
		}
	}
	if (prev && prev->state == P_RUNNABLE && allowed_on(prev, cpu))
		return prev;
	return 0;
}

/* Charges the time since the last switch to what ran: a task, or idle. */
static void account(struct cpu *c)
{
	uint64_t now = timer_count(), t = now - c->slice_start;

	if (c->curr) {
		c->curr->cpu_ticks += t;
		c->busy_ticks += t;
	} else {
		c->idle_ticks += t;
	}
	c->slice_start = now;
}

static uint64_t counter_ticks_to_ns(uint64_t t)
{
	uint64_t f = timer_freq();

	return f ? t / f * 1000000000 + t % f * 1000000000 / f : 0;
}

uint64_t proc_cpu_ns(const struct proc *p)
{
	uint64_t t = p->cpu_ticks;

	if (p->on_cpu)
		t += timer_count() - cpus[p->cpu].slice_start;
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

void cpu_times(int cpu, uint64_t *busy_ns, uint64_t *idle_ns)
{
	const struct cpu *c = &cpus[cpu];
	uint64_t busy = c->busy_ticks, idle = c->idle_ticks, now = timer_count() - c->slice_start;

	if (c->curr)
		busy += now;
	else
		idle += now;
	*busy_ns = counter_ticks_to_ns(busy);
	*idle_ns = counter_ticks_to_ns(idle);
}

/* From what this CPU runs (a task, or its idle thread: NULL) to next. */
static void switch_to(struct proc *next)
{
	struct cpu *c = this_cpu();
	struct proc *prev = c->curr;
	struct context *from = prev ? &prev->ctx : &c->idle_ctx;
	struct context *to = next ? &next->ctx : &c->idle_ctx;

	account(c);
	kstat_context_switch();
	c->resched = false;     /* what an irq_window asked for: done */
	if (prev) {
		fpsimd_save(&prev->fp);
		prev->tpidr_el0 = read_sysreg(tpidr_el0);
		prev->on_cpu = false;
		/* Preempted or moved, still runnable: an idle CPU may take it
		 * (it looks once this CPU lets the lock go, after the switch). */
		if (prev->state == P_RUNNABLE)
			kick_for(prev);
	}
	c->curr = next;
	arch_set_current_task(next);
	if (next) {
		next->on_cpu = true;
		next->cpu = c->id;
		vm_activate(next->mm);
		fpsimd_restore(&next->fp);
		write_sysreg(next->tpidr_el0, tpidr_el0);
	} else {
		/* Idle holds no address space: one freed while this CPU idles
		 * must not stay in its TTBR0 for the walker to wander through. */
		vm_activate(NULL);
	}
	cpu_switch(from, to);
	proc_reap_detached();   /* back on a CPU: free zombies nobody waits for */
}

/* Runs the next runnable task (current again if it is the only one), or
 * this CPU's idle thread until one is. Returns when current runs again. */
void schedule(void)
{
	struct proc *prev = current, *next = pick_next(prev);

	assert_kernel_locked();
	if (next != prev)
		switch_to(next);
}

void yield(void)
{
	schedule();
}

/* Whether any CPU but this one runs a task (a deadlock needs them all idle). */
static bool others_busy(void)
{
	int self = smp_processor_id();

	for (int i = 0; i < nr_cpus_online; i++)
		if (i != self && cpus[i].curr)
			return true;
	return false;
}

void cpu_idle_loop(void)
{
	struct cpu *c = this_cpu();

	c->slice_start = timer_count();
	for (;;) {
		struct proc *next = pick_next(NULL);
		if (next) {
			switch_to(next);
			continue;
		}
		if (c->id == 0)
			kstat_sample_load();   /* the load average sees the idle time */
		/* Nothing runnable anywhere and nothing that could ever wake
		 * anyone (no timer, no console reader): a deadlock. */
		if (!tick_idle(c->id != 0 || others_busy()))
			panic("sched: no runnable process (every process waits)");
		account(c);
	}
}

/* A new task's first instructions (ret_from_fork): the kernel lock, which
 * the switch to it handed over, is let go on the way to EL0 here. */
void schedule_tail(void)
{
	proc_reap_detached();
	unlock_kernel();
}

void sched_wake(struct proc *p)
{
	if (p->state == P_SLEEPING) {
		p->state = P_RUNNABLE;
		kick_for(p);
	}
}

void sched_kick(struct proc *p)
{
	if (p->on_cpu && p->cpu != smp_processor_id())
		smp_send(p->cpu, IPI_RESCHEDULE);
}

void sched_affinity_changed(struct proc *p)
{
	if (!p->on_cpu) {
		if (p->state == P_RUNNABLE)
			kick_for(p);   /* waiting to run: a CPU of its new mask looks */
		return;
	}
	if (allowed_on(p, p->cpu))
		return;
	/* Its CPU switches away from it, and that switch kicks an idle CPU of
	 * its new mask (switch_to), once it is off this one. */
	if (p == current)
		schedule();
	else
		smp_send(p->cpu, IPI_RESCHEDULE);
}
