/* Kernel messages on the console. */
#ifndef BRAMBLE_PRINTK_H
#define BRAMBLE_PRINTK_H
#include <stdint.h>
#include <stdarg.h>

/* Raw: no time stamp. Used by the panic dump too (polled, no allocation). */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
/* A log line: "[    s.uuuuuu] " before each line, as Linux does. */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

uint64_t timer_count(void);     /* CNTPCT_EL0 */
uint64_t timer_freq(void);      /* CNTFRQ_EL0, Hz */
uint64_t uptime_us(void);
uint64_t uptime_ns(void);      /* one ns is one instruction under -icount shift=0 */
#endif
