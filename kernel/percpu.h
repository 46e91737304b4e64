/*
 * Per-CPU state: one struct cpu for each CPU the device tree names and
 * Bramble brought up, reached on the CPU itself through this_cpu()
 * (TPIDR_EL1) and from the others through cpus[]. Logical numbers are the
 * order of bring-up: 0 is the boot CPU.
 *
 * Locking: each CPU writes its own struct under the kernel lock
 * (kernel/spinlock.h), except where noted; other CPUs read it under the
 * same lock. ipi_pending is the one field written by other CPUs without it
 * (atomically, kernel/smp.c).
 */
#ifndef BRAMBLE_PERCPU_H
#define BRAMBLE_PERCPU_H
#include "lib/types.h"
#include "arch/arm64/current.h"
#include "boot/boot_info.h"

#define NR_CPUS BI_MAX_CPUS

struct proc;

/* Callee-saved registers across cpu_switch (arch/arm64/switch.S). */
struct context {
	uint64_t x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, fp, lr, sp;
};

struct cpu {
	int id;                      /* logical number, bring-up order */
	uint64_t mpidr;              /* MPIDR_EL1 affinity, as the DT's reg */
	bool online;                 /* written once by the CPU itself at bring-up */
	bool idle;                   /* in the idle loop's WFI, kernel lock let go */
	struct proc *curr;           /* the task it runs; NULL while it idles */
	struct context idle_ctx;     /* its idle thread's registers while a task runs */
	uint64_t slice_start;        /* timer_count() when curr (or idle) got the CPU */
	uint64_t busy_ticks, idle_ticks;   /* counter ticks: /proc/stat's cpuN line */
	uint64_t idle_wakeups;
	uint64_t next_tick;          /* CNTVCT of its next scheduler tick */
	bool resched;                /* an interrupt inside a loop asked for a switch */
	volatile uint32_t ipi_pending;     /* IPI_* bits (kernel/smp.h) */
	uint32_t locks_held;         /* lock-order levels held (kernel/spinlock.h checks) */
	volatile bool stopped;       /* halted by a panic on another CPU */
	struct proc *stopped_running;/* what it ran when it stopped (the panic dump) */
	const char *started_by;      /* "boot", "spin-table", "psci" */
};

extern struct cpu cpus[NR_CPUS];
extern int nr_cpus_online;

static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)arch_this_cpu();
}

static inline int smp_processor_id(void)
{
	return this_cpu()->id;
}

/* Bit n set for each CPU online: the affinity masks' universe. */
uint64_t cpu_online_mask(void);
#endif
