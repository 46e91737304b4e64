/* ARM PrimeCell PL011, the Pi's "full" UART (ttyAMA0). */
#include "drivers/uart/uart.h"

#define UART_DR   0x00
#define UART_FR   0x18
#define FR_RXFE   (1u << 4)   /* receive FIFO empty */
#define FR_TXFF   (1u << 5)   /* transmit FIFO full */
#define UART_IMSC 0x38
#define UART_ICR  0x44
#define INT_RX    (1u << 4)   /* receive */
#define INT_RT    (1u << 6)   /* receive timeout */

static void pl011_putc(uintptr_t base, char c)
{
	for (int i = 0; mmio_read32(base + UART_FR) & FR_TXFF; i++)
		if (i == UART_TX_SPIN_MAX)
			return;
	mmio_write32(base + UART_DR, (uint8_t)c);
}

static int pl011_getc(uintptr_t base)
{
	if (mmio_read32(base + UART_FR) & FR_RXFE)
		return -1;
	return mmio_read32(base + UART_DR) & 0xff;
}

static int pl011_rx_ready(uintptr_t base)
{
	return !(mmio_read32(base + UART_FR) & FR_RXFE);
}

static void pl011_rx_irq_enable(uintptr_t base)
{
	mmio_write32(base + UART_ICR, INT_RX | INT_RT);
	mmio_write32(base + UART_IMSC, mmio_read32(base + UART_IMSC) | INT_RX | INT_RT);
}

static void pl011_rx_irq_clear(uintptr_t base)
{
	mmio_write32(base + UART_ICR, INT_RX | INT_RT);
}

const struct uart_ops pl011_ops = {
	.name = "ttyAMA0",
	.putc = pl011_putc,
	.getc = pl011_getc,
	.rx_ready = pl011_rx_ready,
	.rx_irq_enable = pl011_rx_irq_enable,
	.rx_irq_clear = pl011_rx_irq_clear,
};
