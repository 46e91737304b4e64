/* The kernel console: one UART, polled. */
#ifndef BRAMBLE_CONSOLE_H
#define BRAMBLE_CONSOLE_H
#include "boot/boot_info.h"
#include "drivers/uart/uart.h"

/* Uses the build-time early console (a fixmap slot made by start.S). */
void console_use_early(void);
/* Switches to a UART found in the device tree, mapped at va. */
void console_use(enum uart_kind kind, uintptr_t va);
void console_putc(char c);
void console_write(const char *s, size_t n);
int console_getc(void);            /* -1 when nothing is waiting */
/* Sleeps until the UART has a byte: 0, or -EINTR (a signal came first). */
long console_wait_input(void);
struct wait_queue;
/* The queue console_wait_input sleeps on, for poll to wait on too. */
struct wait_queue *console_input_queue(void);
/* Whether a reader sleeps in console_wait_input (then the tick polls). */
bool console_rx_waiting(void);
/* Polled input: wakes the readers if a byte is waiting; true if it did. */
bool console_rx_poll(void);
const char *console_name(void);    /* ttyAMA0, ttyS1 */
const struct uart_ops *uart_ops_for(enum uart_kind kind);
/* The UART to use: console= from bootargs if it names one the DT has
 * (else *override_failed), then stdout-path, then any PL011, then any
 * mini UART. NULL if the DT has none. */
const struct uart_info *console_choose(const struct boot_info *bi, const char *console_arg,
				       bool *override_failed);
#endif
