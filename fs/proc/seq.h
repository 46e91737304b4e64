/*
 * A text buffer for /proc files (Linux's seq_file, cut down): formatted
 * output into a fixed buffer that notes when it ran out of room, so the
 * caller can generate the text again into a larger one. Pure (no
 * allocation, no kernel state): host-tested.
 */
#ifndef BRAMBLE_PROC_SEQ_H
#define BRAMBLE_PROC_SEQ_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct seq {
	char *buf;
	size_t size;        /* room in buf */
	size_t len;         /* bytes written (never more than size) */
	size_t pad_until;   /* seq_setwidth's column */
	bool overflow;      /* something did not fit: the text is incomplete */
};

void seq_init(struct seq *s, char *buf, size_t size);
void seq_putc(struct seq *s, char c);
void seq_write(struct seq *s, const void *data, size_t n);
void seq_puts(struct seq *s, const char *str);
void seq_vprintf(struct seq *s, const char *fmt, va_list ap);
void seq_printf(struct seq *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* str with every byte of esc (and every control byte) written as a
 * backslash and three octal digits, as Linux's seq_escape for paths in
 * /proc/mounts (" \t\n\\"). */
void seq_escape(struct seq *s, const char *str, const char *esc);
/* Linux's seq_setwidth / seq_pad: seq_pad fills with spaces up to the
 * column set (counted from the current length when set), then writes c
 * (if not 0). /proc/PID/maps aligns its path column so. */
void seq_setwidth(struct seq *s, size_t width);
void seq_pad(struct seq *s, char c);
/* A 64-bit signal set as Linux's render_sigset_t: 16 hex digits. */
void seq_sigset(struct seq *s, const char *header, uint64_t set);
#endif
