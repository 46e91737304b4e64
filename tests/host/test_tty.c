/* The line discipline's pure logic (fs/tty_ldisc.c): input processing,
 * canonical editing and echo, signal characters, raw mode, output. Expected
 * echoes are Linux's n_tty ones (stty sane, then as each case says). */
#include "fs/tty_ldisc.h"
#include "lib/uapi/signal.h"
#include "check.h"
#include <string.h>

static char echoed[8192];
static size_t echoed_len;

static void emit(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (echoed_len + n < sizeof(echoed)) {
		memcpy(echoed + echoed_len, s, n);
		echoed_len += n;
		echoed[echoed_len] = 0;
	}
}

static struct ldisc l;

static void reset(void)
{
	ldisc_init(&l, emit, NULL);
	echoed_len = 0;
	echoed[0] = 0;
}

static int type(const char *s)
{
	int sig = 0;
	for (; *s; s++) {
		int r = ldisc_receive(&l, (uint8_t)*s);
		if (r)
			sig = r;
	}
	return sig;
}

static const char *read_all(void)
{
	static char buf[4096];
	size_t n = ldisc_read(&l, buf, sizeof(buf) - 1);
	buf[n] = 0;
	return buf;
}

static void test_canonical(void)
{
	reset();
	type("helo");
	check(!ldisc_readable(&l), "tty.canon.partial-not-readable", "readable before newline");
	type("\177lo\r");
	check(ldisc_readable(&l), "tty.canon.line-readable", "not readable");
	check(ldisc_avail(&l) == 6, "tty.canon.fionread", "avail %zu", ldisc_avail(&l));
	check(strcmp(read_all(), "hello\n") == 0, "tty.canon.erase-and-icrnl", "wrong line");
	check(strcmp(echoed, "helo\b \blo\r\n") == 0, "tty.canon.echo", "echo '%s'", echoed);

	reset();
	type("one two  \027x\n");
	check(strcmp(read_all(), "one x\n") == 0, "tty.canon.werase", "wrong line");
	reset();
	type("garbage\025ok\n");
	check(strcmp(read_all(), "ok\n") == 0, "tty.canon.kill", "wrong line");
	check(strstr(echoed, "\b \b\b \b\b \b\b \b\b \b\b \b\b \bok") != NULL,
	      "tty.canon.kill-echoke", "echo '%s'", echoed);
	reset();
	type("\b\b\n");   /* ^H is not VERASE by default: it is data */
	check(strcmp(read_all(), "\b\b\n") == 0, "tty.canon.ctrl-h-is-data", "erased");
	check(strcmp(echoed, "^H^H\r\n") == 0, "tty.canon.echoctl", "echo '%s'", echoed);

	reset();
	type("abc\004");
	check(strcmp(read_all(), "abc") == 0, "tty.canon.eof-ends-line", "wrong");
	type("\004");
	check(ldisc_readable(&l) && ldisc_read(&l, (char[4]){ 0 }, 4) == 0,
	      "tty.canon.eof-empty-line", "no end of file");
	reset();
	type("a\nb\n");
	check(strcmp(read_all(), "a\n") == 0 && strcmp(read_all(), "b\n") == 0,
	      "tty.canon.one-line-per-read", "lines merged");
	reset();
	type("x\177\177\177y\n");
	check(strcmp(read_all(), "y\n") == 0, "tty.canon.erase-empty", "wrong");
}

static void test_signals(void)
{
	reset();
	type("abc");
	check(type("\003") == SIGINT, "tty.isig.intr", "no SIGINT");
	check(strcmp(echoed, "abc^C") == 0, "tty.isig.echo", "echo '%s'", echoed);
	type("\n");
	check(strcmp(read_all(), "\n") == 0, "tty.isig.flushes-line", "line kept");
	check(type("\034") == SIGQUIT, "tty.isig.quit", "no SIGQUIT");
	check(type("\032") == SIGTSTP, "tty.isig.susp", "no SIGTSTP");
	l.t.c_lflag &= ~ISIG;
	check(type("\003") == 0, "tty.isig.off", "signal without ISIG");
}

static void test_raw(void)
{
	struct linux_termios t;

	reset();
	type("par");
	t = l.t;
	t.c_lflag &= ~(ICANON | ECHO);
	ldisc_set_termios(&l, &t);
	check(ldisc_readable(&l) && strcmp(read_all(), "par") == 0, "tty.raw.line-released",
	      "partial line lost");
	echoed_len = 0; echoed[0] = 0;
	type("q\r\177");
	check(echoed_len == 0, "tty.raw.no-echo", "echoed '%s'", echoed);
	check(strcmp(read_all(), "q\n\177") == 0, "tty.raw.bytes", "wrong");
	t.c_iflag &= ~ICRNL;
	t.c_iflag |= IGNCR;
	ldisc_set_termios(&l, &t);
	type("a\rb");
	check(strcmp(read_all(), "ab") == 0, "tty.raw.igncr", "wrong");
	t.c_iflag = INLCR;
	ldisc_set_termios(&l, &t);
	type("\n");
	check(strcmp(read_all(), "\r") == 0, "tty.raw.inlcr", "wrong");
	type("xy");
	t.c_lflag |= ICANON;
	ldisc_set_termios(&l, &t);
	check(ldisc_readable(&l) && strcmp(read_all(), "xy") == 0, "tty.raw.to-canon",
	      "queued bytes not a line");

	reset();
	t = l.t;
	t.c_lflag &= ~ECHO;
	t.c_lflag |= ECHONL;
	ldisc_set_termios(&l, &t);
	type("secret\n");
	check(strcmp(echoed, "\r\n") == 0, "tty.canon.echonl", "echo '%s'", echoed);
}

static void test_output(void)
{
	struct linux_termios t;
	char out[64];
	size_t used, n;

	ldisc_default_termios(&t);
	n = ldisc_output(&t, "a\nb", 3, out, sizeof(out), &used);
	check(n == 4 && used == 3 && memcmp(out, "a\r\nb", 4) == 0, "tty.out.onlcr", "wrong");
	t.c_oflag &= ~OPOST;
	n = ldisc_output(&t, "a\nb", 3, out, sizeof(out), &used);
	check(n == 3 && memcmp(out, "a\nb", 3) == 0, "tty.out.raw", "wrong");
	ldisc_default_termios(&t);
	n = ldisc_output(&t, "\n\n\n", 3, out, 4, &used);
	check(n == 4 && used == 2, "tty.out.bounded", "n %zu used %zu", n, used);
}

static void test_full(void)
{
	reset();
	for (int i = 0; i < 1000; i++)
		ldisc_receive(&l, 'x');
	type("\n");
	size_t n = ldisc_avail(&l);
	check(n == LDISC_LINE_MAX, "tty.canon.line-max", "avail %zu", n);
	reset();
	struct linux_termios t = l.t;
	t.c_lflag &= ~(ICANON | ECHO);
	ldisc_set_termios(&l, &t);
	for (int i = 0; i < 3 * LDISC_QUEUE; i++)
		ldisc_receive(&l, 'y');
	check(ldisc_avail(&l) == LDISC_QUEUE, "tty.raw.queue-bounded", "avail %zu",
	      ldisc_avail(&l));
}

int main(void)
{
	test_canonical();
	test_signals();
	test_raw();
	test_output();
	test_full();
	return check_exit_status();
}
