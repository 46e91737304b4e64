/* kprintf and printk: formatting straight onto the polled console. */
#include "lib/printk.h"
#include "kernel/spinlock.h"
#include "kernel/percpu.h"
#include "lib/format.h"
#include "kernel/console.h"
#include "kernel/klog.h"
#include <stdbool.h>
#include "arch/arm64/arch_timer.h"
#include "arch/arm64/vdso/vdso_time.h"

static bool at_line_start = true;

uint64_t timer_count(void)
{
	return arch_counter_get_cntpct();
}

uint64_t timer_freq(void)
{
	return arch_timer_get_cntfrq();
}

uint64_t uptime_ns(void)
{
	return counter_to_ns(timer_count(), timer_freq());   /* the vDSO's conversion */
}

uint64_t uptime_us(void)
{
	uint64_t f = timer_freq();

	if (!f)
		return 0;
	/* Split to avoid overflowing count * 1e6. */
	uint64_t c = timer_count();
	return c / f * 1000000 + c % f * 1000000 / f;
}

static void console_sink(char c, void *arg)
{
	(void)arg;
	console_putc(c);
	at_line_start = c == '\n';
}

/*
 * The console lock keeps one call's text together when CPUs print at once
 * (a panic's dump and another CPU's one line). A nested call (a time
 * stamp, a panic inside printk) on the CPU holding it goes straight on;
 * after a panic has begun nobody takes it, since the CPU holding it may be
 * one the panic stopped.
 */
static struct spinlock console_lock = SPINLOCK_INIT("console_lock", LOCK_ORDER_CONSOLE);
static volatile int console_owner = -1;   /* its own record: lock checks may be off */
static volatile bool console_busted;

static bool console_enter(void)
{
	int self = smp_processor_id();

	if (console_busted || console_owner == self)
		return false;
	spin_lock(&console_lock);
	console_owner = self;
	return true;
}

static void console_leave(bool taken)
{
	if (taken) {
		console_owner = -1;
		spin_unlock(&console_lock);
	}
}

void console_bust_lock(void)
{
	console_busted = true;
}

int kvprintf(const char *fmt, va_list ap)
{
	bool taken = console_enter();
	int n = vformat(console_sink, 0, fmt, ap);

	console_leave(taken);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

/*
 * Every printk line goes to the kernel log (kernel/klog.h) and, if its level
 * is below the console log level, to the console. The time stamp goes in
 * front of each new line, not of each call.
 */
struct printk_line {
	int level;
	bool console;
};

static void stamp_sink(char c, void *arg)
{
	struct printk_line *pl = arg;
	uint64_t us = uptime_us();

	klog_putc(pl->level, us, c);
	if (!pl->console)
		return;
	if (at_line_start)
		kprintf("[%5lu.%06lu] ", (unsigned long)(us / 1000000),
			(unsigned long)(us % 1000000));
	console_sink(c, 0);
}

int printk(const char *fmt, ...)
{
	struct printk_line pl = { MESSAGE_LOGLEVEL_DEFAULT, false };
	va_list ap;
	int n;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		pl.level = fmt[1] - '0';
		fmt += 2;
	}
	pl.console = klog_to_console(pl.level);
	bool taken = console_enter();
	va_start(ap, fmt);
	n = vformat(stamp_sink, &pl, fmt, ap);
	va_end(ap);
	console_leave(taken);
	return n;
}
