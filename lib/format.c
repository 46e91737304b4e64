/* The formatting engine behind kprintf and ksnprintf (host-tested). */
#include "lib/format.h"
#include <stdint.h>
#include <stdbool.h>

struct spec {
	int width;
	bool zero_pad;
	bool left;
	int longs;      /* 0: int, 1: long, 2: long long; 'z' counts as 1 */
};

struct out {
	format_sink sink;
	void *arg;
	int count;
};

static void emit(struct out *o, char c)
{
	o->sink(c, o->arg);
	o->count++;
}

static void emit_padded(struct out *o, const char *s, int len, const struct spec *sp)
{
	int pad = sp->width > len ? sp->width - len : 0;
	char padc = sp->zero_pad && !sp->left ? '0' : ' ';
	int i = 0;

	/* Zero padding goes after a sign, as printf does. */
	if (padc == '0' && len > 0 && s[0] == '-') {
		emit(o, '-');
		i = 1;
	}
	for (; !sp->left && pad > 0; pad--)
		emit(o, padc);
	for (; i < len; i++)
		emit(o, s[i]);
	for (; pad > 0; pad--)
		emit(o, ' ');
}

/* Digits of v in base, most significant first, into buf (at least 24 bytes). */
static int utoa(uint64_t v, unsigned base, bool upper, char *buf)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	while (n)
		buf[len++] = tmp[--n];
	return len;
}

static uint64_t take_unsigned(va_list *ap, int longs)
{
	if (longs >= 2)
		return va_arg(*ap, unsigned long long);
	if (longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t take_signed(va_list *ap, int longs)
{
	if (longs >= 2)
		return va_arg(*ap, long long);
	if (longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	*sp = (struct spec){0};
	for (;; f++) {
		if (*f == '0')
			sp->zero_pad = true;
		else if (*f == '-')
			sp->left = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	for (; *f == 'l' || *f == 'z'; f++)
		sp->longs++;
	return f;
}

static void format_one(struct out *o, char conv, struct spec *sp, va_list *ap)
{
	char buf[24];
	int len;

	switch (conv) {
	case 'd': case 'i': {
		int64_t v = take_signed(ap, sp->longs);
		uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
		buf[0] = '-';
		len = utoa(mag, 10, false, buf + (v < 0)) + (v < 0);
		emit_padded(o, buf, len, sp);
		break;
	}
	case 'u':
		len = utoa(take_unsigned(ap, sp->longs), 10, false, buf);
		emit_padded(o, buf, len, sp);
		break;
	case 'o':
		len = utoa(take_unsigned(ap, sp->longs), 8, false, buf);
		emit_padded(o, buf, len, sp);
		break;
	case 'x': case 'X':
		len = utoa(take_unsigned(ap, sp->longs), 16, conv == 'X', buf);
		emit_padded(o, buf, len, sp);
		break;
	case 'p':
		emit(o, '0');
		emit(o, 'x');
		len = utoa((uintptr_t)va_arg(*ap, void *), 16, false, buf);
		emit_padded(o, buf, len, sp);
		break;
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		for (len = 0; s[len]; len++)
			;
		emit_padded(o, s, len, sp);
		break;
	}
	case 'c':
		buf[0] = (char)va_arg(*ap, int);
		emit_padded(o, buf, 1, sp);
		break;
	case '%':
		emit(o, '%');
		break;
	default:        /* unknown: show it rather than guess */
		emit(o, '%');
		emit(o, conv);
		break;
	}
}

int vformat(format_sink sink, void *arg, const char *fmt, va_list ap)
{
	struct out o = { sink, arg, 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		if (!*fmt)
			break;
		format_one(&o, *fmt++, &sp, &aq);
	}
	va_end(aq);
	return o.count;
}

struct bufsink {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_sink(char c, void *arg)
{
	struct bufsink *b = arg;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct bufsink b = { buf, size, 0 };
	int n = vformat(buf_sink, &b, fmt, ap);

	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
