/*
 * smpstress: many processes and threads at once, each doing a mix of the
 * calls that share kernel state across CPUs, every result checked.
 *
 *   smpstress [-p PROCS] [-t THREADS] [-s SECONDS] [-w WATCHDOG] [ROUNDS]
 *
 * PROCS worker processes (default 4) of THREADS executor threads each
 * (default 2) run rounds of six operations, each executor starting the
 * round at a different one so that all kinds run at the same time:
 *   mmap     anonymous mappings of 1 page to 1 MiB: zero-filled, every page
 *            written and read back, a hole punched, the rest still intact
 *   fork     fork + _exit + waitpid: the exit status, copy-on-write (the
 *            parent rewrites a buffer after fork; the child must see the old
 *            contents), a counter the children add to in shared memory
 *   pipe     a child writes 16-100 KiB down a pipe, the parent reads it to EOF
 *   file     create a file in /tmp, write, pwrite, read back, pread,
 *            ftruncate, reopen and read, unlink (then ENOENT)
 *   threads  4 threads add to a mutex-protected and an atomic counter
 *   oom      a child maps (mmap, then malloc) ever more until ENOMEM: the
 *            call must fail with ENOMEM, not kill the child; what it got is
 *            intact, and after freeing it all it can map again. Only the
 *            first executor of a worker does it, every 16th round from round 0.
 * The oom operation takes a process-shared rwlock exclusively and the others
 * take it shared: with no overcommit (Bramble) the child takes all the
 * memory there is, and the others' ENOMEM then would be right, not a bug.
 * The child also sets RLIMIT_AS (1 GiB) so that a Linux host with
 * overcommit gives ENOMEM early; qemu-aarch64-static ignores RLIMIT_AS, and
 * there the host's heuristic overcommit refuses one mapping larger than its
 * memory.
 *
 * Each executor runs at most ROUNDS rounds (default 200) and stops starting
 * new ones after SECONDS (default 3) of CLOCK_MONOTONIC; it always runs one.
 * WATCHDOG (default 300) seconds after the start the workers are killed,
 * each with its process group (the children it forked), and the test fails
 * (a hang).
 *
 * Prints, besides a FAIL line for each of the first 20 failed operations,
 *   smpstress: <P> processes x <T> threads, <R> rounds in <MS> ms
 *   smpstress: ops mmap=<N> fork=<N> pipe=<N> file=<N> threads=<N> oom=<N>
 * and "PASS smpstress.<case>" or "FAIL smpstress.<case>: <why>" for each
 * operation kind, the workers' exits and the shared counters; exits 0 only
 * if all passed.
 */
#define _GNU_SOURCE
#define PROG "smpstress"
#include "check.h"
#include "threads.h"
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define MAX_PROCS 16
#define MAX_THREADS 16
#define OP_THREADS_N 4          /* threads of one threads operation */
#define OP_THREADS_ADDS 1000    /* additions by each */
#define MAX_REPORTS 20
#define OOM_EVERY 16          /* rounds between an executor's oom operations */

enum { OP_MMAP, OP_FORK, OP_PIPE, OP_FILE, OP_THREADS, OP_OOM, NOPS };
static const char *const op_name[NOPS] = { "mmap", "fork", "pipe", "file", "threads", "oom" };

/* What the workers share with main and each other (a MAP_SHARED page). */
struct shared {
	pthread_rwlock_t memgate;     /* oom exclusive, the rest shared */
	long long deadline_ns;        /* CLOCK_MONOTONIC */
	atomic_long done[NOPS];       /* operations that held */
	atomic_long bad[NOPS];        /* operations that did not */
	atomic_long rounds;
	atomic_long fork_children;    /* added to by the fork operation's children */
	atomic_long thread_adds;      /* added to by the threads operation's threads */
	atomic_int reports;
};

static struct shared *sh;
static int nprocs = 4, nthreads = 2, seconds = 3, watchdog = 300;
static long max_rounds = 200;
static const char *dir = "/tmp";
static int strict_commit = 1;   /* /proc/sys/vm/overcommit_memory is 2 (or unreadable) */
static pid_t workers[MAX_PROCS];

/* One executor thread of a worker. */
struct exec {
	int id;                 /* worker * MAX_THREADS + thread */
	long round;
	unsigned char *cow;     /* the fork operation's buffer, 2 pages */
};

/* An operation failed: counted in shared memory; the first few are printed. */
static void bad(struct exec *x, int op, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void bad(struct exec *x, int op, const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&sh->bad[op], 1);
	if (atomic_fetch_add(&sh->reports, 1) >= MAX_REPORTS)
		return;
	flockfile(stdout);
	printf("FAIL " PROG ".%s: executor %d.%d round %ld: ", op_name[op], x->id / MAX_THREADS,
	       x->id % MAX_THREADS, x->round);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	funlockfile(stdout);
}

/* A 64-bit tag naming executor, round and position, so that a misplaced word shows. */
static uint64_t tag(struct exec *x, uint64_t pos)
{
	return (uint64_t)x->id << 48 ^ (uint64_t)x->round << 24 ^ pos ^ 0x5a5a000000000000ULL;
}

/* ---- mmap ------------------------------------------------------------------ */

/* Unmaps what is left of p's n pages: not the hole (page 1, once punched),
 * where another thread's mmap may have put a mapping of its own, as Linux
 * may too. */
static int unmap_rest(uint64_t *p, size_t n, int punched)
{
	if (!punched)
		return munmap(p, n * PAGE);
	return munmap(p, PAGE) | munmap((char *)p + 2 * PAGE, (n - 2) * PAGE);
}

static int op_mmap(struct exec *x)
{
	static const size_t pages[] = { 1, 3, 16, 17, 64, 257 };   /* up to 1 MiB + 1 page */
	size_t n = pages[(x->round + x->id) % (sizeof pages / sizeof pages[0])];
	uint64_t *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	const size_t w = PAGE / sizeof *p;    /* words a page */

	if (p == MAP_FAILED) {
		bad(x, OP_MMAP, "mmap of %zu pages: %s", n, ename(errno));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i * w] != 0 || p[i * w + w - 1] != 0) {
			bad(x, OP_MMAP, "page %zu of a new mapping is not zero", i);
			munmap(p, n * PAGE);
			return -1;
		}
		p[i * w] = tag(x, i);
		p[i * w + w - 1] = ~tag(x, i);
	}
	/* A hole in the middle: the pages either side must keep what they hold. */
	int punched = n >= 3;
	if (punched && munmap((char *)p + PAGE, PAGE) != 0) {
		bad(x, OP_MMAP, "munmap of page 1 of %zu: %s", n, ename(errno));
		munmap(p, n * PAGE);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (n >= 3 && i == 1)
			continue;
		if (p[i * w] != tag(x, i) || p[i * w + w - 1] != ~tag(x, i)) {
			bad(x, OP_MMAP, "page %zu of %zu lost what was written to it", i, n);
			unmap_rest(p, n, punched);
			return -1;
		}
	}
	if (unmap_rest(p, n, punched) != 0) {
		bad(x, OP_MMAP, "munmap of %zu pages: %s", n, ename(errno));
		return -1;
	}
	return 0;
}

/* ---- fork -------------------------------------------------------------------- */

static int op_fork(struct exec *x)
{
	uint64_t *b = (uint64_t *)x->cow;
	const size_t nw = 2 * PAGE / sizeof *b;
	int code = 1 + (int)((x->round + x->id) % 100), st;
	pid_t pid;

	for (size_t i = 0; i < nw; i++)
		b[i] = tag(x, i);
	pid = fork();
	if (pid < 0) {
		bad(x, OP_FORK, "fork: %s", ename(errno));
		return -1;
	}
	if (pid == 0) {
		/* Copy-on-write: the parent is rewriting the buffer now, maybe on another CPU. */
		for (size_t i = 0; i < nw; i++)
			if (b[i] != tag(x, i))
				_exit(200);
		atomic_fetch_add(&sh->fork_children, 1);
		_exit(code);
	}
	for (size_t i = 0; i < nw; i++)
		b[i] = ~tag(x, i);
	st = wait_for(pid);
	if (!exited_with(st, code)) {
		bad(x, OP_FORK, "expected exit status %d, %s%s", code, describe(st),
		    exited_with(st, 200) ? " (it saw the parent's writes after fork)" : "");
		return -1;
	}
	for (size_t i = 0; i < nw; i++)
		if (b[i] != ~tag(x, i)) {
			bad(x, OP_FORK, "the parent's buffer changed at word %zu", i);
			return -1;
		}
	return 0;
}

/* ---- pipe -------------------------------------------------------------------- */

static unsigned char pipe_byte(unsigned seed, size_t i)
{
	return (unsigned char)(seed + i * 7 + (i >> 9));
}

static int op_pipe(struct exec *x)
{
	size_t len = 16384 + (size_t)((x->round * 7919 + x->id * 104729) % 90000), got = 0;
	unsigned seed = (unsigned)(x->round * 31 + x->id);
	unsigned char buf[4096];
	int fd[2], st, ok = 1;
	pid_t pid;

	if (pipe(fd) != 0) {
		bad(x, OP_PIPE, "pipe: %s", ename(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		bad(x, OP_PIPE, "fork: %s", ename(errno));
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		/* Odd-sized writes, so that the reader's reads straddle them. */
		close(fd[0]);
		for (size_t off = 0; off < len;) {
			size_t n = len - off < 3001 ? len - off : 3001;
			for (size_t i = 0; i < n; i++)
				buf[i] = pipe_byte(seed, off + i);
			ssize_t w = write(fd[1], buf, n);
			if (w <= 0)
				_exit(3);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fd[1]);
	for (;;) {
		ssize_t r = read(fd[0], buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			bad(x, OP_PIPE, "read: %s", ename(errno));
			ok = 0;
			break;
		}
		if (r == 0)
			break;
		for (ssize_t i = 0; i < r && ok; i++)
			if (buf[i] != pipe_byte(seed, got + (size_t)i)) {
				bad(x, OP_PIPE, "byte %zu of %zu: 0x%02x, expected 0x%02x", got + (size_t)i, len,
				    buf[i], pipe_byte(seed, got + (size_t)i));
				ok = 0;
			}
		got += (size_t)r;
		if (!ok)
			break;
	}
	close(fd[0]);
	st = wait_for(pid);
	if (ok && got != len) {
		bad(x, OP_PIPE, "read %zu bytes to EOF, %zu were written", got, len);
		ok = 0;
	}
	if (ok && !exited_with(st, 0)) {
		bad(x, OP_PIPE, "writer: %s", describe(st));
		ok = 0;
	}
	return ok ? 0 : -1;
}

/* ---- file -------------------------------------------------------------------- */

/* Reads exactly n bytes at off (pread, or read when off is -1); 0 if it got them. */
static int read_full(int fd, unsigned char *b, size_t n, off_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = off < 0 ? read(fd, b + got, n - got) : pread(fd, b + got, n - got, off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int op_file(struct exec *x)
{
	size_t len = 1 + (size_t)((x->round * 40503 + x->id * 7) % 70000), half = len / 2;
	unsigned char *w = malloc(len), *r = malloc(len + 1);
	char path[256];
	struct stat s;
	int fd = -1, ok = 0;

	if (!w || !r) {
		bad(x, OP_FILE, "malloc of %zu bytes failed", len);
		goto out;
	}
	for (size_t i = 0; i < len; i++)
		w[i] = (unsigned char)(i * 13 + (size_t)x->id + (size_t)x->round);
	snprintf(path, sizeof path, "%s/smpstress.%d.%d.%ld", dir, (int)getpid(), x->id, x->round);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		bad(x, OP_FILE, "open(%s, O_CREAT|O_EXCL): %s", path, ename(errno));
		goto out;
	}
	/* The first half by write, the second by pwrite. */
	if (write(fd, w, half) != (ssize_t)half || pwrite(fd, w + half, len - half, (off_t)half) != (ssize_t)(len - half)) {
		bad(x, OP_FILE, "writing %zu bytes: %s", len, ename(errno));
		goto out;
	}
	if (fstat(fd, &s) != 0 || s.st_size != (off_t)len) {
		bad(x, OP_FILE, "fstat: size %lld, expected %zu", (long long)s.st_size, len);
		goto out;
	}
	if (lseek(fd, 0, SEEK_SET) != 0 || read_full(fd, r, len, -1) != 0 || memcmp(r, w, len) != 0) {
		bad(x, OP_FILE, "reading back %zu bytes: wrong or short", len);
		goto out;
	}
	if (read(fd, r, 1) != 0) {
		bad(x, OP_FILE, "no EOF after %zu bytes", len);
		goto out;
	}
	if (len > 10 && (read_full(fd, r, len / 3, (off_t)(len / 5)) != 0 || memcmp(r, w + len / 5, len / 3) != 0)) {
		bad(x, OP_FILE, "pread of %zu at %zu: wrong or short", len / 3, len / 5);
		goto out;
	}
	if (ftruncate(fd, (off_t)half) != 0 || fstat(fd, &s) != 0 || s.st_size != (off_t)half) {
		bad(x, OP_FILE, "ftruncate to %zu: %s, size %lld", half, ename(errno), (long long)s.st_size);
		goto out;
	}
	close(fd);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		bad(x, OP_FILE, "reopen: %s", ename(errno));
		goto out;
	}
	if (read_full(fd, r, half, -1) != 0 || memcmp(r, w, half) != 0 || read(fd, r, 1) != 0) {
		bad(x, OP_FILE, "after truncation to %zu: wrong contents or size", half);
		goto out;
	}
	close(fd);
	fd = -1;
	if (unlink(path) != 0) {
		bad(x, OP_FILE, "unlink: %s", ename(errno));
		goto out;
	}
	if (open(path, O_RDONLY) != -1 || errno != ENOENT) {
		bad(x, OP_FILE, "open after unlink: not ENOENT (%s)", ename(errno));
		goto out;
	}
	ok = 1;
out:
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	free(w);
	free(r);
	return ok ? 0 : -1;
}

/* ---- threads ----------------------------------------------------------------- */

struct tcount {
	pthread_mutex_t lock;
	long locked;            /* under lock */
	atomic_long atomic;
};

static void *adder(void *arg)
{
	struct tcount *c = arg;

	for (int i = 0; i < OP_THREADS_ADDS; i++) {
		pthread_mutex_lock(&c->lock);
		c->locked++;
		pthread_mutex_unlock(&c->lock);
		atomic_fetch_add_explicit(&c->atomic, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&sh->thread_adds, 1, memory_order_relaxed);
	}
	return (char *)arg + 1;  /* what join must give back */
}

static int op_threads(struct exec *x)
{
	struct tcount c = { .lock = PTHREAD_MUTEX_INITIALIZER };
	pthread_t t[OP_THREADS_N];
	pthread_attr_t a;
	int n = 0, ok = 1, e;

	/*
	 * The least stack there is: a fork copies (and, without overcommit,
	 * charges) glibc's cache of joined threads' stacks too, and the whole
	 * test must fit in mem=64M.
	 */
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN);
	for (; n < OP_THREADS_N; n++)
		if ((e = pthread_create(&t[n], &a, adder, &c)) != 0) {
			bad(x, OP_THREADS, "pthread_create: %s", ename(e));
			ok = 0;
			break;
		}
	pthread_attr_destroy(&a);
	for (int i = 0; i < n; i++) {
		void *ret;
		if ((e = pthread_join(t[i], &ret)) != 0) {
			bad(x, OP_THREADS, "pthread_join: %s", ename(e));
			ok = 0;
		} else if (ret != (char *)&c + 1) {
			bad(x, OP_THREADS, "pthread_join gave %p, expected %p", ret, (void *)((char *)&c + 1));
			ok = 0;
		}
	}
	if (ok && (c.locked != (long)n * OP_THREADS_ADDS || atomic_load(&c.atomic) != (long)n * OP_THREADS_ADDS)) {
		bad(x, OP_THREADS, "counts %ld (mutex) and %ld (atomic), expected %ld", c.locked,
		    atomic_load(&c.atomic), (long)n * OP_THREADS_ADDS);
		ok = 0;
	}
	return ok ? 0 : -1;
}

/* ---- oom --------------------------------------------------------------------- */

static void *get_mmap(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void put_mmap(void *p, size_t n)
{
	munmap(p, n);
}

static void *get_malloc(size_t n)
{
	return malloc(n);
}

static void put_malloc(void *p, size_t n)
{
	(void)n;
	free(p);
}

/* For the oom child, which must not use stdio (another thread may have held its lock at fork). */
static void child_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void child_say(const char *fmt, ...)
{
	char m[256];
	va_list ap;
	int n = snprintf(m, sizeof m, "FAIL " PROG ".oom: ");

	va_start(ap, fmt);
	n += vsnprintf(m + n, sizeof m - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof m - 2)
		n = (int)sizeof m - 2;
	m[n++] = '\n';
	if (write(1, m, (size_t)n) < 0)
		return;
}

#define MAX_BLOCKS 512

/*
 * Allocates blocks of 1 MiB, 2 MiB, 4 MiB... until one fails, then (if
 * fill) fills in with ever smaller ones (at most 8 of a size) down to
 * 64 KiB. Every failure must be ENOMEM. The first and last word of each
 * block carry a tag, checked before all is freed; then a 1 MiB block must be
 * had again. Only two pages of a block are touched: that is all a Linux host
 * must find.
 *
 * The fill is for no overcommit (overcommit_memory 2, Bramble's only
 * mode), where it ends by itself below twice the first size refused (what
 * was held then, plus less than that), the bound kept here too. A host with
 * heuristic overcommit refuses only single blocks larger than its memory:
 * it would fill on and on, and qemu-user's mmap takes time in proportion to
 * the size, so there the first refusal ends it, and the blocks grow 16-fold,
 * not 2-fold, to hold less by then.
 */
static int exhaust(const char *what, void *(*get)(size_t), void (*put)(void *, size_t), int fill)
{
	static void *blk[MAX_BLOCKS];
	static size_t len[MAX_BLOCKS];
	size_t step = MIB, total = 0, refused = 0;
	int n = 0, ok = 1, grow = 1, of_size = 0;

	while (n < MAX_BLOCKS && step >= 64 * 1024 && (!refused || total < 2 * refused)) {
		void *p = get(step);
		if (!p) {
			if (errno != ENOMEM) {
				child_say("%s of %zu bytes (%zu held) failed with %s, not ENOMEM", what, step, total, ename(errno));
				ok = 0;
				break;
			}
			if (!refused)
				refused = step;
			grow = 0;
			if (!fill)
				break;
			step /= 2;
			of_size = 0;
			continue;
		}
		blk[n] = p;
		len[n] = step;
		((uint64_t *)p)[0] = (uint64_t)n * 0x9e3779b97f4a7c15ULL;
		((uint64_t *)p)[step / 8 - 1] = ~(uint64_t)n;
		total += step;
		n++;
		if (grow) {
			if (step >= 1UL << 46) {
				child_say("%s never gave ENOMEM, up to %zu bytes", what, step);
				ok = 0;
				break;
			}
			step *= fill ? 2 : 16;
		} else if (++of_size == 8) {
			step /= 2;
			of_size = 0;
		}
	}
	if (ok && grow) {
		child_say("%s: %d blocks and no ENOMEM", what, n);
		ok = 0;
	}
	for (int i = 0; i < n; i++) {
		if (((uint64_t *)blk[i])[0] != (uint64_t)i * 0x9e3779b97f4a7c15ULL ||
		    ((uint64_t *)blk[i])[len[i] / 8 - 1] != ~(uint64_t)i) {
			child_say("%s: block %d (%zu bytes) lost its tags", what, i, len[i]);
			ok = 0;
		}
		put(blk[i], len[i]);
	}
	void *p = get(MIB);
	if (!p) {
		child_say("%s of 1 MiB after freeing %zu bytes: %s", what, total, ename(errno));
		return -1;
	}
	memset(p, 1, MIB);
	put(p, MIB);
	return ok ? 0 : -1;
}

static int op_oom(struct exec *x)
{
	pid_t pid = fork();
	int st;

	if (pid < 0) {
		bad(x, OP_OOM, "fork: %s", ename(errno));
		return -1;
	}
	if (pid == 0) {
		struct rlimit rl = { 1UL << 30, 1UL << 30 };
		setrlimit(RLIMIT_AS, &rl);   /* may be refused or ignored: then the memory decides */
		int r = exhaust("mmap", get_mmap, put_mmap, strict_commit);
		r |= exhaust("malloc", get_malloc, put_malloc, 0);
		_exit(r ? 1 : 0);
	}
	st = wait_for(pid);
	if (!exited_with(st, 0)) {
		bad(x, OP_OOM, "the exhausting child: %s", describe(st));
		return -1;
	}
	return 0;
}

/* ---- executors and workers ----------------------------------------------------- */

static int (*const ops[NOPS])(struct exec *) = { op_mmap, op_fork, op_pipe, op_file, op_threads, op_oom };

static void *executor(void *arg)
{
	struct exec *x = arg;

	for (x->round = 0; x->round < max_rounds; x->round++) {
		if (x->round > 0 && now_ns(CLOCK_MONOTONIC) >= sh->deadline_ns)
			break;
		for (int k = 0; k < NOPS; k++) {
			int op = (k + x->id % MAX_THREADS + x->id / MAX_THREADS) % NOPS, r;
			/* oom stops all the others while it runs: one executor a worker, now and then. */
			if (op == OP_OOM && (x->id % MAX_THREADS != 0 || x->round % OOM_EVERY != 0))
				continue;
			if (op == OP_OOM)
				pthread_rwlock_wrlock(&sh->memgate);
			else
				pthread_rwlock_rdlock(&sh->memgate);
			r = ops[op](x);
			pthread_rwlock_unlock(&sh->memgate);
			if (r == 0)
				atomic_fetch_add(&sh->done[op], 1);
		}
		atomic_fetch_add(&sh->rounds, 1);
	}
	return NULL;
}

static void worker(int w)
{
	struct exec x[MAX_THREADS];
	pthread_t t[MAX_THREADS];
	int e;

	/* A process group of its own: the watchdog kills it with the children it forked. */
	setpgid(0, 0);
	if (small_default_stacks() != 0)
		_exit(1);
	for (int i = 0; i < nthreads; i++) {
		x[i].id = w * MAX_THREADS + i;
		x[i].round = 0;
		x[i].cow = aligned_alloc(PAGE, 2 * PAGE);
		if (!x[i].cow)
			_exit(1);
		if ((e = pthread_create(&t[i], NULL, executor, &x[i])) != 0) {
			printf("FAIL " PROG ".workers: worker %d: pthread_create: %s\n", w, ename(e));
			_exit(1);
		}
	}
	for (int i = 0; i < nthreads; i++)
		if ((e = pthread_join(t[i], NULL)) != 0) {
			printf("FAIL " PROG ".workers: worker %d: pthread_join: %s\n", w, ename(e));
			_exit(1);
		}
	fflush(stdout);
	_exit(0);
}

static void on_alarm(int sig)
{
	static const char m[] = "FAIL " PROG ".watchdog: still running; killing the workers\n";

	(void)sig;
	for (int i = 0; i < nprocs; i++)
		if (workers[i] > 0 && kill(-workers[i], SIGKILL) != 0)
			kill(workers[i], SIGKILL);
	if (write(1, m, sizeof m - 1) < 0)
		_exit(1);
}

static int usage(void)
{
	fprintf(stderr, "usage: smpstress [-p PROCS (1-%d)] [-t THREADS (1-%d)] [-s SECONDS] [-w WATCHDOG] [ROUNDS]\n",
		MAX_PROCS, MAX_THREADS);
	return 2;
}

int main(int argc, char **argv)
{
	pthread_rwlockattr_t ra;
	long long t0;
	int opt, workers_ok = 1, procs_given = 0;

	while ((opt = getopt(argc, argv, "p:t:s:w:")) != -1) {
		if (opt == 'p')
			nprocs = atoi(optarg), procs_given = 1;
		else if (opt == 't')
			nthreads = atoi(optarg);
		else if (opt == 's')
			seconds = atoi(optarg);
		else if (opt == 'w')
			watchdog = atoi(optarg);
		else
			return usage();
	}
	if (optind < argc)
		max_rounds = atol(argv[optind++]);
	if (optind < argc || nprocs < 1 || nprocs > MAX_PROCS || nthreads < 1 || nthreads > MAX_THREADS ||
	    seconds < 0 || watchdog < 1 || max_rounds < 1)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Without -p, as many workers as free memory holds: fork copies a
	 * worker's memory, and a small boot (mem=64M) runs the test among
	 * all the others, where a fork's ENOMEM would be right, not a bug. */
	struct sysinfo si;
	if (!procs_given && sysinfo(&si) == 0) {
		unsigned long long fit = (unsigned long long)si.freeram * si.mem_unit / (24ULL << 20);
		if (fit < (unsigned long long)nprocs)
			nprocs = fit < 1 ? 1 : (int)fit;
	}

	/* glibc would otherwise raise its mmap threshold as blocks are freed and keep freed memory in the heap. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);

	FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
	if (f) {
		int mode;
		if (fscanf(f, "%d", &mode) == 1)
			strict_commit = mode == 2;
		fclose(f);
	}

	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		fail("setup", "mmap of the shared page: %s", ename(errno));
		return 1;
	}
	/* Writer-preferring: a waiting oom must not starve behind a stream of readers. */
	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setpshared(&ra, PTHREAD_PROCESS_SHARED);
	pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&sh->memgate, &ra);

	t0 = now_ns(CLOCK_MONOTONIC);
	sh->deadline_ns = t0 + seconds * 1000000000LL;
	signal(SIGALRM, on_alarm);
	alarm((unsigned)watchdog);
	fflush(NULL);
	for (int w = 0; w < nprocs; w++) {
		workers[w] = fork();
		if (workers[w] == 0)
			worker(w);
		if (workers[w] > 0)
			setpgid(workers[w], workers[w]);   /* as the worker does: whichever runs first */
		if (workers[w] < 0) {
			fail("workers", "fork of worker %d: %s", w, ename(errno));
			workers_ok = 0;
		}
	}
	for (int w = 0; w < nprocs; w++) {
		int st = wait_for(workers[w]);
		if (workers[w] > 0 && !exited_with(st, 0)) {
			fail("workers", "worker %d: %s", w, describe(st));
			workers_ok = 0;
		}
	}
	alarm(0);

	long sum = 0, forks = atomic_load(&sh->done[OP_FORK]) + atomic_load(&sh->bad[OP_FORK]);
	printf(PROG ": %d processes x %d threads, %ld rounds in %lld ms\n", nprocs, nthreads,
	       atomic_load(&sh->rounds), (now_ns(CLOCK_MONOTONIC) - t0) / 1000000);
	printf(PROG ": ops");
	for (int op = 0; op < NOPS; op++) {
		printf(" %s=%ld", op_name[op], atomic_load(&sh->done[op]));
		sum += atomic_load(&sh->bad[op]);
	}
	printf("\n");
	if (workers_ok)
		pass("workers");
	for (int op = 0; op < NOPS; op++) {
		long d = atomic_load(&sh->done[op]), b = atomic_load(&sh->bad[op]);
		if (b == 0 && d > 0)
			pass(op_name[op]);
		else
			fail(op_name[op], "%ld of %ld operations failed", b, b + d);
	}
	/* Every fork child that found its copy intact added 1, and only those. */
	if (sum == 0 && workers_ok) {
		long kids = atomic_load(&sh->fork_children), adds = atomic_load(&sh->thread_adds);
		long want_adds = atomic_load(&sh->done[OP_THREADS]) * OP_THREADS_N * OP_THREADS_ADDS;
		if (kids == forks)
			pass("fork_count");
		else
			fail("fork_count", "%ld children counted, %ld forked", kids, forks);
		if (adds == want_adds)
			pass("thread_count");
		else
			fail("thread_count", "%ld additions counted, expected %ld", adds, want_adds);
	}
	return failures ? 1 : 0;
}
