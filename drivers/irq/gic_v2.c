/* ARM GICv2 (GIC-400 on the Pi 4, QEMU virt's default): distributor and CPU interface. */
#include "drivers/irq/irq_chip.h"
#include "drivers/uart/uart.h"

#define GICD_CTLR        0x000
#define GICD_ISENABLER   0x100
#define GICD_IPRIORITYR  0x400
#define GICC_CTLR        0x000
#define GICC_PMR         0x004
#define GICC_IAR         0x00c
#define GICC_EOIR        0x010
#define SPURIOUS         1023

static uintptr_t gicd, gicc;

static void gic_enable(uint32_t irq)
{
	volatile uint8_t *prio = (volatile uint8_t *)(gicd + GICD_IPRIORITYR);

	prio[irq] = 0xa0;
	mmio_write32(gicd + GICD_ISENABLER + 4 * (irq / 32), 1u << (irq % 32));
}

static int gic_ack(void)
{
	uint32_t iar = mmio_read32(gicc + GICC_IAR) & 0x3ff;

	return iar == SPURIOUS ? -1 : (int)iar;
}

static void gic_end(uint32_t irq)
{
	mmio_write32(gicc + GICC_EOIR, irq);
}

static const struct irq_chip gic_v2 = {
	.name = "GICv2", .enable = gic_enable, .ack = gic_ack, .end = gic_end,
};

const struct irq_chip *gic_v2_init(uintptr_t dist, uintptr_t cpu)
{
	if (!dist || !cpu)
		return 0;
	gicd = dist;
	gicc = cpu;
	mmio_write32(gicd + GICD_CTLR, 1);
	mmio_write32(gicc + GICC_PMR, 0xf0);
	mmio_write32(gicc + GICC_CTLR, 1);
	return &gic_v2;
}
