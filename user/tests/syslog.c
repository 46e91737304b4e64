/*
 * syslog: the kernel log through syslog(2) (glibc's klogctl), as Linux's
 * do_syslog: the boot log is there in syslog format ("<6>[    0.000000]
 * ..."), whole lines; READ consumes, READ_ALL does not, CLEAR and READ_CLEAR
 * hide what came before; the console log level; Linux's errors.
 *
 * Prints "PASS syslog.<case>" or "FAIL syslog.<case>: <why>" per check and
 * exits 0 only if all passed. Leaves the console log level as it found it
 * (7). Unknown system calls are logged at most 10 times in 5 s.
 * Expected results follow Linux's do_syslog (kernel/printk/printk.c):
 * qemu-aarch64-static cannot check them, its syslog takes len from the
 * buffer argument. The boot test checks that the line logged with the console off
 * ("unknown system call 998") is not on the console.
 */
#define _GNU_SOURCE
#define PROG "syslog"
#include "check.h"
#include <stdlib.h>
#include <sys/klog.h>
#include <sys/syscall.h>

#define READ 2
#define READ_ALL 3
#define READ_CLEAR 4
#define CLEAR 5
#define CONSOLE_OFF 6
#define CONSOLE_ON 7
#define CONSOLE_LEVEL 8
#define SIZE_UNREAD 9
#define SIZE_BUFFER 10

static char buf[128 * 1024];

/* Every line of buf[0, n) is "<D>[SSSSS.UUUUUU] text\n". */
static int well_formed(const char *b, long n)
{
	long i = 0;

	if (n <= 0 || b[n - 1] != '\n')
		return 0;
	while (i < n) {
		if (n - i < 17 || b[i] != '<' || b[i + 1] < '0' || b[i + 1] > '7' ||
		    b[i + 2] != '>' || b[i + 3] != '[' || b[i + 9] != '.' || b[i + 16] != ']')
			return 0;
		const char *nl = memchr(b + i, '\n', (size_t)(n - i));
		i = nl - b + 1;
	}
	return 1;
}

static int contains(const char *b, long n, const char *s)
{
	return n > 0 && memmem(b, (size_t)n, s, strlen(s)) != NULL;
}

int main(void)
{
	long r, size, all, unread;
	int e;

	CALL(size, e, klogctl(SIZE_BUFFER, NULL, 0));
	check(size == 65536, "size-buffer", "SIZE_BUFFER is not 65536");

	CALL(all, e, klogctl(READ_ALL, buf, sizeof buf));
	check(all > 0 && all <= size, "read-all", "READ_ALL returned nothing");
	check(well_formed(buf, all), "read-all.format", "a line is not <L>[    s.uuuuuu] text");
	check(contains(buf, all, "<6>[") && contains(buf, all, "] Bramble 0.1 ("),
	      "read-all.boot-log", "no <6> boot banner line");
	check(contains(buf, all, "Starting init: /bin/init"), "read-all.init-line",
	      "no 'Starting init' line");

	CALL(r, e, klogctl(READ_ALL, buf, 100));
	check(r >= 0 && r <= 100 && (r == 0 || well_formed(buf, r)), "read-all.short-whole-lines",
	      "a short READ_ALL is not whole lines");
	CALL(r, e, klogctl(READ_ALL, buf, 0));
	check(r == 0, "read-all.len-0", "len 0 is not 0");
	CALL(r, e, klogctl(READ_ALL, NULL, 10));
	expect_error("read-all.null", r, e, EINVAL);
	CALL(r, e, klogctl(READ_ALL, buf, -1));
	expect_error("read-all.negative-len", r, e, EINVAL);
	CALL(r, e, klogctl(READ_ALL, (char *)16, 4096));
	expect_error("read-all.bad-address", r, e, EFAULT);

	/* READ consumes whole lines: SIZE_UNREAD drops by what it returned. */
	CALL(unread, e, klogctl(SIZE_UNREAD, NULL, 0));
	check(unread > 0, "size-unread", "nothing unread at start");
	CALL(r, e, klogctl(READ, buf, 4096));
	check(r > 0 && r <= 4096 && well_formed(buf, r), "read.whole-lines", "READ is not whole lines");
	long after;
	CALL(after, e, klogctl(SIZE_UNREAD, NULL, 0));
	check(r > 0 && after == unread - r, "read.consumes", "SIZE_UNREAD did not drop by READ's count");
	CALL(r, e, klogctl(READ, NULL, 10));
	expect_error("read.null", r, e, EINVAL);
	CALL(r, e, klogctl(READ, buf, -5));
	expect_error("read.negative-len", r, e, EINVAL);
	CALL(r, e, klogctl(READ, buf, 0));
	check(r == 0, "read.len-0", "len 0 is not 0");

	/* The console level: 1..8, else EINVAL. */
	CALL(r, e, klogctl(CONSOLE_LEVEL, NULL, 0));
	expect_error("console-level.0", r, e, EINVAL);
	CALL(r, e, klogctl(CONSOLE_LEVEL, NULL, 9));
	expect_error("console-level.9", r, e, EINVAL);
	CALL(r, e, klogctl(CONSOLE_LEVEL, NULL, 7));
	expect_ok("console-level.7", r, e);

	/* With the console off a line reaches the log, not the console. */
	CALL(r, e, klogctl(CONSOLE_OFF, NULL, 0));
	expect_ok("console-off", r, e);
	syscall(998);
	CALL(r, e, klogctl(CONSOLE_ON, NULL, 0));
	expect_ok("console-on", r, e);
	CALL(all, e, klogctl(READ_ALL, buf, sizeof buf));
	check(contains(buf, all, "<4>[") && contains(buf, all, "unknown system call 998: ENOSYS"),
	      "console-off.logged", "the line logged with the console off is not in the log");

	/* CLEAR: READ_ALL shows only what came after. */
	CALL(r, e, klogctl(CLEAR, NULL, 0));
	expect_ok("clear", r, e);
	CALL(r, e, klogctl(READ_ALL, buf, sizeof buf));
	check(r >= 0 && !contains(buf, r, "] Bramble 0.1 ("), "clear.hides-old",
	      "READ_ALL after CLEAR still has the boot log");
	syscall(997);
	CALL(r, e, klogctl(READ_CLEAR, buf, sizeof buf));
	check(r > 0 && contains(buf, r, "unknown system call 997"), "read-clear.new-line",
	      "READ_CLEAR lacks the new line");
	CALL(r, e, klogctl(READ_ALL, buf, sizeof buf));
	check(r >= 0 && !contains(buf, r, "unknown system call 997"), "read-clear.clears",
	      "READ_ALL after READ_CLEAR still has the line");

	/* printk_ratelimit: 10 lines in 5 s, then the count of the others at
	 * the first line after the interval. Sleeping first starts a fresh one. */
	sleep(6);
	klogctl(CLEAR, NULL, 0);
	for (int i = 0; i < 100; i++)
		syscall(996);
	sleep(6);
	syscall(995);
	CALL(r, e, klogctl(READ_ALL, buf, sizeof buf));
	int lines = 0;
	for (const char *p = buf; r > 0 && (p = memmem(p, (size_t)(buf + r - p), "call 996:", 9));
	     p++)
		lines++;
	check(lines == 10, "ratelimit.burst", "not 10 lines of the 100 unknown calls");
	check(contains(buf, r, "<4>[") && contains(buf, r, "] unknown system call: 90 messages suppressed\n"),
	      "ratelimit.suppressed", "no 'unknown system call: 90 messages suppressed' line");
	check(contains(buf, r, "unknown system call 995: ENOSYS"), "ratelimit.after-interval",
	      "the call after the interval was not logged");

	CALL(r, e, klogctl(0, NULL, 0));
	expect_ok("close", r, e);
	CALL(r, e, klogctl(1, NULL, 0));
	expect_ok("open", r, e);
	CALL(r, e, klogctl(11, NULL, 0));
	expect_error("bad-type", r, e, EINVAL);
	CALL(r, e, klogctl(-1, NULL, 0));
	expect_error("negative-type", r, e, EINVAL);
	return failures ? 1 : 0;
}
