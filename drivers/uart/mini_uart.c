/*
 * BCM2835 auxiliary "mini UART" (ttyS1). Offsets are from the DT node's reg
 * (0x7e215040 on the bus), not from the AUX block's base.
 */
#include "drivers/uart/uart.h"

#define MU_IO     0x00
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

const struct uart_ops mini_uart_ops = {
	.name = "ttyS1",
	.putc = mini_uart_putc,
	.getc = mini_uart_getc,
	.rx_ready = mini_uart_rx_ready,
};
