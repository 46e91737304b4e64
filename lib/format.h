/* printf-style formatting without libc: %d %i %u %o %x %X %p %s %c %%, with
 * width, '0' padding, '-' left-justify and the l/ll/z length modifiers. */
#ifndef BRAMBLE_FORMAT_H
#define BRAMBLE_FORMAT_H
#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink)(char c, void *arg);

/* Formats into sink; returns the number of characters produced. */
int vformat(format_sink sink, void *arg, const char *fmt, va_list ap);
/* Always NUL-terminates when size > 0; returns the untruncated length. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
#endif
