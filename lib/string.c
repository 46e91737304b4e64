/*
 * The C string functions the kernel and libfdt need (no libc here). Kept
 * simple: correctness first; the kernel does not copy much.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include "lib/ctype.h"

/*
 * memset and memcpy move 64-byte blocks as pairs of 8-byte words (ldp,
 * stp): page copies at fork, page clears on faults and the initramfs's
 * file tails spend most of their time here.
 */
void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	uint64_t w = (unsigned char)c * 0x0101010101010101ULL;

	while (n && ((uintptr_t)p & 7)) {
		*p++ = (unsigned char)c;
		n--;
	}
	for (; n >= 64; n -= 64, p += 64) {       /* four stp */
		uint64_t *q = (uint64_t *)p;
		q[0] = w, q[1] = w, q[2] = w, q[3] = w;
		q[4] = w, q[5] = w, q[6] = w, q[7] = w;
	}
	for (; n >= 8; n -= 8, p += 8)
		__builtin_memcpy(p, &w, sizeof(w));
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

/* A word from any address: the kernel runs with the MMU on and SCTLR_EL1.A
 * clear, so an unaligned load from normal memory is allowed (and cheap). */
static inline uint64_t load_unaligned(const unsigned char *p)
{
	uint64_t w;

	__builtin_memcpy(&w, p, sizeof(w));
	return w;
}

/* 64 bytes from s to d (8-byte aligned; s any), as pairs of words: four
 * ldp and four stp. */
static inline void copy64(unsigned char *d, const unsigned char *s)
{
	uint64_t w[8];

	__builtin_memcpy(w, s, sizeof(w));
	__builtin_memcpy(d, w, sizeof(w));
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n && ((uintptr_t)d & 7)) {
		*d++ = *s++;
		n--;
	}
	/* The destination aligned, the source read as it is: the cpio's file
	 * data is 4-byte aligned, pages are not. */
	for (; n >= 64; n -= 64, d += 64, s += 64)
		copy64(d, s);
	for (; n >= 8; n -= 8, d += 8, s += 8) {
		uint64_t w = load_unaligned(s);
		__builtin_memcpy(d, &w, sizeof(w));
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

/* Saturates at ULONG_MAX on overflow, as the C library's does. */
unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int overflow = 0, any = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '+')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
	    && digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (int d; (d = digit_value(*s)) < base; s++) {
		any = 1;
		if (v > (~0UL - d) / base)
			overflow = 1;
		else
			v = v * base + d;
	}
	if (end)
		*end = (char *)s;
	(void)any;
	return overflow ? ~0UL : v;
}
