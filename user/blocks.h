/*
 * blocks.h: taking memory as a program that runs out of it does: 1 MiB
 * blocks from malloc, every page written (so it is really in use), until
 * malloc fails, kept on a list to give back. For oom and holder.
 */
#ifndef BRAMBLE_USER_BLOCKS_H
#define BRAMBLE_USER_BLOCKS_H
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK     (1u << 20)
#define LIMIT_MIB 65536u      /* 64 GiB: more than any board has */

struct block {
	struct block *next;
};

/* Blocks onto *head until malloc fails (*err its errno) or LIMIT_MIB of
 * them (*err 0): how many were taken. */
static __attribute__((unused)) size_t take_blocks(struct block **head, int *err)
{
	size_t mib = 0;

	*err = 0;
	while (mib < LIMIT_MIB) {
		errno = 0;
		struct block *b = malloc(BLOCK);
		if (!b) {
			*err = errno;
			break;
		}
		memset(b, 0xa5, BLOCK);
		b->next = *head;
		*head = b;
		mib++;
	}
	return mib;
}

/* Frees up to n blocks of *head (all: SIZE_MAX): how many. */
static __attribute__((unused)) size_t give_back_blocks(struct block **head, size_t n)
{
	size_t given = 0;

	for (; given < n && *head; given++) {
		struct block *next = (*head)->next;
		free(*head);
		*head = next;
	}
	return given;
}
#endif
