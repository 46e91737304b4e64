#ifndef BRAMBLE_TICK_H
#define BRAMBLE_TICK_H
#include "boot/boot_info.h"
#include "lib/types.h"
#define TICK_HZ 100
/* Starts the scheduler tick: the virtual timer, through the interrupt
 * controller the DT names. Without one, processes are never preempted. */
void tick_init(const struct boot_info *bi);
/* Services the interrupt controller (an IRQ from EL0, or after the idle
 * WFI): true when it is time to reschedule (the tick, or a sleeper woke). */
bool tick_irq(void);
/* Routes console UART u's receive interrupt (after tick_init), or says in
 * the boot log that input is polled: no interrupt described, or one through
 * a controller not driven. */
void tick_console_irq(const struct uart_info *u);
/* The timer deadlines changed: programs the timer for the nearest. */
void tick_reprogram(void);
/*
 * Nothing is runnable on this CPU: lets the kernel lock go and waits for
 * the next interrupt (WFI), timer programmed for the first deadline (and
 * the tick only if console input is polled), then takes the lock and
 * services it. False, without waiting, when no interrupt could ever make a
 * process runnable (no deadline, no console reader) unless wait_anyway
 * (another CPU may still wake someone, and then this one by IPI).
 */
bool tick_idle(bool wait_anyway);
/* Arms this CPU's timer a tick ahead before it spins for the kernel lock
 * from idle (see kernel/tick.c). */
void tick_arm_while_spinning(void);
/* A secondary CPU's share of tick_init: its timer interrupt and IPIs. */
void tick_init_cpu(void);
/* CNTPCT - CNTVCT, as tick_init measured it (0 without a tick): what turns
 * the virtual counter EL0 reads into the kernel's clock (kernel/vdso.c). */
uint64_t tick_counter_offset(void);
/* Whether the controller can interrupt other CPUs (SMP needs it). */
bool tick_can_ipi(void);
/* Raises the IPI on the CPUs of hw_mask (bit n: core/interface n). */
void tick_send_ipi(uint32_t hw_mask);
/* Time the CPUs spent idle, and how many times they left the WFI. */
void tick_idle_stats(uint64_t *ms, uint64_t *wakeups);
#endif
