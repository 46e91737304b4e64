/*
 * failnth: every system call that allocates, with each of its allocations
 * failed in turn. For each case a child sweeps N = 1, 2, 3 ...: it writes N
 * to its /proc/thread-self/fail-nth (Linux's fault injection: the task's
 * N-th fallible allocation from then on fails), makes the call, and reads
 * the count back: 0 means the failure was injected, and the call must have
 * returned one of the errors its man page gives for it (ENOMEM, EAGAIN,
 * ENOSPC, ENOLCK) and left nothing behind; a count left means the call
 * needed fewer than N allocations, and it must have succeeded. The parent
 * checks the memory balance (free pages, commit charge, kernel heap bytes)
 * is the same after each case's child is gone, and at the end that every
 * allocation site the kernel can fail (/proc/allocsites) was failed.
 *
 * Bramble's own test: Linux needs CONFIG_FAULT_INJECTION and fails other
 * sites (slab, page allocator, user copies) with other counts.
 */
#define _GNU_SOURCE
#define PROG "failnth"
#include "check.h"
#include "../procfile.h"
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#define MAX_NTH 200               /* more allocations than this in one call is a bug */
#define EXEC_TARGET "/bin/failnth-exec"
#define SCRIPT "/tmp/failnth-script"
#define FAIL_NTH_FD 3             /* where the exec target finds the count */

/* ---- the fail-nth file ------------------------------------------------------ */

static void set_nth(int fd, unsigned n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fd, buf, (size_t)len, 0) != len) {
		printf("FAIL " PROG ".fail-nth-write: %s\n", strerror(errno));
		exit(2);
	}
}

static unsigned get_nth(int fd)
{
	char buf[16] = { 0 };

	if (pread(fd, buf, sizeof(buf) - 1, 0) <= 0) {
		printf("FAIL " PROG ".fail-nth-read: %s\n", strerror(errno));
		exit(2);
	}
	return (unsigned)strtoul(buf, NULL, 10);
}

static int open_nth(void)
{
	return open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
}

/* ---- the memory balance ---------------------------------------------------- */

struct balance {
	long free_kb, committed_kb, heap_bytes;
};

/* kheapinfo's first line: "total N used N ...". */
static long heap_used(void)
{
	char text[256];
	const char *p = proc_read("/proc/kheapinfo", text, sizeof(text)) < 0 ? NULL : strstr(text, " used ");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

static struct balance balance_now(void)
{
	char text[4096];
	struct balance b = { -1, -1, heap_used() };

	if (proc_read("/proc/meminfo", text, sizeof(text)) >= 0) {
		b.free_kb = proc_figure(text, "MemFree");
		b.committed_kb = proc_figure(text, "Committed_AS");
	}
	return b;
}

/* ---- the cases: prepare (no injection), call, undo ----------------------------- */

static long ret(long r)
{
	return r < 0 ? -errno : r;
}

static char *region;        /* a mapping prepare makes */
static int fd_a, fd_b;      /* files prepare opens */
static int fds[2];
static long saved;

static void unmap_region(long r)
{
	(void)r;
	munmap(region, 16 * PAGE);
}

static void map_region(void)
{
	region = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(region, 1, 3 * PAGE);
}

static long call_mmap_private(void)
{
	void *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	region = p;
	return p == MAP_FAILED ? -errno : 0;
}

static long call_mmap_shared(void)
{
	void *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	region = p;
	return p == MAP_FAILED ? -errno : 0;
}

/* MAP_POPULATE: the pages and their table made at mmap, by a write fault
 * (private) or a read of the shared object's pages. */
static long call_mmap_populate(int type)
{
	void *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, type | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	region = p;
	return p == MAP_FAILED ? -errno : 0;
}

static long call_mmap_populate_private(void) { return call_mmap_populate(MAP_PRIVATE); }
static long call_mmap_populate_shared(void) { return call_mmap_populate(MAP_SHARED); }

static void unmap_new(long r)
{
	if (r == 0)
		munmap(region, 3 * PAGE);
}

static long call_munmap_split(void) { return ret(munmap(region + PAGE, PAGE)); }
static long call_mprotect_split(void) { return ret(mprotect(region + PAGE, PAGE, PROT_READ)); }

static char *moved;

/* The rest of the mapping in the way makes the move the only way to grow. */
static long call_mremap_move(void)
{
	moved = mremap(region, 2 * PAGE, 32 * PAGE, MREMAP_MAYMOVE);
	return moved == MAP_FAILED ? -errno : 0;
}

static void unmap_moved(long r)
{
	if (r == 0)
		munmap(moved, 32 * PAGE);
	munmap(region, 16 * PAGE);
}

/* Two pages with fourteen free after them. */
static void map_short(void)
{
	map_region();
	munmap(region + 2 * PAGE, 14 * PAGE);
}

static long call_mremap_grow(void)
{
	return mremap(region, 2 * PAGE, 8 * PAGE, 0) == MAP_FAILED ? -errno : 0;
}

static void brk_prepare(void) { saved = syscall(SYS_brk, 0); }

/* brk says no by returning the old break (glibc's brk turns that into ENOMEM). */
static long call_brk_grow(void)
{
	long r = syscall(SYS_brk, saved + 64 * 1024);
	return r == saved + 64 * 1024 ? 0 : -ENOMEM;
}

static void brk_undo(long r)
{
	(void)r;
	syscall(SYS_brk, saved);
}

static long call_fork(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return -errno;
	int st;
	waitpid(pid, &st, 0);
	return 0;
}

static void *thread_body(void *arg)
{
	return arg;
}

static long call_thread(void)
{
	pthread_t t;
	int e = pthread_create(&t, NULL, thread_body, NULL);
	if (e)
		return -e;
	pthread_join(t, NULL);
	return 0;
}

static long call_pipe(void) { return ret(pipe2(fds, O_CLOEXEC)); }

static void close_pipe(long r)
{
	if (r == 0) {
		close(fds[0]);
		close(fds[1]);
	}
}

static long call_creat(void) { return ret(fd_a = open("/tmp/fn-file", O_CREAT | O_RDWR, 0600)); }

static void remove_file(long r)
{
	if (r >= 0)
		close(fd_a);
	unlink("/tmp/fn-file");
}

static long call_mkdir(void) { return ret(mkdir("/tmp/fn-dir", 0700)); }
static void remove_dir(long r) { (void)r; rmdir("/tmp/fn-dir"); }

static void open_data(void) { fd_a = open("/tmp/fn-data", O_CREAT | O_RDWR | O_TRUNC, 0600); }

static long call_write_tmpfs(void)
{
	static char buf[3 * PAGE];
	memset(buf, 'x', sizeof(buf));
	ssize_t n = pwrite(fd_a, buf, sizeof(buf), 0);
	return n == (ssize_t)sizeof(buf) ? 0 : n < 0 ? -errno : -ENOSPC;
}

static void remove_data(long r)
{
	(void)r;
	close(fd_a);
	unlink("/tmp/fn-data");
}

static long call_symlink(void)
{
	return ret(symlink("/a/target/long/enough/to/need/its/own/copy", "/tmp/fn-link"));
}

static void remove_link(long r) { (void)r; unlink("/tmp/fn-link"); }

static long call_readlink(void)
{
	char buf[256];
	return ret(readlink("/tmp/fn-symlink", buf, sizeof(buf)));
}

/* O_CREAT through a dangling symlink creates its target (as Linux). */
static long call_creat_through_link(void)
{
	return ret(fd_a = open("/tmp/fn-dangling", O_CREAT | O_WRONLY, 0600));
}

static void remove_link_target(long r)
{
	if (r >= 0)
		close(fd_a);
	unlink("/tmp/fn-created");
}

static void make_short(void) { close(open("/tmp/s", O_CREAT | O_WRONLY, 0600)); }

#define LONG_NAME "/tmp/a-name-much-longer-than-the-one-it-had-so-it-needs-room-0123456789"
static long call_rename_longer(void) { return ret(rename("/tmp/s", LONG_NAME)); }

static void remove_renamed(long r)
{
	(void)r;
	unlink("/tmp/s");
	unlink(LONG_NAME);
}

static long call_getcwd(void)
{
	char buf[256];
	return getcwd(buf, sizeof(buf)) ? 0 : -errno;
}

static void open_pair(void)
{
	fd_a = open(HELLO_PATH, O_RDONLY);
	fd_b = open("/tmp/fn-out", O_CREAT | O_WRONLY | O_TRUNC, 0600);
}

static long call_sendfile(void) { return ret(sendfile(fd_b, fd_a, NULL, 16)); }

static void close_pair(long r)
{
	(void)r;
	close(fd_a);
	close(fd_b);
	unlink("/tmp/fn-out");
}

static long call_poll(void)
{
	struct pollfd p[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLOUT, 0 } };
	return ret(poll(p, 2, 10));   /* a zero timeout asks once, with no table */
}

static void make_pipe(void) { pipe2(fds, 0); }

static void close_made_pipe(long r)
{
	(void)r;
	close(fds[0]);
	close(fds[1]);
}

static long call_eventfd(void) { return ret(fd_a = eventfd(0, EFD_CLOEXEC)); }

static void close_a(long r)
{
	if (r >= 0)
		close(fd_a);
}

static void block_rt(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

static long call_sigqueue(void)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGRTMIN;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	return ret(syscall(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN, &si));
}

static void take_rt(long r)
{
	sigset_t s;
	struct timespec zero = { 0, 0 };
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	if (r == 0)
		sigtimedwait(&s, NULL, &zero);
}

static timer_t timer;
/* A real-time signal's queue entry is taken at create, never at expiry. */
static long call_timer_create(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
	return ret(timer_create(CLOCK_MONOTONIC, &ev, &timer));
}

static void delete_timer(long r)
{
	if (r == 0)
		timer_delete(timer);
}

static int futex_word;
static long call_futex(void)
{
	struct timespec t = { 0, 1000 };
	long r = syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0);
	return r < 0 && errno == ETIMEDOUT ? 0 : ret(r);
}

static void open_lockfile(void) { fd_a = open("/tmp/fn-lock", O_CREAT | O_RDWR, 0600); }

static long call_setlk(void)
{
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100 };
	return ret(fcntl(fd_a, F_SETLK, &l));
}

/* Unlocking the middle of a lock splits it in two. */
static void open_locked(void)
{
	open_lockfile();
	call_setlk();
}

static long call_unlock_middle(void)
{
	struct flock l = { .l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = 40, .l_len = 20 };
	return ret(fcntl(fd_a, F_SETLK, &l));
}

static long call_flock(void) { return ret(flock(fd_a, LOCK_EX)); }

static void remove_lockfile(long r)
{
	(void)r;
	close(fd_a);
	unlink("/tmp/fn-lock");
}

static long open_path(const char *path) { return ret(fd_a = open(path, O_RDONLY)); }
static long call_proc_meminfo(void) { return open_path("/proc/meminfo"); }
static long call_proc_mounts(void) { return open_path("/proc/mounts"); }
static long call_proc_maps(void) { return open_path("/proc/self/maps"); }
static long call_proc_mountinfo(void) { return open_path("/proc/self/mountinfo"); }
static long call_proc_kheapinfo(void) { return open_path("/proc/kheapinfo"); }

static long call_proc_readlink(void)
{
	char buf[256];
	return ret(readlink("/proc/self/cwd", buf, sizeof(buf)));
}

static long call_mount(void) { return ret(mount("fn", "/tmp/fn-mnt", "tmpfs", 0, "size=64k")); }

static void unmount(long r)
{
	if (r == 0)
		umount("/tmp/fn-mnt");
}

static long call_dup_high(void) { return ret(dup2(0, 300)); }
static void close_high(long r) { if (r >= 0) close(300); }

/* exec cases: the call runs in a grandchild that exec replaces. */
static long call_execve(void)
{
	char *argv[] = { EXEC_TARGET, NULL }, *envp[] = { NULL };
	return ret(execve(EXEC_TARGET, argv, envp));
}

/* Arguments past a page: the strings' buffer grows. */
static long call_execve_big_args(void)
{
	static char big[6000];
	char *argv[] = { EXEC_TARGET, big, NULL }, *envp[] = { NULL };

	memset(big, 'a', sizeof(big) - 1);
	return ret(execve(EXEC_TARGET, argv, envp));
}

/* Its PT_INTERP names EXEC_TARGET, which runs as its interpreter. */
static long call_execve_dynamic(void)
{
	char *argv[] = { "/bin/failnth-dyn", NULL }, *envp[] = { NULL };
	return ret(execve("/bin/failnth-dyn", argv, envp));
}

static long call_exec_script(void)
{
	char *argv[] = { SCRIPT, "x", NULL }, *envp[] = { NULL };
	return ret(execve(SCRIPT, argv, envp));
}

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return arg;
}

/* A process with a second thread shares its signal handlers with it:
 * its exec gives it its own. */
static void start_sleeper(void)
{
	pthread_t t;
	pthread_create(&t, NULL, sleeper, NULL);
}

/* clone's child shares the dispositions (CLONE_SIGHAND, not a thread)
 * and the memory until it execs (CLONE_VFORK): its exec copies them. */
static char clone_stack[64 * 1024] __attribute__((aligned(16)));

static int exec_in_clone(void *arg)
{
	unsigned n = *(unsigned *)arg;
	int fd = open_nth();
	if (fd < 0 || dup2(fd, FAIL_NTH_FD) < 0)
		return 2;
	set_nth(FAIL_NTH_FD, n);
	long r = call_execve();
	unsigned left = get_nth(FAIL_NTH_FD);
	set_nth(FAIL_NTH_FD, 0);
	return left ? 3 : 100 + (int)-r;
}

static int clone_and_exec(unsigned n)
{
	pid_t pid = clone(exec_in_clone, clone_stack + sizeof(clone_stack),
			  CLONE_VM | CLONE_SIGHAND | CLONE_VFORK | SIGCHLD, &n);
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 2;
	if (WIFSIGNALED(st))
		raise(WTERMSIG(st));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}

struct sweep {
	const char *name;
	void (*prepare)(void);
	long (*call)(void);
	void (*undo)(long r);
	int err1, err2;       /* what the call may say when an allocation fails */
	bool exec;            /* replaces the process: swept in grandchildren */
	int (*exec_nth)(unsigned n);   /* an exec case's own run of N: its status */
};

static const struct sweep cases[] = {
	{ "mmap-private", NULL, call_mmap_private, unmap_new, ENOMEM, 0, false, NULL },
	{ "mmap-shared", NULL, call_mmap_shared, unmap_new, ENOMEM, 0, false, NULL },
	{ "mmap-populate-private", NULL, call_mmap_populate_private, unmap_new, ENOMEM, 0, false, NULL },
	{ "mmap-populate-shared", NULL, call_mmap_populate_shared, unmap_new, ENOMEM, 0, false, NULL },
	{ "munmap-split", map_region, call_munmap_split, unmap_region, ENOMEM, 0, false, NULL },
	{ "mprotect-split", map_region, call_mprotect_split, unmap_region, ENOMEM, 0, false, NULL },
	{ "mremap-move", map_region, call_mremap_move, unmap_moved, ENOMEM, 0, false, NULL },
	{ "mremap-grow", map_short, call_mremap_grow, unmap_region, ENOMEM, 0, false, NULL },
	{ "brk-grow", brk_prepare, call_brk_grow, brk_undo, ENOMEM, 0, false, NULL },
	{ "fork", NULL, call_fork, NULL, ENOMEM, EAGAIN, false, NULL },
	{ "pthread-create", NULL, call_thread, NULL, EAGAIN, 0, false, NULL },
	{ "execve", NULL, call_execve, NULL, ENOMEM, 0, true, NULL },
	{ "execve-big-args", NULL, call_execve_big_args, NULL, ENOMEM, 0, true, NULL },
	{ "execve-script", NULL, call_exec_script, NULL, ENOMEM, 0, true, NULL },
	{ "execve-dynamic", NULL, call_execve_dynamic, NULL, ENOMEM, 0, true, NULL },
	{ "execve-threaded", start_sleeper, call_execve, NULL, ENOMEM, 0, true, NULL },
	{ "execve-shared-sighand", NULL, NULL, NULL, ENOMEM, 0, true, clone_and_exec },
	{ "pipe2", NULL, call_pipe, close_pipe, ENOMEM, ENFILE, false, NULL },
	{ "open-creat", NULL, call_creat, remove_file, ENOMEM, ENOSPC, false, NULL },
	{ "mkdir", NULL, call_mkdir, remove_dir, ENOMEM, ENOSPC, false, NULL },
	{ "write-tmpfs", open_data, call_write_tmpfs, remove_data, ENOMEM, ENOSPC, false, NULL },
	{ "symlink", NULL, call_symlink, remove_link, ENOMEM, ENOSPC, false, NULL },
	{ "readlink", NULL, call_readlink, NULL, ENOMEM, 0, false, NULL },
	{ "creat-through-symlink", NULL, call_creat_through_link, remove_link_target, ENOMEM, ENOSPC, false, NULL },
	{ "rename-longer", make_short, call_rename_longer, remove_renamed, ENOMEM, 0, false, NULL },
	{ "getcwd", NULL, call_getcwd, NULL, ENOMEM, 0, false, NULL },
	{ "sendfile", open_pair, call_sendfile, close_pair, ENOMEM, 0, false, NULL },
	{ "poll", make_pipe, call_poll, close_made_pipe, ENOMEM, 0, false, NULL },
	{ "eventfd", NULL, call_eventfd, close_a, ENOMEM, ENFILE, false, NULL },
	{ "rt-sigqueueinfo", block_rt, call_sigqueue, take_rt, EAGAIN, 0, false, NULL },
	{ "timer-create", NULL, call_timer_create, delete_timer, EAGAIN, 0, false, NULL },
	{ "futex-wait", NULL, call_futex, NULL, ENOMEM, 0, false, NULL },
	{ "fcntl-setlk", open_lockfile, call_setlk, remove_lockfile, ENOLCK, 0, false, NULL },
	{ "fcntl-unlock-split", open_locked, call_unlock_middle, remove_lockfile, ENOLCK, 0, false, NULL },
	{ "flock", open_lockfile, call_flock, remove_lockfile, ENOMEM, ENOLCK, false, NULL },
	{ "open-proc-meminfo", NULL, call_proc_meminfo, close_a, ENOMEM, 0, false, NULL },
	{ "open-proc-mounts", NULL, call_proc_mounts, close_a, ENOMEM, 0, false, NULL },
	{ "open-proc-maps", NULL, call_proc_maps, close_a, ENOMEM, 0, false, NULL },
	{ "open-proc-mountinfo", NULL, call_proc_mountinfo, close_a, ENOMEM, 0, false, NULL },
	{ "open-proc-kheapinfo", NULL, call_proc_kheapinfo, close_a, ENOMEM, 0, false, NULL },
	{ "readlink-proc-cwd", NULL, call_proc_readlink, NULL, ENOMEM, 0, false, NULL },
	{ "mount-tmpfs", NULL, call_mount, unmount, ENOMEM, 0, false, NULL },
	{ "dup2-high", NULL, call_dup_high, close_high, ENOMEM, EMFILE, false, NULL },
};

/* ---- the sweeps -------------------------------------------------------------- */

static bool allowed(const struct sweep *c, long r)
{
	return r == -c->err1 || (c->err2 && r == -c->err2);
}

/* One case in this process: the allocations it needed, or -1. */
static int sweep_here(const struct sweep *c)
{
	int fd = open_nth();

	if (fd < 0) {
		fail(c->name, "cannot open fail-nth: %s", strerror(errno));
		return -1;
	}
	for (unsigned n = 1; n <= MAX_NTH; n++) {
		if (c->prepare)
			c->prepare();
		set_nth(fd, n);
		long r = c->call();
		unsigned left = get_nth(fd);
		set_nth(fd, 0);
		if (c->undo)
			c->undo(r);
		if (left) {
			if (r >= 0)
				return (int)n - 1;
			fail(c->name, "failed with %s with no failure injected (N=%u)", ename((int)-r), n);
			return -1;
		}
		if (r >= 0) {
			fail(c->name, "allocation %u failed, yet the call succeeded", n);
			return -1;
		}
		if (!allowed(c, r)) {
			fail(c->name, "allocation %u failed: %s, expected %s", n, ename((int)-r),
			     ename(c->err1));
			return -1;
		}
	}
	fail(c->name, "more than %d allocations", MAX_NTH);
	return -1;
}

/* An exec case: each N in a grandchild (exec replaces it); its exit
 * status says what happened (the target's 10 and 11, or 100 + errno). */
static int grandchild(const struct sweep *c, unsigned n)
{
	if (c->exec_nth)
		_exit(c->exec_nth(n));
	if (c->prepare)
		c->prepare();
	int fd = open_nth();
	if (fd < 0 || dup2(fd, FAIL_NTH_FD) < 0)
		_exit(2);
	set_nth(FAIL_NTH_FD, n);
	long r = c->call();
	unsigned left = get_nth(FAIL_NTH_FD);
	set_nth(FAIL_NTH_FD, 0);
	_exit(left ? 3 : 100 + (int)-r);
}

static int sweep_exec(const struct sweep *c)
{
	for (unsigned n = 1; n <= MAX_NTH; n++) {
		pid_t pid = fork();
		if (pid == 0)
			grandchild(c, n);
		int st = 0;
		if (pid < 0 || waitpid(pid, &st, 0) != pid) {
			fail(c->name, "cannot run N=%u: %s", n, strerror(errno));
			return -1;
		}
		if (!WIFEXITED(st)) {
			fail(c->name, "allocation %u failed and the process was %s", n, describe(st));
			return -1;
		}
		int code = WEXITSTATUS(st);
		if (code == 10)
			return (int)n - 1;
		if (code == 11) {
			fail(c->name, "allocation %u failed, yet exec succeeded", n);
			return -1;
		}
		if (code < 100 || !allowed(c, -(code - 100))) {
			fail(c->name, "allocation %u: exec ended with status %d", n, code);
			return -1;
		}
	}
	fail(c->name, "more than %d allocations", MAX_NTH);
	return -1;
}

static bool same(struct balance a, struct balance b)
{
	return a.free_kb == b.free_kb && a.committed_kb == b.committed_kb &&
	       a.heap_bytes == b.heap_bytes;
}

static void run_case(const struct sweep *c)
{
	fflush(stdout);
	struct balance before = balance_now();
	pid_t pid = fork();
	if (pid == 0) {
		int n = c->exec ? sweep_exec(c) : sweep_here(c);
		if (n >= 0)
			printf("PASS " PROG ".%s (%d allocations, each failed in turn)\n", c->name, n);
		fflush(stdout);
		_exit(n >= 0 ? 0 : 1);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 1)
			fail(c->name, "the sweep %s", describe(st));
		else
			failures++;
	}
	struct balance after = balance_now();
	char name[64];
	snprintf(name, sizeof(name), "%s.balance", c->name);
	if (same(before, after))
		pass(name);
	else
		fail(name, "free %ld -> %ld kB, committed %ld -> %ld kB, kernel heap %ld -> %ld bytes",
		     before.free_kb, after.free_kb, before.committed_kb, after.committed_kb,
		     before.heap_bytes, after.heap_bytes);
}

/* Every site that can be failed was: the ones not reached are named. */
static void check_sites(void)
{
	FILE *f = fopen("/proc/allocsites", "r");
	char line[256];
	unsigned sites = 0, injectable = 0, failed = 0;

	if (!f || !fgets(line, sizeof(line), f) ||
	    sscanf(line, "sites %u injectable %u failed %u", &sites, &injectable, &failed) != 3) {
		fail("sites", "cannot read /proc/allocsites");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char kind[8];
		unsigned long injected;
		if (sscanf(line, "%7s %lu", kind, &injected) == 2 && injected == 0 &&
		    (!strcmp(kind, "heap") || !strcmp(kind, "pages")))
			printf("failnth: never failed: %s", line);
	}
	fclose(f);
	printf("failnth: %u of %u injectable allocation sites failed on purpose (%u sites in all)\n",
	       failed, injectable, sites);
	if (failed == injectable)
		printf("failnth: all %u allocation sites reached\n", injectable);
	check(failed == injectable, "sites", "some allocation sites were never failed");
}

static void setup(void)
{
	int fd = open(SCRIPT, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	const char text[] = "#!" EXEC_TARGET " arg\n";
	if (fd < 0 || write(fd, text, sizeof(text) - 1) != (ssize_t)sizeof(text) - 1)
		fail("setup", "cannot write " SCRIPT);
	close(fd);
	symlink(HELLO_PATH, "/tmp/fn-symlink");
	symlink("/tmp/fn-created", "/tmp/fn-dangling");
	mkdir("/tmp/fn-mnt", 0700);
}

int main(int argc, char **argv)
{
	setup();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (argc < 2 || !strcmp(argv[1], cases[i].name))
			run_case(&cases[i]);
	if (argc < 2)
		check_sites();
	unlink(SCRIPT);
	unlink("/tmp/fn-symlink");
	unlink("/tmp/fn-dangling");
	rmdir("/tmp/fn-mnt");
	return failures ? 1 : 0;
}
