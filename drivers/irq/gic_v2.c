/*
 * ARM GICv2 (GIC-400 on the Pi 4, QEMU virt's default): the distributor,
 * shared, and each CPU's own CPU interface (at the same address, banked).
 * PPIs (16-31: the timers) and SGIs (0-15) are banked per CPU too, so each
 * CPU enables its own; SPIs (32+: the UARTs) go to the CPU that enabled
 * them. SGI 0 is the IPI.
 */
#include "drivers/irq/irq_chip.h"
#include "drivers/uart/uart.h"
#include "arch/arm64/sysreg.h"
#include "arch/arm64/barrier.h"

#define GICD_CTLR        0x000
#define GICD_ISENABLER   0x100
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR   0x800
#define GICD_SGIR        0xf00
#define GICC_CTLR        0x000
#define GICC_PMR         0x004
#define GICC_IAR         0x00c
#define GICC_EOIR        0x010
#define IAR_ID           0x3ff
#define SPURIOUS         1023
#define NR_SGIS          16
#define FIRST_SPI        32
#define IPI_SGI          0

static uintptr_t gicd, gicc;

/* This CPU's interface number: MPIDR Aff0 (one cluster). */
static uint32_t cpu_interface(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static void gic_enable(uint32_t irq)
{
	volatile uint8_t *prio = (volatile uint8_t *)(gicd + GICD_IPRIORITYR);
	volatile uint8_t *targets = (volatile uint8_t *)(gicd + GICD_ITARGETSR);

	prio[irq] = 0xa0;
	if (irq >= FIRST_SPI)
		targets[irq] = (uint8_t)(1u << cpu_interface());
	mmio_write32(gicd + GICD_ISENABLER + 4 * (irq / 32), 1u << (irq % 32));
}

static int gic_ack(void)
{
	uint32_t iar = mmio_read32(gicc + GICC_IAR), id = iar & IAR_ID;

	if (id == SPURIOUS)
		return -1;
	/* An SGI's end needs its sender's number too (IAR bits 10-12): end it
	 * now. Its messages are in memory, read after this, and one sent
	 * after this raises it again. */
	if (id < NR_SGIS) {
		mmio_write32(gicc + GICC_EOIR, iar);
		dsb(sy);   /* acknowledged before its messages are read (Linux's smp_rmb) */
	}
	return (int)id;
}

static void gic_end(uint32_t irq)
{
	if (irq >= NR_SGIS)
		mmio_write32(gicc + GICC_EOIR, irq);
}

static void gic_send_ipi(uint32_t hw_mask)
{
	/* TargetListFilter 0: the CPUs of the list. */
	mmio_write32(gicd + GICD_SGIR, ((hw_mask & 0xff) << 16) | IPI_SGI);
}

static void gic_init_cpu(void)
{
	mmio_write32(gicc + GICC_PMR, 0xf0);
	mmio_write32(gicc + GICC_CTLR, 1);
}

static const struct irq_chip gic_v2 = {
	.name = "GICv2", .init_cpu = gic_init_cpu, .enable = gic_enable, .ack = gic_ack,
	.end = gic_end, .send_ipi = gic_send_ipi, .ipi_irq = IPI_SGI,
};

const struct irq_chip *gic_v2_init(uintptr_t dist, uintptr_t cpu)
{
	if (!dist || !cpu)
		return 0;
	gicd = dist;
	gicc = cpu;
	mmio_write32(gicd + GICD_CTLR, 1);
	gic_init_cpu();
	return &gic_v2;
}
