/*
 * leak: running out of memory, over and over, must leave nothing behind.
 *
 *   leak [ROUNDS]        (default 1000)
 *
 * Each round forks a child that maps 1 MiB private writable blocks (writing
 * the first and last page of each) until mmap fails with ENOMEM, then
 * mallocs 64 KiB blocks (writing their first and last byte) until malloc
 * returns NULL, and exits 0. The parent checks the child's status. The free
 * memory (sysinfo) after all rounds must equal that before them (read after
 * one unmeasured warm-up round).
 *
 * Prints "PASS leak.<case>" or "FAIL leak.<case>: <why>" per check,
 *   leak: <N> rounds
 * first, a progress line every 100 rounds
 *   leak: <n>/<N> rounds
 * and
 *   leak: free memory before <K> KiB, after <K> KiB
 * and exits 0 only if all passed.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>

#define PROG "leak"
#include "check.h"

/* ---- the child --------------------------------------------------------- */

/* Child exit statuses. */
enum {
	CHILD_OK = 0,
	CHILD_MMAP_ERRNO = 2,      /* mmap failed, but not with ENOMEM */
	CHILD_MMAP_UNBOUNDED = 3,  /* 64 GiB mapped without ENOMEM */
	CHILD_MALLOC_UNBOUNDED = 4,
};

#define MAP_LIMIT 65536UL              /* 1 MiB blocks: 64 GiB */
#define MALLOC_BLOCK (64UL << 10)
#define MALLOC_LIMIT (1UL << 20)       /* 64 KiB blocks: 64 GiB */

static void child(void *arg)
{
	unsigned long n;

	(void)arg;
	for (n = 0; n < MAP_LIMIT; n++) {
		char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			if (errno != ENOMEM)
				_exit(CHILD_MMAP_ERRNO);
			break;
		}
		p[0] = 1;
		p[MIB - 1] = 1;
	}
	if (n == MAP_LIMIT)
		_exit(CHILD_MMAP_UNBOUNDED);

	for (n = 0; n < MALLOC_LIMIT; n++) {
		char *p = malloc(MALLOC_BLOCK);
		if (!p)
			break;
		p[0] = 1;
		p[MALLOC_BLOCK - 1] = 1;
	}
	if (n == MALLOC_LIMIT)
		_exit(CHILD_MALLOC_UNBOUNDED);
	_exit(CHILD_OK);     /* everything left for exit to free */
}

static const char *child_failure(int st)
{
	if (st != -1 && WIFEXITED(st)) {
		switch (WEXITSTATUS(st)) {
		case CHILD_MMAP_ERRNO: return "mmap failed with an error other than ENOMEM";
		case CHILD_MMAP_UNBOUNDED: return "mmap gave 64 GiB without ENOMEM";
		case CHILD_MALLOC_UNBOUNDED: return "malloc gave 64 GiB without returning NULL";
		}
	}
	return describe(st);
}

/* ---- the parent -------------------------------------------------------- */

static int free_kib(unsigned long long *kib)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return -1;
	*kib = (unsigned long long)si.freeram * (si.mem_unit ? si.mem_unit : 1) / 1024;
	return 0;
}

/* One round: returns 0, or -1 after printing the failure. */
static int round_trip(unsigned long round)
{
	pid_t pid = start_child(child, NULL);
	if (pid < 0) {
		fail("rounds", "round %lu: fork: %s", round, strerror(errno));
		return -1;
	}
	int st = wait_for(pid);
	if (!exited_with(st, CHILD_OK)) {
		fail("rounds", "round %lu: %s", round, child_failure(st));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long rounds = 1000, done = 0;
	unsigned long long before = 0, after = 0;

	if (argc > 1) {
		char *end;
		rounds = strtoul(argv[1], &end, 0);
		if (*end || rounds == 0) {
			fprintf(stderr, "usage: leak [ROUNDS]\n");
			return 2;
		}
	}
	printf("leak: %lu rounds\n", rounds);
	fflush(stdout);

	/*
	 * A first round, not measured, so that what the parent itself comes to
	 * use (its stdio buffer, its stack, the pages fork and wait touch) is
	 * in place before the free memory is read.
	 */
	if (round_trip(0) != 0)
		return 1;

	if (free_kib(&before) != 0)
		fail("sysinfo", "sysinfo: %s", strerror(errno));

	for (done = 0; done < rounds; done++) {
		if (round_trip(done + 1) != 0)
			break;
		if ((done + 1) % 100 == 0) {
			printf("leak: %lu/%lu rounds\n", done + 1, rounds);
			fflush(stdout);
		}
	}

	if (free_kib(&after) != 0)
		fail("sysinfo", "sysinfo: %s", strerror(errno));
	if (done == rounds)
		pass("rounds");
	printf("leak: free memory before %llu KiB, after %llu KiB\n", before, after);
	fflush(stdout);
	if (before == after)
		pass("free_memory");
	else if (after < before)
		fail("free_memory", "%llu KiB less free memory after %lu rounds", before - after, done);
	else
		fail("free_memory", "%llu KiB more free memory after %lu rounds", after - before, done);

	return failures ? 1 : 0;
}
