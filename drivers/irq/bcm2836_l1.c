/*
 * The BCM2836 per-core interrupt controller (Pi 2/3, "brcm,bcm2836-l1-intc"),
 * which carries the ARM generic timers and the cores' mailboxes. Each core
 * has its own registers at a 4-byte (control, source) or 16-byte (mailbox)
 * stride. Its numbers: 0 CNTPS, 1 CNTPNS, 2 CNTHP, 3 CNTV, 4-7 mailboxes
 * 0-3, and 8 the GPU interrupt (the BCM2835 ARMCTRL's output, routed to
 * core 0 by GPU_INT_ROUTING's reset value). Mailbox 0 is the IPI: a write
 * to a core's MAILBOX0_SET raises it there until that core clears the bits.
 */
#include "drivers/irq/irq_chip.h"
#include "drivers/uart/uart.h"
#include "arch/arm64/sysreg.h"
#include "arch/arm64/barrier.h"

#define TIMER_CTL(core)      (0x40 + 4 * (core))   /* bit n: timer interrupt n to IRQ */
#define MAILBOX_CTL(core)    (0x50 + 4 * (core))   /* bit n: mailbox n to IRQ */
#define IRQ_SOURCE(core)     (0x60 + 4 * (core))   /* bit n: interrupt n pending */
#define MAILBOX0_SET(core)   (0x80 + 16 * (core))
#define MAILBOX0_CLR(core)   (0xc0 + 16 * (core))
#define NTIMER_IRQS          4
#define MAILBOX0_IRQ         4

static uintptr_t base;

static bool gpu_enabled;

/* This core's number: MPIDR Aff0 (one cluster of four). */
static uint32_t core(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static void l1_enable(uint32_t irq)
{
	uint32_t c = core();

	if (irq == BCM2836_L1_GPU_IRQ)
		gpu_enabled = true;
	if (irq < NTIMER_IRQS)
		mmio_write32(base + TIMER_CTL(c), mmio_read32(base + TIMER_CTL(c)) | (1u << irq));
	if (irq == MAILBOX0_IRQ)
		mmio_write32(base + MAILBOX_CTL(c), mmio_read32(base + MAILBOX_CTL(c)) | 1u);
}

static int l1_ack(void)
{
	uint32_t c = core(), pending = mmio_read32(base + IRQ_SOURCE(c));

	for (int i = 0; i < NTIMER_IRQS; i++)
		if (pending & (1u << i))
			return i;
	if (pending & (1u << MAILBOX0_IRQ)) {
		/* Cleared before the messages are read: one sent after this
		 * raises it again. */
		mmio_write32(base + MAILBOX0_CLR(c), 0xffffffffu);
		dsb(sy);   /* cleared before the messages are read (Normal memory) */
		return MAILBOX0_IRQ;
	}
	if (gpu_enabled && (pending & (1u << BCM2836_L1_GPU_IRQ)))
		return BCM2836_L1_GPU_IRQ;
	return -1;
}

/* The timer's own level goes down when it is reprogrammed: nothing to end. */
static void l1_end(uint32_t irq)
{
	(void)irq;
}

static void l1_send_ipi(uint32_t hw_mask)
{
	for (uint32_t c = 0; c < 4; c++)
		if (hw_mask & (1u << c))
			mmio_write32(base + MAILBOX0_SET(c), 1u);
}

static const struct irq_chip bcm2836_l1 = {
	.name = "BCM2836 local", .enable = l1_enable, .ack = l1_ack, .end = l1_end,
	.send_ipi = l1_send_ipi, .ipi_irq = MAILBOX0_IRQ,
};

const struct irq_chip *bcm2836_l1_init(uintptr_t b)
{
	if (!b)
		return 0;
	base = b;
	return &bcm2836_l1;
}
