/*
 * The terminal line discipline's pure logic (Linux's n_tty in miniature):
 * input processing (ICRNL, INLCR, IGNCR), signal characters (ISIG), the
 * canonical line and its editing (VERASE, VKILL, VWERASE, VEOF, VEOL), echo
 * (ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL), the queue a read takes
 * from, and output processing (OPOST, ONLCR, OCRNL). No kernel state: it
 * compiles for the host too (tests/host/test_tty.c). fs/console.c owns the
 * one instance, feeds it from the UART's receive interrupt and reads from it.
 */
#ifndef BRAMBLE_FS_TTY_LDISC_H
#define BRAMBLE_FS_TTY_LDISC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/uapi/termios.h"

#define LDISC_LINE_MAX 512      /* a canonical line (Linux: 4095) */
#define LDISC_QUEUE    2048     /* input waiting for read */

/* Entries of the read queue: a byte, with flags. */
#define LDISC_EOF      0x100    /* VEOF: ends a line, is never read */
#define LDISC_LINE_END 0x200    /* the last entry of a canonical line */

struct ldisc {
	struct linux_termios t;
	uint16_t q[LDISC_QUEUE];
	size_t qhead, qlen;      /* ring: the oldest entry at qhead */
	size_t qlines;           /* entries flagged LDISC_LINE_END in q */
	char line[LDISC_LINE_MAX];
	size_t line_len;         /* the canonical line being edited */
	/* Where echo goes, after output processing (the UART; a buffer in tests). */
	void (*emit)(void *ctx, const char *s, size_t n);
	void *ctx;
};

/* Linux's default termios (stty sane): canonical, echo, ISIG, ICRNL, ONLCR. */
void ldisc_default_termios(struct linux_termios *t);
void ldisc_init(struct ldisc *l, void (*emit)(void *, const char *, size_t), void *ctx);
/* Changes the modes; switching ICANON off makes the partial line readable,
 * switching it on makes what is queued one line (as Linux). */
void ldisc_set_termios(struct ldisc *l, const struct linux_termios *t);
/* One byte from the terminal. Returns the signal it asks for the foreground
 * process group (SIGINT, SIGQUIT, SIGTSTP), or 0. */
int ldisc_receive(struct ldisc *l, uint8_t c);
/* Whether a read would return now: canonical, a line (or an end of file)
 * is complete; otherwise any byte is queued. */
bool ldisc_readable(const struct ldisc *l);
/* Bytes a read could take (FIONREAD/TIOCINQ: canonical, complete lines'). */
size_t ldisc_avail(const struct ldisc *l);
/* Takes up to n bytes (canonical: at most one line). 0 with ldisc_readable()
 * true before it means end of file (VEOF on an empty line). */
size_t ldisc_read(struct ldisc *l, char *buf, size_t n);
/* Discards all input: the queue and the line (TCFLSH, signal characters). */
void ldisc_flush_input(struct ldisc *l);
/* Output processing of in[0..n) into out (outsz >= 2): returns the bytes
 * made, *used the bytes of in taken. */
size_t ldisc_output(const struct linux_termios *t, const char *in, size_t n, char *out,
		    size_t outsz, size_t *used);
#endif
