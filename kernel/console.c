/* The console: which UART the kernel talks through. */
#include "kernel/console.h"
#include "arch/arm64/memory.h"
#include "fs/console.h"
#include <string.h>

static const struct uart_ops *con_ops;
static uintptr_t con_base;
/* Input is taken by the UART's receive interrupt when the DT describes one
 * (kernel/tick.c routes it), else polled by the tick; either way each byte
 * goes to the terminal (fs/console.c), which wakes its readers. */
static bool rx_irq;

const struct uart_ops *uart_ops_for(enum uart_kind kind)
{
	switch (kind) {
	case UART_PL011: return &pl011_ops;
	case UART_MINI:  return &mini_uart_ops;
	default:         return 0;
	}
}

void console_use_early(void)
{
	const uintptr_t block = 0x200000;

	con_ops = uart_ops_for(EARLYCON_KIND);
	con_base = FIXMAP_EARLYCON_VA + (EARLYCON_PHYS & (block - 1));
}

void console_use(enum uart_kind kind, uintptr_t va)
{
	con_ops = uart_ops_for(kind);
	con_base = va;
}

/* Terminals want CR LF. */
void console_putc(char c)
{
	if (!con_ops)
		return;
	if (c == '\n')
		con_ops->putc(con_base, '\r');
	con_ops->putc(con_base, c);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
}

int console_getc(void)
{
	return con_ops ? con_ops->getc(con_base) : -1;
}

/* Bytes as they are: the terminal (fs/console.c) did the output processing. */
void console_write_raw(const char *s, size_t n)
{
	if (!con_ops)
		return;
	for (size_t i = 0; i < n; i++)
		con_ops->putc(con_base, s[i]);
}

/* Every byte the UART holds, into the terminal; true if there was one. */
static bool rx_drain(void)
{
	bool any = false;
	int c;

	while ((c = console_getc()) >= 0) {
		tty_receive((uint8_t)c);
		any = true;
	}
	return any;
}

bool console_rx_irq_enable(void)
{
	if (!con_ops || !con_ops->rx_irq_enable)
		return false;
	con_ops->rx_irq_enable(con_base);
	rx_irq = true;
	return true;
}

bool console_rx_irq_active(void)
{
	return rx_irq;
}

bool console_rx_interrupt(void)
{
	bool any = rx_drain();

	if (con_ops && con_ops->rx_irq_clear)
		con_ops->rx_irq_clear(con_base);
	return any;
}

bool console_rx_waiting(void)
{
	return !rx_irq && tty_reader_waiting();
}

bool console_rx_poll(void)
{
	return !rx_irq && rx_drain();
}

struct wait_queue *console_input_queue(void)
{
	return tty_input_queue();
}

const char *console_name(void)
{
	return con_ops ? con_ops->name : "none";
}

/* The UART bootargs name ("ttyAMA0", "ttyS1"), or NULL. */
static const struct uart_info *uart_by_name(const struct boot_info *bi, const char *name)
{
	if (strcmp(name, pl011_ops.name) == 0 && bi->pl011.kind != UART_NONE)
		return &bi->pl011;
	if (strcmp(name, mini_uart_ops.name) == 0 && bi->mini.kind != UART_NONE)
		return &bi->mini;
	return NULL;
}

const struct uart_info *console_choose(const struct boot_info *bi, const char *console_arg,
				       bool *override_failed)
{
	const struct uart_info *u = NULL;

	*override_failed = false;
	if (console_arg && console_arg[0]) {
		u = uart_by_name(bi, console_arg);
		*override_failed = !u;
	}
	if (!u && bi->console.kind != UART_NONE)
		u = &bi->console;
	if (!u && bi->pl011.kind != UART_NONE)
		u = &bi->pl011;
	if (!u && bi->mini.kind != UART_NONE)
		u = &bi->mini;
	return u;
}
