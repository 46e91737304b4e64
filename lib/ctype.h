/* Character classes the parsers share (strtoul, the cpio reader): no locale. */
#ifndef BRAMBLE_LIB_CTYPE_H
#define BRAMBLE_LIB_CTYPE_H

/* The value of c as a digit in any base up to 36, or 99 if it is none. */
static inline int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}
#endif
