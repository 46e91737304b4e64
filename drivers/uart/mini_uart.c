/*
 * BCM2835 auxiliary "mini UART" (ttyS1). Offsets are from the DT node's reg
 * (0x7e215040 on the bus), not from the AUX block's base.
 */
#include "drivers/uart/uart.h"

#define MU_IO     0x00
#define MU_IER    0x04
#define MU_IIR    0x08
#define IIR_NONE_PENDING (1u << 0)
#define IIR_ID_MASK      (3u << 1)
#define IIR_ID_TX_EMPTY  (1u << 1)
#define MU_LSR    0x14
#define LSR_DATA_READY  (1u << 0)
#define LSR_TX_EMPTY    (1u << 5)

static void mini_uart_putc(uintptr_t base, char c)
{
	for (int i = 0; !(mmio_read32(base + MU_LSR) & LSR_TX_EMPTY); i++)
		if (i == UART_TX_SPIN_MAX)
			return;
	mmio_write32(base + MU_IO, (uint8_t)c);
}

static int mini_uart_getc(uintptr_t base)
{
	if (!(mmio_read32(base + MU_LSR) & LSR_DATA_READY))
		return -1;
	return mmio_read32(base + MU_IO) & 0xff;
}

static int mini_uart_rx_ready(uintptr_t base)
{
	return mmio_read32(base + MU_LSR) & LSR_DATA_READY;
}

/*
 * The receive interrupt's enable bit is bit 0 on the chip (16550-style, as
 * the datasheet's errata and Linux's 8250 driver say) but bit 1 in QEMU,
 * which follows the datasheet's table. Try bit 0: if that raised a
 * transmit-empty interrupt at once, bit 0 was the transmit enable here.
 */
static void mini_uart_rx_irq_enable(uintptr_t base)
{
	mmio_write32(base + MU_IER, 1u << 0);
	uint32_t iir = mmio_read32(base + MU_IIR);
	if (!(iir & IIR_NONE_PENDING) && (iir & IIR_ID_MASK) == IIR_ID_TX_EMPTY)
		mmio_write32(base + MU_IER, 1u << 1);
}

/* Its interrupt is the FIFO's level: taking the bytes clears it. */
static void mini_uart_rx_irq_clear(uintptr_t base)
{
	(void)base;
}

const struct uart_ops mini_uart_ops = {
	.name = "ttyS1",
	.putc = mini_uart_putc,
	.getc = mini_uart_getc,
	.rx_ready = mini_uart_rx_ready,
	.rx_irq_enable = mini_uart_rx_irq_enable,
	.rx_irq_clear = mini_uart_rx_irq_clear,
};
