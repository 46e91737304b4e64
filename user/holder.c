/*
 * holder: holds nearly all the memory a process can get, for another program
 * to run beside it (tests/debian/oom.sh: Debian's cat with memory nearly
 * exhausted by another process).
 *
 *   holder [GIVE_BACK_MIB]     (default 0)
 *
 * Allocates 1 MiB blocks, every page written, until malloc fails (ENOMEM:
 * the system's memory, or RLIMIT_AS), frees GIVE_BACK_MIB of them, prints
 * one line and waits for a signal; SIGTERM ends it (the default action).
 *   holder: holding N MiB (M MiB given back) after malloc failed: <strerror>
 *   holder: FAIL: ...                                        (exit 1)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "blocks.h"

int main(int argc, char **argv)
{
	struct block *head = NULL;
	size_t mib = 0, give = 0;
	char *end;
	int err = 0;

	if (argc > 1) {
		errno = 0;
		give = strtoul(argv[1], &end, 10);
		if (errno || *end || end == argv[1]) {
			printf("holder: FAIL: bad GIVE_BACK_MIB '%s'\n", argv[1]);
			return 1;
		}
	}
	mib = take_blocks(&head, &err);
	if (!err) {
		printf("holder: FAIL: malloc never failed within %u MiB\n", LIMIT_MIB);
		return 1;
	}
	size_t given = give_back_blocks(&head, give);
	printf("holder: holding %zu MiB (%zu MiB given back) after malloc failed: %s\n",
	       mib - given, given, strerror(err));
	fflush(stdout);
	for (;;)
		pause();
}
