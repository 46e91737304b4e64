/*
 * The kernel log: a fixed ring of text (static, never allocated) holding
 * every printk line, the boot log first, each as Linux's syslog(2) gives it:
 *   "<6>[    0.000000] Bramble 0.1 ...\n"
 * read by syslog(2) (busybox dmesg), and the console log level that decides
 * which printk lines also reach the console.
 *
 * Locking: the kernel lock (kernel/spinlock.h; every printk caller holds
 * it but a panicking CPU, which only reads the ring's tail to the console).
 */
#ifndef BRAMBLE_KLOG_H
#define BRAMBLE_KLOG_H
#include "lib/types.h"

#define KLOG_SIZE (64 * 1024)       /* bytes of text; the oldest lines make room */
#define KLOG_LINE_MAX 1024          /* a longer line is cut there */

/* Linux's include/linux/syslog.h (not a uapi header). */
#define SYSLOG_ACTION_CLOSE          0
#define SYSLOG_ACTION_OPEN           1
#define SYSLOG_ACTION_READ           2
#define SYSLOG_ACTION_READ_ALL       3
#define SYSLOG_ACTION_READ_CLEAR     4
#define SYSLOG_ACTION_CLEAR          5
#define SYSLOG_ACTION_CONSOLE_OFF    6
#define SYSLOG_ACTION_CONSOLE_ON     7
#define SYSLOG_ACTION_CONSOLE_LEVEL  8
#define SYSLOG_ACTION_SIZE_UNREAD    9
#define SYSLOG_ACTION_SIZE_BUFFER   10

/* Linux's defaults: a line goes to the console if its level is below
 * console_loglevel (7); printk without a level is KERN_INFO here (6). */
#define CONSOLE_LOGLEVEL_DEFAULT 7
#define CONSOLE_LOGLEVEL_MIN     1
#define MESSAGE_LOGLEVEL_DEFAULT 6

/* Whether a line of this level is printed on the console too. */
bool klog_to_console(int level);
/* One character of the line being logged; the first one of a line stamps
 * it with level and time (us since reset); '\n' ends the line. */
void klog_putc(int level, uint64_t us, char c);

/* syslog(2): type, a user buffer of len bytes. Linux's results and errors. */
long klog_syslog(int type, uaddr_t buf, int len);

/* Linux's struct ratelimit_state and __ratelimit: at most burst true answers
 * per interval; the first call after an interval with misses logs
 * "<what>: N messages suppressed". */
struct ratelimit {
	uint64_t interval_ns, begin_ns;
	int burst, printed, missed;
};
#define RATELIMIT_INIT(interval_s, n) { (uint64_t)(interval_s) * 1000000000ULL, 0, (n), 0, 0 }
bool ratelimit(struct ratelimit *rs, const char *what);
#endif
