/*
 * BCM2835 auxiliary "mini UART" (ttyS1). Offsets are from the DT node's reg
 * (0x7e215040 on the bus), not from the AUX block's base.
 */
#include "drivers/uart/uart.h"

#define MU_IO     0x00
#define MU_IER    0x04
#define IER_RX_INT      (1u << 0)   /* receive interrupt (bit 0, as the errata says) */
#define MU_LSR    0x14
#define LSR_DATA_READY  (1u << 0)
#define LSR_TX_EMPTY    (1u << 5)

static void mini_uart_putc(uintptr_t base, char c)
{
	while (!(mmio_read32(base + MU_LSR) & LSR_TX_EMPTY))
		;
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

static void mini_uart_rx_irq_enable(uintptr_t base)
{
	mmio_write32(base + MU_IER, mmio_read32(base + MU_IER) | IER_RX_INT);
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
