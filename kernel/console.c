/* The console: which UART the kernel talks through. */
#include "kernel/console.h"
#include "arch/arm64/memory.h"
#include "kernel/wait.h"
#include <string.h>

static const struct uart_ops *con_ops;
static uintptr_t con_base;
/* Readers waiting for a byte. Woken by console_rx_poll from the timer
 * interrupt (no receive interrupt yet: see kernel/tick.c); protected, as
 * every queue, by the kernel running with interrupts masked. */
static struct wait_queue rx_wait = WAIT_QUEUE_INIT;

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

static bool rx_ready(void)
{
	return con_ops && con_ops->rx_ready(con_base);
}

long console_wait_input(void)
{
	return wait_event(&rx_wait, rx_ready());
}

struct wait_queue *console_input_queue(void)
{
	return &rx_wait;
}

bool console_rx_waiting(void)
{
	return wait_queue_active(&rx_wait);
}

bool console_rx_poll(void)
{
	if (!wait_queue_active(&rx_wait) || !rx_ready())
		return false;
	wake_up(&rx_wait);
	return true;
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
