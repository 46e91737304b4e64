/*
 * The BCM2836 per-core interrupt controller (Pi 2/3, "brcm,bcm2836-l1-intc"),
 * which carries the ARM generic timers. Its numbers for them: 0 CNTPS,
 * 1 CNTPNS, 2 CNTHP, 3 CNTV, and 8 the GPU interrupt (the BCM2835 ARMCTRL's
 * output, routed to core 0 by GPU_INT_ROUTING's reset value). Core 0's
 * registers only: one CPU runs.
 */
#include "drivers/irq/irq_chip.h"
#include "drivers/uart/uart.h"

#define TIMER_CTL_CORE0   0x40     /* bit n: timer interrupt n to IRQ */
#define IRQ_SOURCE_CORE0  0x60     /* bit n: timer interrupt n pending */
#define NTIMER_IRQS       4

static uintptr_t base;

static bool gpu_enabled;

static void l1_enable(uint32_t irq)
{
	if (irq == BCM2836_L1_GPU_IRQ)
		gpu_enabled = true;
	if (irq < NTIMER_IRQS)
		mmio_write32(base + TIMER_CTL_CORE0,
			     mmio_read32(base + TIMER_CTL_CORE0) | (1u << irq));
}

static int l1_ack(void)
{
	uint32_t pending = mmio_read32(base + IRQ_SOURCE_CORE0);

	for (int i = 0; i < NTIMER_IRQS; i++)
		if (pending & (1u << i))
			return i;
	if (gpu_enabled && (pending & (1u << BCM2836_L1_GPU_IRQ)))
		return BCM2836_L1_GPU_IRQ;
	return -1;
}

/* The timer's own level goes down when it is reprogrammed: nothing to end. */
static void l1_end(uint32_t irq)
{
	(void)irq;
}

static const struct irq_chip bcm2836_l1 = {
	.name = "BCM2836 local", .enable = l1_enable, .ack = l1_ack, .end = l1_end,
};

const struct irq_chip *bcm2836_l1_init(uintptr_t b)
{
	if (!b)
		return 0;
	base = b;
	return &bcm2836_l1;
}
