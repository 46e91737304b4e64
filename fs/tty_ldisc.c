/* The line discipline's pure logic: see fs/tty_ldisc.h. Follows Linux's
 * drivers/tty/n_tty.c in behaviour (not in code). */
#include "fs/tty_ldisc.h"
#include "lib/uapi/signal.h"
#include <string.h>

#define L(l, f) (((l)->t.c_lflag & (f)) != 0)
#define I(l, f) (((l)->t.c_iflag & (f)) != 0)

void ldisc_default_termios(struct linux_termios *t)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B115200 | CS8 | CREAD;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	t->c_cc[VINTR] = 3;      /* ^C */
	t->c_cc[VQUIT] = 28;     /* ^\ */
	t->c_cc[VERASE] = 127;   /* DEL */
	t->c_cc[VKILL] = 21;     /* ^U */
	t->c_cc[VEOF] = 4;       /* ^D */
	t->c_cc[VMIN] = 1;
	t->c_cc[VSTART] = 17;    /* ^Q */
	t->c_cc[VSTOP] = 19;     /* ^S */
	t->c_cc[VSUSP] = 26;     /* ^Z */
	t->c_cc[VREPRINT] = 18;  /* ^R */
	t->c_cc[VDISCARD] = 15;  /* ^O */
	t->c_cc[VWERASE] = 23;   /* ^W */
	t->c_cc[VLNEXT] = 22;    /* ^V */
}

void ldisc_init(struct ldisc *l, void (*emit)(void *, const char *, size_t), void *ctx)
{
	memset(l, 0, sizeof(*l));
	ldisc_default_termios(&l->t);
	l->emit = emit;
	l->ctx = ctx;
}

size_t ldisc_output(const struct linux_termios *t, const char *in, size_t n, char *out,
		    size_t outsz, size_t *used)
{
	size_t i = 0, o = 0;

	for (; i < n && o + 2 <= outsz; i++) {
		char c = in[i];
		if (t->c_oflag & OPOST) {
			if (c == '\n' && (t->c_oflag & ONLCR)) {
				out[o++] = '\r';
			} else if (c == '\r' && (t->c_oflag & OCRNL)) {
				c = '\n';
			}
		}
		out[o++] = c;
	}
	*used = i;
	return o;
}

/* Echo: through output processing to the terminal. */
static void echo_raw(struct ldisc *l, const char *s, size_t n)
{
	char buf[64];

	while (n && l->emit) {
		size_t used, k = ldisc_output(&l->t, s, n, buf, sizeof(buf), &used);
		l->emit(l->ctx, buf, k);
		s += used;
		n -= used;
	}
}

static bool is_cntrl(uint8_t c)
{
	return c < 32 || c == 127;
}

/* A character as echo shows it: ^X for a control character with ECHOCTL. */
static void echo_char(struct ldisc *l, uint8_t c)
{
	if (L(l, ECHOCTL) && is_cntrl(c) && c != '\t') {
		char s[2] = { '^', (char)(c ^ 0100) };
		echo_raw(l, s, 2);
	} else {
		char s = (char)c;
		echo_raw(l, &s, 1);
	}
}

static bool q_full(const struct ldisc *l)
{
	return l->qlen == LDISC_QUEUE;
}

static void q_push(struct ldisc *l, uint16_t e)
{
	if (q_full(l))
		return;
	l->q[(l->qhead + l->qlen++) % LDISC_QUEUE] = e;
	if (e & LDISC_LINE_END)
		l->qlines++;
}

static uint16_t *q_at(struct ldisc *l, size_t i)
{
	return &l->q[(l->qhead + i) % LDISC_QUEUE];
}

static uint16_t q_pop(struct ldisc *l)
{
	uint16_t e = l->q[l->qhead];

	l->qhead = (l->qhead + 1) % LDISC_QUEUE;
	l->qlen--;
	if (e & LDISC_LINE_END)
		l->qlines--;
	return e;
}

void ldisc_flush_input(struct ldisc *l)
{
	l->qhead = l->qlen = l->qlines = 0;
	l->line_len = 0;
}

/* The canonical line, ended by end (a byte or LDISC_EOF), into the queue.
 * A line that does not fit is lost (Linux would stop reading the UART). */
static void commit_line(struct ldisc *l, uint16_t end)
{
	if (LDISC_QUEUE - l->qlen < l->line_len + 1) {
		l->line_len = 0;
		return;
	}
	for (size_t i = 0; i < l->line_len; i++)
		q_push(l, (uint8_t)l->line[i]);
	q_push(l, end | LDISC_LINE_END);
	l->line_len = 0;
}

static bool is_word(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

/* Echo rubbing out one character of the line. */
static void rub_out(struct ldisc *l, uint8_t c)
{
	if (!L(l, ECHO))
		return;
	if (!L(l, ECHOE)) {
		echo_char(l, l->t.c_cc[VERASE]);
		return;
	}
	if (is_cntrl(c) && c != '\t') {
		if (L(l, ECHOCTL)) {
			echo_raw(l, "\b \b\b \b", 6);
		}
		return;
	}
	echo_raw(l, "\b \b", 3);
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

static void eraser(struct ldisc *l, enum erase_kind kind)
{
	if (!l->line_len)
		return;
	if (kind == ERASE_LINE && (!L(l, ECHO) || !L(l, ECHOE) || !L(l, ECHOK) || !L(l, ECHOKE))) {
		/* Without ECHOKE the kill character is echoed, then (ECHOK) a newline. */
		l->line_len = 0;
		if (L(l, ECHO)) {
			echo_char(l, l->t.c_cc[VKILL]);
			if (L(l, ECHOK))
				echo_raw(l, "\n", 1);
		}
		return;
	}
	if (kind == ERASE_CHAR && !L(l, ECHOE) && L(l, ECHO)) {
		l->line_len--;
		echo_char(l, l->t.c_cc[VERASE]);
		return;
	}
	bool seen_word = false;
	while (l->line_len) {
		uint8_t c = (uint8_t)l->line[l->line_len - 1];
		if (kind == ERASE_WORD) {
			if (is_word(c))
				seen_word = true;
			else if (seen_word)
				break;
		}
		l->line_len--;
		rub_out(l, c);
		if (kind == ERASE_CHAR)
			break;
	}
}

static bool is_cc(const struct ldisc *l, uint8_t c, int idx)
{
	return l->t.c_cc[idx] != 0 && c == l->t.c_cc[idx];
}

int ldisc_receive(struct ldisc *l, uint8_t c)
{
	if (c == '\r') {
		if (I(l, IGNCR))
			return 0;
		if (I(l, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(l, INLCR)) {
		c = '\r';
	}
	if (L(l, ISIG)) {
		int sig = is_cc(l, c, VINTR) ? SIGINT : is_cc(l, c, VQUIT) ? SIGQUIT :
			  is_cc(l, c, VSUSP) ? SIGTSTP : 0;
		if (sig) {
			if (!L(l, NOFLSH))
				ldisc_flush_input(l);
			if (L(l, ECHO))
				echo_char(l, c);
			return sig;
		}
	}
	if (L(l, ICANON)) {
		if (is_cc(l, c, VERASE)) {
			eraser(l, ERASE_CHAR);
			return 0;
		}
		if (is_cc(l, c, VKILL)) {
			eraser(l, ERASE_LINE);
			return 0;
		}
		if (is_cc(l, c, VWERASE) && L(l, IEXTEN)) {
			eraser(l, ERASE_WORD);
			return 0;
		}
		if (c == '\n') {
			if (L(l, ECHO) || L(l, ECHONL))
				echo_raw(l, "\n", 1);
			commit_line(l, '\n');
			return 0;
		}
		if (is_cc(l, c, VEOF)) {
			commit_line(l, LDISC_EOF);
			return 0;
		}
		if (is_cc(l, c, VEOL) || is_cc(l, c, VEOL2)) {
			if (L(l, ECHO))
				echo_char(l, c);
			commit_line(l, c);
			return 0;
		}
		if (l->line_len >= LDISC_LINE_MAX - 1)
			return 0;        /* the line is full: only its end is taken */
		l->line[l->line_len++] = (char)c;
		if (L(l, ECHO))
			echo_char(l, c);
		return 0;
	}
	if (L(l, ECHO))
		echo_char(l, c);
	q_push(l, c);
	return 0;
}

bool ldisc_readable(const struct ldisc *l)
{
	return L(l, ICANON) ? l->qlines > 0 : l->qlen > 0;
}

size_t ldisc_avail(const struct ldisc *l)
{
	size_t n = 0, pending = 0;

	for (size_t i = 0; i < l->qlen; i++) {
		uint16_t e = l->q[(l->qhead + i) % LDISC_QUEUE];
		if (!(e & LDISC_EOF))
			pending++;
		if (!L(l, ICANON) || (e & LDISC_LINE_END)) {
			n += pending;
			pending = 0;
		}
	}
	return n;
}

size_t ldisc_read(struct ldisc *l, char *buf, size_t n)
{
	size_t k = 0;

	if (L(l, ICANON)) {
		if (!l->qlines)
			return 0;
		while (l->qlen && k < n) {
			uint16_t e = q_pop(l);
			if (!(e & LDISC_EOF))
				buf[k++] = (char)(e & 0xff);
			if (e & LDISC_LINE_END)
				break;
		}
		return k;
	}
	while (l->qlen && k < n) {
		uint16_t e = q_pop(l);
		if (!(e & LDISC_EOF))
			buf[k++] = (char)(e & 0xff);
	}
	return k;
}

void ldisc_set_termios(struct ldisc *l, const struct linux_termios *t)
{
	bool was_canon = L(l, ICANON);

	l->t = *t;
	if (was_canon && !L(l, ICANON)) {
		for (size_t i = 0; i < l->line_len; i++)
			q_push(l, (uint8_t)l->line[i]);
		l->line_len = 0;
	} else if (!was_canon && L(l, ICANON) && l->qlen) {
		uint16_t *last = q_at(l, l->qlen - 1);
		if (!(*last & LDISC_LINE_END)) {
			*last |= LDISC_LINE_END;
			l->qlines++;
		}
	}
}
