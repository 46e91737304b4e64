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

#define CAT_BUFFER  (9u << 20)
#define BLOCK       (1u << 20)
#define LIMIT_MIB   65536u      /* 64 GiB */
#define PAGE        4096u

struct block {
	struct block *next;
};

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

	while (mib < LIMIT_MIB) {
		errno = 0;
		struct block *b = malloc(BLOCK);
		if (!b) {
			err = errno;
			break;
		}
		/* Every page written, so the memory is really in use. */
		memset(b, 0xa5, BLOCK);
		b->next = head;
		head = b;
		mib++;
	}

	if (mib < LIMIT_MIB)
		printf("oom: malloc(%u) failed: %s after %zu MiB\n", BLOCK, strerror(err), mib);
	else
		printf("oom: FAIL: malloc never failed within %u MiB\n", LIMIT_MIB);
	fflush(stdout);

	while (head) {
		struct block *next = head->next;
		free(head);
		head = next;
	}
	free(cat_buf);
	if (mib >= LIMIT_MIB)
		return 1;
	printf("oom: freed, exiting cleanly\n");
	fflush(stdout);
	return 0;
}
