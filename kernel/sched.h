/*
 * The scheduler's CPU side (kernel/sched.c); schedule(), yield() and
 * sched_wake() are declared with the processes (kernel/proc.h).
 */
#ifndef BRAMBLE_SCHED_H
#define BRAMBLE_SCHED_H
#include "lib/types.h"

struct proc;

/* This CPU's idle thread, kernel lock held: runs what is runnable, waits in
 * WFI when nothing is. kmain ends in it, and so does every other CPU. */
void cpu_idle_loop(void) __attribute__((noreturn));
/* The first thing a new task runs (arch/arm64/switch.S ret_from_fork). */
void schedule_tail(void);
/* p may have something to notice (a signal): if it runs on another CPU,
 * that CPU enters the kernel, where the way back to EL0 sees it (Linux's
 * kick_process). */
void sched_kick(struct proc *p);
/* p's affinity changed: if its CPU is no longer allowed, it moves. */
void sched_affinity_changed(struct proc *p);
/* CPU cpu's time so far: running tasks, and idle (/proc/stat). */
void cpu_times(int cpu, uint64_t *busy_ns, uint64_t *idle_ns);
#endif
