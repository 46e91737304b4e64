/*
 * One small interface for the console UARTs. Output is polled: the console
 * must work with interrupts off, from a panic, in any context. Input may
 * also raise the receive interrupt. They never
 * reprogram the baud rate: on real hardware the firmware or U-Boot set it.
 */
#ifndef BRAMBLE_UART_H
#define BRAMBLE_UART_H
#include <stdint.h>

struct uart_ops {
	const char *name;        /* Linux's device name: ttyAMA0, ttyS1 */
	void (*putc)(uintptr_t base, char c);
	int (*getc)(uintptr_t base); /* a byte, or -1 when none is waiting */
	int (*rx_ready)(uintptr_t base); /* whether a byte is waiting (not taken) */
	/* Its receive interrupt on (the interrupt controller routes it), and
	 * cleared after the bytes are taken. */
	void (*rx_irq_enable)(uintptr_t base);
	void (*rx_irq_clear)(uintptr_t base);
};

extern const struct uart_ops pl011_ops;
extern const struct uart_ops mini_uart_ops;

/* How many times putc polls for room before it drops the byte: 10 ms and
 * more on a Pi, many character times even at 9600 baud (Linux's 8250 waits
 * 10 ms). A reg that names no UART (a corrupt device tree) then costs a
 * slow console, not a kernel spinning forever on a bit that never changes. */
#define UART_TX_SPIN_MAX 100000

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}
#endif
