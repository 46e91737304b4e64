/*
 * A minimal test vocabulary for the host unit tests. Every test case prints
 * exactly one line, "PASS <name>" or "FAIL <name>: <why>", which
 * scripts/test-summary counts; the program's exit status is the number of
 * failures (capped at 125).
 */
#ifndef BRAMBLE_CHECK_H
#define BRAMBLE_CHECK_H
#include <stdio.h>
#include <stdarg.h>

static int check_failures;

/* Reports one case: passes when cond is true; otherwise prints why. */
static inline int check(int cond, const char *name, const char *fmt, ...)
{
	if (cond) {
		printf("PASS %s\n", name);
	} else {
		va_list ap;
		printf("FAIL %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		check_failures++;
	}
	fflush(stdout);
	return cond;
}

static inline int check_exit_status(void)
{
	return check_failures > 125 ? 125 : check_failures;
}
#endif
