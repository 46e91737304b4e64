/* The /proc text buffer (see fs/proc/seq.h). */
#include "fs/proc/seq.h"
#include "lib/format.h"

void seq_init(struct seq *s, char *buf, size_t size)
{
	s->buf = buf;
	s->size = size;
	s->len = 0;
	s->pad_until = 0;
	s->overflow = false;
}

void seq_putc(struct seq *s, char c)
{
	if (s->len < s->size)
		s->buf[s->len++] = c;
	else
		s->overflow = true;
}

void seq_write(struct seq *s, const void *data, size_t n)
{
	const char *p = data;

	if (n > s->size - s->len) {
		n = s->size - s->len;
		s->overflow = true;
	}
	for (size_t i = 0; i < n; i++)
		s->buf[s->len++] = p[i];
}

void seq_puts(struct seq *s, const char *str)
{
	while (*str)
		seq_putc(s, *str++);
}

static void sink(char c, void *arg)
{
	seq_putc(arg, c);
}

void seq_vprintf(struct seq *s, const char *fmt, va_list ap)
{
	vformat(sink, s, fmt, ap);
}

void seq_printf(struct seq *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(s, fmt, ap);
	va_end(ap);
}

void seq_escape(struct seq *s, const char *str, const char *esc)
{
	for (; *str; str++) {
		unsigned char c = (unsigned char)*str;
		bool escape = c < 0x20 || c == 0x7f;
		for (const char *e = esc; *e && !escape; e++)
			escape = *e == *str;
		if (!escape) {
			seq_putc(s, *str);
			continue;
		}
		seq_putc(s, '\\');
		seq_putc(s, (char)('0' + (c >> 6)));
		seq_putc(s, (char)('0' + ((c >> 3) & 7)));
		seq_putc(s, (char)('0' + (c & 7)));
	}
}

void seq_setwidth(struct seq *s, size_t width)
{
	s->pad_until = s->len + width;
}

void seq_pad(struct seq *s, char c)
{
	while (s->len < s->pad_until && !s->overflow)
		seq_putc(s, ' ');
	if (c)
		seq_putc(s, c);
}

void seq_sigset(struct seq *s, const char *header, uint64_t set)
{
	seq_printf(s, "%s%016lx\n", header, (unsigned long)set);
}
