/* The kernel console: one UART; output polled, input by interrupt or poll. */
#ifndef BRAMBLE_CONSOLE_H
#define BRAMBLE_CONSOLE_H
#include "boot/boot_info.h"
#include "drivers/uart/uart.h"

/* Uses the build-time early console (a fixmap slot made by start.S). */
void console_use_early(void);
/* Switches to a UART found in the device tree, mapped at va. */
void console_use(enum uart_kind kind, uintptr_t va);
void console_putc(char c);
/* A panic has begun: printing no longer waits for the console lock
 * (kernel/printk.c), which a stopped CPU may hold. */
void console_bust_lock(void);
void console_write(const char *s, size_t n);
int console_getc(void);            /* -1 when nothing is waiting */
/* Bytes to the UART unchanged (no CR before LF): the terminal's output. */
void console_write_raw(const char *s, size_t n);
/* Turns the UART's receive interrupt on (once the controller routes it);
 * false if the UART has none. */
bool console_rx_irq_enable(void);
bool console_rx_irq_active(void);
/* The receive interrupt: every waiting byte to the terminal; true if any. */
bool console_rx_interrupt(void);
/* Polled input (no receive interrupt): whether a terminal reader waits
 * (then the tick keeps running while idle), and the tick's poll, which
 * takes every waiting byte to the terminal; true if any. */
bool console_rx_waiting(void);
bool console_rx_poll(void);
struct wait_queue;
/* The queue console readers sleep on, for poll to wait on too (the
 * terminal's: tty_input_queue in fs/console.h). */
struct wait_queue *console_input_queue(void);
const char *console_name(void);    /* ttyAMA0, ttyS1 */
const struct uart_ops *uart_ops_for(enum uart_kind kind);
/* The UART to use: console= from bootargs if it names one the DT has
 * (else *override_failed), then stdout-path, then any PL011, then any
 * mini UART. NULL if the DT has none. */
const struct uart_info *console_choose(const struct boot_info *bi, const char *console_arg,
				       bool *override_failed);
#endif
