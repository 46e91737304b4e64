/*
 * The other CPUs: bringing them up from the device tree, and the messages
 * CPUs send each other (inter-processor interrupts).
 *
 * An IPI is one interrupt per CPU (a GIC SGI, a BCM2836 mailbox) and a word
 * of message bits in the receiver's struct cpu, set atomically before the
 * interrupt is raised. What a message asks:
 *   IPI_RESCHEDULE  look at the run queue (a task woke, an affinity changed)
 *                   and, on the timekeeping CPU, at the timer deadlines
 *   IPI_CALL_FUNC   run the function smp_call_others() posted, then say so
 *   IPI_STOP        stop for good (a panic elsewhere)
 *   IPI_TIMER       (to CPU 0) the first deadline moved: program the timer
 * A CPU reads its messages under the kernel lock after the interrupt, or,
 * for the last two, while it spins waiting for that lock (the sender may
 * hold it).
 */
#ifndef BRAMBLE_SMP_H
#define BRAMBLE_SMP_H
#include "boot/boot_info.h"

/* What a starting CPU reads once its MMU is on (boot/start.S secondary_high). */
struct secondary_boot {
	uint64_t ttbr1;       /* the kernel's tables (read with the MMU off) */
	uint64_t stack_top;
	uint64_t mpidr;       /* whose turn it is (a late starter parks) */
	struct cpu *cpu;      /* NULL: given up on, park */
} __attribute__((aligned(64)));   /* one cache line, cleaned as one */
extern struct secondary_boot secondary_data;

enum ipi_message { IPI_RESCHEDULE = 0, IPI_CALL_FUNC = 1, IPI_STOP = 2, IPI_TIMER = 3 };

/* cpus[0] for the boot CPU, in TPIDR_EL1: first thing in kmain. */
void smp_init_boot_cpu(uint64_t mpidr);
/* Starts each CPU the DT describes (spin table or PSCI), up to max_cpus in
 * all, one at a time; logs each, and goes on without any that fail. */
void smp_boot_secondaries(const struct boot_info *bi, int max_cpus);

void smp_send(int cpu, enum ipi_message m);
/* Wakes one idle CPU of mask (bit n: logical CPU n), if any is idle. */
void smp_kick_idle(uint64_t mask);
/* An IPI came (kernel lock held): handles stop and calls, and returns the
 * other messages' bits (1 << IPI_RESCHEDULE, 1 << IPI_TIMER) for the caller. */
uint32_t smp_handle_ipi(void);
/* Called by a CPU spinning for a lock: answers stop and function calls. */
void smp_poll_while_spinning(void);
/* Runs fn(arg) on every other online CPU and waits until all have. */
void smp_call_others(void (*fn)(void *), void *arg);
/* The same without the wait (a test that makes them panic). */
void smp_call_others_nowait(void (*fn)(void *), void *arg);

/* The panic's part: stops every other CPU (waiting a moment for them) and
 * prints what each ran. */
void smp_stop_others(void);
void smp_dump_cpus(void);
/* This CPU stops for good, interrupts masked. */
void smp_stop_self(void) __attribute__((noreturn));
#endif
