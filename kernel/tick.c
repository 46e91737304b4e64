/*
 * The timer interrupt: the EL1 virtual timer (CNTV, compared with CNTVCT).
 * It serves two masters, and is always programmed (CNTV_CVAL) for the nearer:
 * the scheduler tick, TICK_HZ times a second while a process runs, which
 * preempts it; and the deadlines of kernel/timer.h (sleeping processes), so
 * a sleeper wakes at its deadline rather than at the tick after it.
 *
 * When nothing is runnable nothing needs preempting: the idle loop programs
 * the timer for the first deadline alone and sleeps in WFI until then (so
 * under QEMU -icount shift=0,sleep=off virtual time jumps straight to it).
 *
 * Console input comes by the UART's receive interrupt where the DT describes
 * one we can route (tick_console_irq): a GIC SPI (QEMU virt, Pi 4), or on a
 * Pi 3 the BCM2835 ARMCTRL's bank and bit, chained through the BCM2836 local
 * controller's GPU interrupt. Without one the tick polls the UART
 * (console_rx_poll) whenever it runs, and keeps running while idle as long
 * as a reader waits; input then waits at most one tick.
 *
 * Interrupts are only ever taken from EL0 (the kernel runs with them
 * masked), so a tick preempts user code and never kernel code; the handler
 * runs either on the way in from EL0 or from the idle loop, which services
 * the controller itself after WFI (kernel/cpu.h), in both cases under the
 * kernel lock (kernel/spinlock.h), which protects everything here.
 *
 * With more CPUs each has its own timer (CNTV is per CPU; the controller
 * routes each CPU's to it: a GIC PPI, the BCM2836's per-core timer
 * interrupt) and its own tick (struct cpu next_tick). CPU 0 keeps time for
 * all: the deadlines, the console's polling and the load average are its
 * alone, and a CPU that changes the nearest deadline sends it an IPI so it
 * reprograms. The inter-processor interrupt is the controller's too.
 */
#include "kernel/tick.h"
#include "kernel/kstat.h"
#include "kernel/irq_latency.h"
#include "kernel/timer.h"
#include "kernel/cpu.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/sched.h"
#include "kernel/console.h"
#include "fs/console.h"
#include "lib/printk.h"
#include "drivers/irq/irq_chip.h"
#include "mm/mmu.h"
#include <string.h>
#include "arch/arm64/arch_timer.h"

#define NSEC_PER_SEC 1000000000UL

static const struct irq_chip *chip;
static struct dev_info bi_timer_intc;   /* the controller chip drives */
static uint32_t timer_irq;
static uint64_t interval;     /* counter ticks per scheduler tick */
static uint64_t vofs;         /* CNTPCT - CNTVCT (uptime_ns reads CNTPCT) */
/* The console UART's interrupt, as chip numbers it; on a Pi 3 through the
 * ARMCTRL (uart_bank, uart_bit). */
static bool uart_irq_on, uart_chained;
static uint32_t uart_irq, uart_bank, uart_bit;

/* The CNTVCT value at which uptime_ns() has reached ns (rounded up). */
static uint64_t ns_to_vcount(uint64_t ns)
{
	uint64_t f = timer_freq(), sec = ns / NSEC_PER_SEC, rem = ns % NSEC_PER_SEC;

	if (sec >= UINT64_MAX / f - 1)
		return UINT64_MAX;
	/* +1: vofs may be one count short when it was measured. */
	return sec * f + (rem * f + NSEC_PER_SEC - 1) / NSEC_PER_SEC - vofs + 1;
}

/*
 * Programs the timer for the first deadline and, unless idle, the next tick.
 * Idle, the console can still wake someone (a typed ^C signals the
 * foreground group even when nobody reads): with a receive interrupt the
 * CPU waits for it, without one the tick keeps polling the UART. So an idle
 * system always has something to wait for, as on Linux, where processes that
 * all wait on each other simply wait: a program's deadlock is never the
 * kernel's panic. Returns whether anything at all was armed or awaited.
 */
static bool program(bool idle)
{
	struct cpu *c = this_cpu();
	bool keeper = c->id == 0;      /* the timekeeping CPU */
	uint64_t deadline, cval = UINT64_MAX;
	bool any = false;

	if (keeper && timer_next_deadline(&deadline)) {
		cval = ns_to_vcount(deadline);
		any = true;
	}
	if (!idle || (keeper && (console_rx_waiting() || !uart_irq_on))) {
		if (c->next_tick < cval)
			cval = c->next_tick;
		any = true;
	}
	if (keeper && uart_irq_on)
		any = true;      /* its interrupt will come */
	/* Nothing timed: the timer off, not armed at the end of time (QEMU's
	 * -icount sleep=off would jump its clock there). */
	if (cval == UINT64_MAX)
		cpu_timer_disarm();
	else
		cpu_timer_arm(cval);
	return any;
}

void tick_reprogram(void)
{
	if (!chip)
		return;
	if (smp_processor_id() == 0)
		program(false);
	else
		smp_send(0, IPI_TIMER);   /* the deadlines are CPU 0's */
}

/*
 * The physical counter's lead over the virtual one. The virtual read is
 * bracketed by two physical reads; the tightest bracket of a few tries is
 * kept (its error is at most its width). On real hardware and under QEMU
 * without -icount the two physical reads almost never agree, so waiting for
 * a bracket of width zero would never end. A bracket that holds the virtual
 * read itself allows an offset of zero, which is the truth whenever start.S
 * came through EL2 (it zeroes CNTVOFF_EL2): then the vDSO's clocks (CNTVCT
 * plus this) and the kernel's (CNTPCT) agree to the count.
 */
static void measure_vofs(void)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 16 && best; i++) {
		uint64_t p0 = timer_count();
		uint64_t v = cpu_virtual_count();
		uint64_t p1 = timer_count();
		if (p0 <= v && v <= p1) {
			vofs = 0;
			return;
		}
		if (p1 - p0 < best) {
			best = p1 - p0;
			vofs = p0 + best / 2 - v;
		}
	}
}

static bool is_gic_v2(const char *compat)
{
	return strcmp(compat, "arm,gic-400") == 0 || strcmp(compat, "arm,cortex-a15-gic") == 0 ||
	       strcmp(compat, "arm,cortex-a7-gic") == 0;
}

static const struct irq_chip *chip_for(const struct dev_info *d)
{
	if (is_gic_v2(d->compatible) && d->phys2)
		return gic_v2_init(ioremap(d->phys, d->size ? d->size : 0x1000),
				   ioremap(d->phys2, d->size2 ? d->size2 : 0x2000));
	if (strcmp(d->compatible, "brcm,bcm2836-l1-intc") == 0)
		return bcm2836_l1_init(ioremap(d->phys, d->size ? d->size : 0x100));
	return 0;
}

/* This CPU's timer interrupt and IPI routed to it, its first tick set. */
static void enable_this_cpu(void)
{
	chip->enable(timer_irq);
	if (chip->send_ipi)
		chip->enable(chip->ipi_irq);
	this_cpu()->next_tick = cpu_virtual_count() + interval;
}

void tick_init(const struct boot_info *bi)
{
	if (!bi->timer_virq_found || !(chip = chip_for(&bi->timer_intc))) {
		printk("Scheduler tick: none (no usable timer interrupt in the DT); "
		       "no preemption\n");
		return;
	}
	bi_timer_intc = bi->timer_intc;
	timer_irq = bi->timer_virq;
	interval = timer_freq() / TICK_HZ;
	measure_vofs();
	enable_this_cpu();
	program(false);
	printk("Scheduler tick: virtual timer, %s interrupt %u, %d Hz\n", chip->name,
	       timer_irq, TICK_HZ);
}

uint64_t tick_counter_offset(void)
{
	return vofs;
}

bool tick_can_ipi(void)
{
	return chip && chip->send_ipi;
}

void tick_init_cpu(void)
{
	if (!chip)
		return;
	if (chip->init_cpu)
		chip->init_cpu();
	enable_this_cpu();
}

void tick_send_ipi(uint32_t hw_mask)
{
	if (tick_can_ipi())
		chip->send_ipi(hw_mask);
}

static bool same_dev(const struct dev_info *a, const struct dev_info *b)
{
	return a->found && b->found && a->phys == b->phys && strcmp(a->compatible, b->compatible) == 0;
}

static void uart_irq_poll_fallback(const char *why)
{
	printk("Console input: polled by the tick (%s)\n", why);
}

void tick_console_irq(const struct uart_info *u)
{
	const struct irq_info *q = u ? &u->irq : NULL;

	if (!chip)
		return uart_irq_poll_fallback("no interrupt controller");
	if (!q || !q->found)
		return uart_irq_poll_fallback("the DT describes no UART interrupt");
	if (same_dev(&q->ctl, &bi_timer_intc) && is_gic_v2(q->ctl.compatible) && q->ncells == 3) {
		uart_irq = q->cell[1] + (q->cell[0] == 1 ? 16 : 32);
	} else if (strcmp(q->ctl.compatible, "brcm,bcm2836-armctrl-ic") == 0 && q->ncells == 2 &&
		   q->chained && same_dev(&q->parent, &bi_timer_intc) &&
		   strcmp(q->parent.compatible, "brcm,bcm2836-l1-intc") == 0 &&
		   q->parent_irq == BCM2836_L1_GPU_IRQ) {
		if (!armctrl_init(ioremap(q->ctl.phys, q->ctl.size ? q->ctl.size : 0x200)) ||
		    !armctrl_enable(q->cell[0], q->cell[1]))
			return uart_irq_poll_fallback("cannot use the ARMCTRL");
		uart_chained = true;
		uart_bank = q->cell[0];
		uart_bit = q->cell[1];
		uart_irq = BCM2836_L1_GPU_IRQ;
	} else {
		return uart_irq_poll_fallback("its interrupt controller is not driven");
	}
	if (!console_rx_irq_enable())
		return uart_irq_poll_fallback("the UART has no receive interrupt");
	chip->enable(uart_irq);
	uart_irq_on = true;
	if (uart_chained)
		printk("Console input: receive interrupt, ARMCTRL <%u %u> via %s interrupt %u\n",
		       uart_bank, uart_bit, chip->name, uart_irq);
	else
		printk("Console input: receive interrupt, %s interrupt %u\n", chip->name, uart_irq);
}

/* The timer fired: the tick, due deadlines, console input. True: reschedule. */
static bool timer_interrupt(void)
{
	struct cpu *c = this_cpu();
	uint64_t now = cpu_virtual_count();
	bool resched = false;

	irq_latency_note(now, cpu_timer_deadline());

	if (now >= c->next_tick) {
		c->next_tick = now + interval;
		resched = true;
		if (c->id == 0)
			kstat_sample_load();
	}
	if (c->id == 0) {
		resched |= timer_expire(uptime_ns());
		resched |= console_rx_poll();
	}
	program(false);
	return resched;
}

bool tick_irq(void)
{
	int irq, rounds = 0;
	bool resched = false, ipi = false;

	if (!chip)
		return false;
	/* Bounded: a source that will not go quiet cannot hold the CPU here. */
	while (rounds++ < 16 && (irq = chip->ack()) >= 0) {
		kstat_irq();
		if ((uint32_t)irq == timer_irq)
			resched |= timer_interrupt();
		else if (chip->send_ipi && (uint32_t)irq == chip->ipi_irq)
			ipi = true;
		else if (uart_irq_on && (uint32_t)irq == uart_irq &&
			 (!uart_chained || armctrl_pending(uart_bank, uart_bit)))
			resched |= console_rx_interrupt();
		chip->end((uint32_t)irq);
	}
	if (ipi) {
		uint32_t bits = smp_handle_ipi();
		resched |= (bits >> IPI_RESCHEDULE) & 1;
		if (bits & (1u << IPI_TIMER))
			program(false);   /* another CPU moved the nearest deadline */
	}
	return resched;
}

/*
 * A CPU about to wait for the kernel lock with its timer off (it idled)
 * arms it for a tick from now: under QEMU's -icount round robin a WFE that
 * yields while no virtual timer is pending anywhere is never run again.
 * program() sets the timer right once the lock is held.
 */
void tick_arm_while_spinning(void)
{
	/* An armed timer stays as it is: its time may have come already (the
	 * deadline that ended this WFI), and moving it would lose that. */
	if (chip && !cpu_timer_armed())
		cpu_timer_arm(cpu_virtual_count() + interval);
}

bool tick_idle(bool wait_anyway)
{
	struct cpu *c = this_cpu();

	if (!chip) {
		/* No timer interrupt (and so no other CPU): poll, as it must. */
		bool waiting = console_rx_waiting() || timer_next_deadline(&(uint64_t){ 0 });
		timer_expire(uptime_ns());
		console_rx_poll();
		return waiting;
	}
	if (!program(true) && !wait_anyway)
		return false;
	/* An interrupt that comes between the unlock and the WFI stays pending,
	 * and WFI returns at once: no wake-up is lost (kernel/cpu.h). */
	c->idle = true;
	unlock_kernel();
	cpu_wait_for_interrupt();
	tick_arm_while_spinning();
	lock_kernel();
	c->idle = false;
	c->idle_wakeups++;
	tick_irq();
	program(false);   /* a task may run now: its tick preempts it */
	return true;
}

void tick_idle_stats(uint64_t *ms, uint64_t *wakeups)
{
	uint64_t idle_ms = 0, w = 0;

	/* cpu_times counts an idle CPU's time up to now, even in its WFI. */
	for (int i = 0; i < nr_cpus_online; i++) {
		uint64_t busy_ns, idle_ns;
		cpu_times(i, &busy_ns, &idle_ns);
		idle_ms += idle_ns / 1000000;
		w += cpus[i].idle_wakeups;
	}
	*ms = idle_ms;
	*wakeups = w;
}
