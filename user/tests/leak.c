/*
 * leak: running out of memory, over and over, must leave nothing behind.
 *
 *   leak [ROUNDS]        (default 50; make soak runs 10000)
 *
 * Each round forks a child that runs the system out of memory one way, the
 * ways taken in turn (round r takes way r mod 5), writing every page it gets:
 *   malloc-small   glibc malloc of 16..1024-byte blocks (its brk heap, then
 *                  the arenas it maps when brk fails) until it returns NULL
 *   malloc-large   glibc malloc of 1 MiB blocks (each an mmap of its own)
 *   mmap           1 MiB private anonymous mappings until mmap fails
 *   mmap-populate  the same with MAP_POPULATE (read back: zero-filled)
 *   tmpfs          64 KiB writes to a file in /tmp until write fails with
 *                  ENOSPC or ENOMEM; the child then removes the file
 * and exits 0. Every other pass over the ways the child frees (or unmaps)
 * what it took first; otherwise exit gives it back. The child must see
 * ENOMEM (ENOSPC or ENOMEM for the file) and exit 0: killed by a signal, or
 * any other status, is a failure, named by its status.
 *
 * The memory balance is three figures of /proc/meminfo read without
 * allocating: MemFree (free pages), Committed_AS (the commit charge) and
 * Slab (the kernel heap's bytes in use, in KiB). After the first round it
 * is recorded (the parent's own first-use pages, its stdio buffer and stack,
 * are in place by then); every 100 rounds, and after the last, it must be
 * exactly that, nothing allowed to drift. The kernel's byte-exact balance
 * at init's exit (tests/qemu/run-all's $BALANCE) covers the heap's bytes.
 * Under memory pressure (check.h) the figures move with the hog: the
 * checks are skipped, the rounds still run.
 *
 * Prints "PASS leak.<case>" or "FAIL leak.<case>: <why>" per check,
 *   leak: <N> rounds
 * first, a line per balance check
 *   leak: round <n>: <F> free pages, <C> pages committed, kernel heap <H> KiB: balanced
 *   FAIL leak.balance: round <n>: free pages <a> -> <b>, ... (what drifted)
 * and exits 0 only if all passed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PROG "leak"
#include "check.h"
#include "../procfile.h"

/* ---- the child --------------------------------------------------------- */

/* Child exit statuses. */
enum {
	CHILD_OK = 0,
	CHILD_WRONG_ERRNO = 2,     /* the failing call's errno was not ENOMEM (ENOSPC) */
	CHILD_UNBOUNDED = 3,       /* 64 GiB without running out */
	CHILD_NOT_ZERO = 4,        /* a populated page did not read back zero */
	CHILD_FILE = 5,            /* the file could not be made or removed */
	CHILD_SHORT = 6,           /* a short write not followed by ENOSPC/ENOMEM */
};

enum way { MALLOC_SMALL, MALLOC_LARGE, MMAP, MMAP_POPULATE, TMPFS, NWAYS };
static const char *const way_name[NWAYS] = {
	"malloc-small", "malloc-large", "mmap", "mmap-populate", "tmpfs",
};

#define LIMIT (64UL << 30)              /* 64 GiB: "never" */
#define WRITE_BLOCK (64UL << 10)

/* What a child took, chained through the blocks themselves, to free. */
struct block {
	struct block *next;
	size_t len;
};

static void touch_pages(char *p, size_t len)
{
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = 1;
	p[len - 1] = 1;
}

/* malloc until NULL: blocks of 16..1024 bytes, or of 1 MiB. */
static int exhaust_malloc(int large, int free_them)
{
	struct block *head = NULL;
	size_t total = 0;
	unsigned n = 0;

	for (;;) {
		size_t len = large ? MIB : 16 + (n++ * 104) % 1009;
		errno = 0;
		struct block *b = malloc(len < sizeof *b ? sizeof *b : len);
		if (!b)
			break;
		if (large)
			touch_pages((char *)b, len);
		b->next = head;
		head = b;
		if ((total += len) >= LIMIT)
			return CHILD_UNBOUNDED;
	}
	if (errno != ENOMEM)
		return CHILD_WRONG_ERRNO;
	while (free_them && head) {
		struct block *next = head->next;
		free(head);
		head = next;
	}
	return CHILD_OK;
}

/* 1 MiB anonymous mappings until mmap fails. */
static int exhaust_mmap(int populate, int free_them)
{
	struct block *head = NULL;
	size_t total = 0;

	for (;;) {
		char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | (populate ? MAP_POPULATE : 0), -1, 0);
		if (p == MAP_FAILED)
			break;
		if (populate)
			for (size_t i = 0; i < MIB; i += PAGE)
				if (p[i] != 0)
					return CHILD_NOT_ZERO;
		touch_pages(p, MIB);
		struct block *b = (struct block *)p;
		b->next = head;
		b->len = MIB;
		head = b;
		if ((total += MIB) >= LIMIT)
			return CHILD_UNBOUNDED;
	}
	if (errno != ENOMEM)
		return CHILD_WRONG_ERRNO;
	while (free_them && head) {
		struct block *next = head->next;
		munmap(head, head->len);
		head = next;
	}
	return CHILD_OK;
}

static char file_path[64];

/* Writes to a file in /tmp until a write fails; removes it. */
static int exhaust_tmpfs(int close_first)
{
	static char buf[WRITE_BLOCK];
	size_t total = 0;
	ssize_t r;

	memset(buf, 'x', sizeof buf);
	int fd = open(file_path, O_CREAT | O_EXCL | O_WRONLY, 0600);
	if (fd < 0)
		return CHILD_FILE;
	for (;;) {
		errno = 0;
		r = write(fd, buf, sizeof buf);
		if (r == (ssize_t)sizeof buf) {
			if ((total += r) >= LIMIT)
				return CHILD_UNBOUNDED;
			continue;
		}
		if (r > 0) {                 /* short: the next write must fail */
			errno = 0;
			if (write(fd, buf, sizeof buf) != -1)
				return CHILD_SHORT;
		}
		break;
	}
	if (errno != ENOSPC && errno != ENOMEM)
		return CHILD_WRONG_ERRNO;
	/* The file's pages go with its last reference: the name, then the
	 * descriptor (closed here, or by exit). */
	if (close_first)
		close(fd);
	if (unlink(file_path) != 0)
		return CHILD_FILE;
	return CHILD_OK;
}

struct child_arg {
	enum way way;
	int free_them;
};

static void child(void *arg)
{
	const struct child_arg *a = arg;

	switch (a->way) {
	case MALLOC_SMALL: _exit(exhaust_malloc(0, a->free_them));
	case MALLOC_LARGE: _exit(exhaust_malloc(1, a->free_them));
	case MMAP: _exit(exhaust_mmap(0, a->free_them));
	case MMAP_POPULATE: _exit(exhaust_mmap(1, a->free_them));
	case TMPFS: _exit(exhaust_tmpfs(a->free_them));
	case NWAYS: break;
	}
	_exit(CHILD_OK);
}

static const char *child_failure(int st)
{
	if (st != -1 && WIFEXITED(st)) {
		switch (WEXITSTATUS(st)) {
		case CHILD_WRONG_ERRNO: return "the failing call's errno was not ENOMEM (or ENOSPC)";
		case CHILD_UNBOUNDED: return "took 64 GiB without running out";
		case CHILD_NOT_ZERO: return "a MAP_POPULATE page did not read back zero";
		case CHILD_FILE: return "could not create or remove the file in /tmp";
		case CHILD_SHORT: return "a short write was not followed by ENOSPC or ENOMEM";
		}
	}
	return describe(st);
}

/* ---- the parent -------------------------------------------------------- */

struct balance {
	long free_kb, committed_kb, heap_kb;
};

/* A "Key:  N kB" figure of the text, or -1. */
/* /proc/meminfo's three figures, read into a static buffer (no malloc: the
 * parent's own heap must not move the commit charge). 0, or -1. */
static int read_balance(struct balance *b)
{
	static char text[4096];

	if (proc_read("/proc/meminfo", text, sizeof(text)) < 0)
		return -1;
	b->free_kb = proc_figure(text, "MemFree");
	b->committed_kb = proc_figure(text, "Committed_AS");
	b->heap_kb = proc_figure(text, "Slab");
	return b->free_kb < 0 || b->committed_kb < 0 || b->heap_kb < 0 ? -1 : 0;
}

/* Checks the balance against the first round's; prints the line. 0 or -1. */
static int check_balance(unsigned long round, const struct balance *first)
{
	struct balance now;

	if (under_pressure()) {
		skip_under_pressure("balance");
		return 0;
	}
	if (read_balance(&now) != 0) {
		fail("balance", "round %lu: cannot read /proc/meminfo: %s", round, strerror(errno));
		return -1;
	}
	if (now.free_kb == first->free_kb && now.committed_kb == first->committed_kb &&
	    now.heap_kb == first->heap_kb) {
		printf("leak: round %lu: %ld free pages, %ld pages committed, kernel heap %ld KiB: balanced\n",
		       round, now.free_kb / 4, now.committed_kb / 4, now.heap_kb);
		fflush(stdout);
		return 0;
	}
	fail("balance", "round %lu: free pages %ld -> %ld, pages committed %ld -> %ld, "
	     "kernel heap %ld -> %ld KiB (as after round 1 -> now)", round,
	     first->free_kb / 4, now.free_kb / 4, first->committed_kb / 4, now.committed_kb / 4,
	     first->heap_kb, now.heap_kb);
	return -1;
}

/* One round: returns 0, or -1 after printing the failure. */
static int round_trip(unsigned long round)
{
	struct child_arg a = {
		.way = (enum way)((round - 1) % NWAYS),
		.free_them = (int)((round - 1) / NWAYS % 2),
	};
	pid_t pid = start_child(child, &a);
	if (pid < 0) {
		fail("rounds", "round %lu: fork: %s", round, strerror(errno));
		return -1;
	}
	int st = wait_for(pid);
	if (!exited_with(st, CHILD_OK)) {
		fail("rounds", "round %lu (%s): %s", round, way_name[a.way], child_failure(st));
		return -1;
	}
	if (a.way == TMPFS && access(file_path, F_OK) == 0) {
		fail("rounds", "round %lu (tmpfs): %s still there after the child", round, file_path);
		unlink(file_path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long rounds = 50, done = 0;
	struct balance first;
	int balanced = 1;

	if (argc > 1) {
		char *end;
		rounds = strtoul(argv[1], &end, 0);
		if (*end || rounds == 0) {
			fprintf(stderr, "usage: leak [ROUNDS]\n");
			return 2;
		}
	}
	snprintf(file_path, sizeof file_path, "/tmp/leak.fill.%d", (int)getpid());
	printf("leak: %lu rounds\n", rounds);
	fflush(stdout);

	if (round_trip(1) != 0)
		return 1;
	/* The parent's pages of reading it are in place before the one kept. */
	if (read_balance(&first) != 0 || read_balance(&first) != 0) {
		fail("balance", "cannot read /proc/meminfo: %s", strerror(errno));
		return 1;
	}
	for (done = 1; done < rounds; done++) {
		if (round_trip(done + 1) != 0)
			break;
		if ((done + 1) % 100 == 0 && check_balance(done + 1, &first) != 0)
			balanced = 0;
	}
	if (done == rounds)
		pass("rounds");
	if (done % 100 != 0 && check_balance(done, &first) != 0)
		balanced = 0;
	if (balanced && !under_pressure())
		pass("balance");
	return failures ? 1 : 0;
}
