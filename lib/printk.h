/* Kernel messages on the console. */
#ifndef BRAMBLE_PRINTK_H
#define BRAMBLE_PRINTK_H
#include <stdint.h>
#include <stdarg.h>

/* Raw: no time stamp. Used by the panic dump too (polled, no allocation). */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
/* A log line: "[    s.uuuuuu] " before each line, as Linux does. It goes to
 * the kernel log (syslog(2), dmesg) and, below the console log level, to the
 * console. A format may start with a level, as Linux's: printk(KERN_WARNING
 * "..."); without one it is KERN_INFO. */
#define KERN_SOH     "\001"
#define KERN_EMERG   KERN_SOH "0"
#define KERN_ALERT   KERN_SOH "1"
#define KERN_CRIT    KERN_SOH "2"
#define KERN_ERR     KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE  KERN_SOH "5"
#define KERN_INFO    KERN_SOH "6"
#define KERN_DEBUG   KERN_SOH "7"
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

uint64_t timer_count(void);     /* CNTPCT_EL0 */
uint64_t timer_freq(void);      /* CNTFRQ_EL0, Hz */
uint64_t uptime_us(void);
uint64_t uptime_ns(void);      /* one ns is one instruction under -icount shift=0 */
#endif
