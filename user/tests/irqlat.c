/*
 * irqlat: no system call keeps interrupts masked for long. The kernel runs
 * with interrupts masked and its long loops let them in at irq_window
 * (lib/irq_window.h); /proc/irq_latency says, per CPU, how late the timer
 * interrupt was taken after it came due. With a 20 us periodic ITIMER_REAL
 * the timer comes due many times inside every long call below, so the
 * latest handling is close to the longest stretch the call kept interrupts
 * masked. Each must stay under 100 000 ns (100 000 instructions under
 * QEMU's -icount shift=0), the bound of the performance issue.
 *
 * The program pins itself to CPU 0, which keeps the timer deadlines, so
 * the calls and the interrupts they hold off are on the same CPU.
 *
 * Run alone, in a boot with room for 64 MiB twice and /bin/busybox
 * (tests/qemu/run-all).
 * Prints "irqlat: <case>: <ns> ns, <n> timer interrupts, latest <ns> ns"
 * and "PASS irqlat.<case>" or "FAIL irqlat.<case>: <why>" per check.
 */
#define _GNU_SOURCE
#define PROG "irqlat"
#include "check.h"
#include "../procfile.h"
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#define BOUND_NS 100000L
#define PERIOD_US 20
#define PROC_FILE "/proc/irq_latency"

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int reset_latency(void)
{
	int fd = open(PROC_FILE, O_WRONLY | O_CLOEXEC);
	int ok = fd >= 0 && write(fd, "0\n", 2) == 2;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* CPU 0's line of /proc/irq_latency: "cpu0 <max_ns> <interrupts>". */
static int read_latency(long *max_ns, long *interrupts)
{
	char text[512];

	if (proc_read(PROC_FILE, text, sizeof(text)) < 0)
		return -1;
	const char *l = strstr(text, "\ncpu0 ");
	return l && sscanf(l, "\ncpu0 %ld %ld", max_ns, interrupts) == 2 ? 0 : -1;
}

/* Runs op, then checks that the timer was never held off past the bound
 * and that it was measured at all if op lasted several periods. */
static void measure(const char *name, void (*op)(void))
{
	long max_ns, n;

	if (reset_latency() < 0) {
		fail(name, "cannot reset " PROC_FILE ": %s", strerror(errno));
		return;
	}
	uint64_t t0 = now_ns();
	op();
	uint64_t took = now_ns() - t0;
	if (read_latency(&max_ns, &n) < 0) {
		fail(name, "cannot read " PROC_FILE);
		return;
	}
	printf("irqlat: %s: %lu ns, %ld timer interrupts, latest %ld ns\n", name,
	       (unsigned long)took, n, max_ns);
	if (max_ns >= BOUND_NS)
		fail(name, "a timer interrupt waited %ld ns (bound %ld)", max_ns, BOUND_NS);
	else if (took > 4 * PERIOD_US * 1000 && n == 0)
		fail(name, "%lu ns and no timer interrupt measured", (unsigned long)took);
	else
		pass(name);
}

static void die(const char *what)
{
	printf("FAIL " PROG ".setup: %s: %s\n", what, strerror(errno));
	exit(1);
}

static char *map_touched(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = 1;
	return p;
}

/* ---- the calls ------------------------------------------------------------ */

static void user_spin(void)
{
	uint64_t end = now_ns() + 2000000;

	while (now_ns() < end)
		;
}

static void prot_none_128g(void)
{
	size_t len = 128UL << 30;
	void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED || munmap(p, len) != 0)
		die("mmap 128 GiB PROT_NONE");
}

static void enomem_256g(void)
{
	void *p = mmap(NULL, 256UL << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED || errno != ENOMEM)
		die("mmap 256 GiB did not fail with ENOMEM");
}

static char *big;          /* 64 MiB, touched: the next calls work on it */
#define BIG (64 * MIB)

static void touch_64m(void)
{
	big = map_touched(BIG);
}

static void mprotect_64m(void)
{
	if (mprotect(big, BIG, PROT_READ) != 0 || mprotect(big, BIG, PROT_READ | PROT_WRITE) != 0)
		die("mprotect");
}

static void mremap_64m(void)
{
	/* Moved: the 64 MiB of page-table entries go to a new place, one
	 * reserved for it first. */
	char *to = mmap(NULL, BIG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *q = to == MAP_FAILED ? MAP_FAILED :
		  mremap(big, BIG, BIG, MREMAP_MAYMOVE | MREMAP_FIXED, to);

	if (q == MAP_FAILED)
		die("mremap");
	big = q;
}

static void munmap_64m(void)
{
	if (munmap(big, BIG) != 0)
		die("munmap");
}

static void fork_32m(void)
{
	char *p = map_touched(32 * MIB);
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid < 0 || wait_for(pid) != 0)
		die("fork");
	munmap(p, 32 * MIB);
}

/* A child that holds 64 MiB, then execs (exec frees the old image) or exits. */
static void child_with_64m_then(int do_exec)
{
	pid_t pid = fork();

	if (pid == 0) {
		map_touched(BIG);
		if (do_exec)
			execl("/bin/solo/irqlat", "irqlat", "exit", (char *)NULL);
		_exit(0);
	}
	if (pid < 0 || wait_for(pid) != 0)
		die("fork");
}

static void exec_from_64m(void)
{
	child_with_64m_then(1);
}

static void exit_with_64m(void)
{
	child_with_64m_then(0);
}

/* A big program's image: busybox's 1.8 MB read, mapped, then freed. */
static void exec_busybox(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/busybox", "true", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || wait_for(pid) != 0)
		die("exec /bin/busybox true");
}

static void populate_64m(void)
{
	void *p = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED || munmap(p, BIG) != 0)
		die("mmap MAP_POPULATE 64 MiB");
}

static void tmpfs_8m(void)
{
	static char buf[MIB];
	int fd = open("/tmp/irqlat", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		die("open /tmp/irqlat");
	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < 8; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			die("write /tmp/irqlat");
	if (ftruncate(fd, 0) != 0)
		die("ftruncate");
	close(fd);
	unlink("/tmp/irqlat");
}

/* 8 MiB read back from tmpfs in one read (the copy out, page by page). */
static void tmpfs_read_8m(void)
{
	int fd = open("/tmp/irqlat", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	char *buf = mmap(NULL, 8 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (fd < 0 || buf == MAP_FAILED || ftruncate(fd, 8 * MIB) != 0)
		die("tmpfs read setup");
	if (pread(fd, buf, 8 * MIB, 0) != (ssize_t)(8 * MIB))
		die("pread /tmp/irqlat");
	close(fd);
	unlink("/tmp/irqlat");
	munmap(buf, 8 * MIB);
}

/* 64 MiB of MAP_SHARED anonymous memory, touched, then unmapped (the
 * shared object's pages freed). */
static void shared_64m(void)
{
	char *p = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap shared");
	for (size_t i = 0; i < BIG; i += PAGE)
		p[i] = 1;
	if (munmap(p, BIG) != 0)
		die("munmap shared");
}

/* 4000 descriptors (dups of one open file: each open file is kernel heap,
 * which is small), under the highest RLIMIT_NOFILE: a fork copies the
 * table and its exec closes them (close-on-exec), close_range closes them,
 * and an exit frees the table with them. */
static int dup_many(int fd)
{
	for (int i = 0; i < 4000; i++)
		if (fcntl(fd, F_DUPFD_CLOEXEC, 3) < 0)
			return -1;
	return 0;
}

static void files_4000(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit most = { 4096, 4096 };
		int fd = open("/proc/self/stat", O_RDONLY);
		if (fd < 0 || setrlimit(RLIMIT_NOFILE, &most) != 0 || dup_many(fd) < 0)
			_exit(2);
		pid_t g = fork();
		if (g == 0) {
			execl("/bin/solo/irqlat", "irqlat", "exit", (char *)NULL);
			_exit(127);
		}
		if (g < 0 || wait_for(g) != 0)
			_exit(3);
		if (syscall(SYS_close_range, 3, ~0U, 0) != 0 || open("/proc/self/stat", O_RDONLY) != 3 ||
		    dup_many(3) < 0)
			_exit(4);
		_exit(0);
	}
	if (pid < 0 || wait_for(pid) != 0)
		die("4000 descriptors forked, exec'd, closed, exited with");
}

/* poll over 4000 descriptors (dups of a pipe's read end, nothing to read,
 * timeout 0), and select over its 1024. */
static void poll_4000(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		static struct pollfd fds[4000];
		struct rlimit most = { 4096, 4096 };
		int p[2];
		if (pipe(p) != 0 || setrlimit(RLIMIT_NOFILE, &most) != 0)
			_exit(2);
		for (int i = 0; i < 4000; i++) {
			fds[i].fd = fcntl(p[0], F_DUPFD_CLOEXEC, 3);
			fds[i].events = POLLIN;
			if (fds[i].fd < 0)
				_exit(3);
		}
		if (poll(fds, 4000, 0) != 0)
			_exit(4);
		fd_set rd;
		FD_ZERO(&rd);
		for (int fd = 0; fd < FD_SETSIZE; fd++)
			if (fd > 2)
				FD_SET(fd, &rd);
		struct timeval zero = { 0, 0 };
		_exit(select(FD_SETSIZE, &rd, NULL, NULL, &zero) == 0 ? 0 : 5);
	}
	if (pid < 0 || wait_for(pid) != 0)
		die("poll over 4000 descriptors");
}

/* 64 MiB touched, then madvise(MADV_DONTNEED) and mincore over it. */
static void madvise_mincore_64m(void)
{
	static unsigned char vec[BIG / PAGE];
	char *p = map_touched(BIG);

	if (madvise(p, BIG, MADV_DONTNEED) != 0 || mincore(p, BIG, vec) != 0 || munmap(p, BIG) != 0)
		die("madvise/mincore");
}

/* The heap grown by 64 MiB, touched, and given back. */
static void brk_64m(void)
{
	char *top = sbrk(0);

	if (top == (void *)-1 || brk(top + BIG) != 0)
		die("brk grow");
	for (size_t i = 0; i < BIG; i += PAGE)
		top[i] = 1;
	if (brk(top) != 0)
		die("brk shrink");
}

/* An 8 MiB tmpfs file: sendfile to another, then mapped shared, written
 * and msync'd. */
static void sendfile_msync_8m(void)
{
	int a = open("/tmp/irqlat-a", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int b = open("/tmp/irqlat-b", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	off_t off = 0;

	if (a < 0 || b < 0 || ftruncate(a, 8 * MIB) != 0)
		die("sendfile setup");
	if (sendfile(b, a, &off, 8 * MIB) != (ssize_t)(8 * MIB))
		die("sendfile");
	char *m = mmap(NULL, 8 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, b, 0);
	if (m == MAP_FAILED)
		die("mmap tmpfs");
	for (size_t i = 0; i < 8 * MIB; i += PAGE)
		m[i] = 1;
	if (msync(m, 8 * MIB, MS_SYNC) != 0 || munmap(m, 8 * MIB) != 0)
		die("msync");
	close(a);
	close(b);
	unlink("/tmp/irqlat-a");
	unlink("/tmp/irqlat-b");
}

/* 16 KiB written to the terminal in one call (spaces: one blank line in
 * the log). On a real UART that is 1.4 s at 115200 baud. */
static void console_16k(void)
{
	static char line[16 * 1024];

	memset(line, ' ', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	fflush(stdout);
	if (write(1, line, sizeof(line)) != (ssize_t)sizeof(line))
		die("write to the console");
}

/* Only root starts the measurement over. */
static void check_reset_is_root_only(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setuid(65534) != 0)
			_exit(2);
		_exit(open(PROC_FILE, O_WRONLY) < 0 && errno == EACCES ? 0 : 1);
	}
	check(pid > 0 && wait_for(pid) == 0, "reset_root_only",
	      "a non-root user could open " PROC_FILE " for writing");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exit") == 0)
		return 0;      /* exec_from_64m's new image */

	cpu_set_t cpu0;
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0) != 0)
		die("sched_setaffinity");
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, PERIOD_US }, { 0, PERIOD_US } };
	if (sigaction(SIGALRM, &sa, NULL) != 0 || setitimer(ITIMER_REAL, &it, NULL) != 0)
		die("timer");

	/* In user mode the interrupt is taken at once: the measure measures. */
	measure("user_spin", user_spin);
	measure("mmap_munmap_128g_prot_none", prot_none_128g);
	measure("mmap_256g_enomem", enomem_256g);
	measure("touch_64m", touch_64m);
	measure("mprotect_64m", mprotect_64m);
	measure("mremap_64m", mremap_64m);
	measure("munmap_64m", munmap_64m);
	measure("fork_32m", fork_32m);
	measure("exec_from_64m", exec_from_64m);
	measure("exit_with_64m", exit_with_64m);
	measure("exec_busybox", exec_busybox);
	measure("mmap_populate_64m", populate_64m);
	measure("tmpfs_write_truncate_8m", tmpfs_8m);
	measure("tmpfs_read_8m", tmpfs_read_8m);
	measure("shared_64m", shared_64m);
	measure("files_4000", files_4000);
	measure("poll_4000", poll_4000);
	measure("madvise_mincore_64m", madvise_mincore_64m);
	measure("brk_64m", brk_64m);
	measure("sendfile_msync_8m", sendfile_msync_8m);
	measure("console_write_16k", console_16k);

	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
	check(alarms > 0, "timer_ran", "no SIGALRM was delivered");
	check_reset_is_root_only();
	return failures ? 1 : 0;
}
