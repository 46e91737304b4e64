/*
 * oom: runs the system out of memory the way a program should see it.
 *
 * `cat hello.txt` once asked for a 9 MiB buffer and took the whole system
 * down. Here the same request is made, then 1 MiB blocks are allocated and
 * every page of each is written, until malloc returns NULL. With no
 * overcommit that must be an ordinary ENOMEM; then everything is freed and
 * the program exits 0.
 *
 * Lines printed:
 *   oom: malloc(9437184) ok | oom: malloc(9437184) failed: <strerror>
 *   oom: malloc(N) failed: <strerror> after M MiB
 *   oom: freed, exiting cleanly
 *   oom: FAIL: malloc never failed within 65536 MiB     (exit 1)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blocks.h"

#define CAT_BUFFER  (9u << 20)
#define PAGE        4096u

int main(void)
{
	struct block *head = NULL;
	size_t mib = 0;
	char *cat_buf;
	int err = 0;

	cat_buf = malloc(CAT_BUFFER);
	if (cat_buf) {
		/* What cat does with it for a small file: one page read into it. */
		memset(cat_buf, 'c', PAGE);
		printf("oom: malloc(%u) ok\n", CAT_BUFFER);
	} else {
		printf("oom: malloc(%u) failed: %s\n", CAT_BUFFER, strerror(errno));
	}
	fflush(stdout);

	mib = take_blocks(&head, &err);

	if (mib < LIMIT_MIB)
		printf("oom: malloc(%u) failed: %s after %zu MiB\n", BLOCK, strerror(err), mib);
	else
		printf("oom: FAIL: malloc never failed within %u MiB\n", LIMIT_MIB);
	fflush(stdout);

	give_back_blocks(&head, SIZE_MAX);
	free(cat_buf);
	if (mib >= LIMIT_MIB)
		return 1;
	printf("oom: freed, exiting cleanly\n");
	fflush(stdout);
	return 0;
}
