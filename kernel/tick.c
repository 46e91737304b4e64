/*
 * The scheduler tick: the EL1 virtual timer (CNTV) fires TICK_HZ times a
 * second. Interrupts are only ever taken from EL0 (the kernel runs with
 * them masked), so a tick preempts user code and never kernel code.
 */
#include "kernel/tick.h"
#include "kernel/printk.h"
#include "drivers/irq/irq_chip.h"
#include "mm/mmu.h"
#include <string.h>
#include "arch/arm64/arch_timer.h"

static const struct irq_chip *chip;
static uint32_t timer_irq;

static void timer_rearm(void)
{
	uint64_t interval = timer_freq() / TICK_HZ;

	arch_timer_virt_start(interval);
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

void tick_init(const struct boot_info *bi)
{
	if (!bi->timer_virq_found || !(chip = chip_for(&bi->timer_intc))) {
		printk("Scheduler tick: none (no usable timer interrupt in the DT); "
		       "no preemption\n");
		return;
	}
	timer_irq = bi->timer_virq;
	chip->enable(timer_irq);
	timer_rearm();
	printk("Scheduler tick: virtual timer, %s interrupt %u, %d Hz\n", chip->name,
	       timer_irq, TICK_HZ);
}

bool tick_irq(void)
{
	int irq;
	bool tick = false;

	if (!chip)
		return false;
	while ((irq = chip->ack()) >= 0) {
		if ((uint32_t)irq == timer_irq) {
			timer_rearm();
			tick = true;
		}
		chip->end((uint32_t)irq);
	}
	return tick;
}
