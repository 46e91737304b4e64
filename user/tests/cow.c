/*
 * Copy-on-write fork: after fork each side sees its own private memory,
 * whoever writes first (a store, a system call writing into the page, a
 * page made writable again by mprotect); shared memory stays shared; the
 * pages are shared until written; and fork is charged in full, so under
 * strict overcommit a fork that could not copy everything fails with
 * ENOMEM instead of a later write failing.
 */
#define _GNU_SOURCE
#define PROG "cow"
#include "check.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define NPAGES 64

static unsigned char *map_private(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void fill(unsigned char *p, size_t pages, unsigned char seed)
{
	for (size_t i = 0; i < pages; i++)
		memset(p + i * PAGE, (int)(seed + i), PAGE);
}

/* Whether every page holds fill's pattern for seed. */
static int holds(const unsigned char *p, size_t pages, unsigned char seed)
{
	for (size_t i = 0; i < pages; i++)
		for (size_t k = 0; k < PAGE; k += 512)
			if (p[i * PAGE + k] != (unsigned char)(seed + i))
				return 0;
	return 1;
}

/* A kilobyte figure of /proc/meminfo, or -1. */
static long meminfo_kb(const char *key)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':') {
			v = strtol(line + strlen(key) + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static int overcommit_mode(void)
{
	int mode = -1;
	FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");

	if (f) {
		if (fscanf(f, "%d", &mode) != 1)
			mode = -1;
		fclose(f);
	}
	return mode;
}

static void child_writes_own_copy(void)
{
	unsigned char *p = map_private(NPAGES * PAGE);
	int st;

	fill(p, NPAGES, 1);
	pid_t pid = fork();
	if (pid == 0) {
		int ok = holds(p, NPAGES, 1);
		fill(p, NPAGES, 100);
		_exit(ok && holds(p, NPAGES, 100) ? 0 : 1);
	}
	st = wait_for(pid);
	check(exited_with(st, 0), "child_sees_then_writes", describe(st));
	check(holds(p, NPAGES, 1), "parent_keeps_its_pages", "the child's writes showed in the parent");
	munmap(p, NPAGES * PAGE);
}

/* The child waits for the parent's go and then checks it still sees the
 * pattern of seed, while the parent changes its own pages (change):
 * the child's wait status, or -1. */
static int child_keeps_while_parent(unsigned char *p, unsigned char seed, const char *name,
				    void (*change)(unsigned char *p))
{
	int go[2];

	if (pipe(go) < 0) {
		fail(name, "pipe: %s", ename(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(holds(p, NPAGES, seed) ? 0 : 1);
	}
	close(go[0]);
	change(p);                  /* while the child still shares the pages */
	if (write(go[1], "x", 1) != 1)
		fail(name, "write: %s", ename(errno));
	close(go[1]);
	return wait_for(pid);
}

static void write_50(unsigned char *p)
{
	fill(p, NPAGES, 50);
}

static void parent_writes_own_copy(void)
{
	unsigned char *p = map_private(NPAGES * PAGE);

	fill(p, NPAGES, 7);
	int st = child_keeps_while_parent(p, 7, "parent_writes", write_50);
	check(exited_with(st, 0), "parent_writes_child_keeps", describe(st));
	check(holds(p, NPAGES, 50), "parent_writes_sees_its_own", "lost the parent's writes");
	munmap(p, NPAGES * PAGE);
}

/* The kernel writing into a shared page (read(2) into it) copies it too. */
static void syscall_writes_own_copy(void)
{
	unsigned char *p = map_private(2 * PAGE);
	int fds[2], st;

	fill(p, 2, 20);
	if (pipe(fds) < 0) {
		fail("read_into_shared_page", "pipe: %s", ename(errno));
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		unsigned char buf[64];
		memset(buf, 0xab, sizeof(buf));
		if (write(fds[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			_exit(2);
		/* Across the page boundary: both pages are copied. */
		if (read(fds[0], p + PAGE - 32, sizeof(buf)) != (ssize_t)sizeof(buf))
			_exit(3);
		_exit(p[PAGE - 32] == 0xab && p[PAGE + 31] == 0xab ? 0 : 1);
	}
	st = wait_for(pid);
	check(exited_with(st, 0), "read_into_shared_page", describe(st));
	check(holds(p, 2, 20), "read_into_shared_page_parent", "the child's read showed in the parent");
	close(fds[0]);
	close(fds[1]);
	munmap(p, 2 * PAGE);
}

/* Made read-only and writable again after fork, a page is still copied
 * on its first write: mprotect cannot hand the writer the shared page. */
static int mprotect_failed;

static void reprotect_and_write(unsigned char *p)
{
	mprotect_failed |= mprotect(p, NPAGES * PAGE, PROT_READ) != 0;
	mprotect_failed |= mprotect(p, NPAGES * PAGE, PROT_READ | PROT_WRITE) != 0;
	fill(p, NPAGES, 90);
}

static void mprotect_keeps_copy_on_write(void)
{
	unsigned char *p = map_private(NPAGES * PAGE);

	fill(p, NPAGES, 3);
	int st = child_keeps_while_parent(p, 3, "mprotect_after_fork", reprotect_and_write);
	check(!mprotect_failed && exited_with(st, 0), "mprotect_after_fork", describe(st));
	munmap(p, NPAGES * PAGE);
}

static void shared_stays_shared(void)
{
	unsigned char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st;

	if (p == MAP_FAILED) {
		fail("shared_stays_shared", "mmap: %s", ename(errno));
		return;
	}
	p[0] = 1;
	pid_t pid = fork();
	if (pid == 0) {
		p[0] = 2;
		_exit(0);
	}
	st = wait_for(pid);
	check(exited_with(st, 0) && p[0] == 2, "shared_stays_shared", "the child's write is not seen");
	munmap(p, PAGE);
}

/* Three generations, each writing its own pattern over what it got. */
static void generations(void)
{
	unsigned char *p = map_private(NPAGES * PAGE);
	int st;

	fill(p, NPAGES, 10);
	pid_t a = fork();
	if (a == 0) {
		int ok = holds(p, NPAGES, 10);
		pid_t b = fork();
		if (b == 0) {
			int ok2 = holds(p, NPAGES, 10);
			fill(p, NPAGES, 30);
			_exit(ok2 && holds(p, NPAGES, 30) ? 0 : 1);
		}
		fill(p, NPAGES, 20);
		int sb = wait_for(b);
		_exit(ok && exited_with(sb, 0) && holds(p, NPAGES, 20) ? 0 : 1);
	}
	st = wait_for(a);
	check(exited_with(st, 0) && holds(p, NPAGES, 10), "three_generations", describe(st));
	munmap(p, NPAGES * PAGE);
}

/* The other side gone, the last user writes its page in place. */
static void last_user_writes(void)
{
	unsigned char *p = map_private(NPAGES * PAGE);

	fill(p, NPAGES, 40);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int st = wait_for(pid);
	fill(p, NPAGES, 41);
	check(exited_with(st, 0) && holds(p, NPAGES, 41), "last_user_writes", describe(st));
	munmap(p, NPAGES * PAGE);
}

/* Free memory, on a machine small enough for the figure to mean it: the
 * child's pages stay the parent's until it writes them. */
static void pages_shared_until_written(void)
{
	const size_t pages = 1024;   /* 4 MiB */
	long total = meminfo_kb("MemTotal");
	unsigned char *p;
	int sync[2], back[2];

	if (under_pressure()) {
		skip_under_pressure("pages_shared_until_written");
		return;
	}
	if (total < 0 || total > 1024 * 1024) {
		printf("SKIP " PROG ".pages_shared_until_written: MemTotal %ld kB, too big to tell\n", total);
		return;
	}
	if (!(p = map_private(pages * PAGE)) || pipe(sync) < 0 || pipe(back) < 0) {
		fail("pages_shared_until_written", "setup: %s", ename(errno));
		return;
	}
	fill(p, pages, 5);
	long before = meminfo_kb("MemFree");
	pid_t pid = fork();
	if (pid == 0) {
		long after_fork = meminfo_kb("MemFree"), after_write;
		fill(p, pages, 6);
		after_write = meminfo_kb("MemFree");
		long r[2] = { after_fork, after_write };
		_exit(write(back[1], r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	long r[2] = { 0, 0 };
	int got = read(back[0], r, sizeof(r)) == sizeof(r);
	int st = wait_for(pid);
	long size_kb = (long)(pages * PAGE / 1024);
	if (!got || !exited_with(st, 0))
		fail("pages_shared_until_written", "child: %s", describe(st));
	else if (before - r[0] > size_kb / 4)
		fail("pages_shared_until_written", "fork took %ld kB of %ld", before - r[0], size_kb);
	else if (r[0] - r[1] < size_kb * 3 / 4)
		fail("pages_shared_until_written", "writing %ld kB took only %ld kB", size_kb,
		     r[0] - r[1]);
	else
		pass("pages_shared_until_written");
	close(sync[0]), close(sync[1]), close(back[0]), close(back[1]);
	munmap(p, pages * PAGE);
}

/* Strict overcommit: fork is charged for a copy of every private page, so
 * a parent holding more than the free charge cannot fork (ENOMEM), and
 * can once it lets go. */
static void fork_charged_in_full(void)
{
	long limit = meminfo_kb("CommitLimit"), used = meminfo_kb("Committed_AS");

	if (under_pressure()) {
		skip_under_pressure("fork_charged_in_full");
		return;
	}
	if (overcommit_mode() != 2 || limit < 0 || used < 0) {
		printf("SKIP " PROG ".fork_charged_in_full: not strict overcommit\n");
		return;
	}
	/* Just over half of what is left: the parent can hold it, not twice. */
	size_t len = (size_t)((limit - used) / 2 + 1024) * 1024;
	unsigned char *p = map_private(len);
	if (!p) {
		fail("fork_charged_in_full", "mmap of %zu kB: %s", len / 1024, ename(errno));
		return;
	}
	p[0] = 1;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int e = errno;
	if (pid > 0)
		wait_for(pid);
	expect_error("fork_charged_in_full", pid, e, ENOMEM);
	munmap(p, len);
	pid = fork();
	if (pid == 0)
		_exit(0);
	int st = pid > 0 ? wait_for(pid) : -1;
	check(pid > 0 && exited_with(st, 0), "fork_after_letting_go", describe(st));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	child_writes_own_copy();
	parent_writes_own_copy();
	syscall_writes_own_copy();
	mprotect_keeps_copy_on_write();
	shared_stays_shared();
	generations();
	last_user_writes();
	pages_shared_until_written();
	fork_charged_in_full();
	return failures ? 1 : 0;
}
