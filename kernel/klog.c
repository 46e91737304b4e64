/* The kernel log ring and syslog(2): see kernel/klog.h. */
#include "kernel/klog.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/wait.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/uapi/errno.h"
#include "mm/uaccess.h"
#include <string.h>

/*
 * The ring holds whole lines between positions tail and head (counted in
 * bytes since boot: position p is ring[p % KLOG_SIZE]). read_pos is where
 * SYSLOG_ACTION_READ goes on, clear_pos where READ_ALL starts; both are
 * never behind tail.
 */
static char ring[KLOG_SIZE];
static uint64_t head, tail, read_pos, clear_pos;
static struct wait_queue readers = WAIT_QUEUE_INIT;

/* The line being written, committed to the ring at its '\n'. */
static char line[KLOG_LINE_MAX];
static size_t line_len;
static bool in_line;

static int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
static int saved_console_loglevel = -1;

bool klog_to_console(int level)
{
	return level < console_loglevel;
}

/* Drops the oldest line. */
static void drop_oldest(void)
{
	while (tail < head && ring[tail % KLOG_SIZE] != '\n')
		tail++;
	if (tail < head)
		tail++;
	if (read_pos < tail)
		read_pos = tail;
	if (clear_pos < tail)
		clear_pos = tail;
}

static void commit_line(void)
{
	if (line[line_len - 1] != '\n')
		line[line_len - 1] = '\n';    /* cut short: still one line */
	while (head + line_len - tail > KLOG_SIZE)
		drop_oldest();
	for (size_t i = 0; i < line_len; i++)
		ring[(head + i) % KLOG_SIZE] = line[i];
	head += line_len;
	line_len = 0;
	in_line = false;
	if (wait_queue_active(&readers))
		wake_up(&readers);
}

void klog_putc(int level, uint64_t us, char c)
{
	if (!in_line) {
		line_len = (size_t)ksnprintf(line, sizeof(line), "<%d>[%5lu.%06lu] ", level,
					     (unsigned long)(us / 1000000),
					     (unsigned long)(us % 1000000));
		in_line = true;
	}
	if (line_len < sizeof(line))
		line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		commit_line();
}

/* Copies ring[from, from + n) to the user buffer. */
static int copy_ring(uaddr_t buf, uint64_t from, size_t n)
{
	size_t off = from % KLOG_SIZE, first = n < KLOG_SIZE - off ? n : KLOG_SIZE - off;

	if (copy_to_user(current->mm, buf, ring + off, first) < 0)
		return -EFAULT;
	if (n > first && copy_to_user(current->mm, uaddr_add(buf, first), ring, n - first) < 0)
		return -EFAULT;
	return 0;
}

/* The end of the whole lines from `from` that fit in len bytes. */
static uint64_t lines_fitting(uint64_t from, size_t len)
{
	uint64_t end = from;

	for (uint64_t p = from; p < head && p - from < len; p++)
		if (ring[p % KLOG_SIZE] == '\n')
			end = p + 1;
	return end;
}

/* The start of the newest whole lines up to head that fit in len bytes. */
static uint64_t newest_fitting(uint64_t from, size_t len)
{
	uint64_t start = head;

	/* Walk back line by line: a line starts after a '\n' or at from. */
	while (start > from) {
		uint64_t p = start - 1;       /* the '\n' ending the line before */
		while (p > from && ring[(p - 1) % KLOG_SIZE] != '\n')
			p--;
		if (head - p > len)
			break;
		start = p;
	}
	return start;
}

static bool unread(void)
{
	return read_pos < head;
}

/* What SYSLOG_ACTION_READ* ask of buf and len: 1 to go on, 0 for a zero
 * length, or the error, as Linux's do_syslog checks them. */
static long read_args(uaddr_t buf, int len)
{
	if (uaddr_is_null(buf) || len < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	return user_range_ok(buf, (uint64_t)len) ? 1 : -EFAULT;
}


long klog_syslog(int type, uaddr_t buf, int len)
{
	long err;
	uint64_t from, to;

	/* Linux's check_syslog_permissions with dmesg_restrict off: anyone may
	 * read the whole ring and ask its size; every other action (console
	 * off or level, clear, the reads that consume) needs CAP_SYSLOG. */
	if (type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER &&
	    !cred_capable_admin(&current->cred))
		return -EPERM;

	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
		if ((err = read_args(buf, len)) <= 0)
			return err;
		err = wait_event(&readers, unread());
		if (err)
			return err;
		from = read_pos;
		to = lines_fitting(from, (size_t)len);
		if (to == from)           /* a line longer than len: its start */
			to = from + (uint64_t)len;
		if (copy_ring(buf, from, to - from) < 0)
			return -EFAULT;
		read_pos = to;
		return (long)(to - from);
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if ((err = read_args(buf, len)) <= 0)
			return err;
		from = newest_fitting(clear_pos, (size_t)len);
		if (copy_ring(buf, from, head - from) < 0)
			return -EFAULT;
		if (type == SYSLOG_ACTION_READ_CLEAR)
			clear_pos = head;
		return (long)(head - from);
	case SYSLOG_ACTION_CLEAR:
		clear_pos = head;
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_console_loglevel == -1)
			saved_console_loglevel = console_loglevel;
		console_loglevel = CONSOLE_LOGLEVEL_MIN;
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_console_loglevel != -1) {
			console_loglevel = saved_console_loglevel;
			saved_console_loglevel = -1;
		}
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		console_loglevel = len < CONSOLE_LOGLEVEL_MIN ? CONSOLE_LOGLEVEL_MIN : len;
		saved_console_loglevel = -1;
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (long)(head - read_pos);
	case SYSLOG_ACTION_SIZE_BUFFER:
		return KLOG_SIZE;
	default:
		return -EINVAL;
	}
}

bool ratelimit(struct ratelimit *rs, const char *what)
{
	uint64_t now = uptime_ns();

	if (!rs->begin_ns)
		rs->begin_ns = now ? now : 1;
	if (now - rs->begin_ns >= rs->interval_ns) {
		if (rs->missed) {
			printk(KERN_WARNING "%s: %d messages suppressed\n", what, rs->missed);
			rs->missed = 0;
		}
		rs->begin_ns = now;
		rs->printed = 0;
	}
	if (rs->printed < rs->burst) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	return false;
}
