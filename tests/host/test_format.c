/* Host tests of the kernel's printf engine against the C library's. */
#include "lib/format.h"
#include "tests/host/check.h"
#include <string.h>
#include <stdint.h>

#define SAME(name, ...) do { \
	char a[128], b[128]; \
	int na = ksnprintf(a, sizeof(a), __VA_ARGS__); \
	int nb = snprintf(b, sizeof(b), __VA_ARGS__); \
	check(na == nb && strcmp(a, b) == 0, name, "got '%s' (%d), want '%s' (%d)", a, na, b, nb); \
} while (0)

int main(void)
{
	SAME("format.d", "%d %d %d", 0, -42, 2147483647);
	SAME("format.d-min", "%d", (int)-2147483647 - 1);
	SAME("format.ld", "%ld %ld", (long)INT64_MIN, (long)INT64_MAX);
	SAME("format.u", "%u %lu", 4294967295u, (unsigned long)UINT64_MAX);
	SAME("format.x", "%x %lx %X", 0xdeadbeefu, (unsigned long)0x123456789abcdef0, 0xabcu);
	SAME("format.width", "[%5d] [%-5d] [%05d] [%05d]", 42, 42, 42, -42);
	SAME("format.o", "%o 0%o %lo %04o", 0u, 0100002u, (unsigned long)UINT64_MAX, 022u);
	SAME("format.hex-pad", "%016lx %08x", (unsigned long)0x1234, 0xffu);
	SAME("format.s", "[%s] [%10s] [%-10s]", "abc", "right", "left");
	SAME("format.c", "%c%c%c", 'a', 'b', 'c');
	SAME("format.percent", "100%% done");
	SAME("format.zu", "%zu", (size_t)123456789);
	SAME("format.p", "%p", (void *)0x1000);
	char small[6];
	int n = ksnprintf(small, sizeof(small), "%s", "truncated");
	check(n == 9 && strcmp(small, "trunc") == 0, "format.truncation", "'%s' %d", small, n);
	n = ksnprintf(small, 0, "%d", 12345);
	check(n == 5, "format.size-zero", "%d", n);
	const char *volatile nul = NULL;   /* hidden from the compiler's checks */
	n = ksnprintf(small, sizeof(small), "%s", nul);
	check(strcmp(small, "(null") == 0, "format.null-string", "'%s'", small);
	return check_exit_status();
}
