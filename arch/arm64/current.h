/*
 * The running task and this CPU, in two registers (Linux arm64's choice):
 * SP_EL0, unused by the kernel at EL1h, holds the task the kernel runs for
 * (the vectors load it on entry from EL0, and the return to EL0 puts the
 * user's stack pointer back); TPIDR_EL1 holds this CPU's struct cpu.
 *
 * The task register is per task, not per CPU: a task that sleeps on one
 * CPU and wakes on another finds itself there too, so the compiler may keep
 * the value across calls. The CPU register is not: this_cpu's read is
 * volatile, and a value read before a sleep is stale after it.
 */
#ifndef BRAMBLE_ARM64_CURRENT_H
#define BRAMBLE_ARM64_CURRENT_H

static inline void *arch_current_task(void)
{
	void *p;

	__asm__("mrs %0, sp_el0" : "=r"(p));
	return p;
}

static inline void arch_set_current_task(void *p)
{
	__asm__ volatile("msr sp_el0, %0" : : "r"(p) : "memory");
}

static inline void *arch_this_cpu(void)
{
	void *c;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(c));
	return c;
}

static inline void arch_set_this_cpu(void *c)
{
	__asm__ volatile("msr tpidr_el1, %0" : : "r"(c) : "memory");
}
#endif
