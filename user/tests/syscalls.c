/*
 * syscalls: the system calls a static glibc program makes, their results
 * and their Linux error numbers, including bad user pointers (EFAULT, never
 * a crash of the kernel or the process).
 *
 * Expects the initramfs: /hello.txt, /bin, and stdin/stdout/stderr on the
 * console (a terminal).
 *
 * Prints "PASS syscalls.<case>" or "FAIL syscalls.<case>: <why>" per check
 * and exits 0 only if all passed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>

#define PROG "syscalls"
#include "check.h"

/* ---- the checks -------------------------------------------------------- */

/* A pointer the compiler knows nothing about (it would warn about these). */
static void *opaque(uintptr_t a)
{
	volatile uintptr_t v = a;
	return (void *)v;
}

static void bad_pointers(void)
{
	static char buf[64] = "bramble";
	long r;
	int e;

	CALL(r, e, syscall(999));
	expect_error("unknown_syscall", r, e, ENOSYS);

	CALL(r, e, write(1, opaque(0x10), 5));
	expect_error("write_low_ptr", r, e, EFAULT);

	CALL(r, e, write(1, opaque(0xffffffffc0080000UL), 5));
	expect_error("write_kernel_ptr", r, e, EFAULT);

	/* A page that was mapped and is not any more. */
	char *gone = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open(HELLO_PATH, O_RDONLY | O_CLOEXEC);
	if (gone == MAP_FAILED || fd < 0) {
		fail("read_unmapped_ptr", "setup: %s", strerror(errno));
	} else {
		munmap(gone, PAGE);
		CALL(r, e, read(fd, gone, 10));
		expect_error("read_unmapped_ptr", r, e, EFAULT);
	}
	if (fd >= 0)
		close(fd);

	/* A valid start and a length that runs past the end of the address space. */
	volatile size_t huge = SIZE_MAX - 8;
	CALL(r, e, syscall(SYS_write, 1, buf, huge));
	expect_error("write_wrapping_len", r, e, EFAULT);
}

static void files(void)
{
	const size_t len = sizeof HELLO_TEXT - 1;
	char buf[256];
	long r;
	int e, fd;

	CALL(r, e, openat(AT_FDCWD, "/nonexistent", O_RDONLY));
	expect_error("open_enoent", r, e, ENOENT);
	if (r >= 0)
		close((int)r);

	/* The root is writable (tmpfs); a directory is never open for writing. */
	CALL(r, e, open("/", O_WRONLY));
	expect_error("open_dir_write_eisdir", r, e, EISDIR);
	if (r >= 0)
		close((int)r);

	CALL(r, e, close(100));
	expect_error("close_ebadf", r, e, EBADF);

	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		fail("read_dir_eisdir", "open /: %s", strerror(errno));
	} else {
		CALL(r, e, read(fd, buf, 10));
		expect_error("read_dir_eisdir", r, e, EISDIR);
		close(fd);
	}

	/* The file's size, contents and offsets. */
	fd = open(HELLO_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail("fstat", "open %s: %s", HELLO_PATH, strerror(errno));
		return;
	}
	struct stat st;
	if (fstat(fd, &st) != 0)
		fail("fstat", "fstat: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		fail("fstat", "%s: mode %#o is not a regular file", HELLO_PATH, (unsigned)st.st_mode);
	else if ((size_t)st.st_size != len)
		fail("fstat", "%s: size %lld, expected %zu", HELLO_PATH, (long long)st.st_size, len);
	else
		pass("fstat");

	ssize_t n = read(fd, buf, sizeof buf);
	if (n != (ssize_t)len || memcmp(buf, HELLO_TEXT, len) != 0)
		fail("read_file", "read returned %zd bytes, not the expected text", n);
	else if (read(fd, buf, sizeof buf) != 0)
		fail("read_file", "no end of file after the contents");
	else
		pass("read_file");

	off_t end = lseek(fd, 0, SEEK_END);
	off_t set = lseek(fd, 6, SEEK_SET);
	n = read(fd, buf, 4);
	if (end != (off_t)len)
		fail("lseek", "SEEK_END returned %lld, expected %zu", (long long)end, len);
	else if (set != 6)
		fail("lseek", "SEEK_SET 6 returned %lld", (long long)set);
	else if (n != 4 || memcmp(buf, "from", 4) != 0)
		fail("lseek", "reading at offset 6 did not give \"from\"");
	else
		pass("lseek");

	/* TCGETS on a regular file. */
	unsigned char termios_buf[128] __attribute__((aligned(8)));
	CALL(r, e, ioctl(fd, TCGETS, termios_buf));
	expect_error("ioctl_file_enotty", r, e, ENOTTY);
	close(fd);

	/* The console is a terminal. */
	CALL(r, e, ioctl(1, TCGETS, termios_buf));
	expect_ok("ioctl_console_tcgets", r, e);
	struct winsize ws;
	CALL(r, e, ioctl(1, TIOCGWINSZ, &ws));
	expect_ok("ioctl_console_winsize", r, e);
}

struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static void getdents(void)
{
	static char buf[4096] __attribute__((aligned(8)));
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int hello = 0, bin = 0, entries = 0;

	if (fd < 0) {
		fail("getdents64", "open /: %s", strerror(errno));
		return;
	}
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
		if (n < 0) {
			fail("getdents64", "getdents64: %s", strerror(errno));
			close(fd);
			return;
		}
		if (n == 0)
			break;
		for (long off = 0; off < n;) {
			struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
			if (d->d_reclen == 0 || off + d->d_reclen > n) {
				fail("getdents64", "bad record length %u at offset %ld", d->d_reclen, off);
				close(fd);
				return;
			}
			entries++;
			if (strcmp(d->d_name, "hello.txt") == 0)
				hello = d->d_type == DT_REG || d->d_type == DT_UNKNOWN ? 1 : -1;
			if (strcmp(d->d_name, "bin") == 0)
				bin = d->d_type == DT_DIR || d->d_type == DT_UNKNOWN ? 1 : -1;
			off += d->d_reclen;
		}
	}
	close(fd);
	if (hello != 1 || bin != 1)
		fail("getdents64", "in %d entries of /: hello.txt %s, bin %s", entries,
		     hello == 0 ? "missing" : hello < 0 ? "not a regular file" : "found",
		     bin == 0 ? "missing" : bin < 0 ? "not a directory" : "found");
	else
		pass("getdents64");
}

static void identity(void)
{
	struct utsname u;

	if (uname(&u) != 0)
		fail("uname", "uname: %s", strerror(errno));
	else if (!u.sysname[0] || !u.release[0] || !u.machine[0])
		fail("uname", "empty fields: sysname \"%s\" release \"%s\" machine \"%s\"", u.sysname,
		     u.release, u.machine);
	else
		pass("uname");

	pid_t pid = getpid(), ppid = getppid();
	if (pid <= 0)
		fail("getpid", "getpid() returned %d", (int)pid);
	else
		pass("getpid");
	if (ppid < 0 || ppid == pid)
		fail("getppid", "getppid() returned %d (getpid() %d)", (int)ppid, (int)pid);
	else
		pass("getppid");

	if (getuid() != 0 || geteuid() != 0 || getgid() != 0 || getegid() != 0)
		fail("ids_root", "uid %d euid %d gid %d egid %d", (int)getuid(), (int)geteuid(),
		     (int)getgid(), (int)getegid());
	else
		pass("ids_root");
}

static void time_and_randomness(void)
{
	struct timespec a, b, ms = { 0, 1000000 };

	if (clock_gettime(CLOCK_MONOTONIC, &a) != 0) {
		fail("clock_monotonic", "clock_gettime: %s", strerror(errno));
	} else if (nanosleep(&ms, NULL) != 0) {
		fail("clock_monotonic", "nanosleep(1 ms): %s", strerror(errno));
	} else if (clock_gettime(CLOCK_MONOTONIC, &b) != 0) {
		fail("clock_monotonic", "clock_gettime: %s", strerror(errno));
	} else {
		long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
		if (ns < 1000000)
			fail("clock_monotonic", "a 1 ms nanosleep took %lld ns of CLOCK_MONOTONIC", ns);
		else
			pass("clock_monotonic");
	}

	unsigned char rnd[16] = { 0 };
	ssize_t n = getrandom(rnd, sizeof rnd, 0);
	int nonzero = 0;
	for (size_t i = 0; i < sizeof rnd; i++)
		nonzero |= rnd[i];
	if (n != (ssize_t)sizeof rnd)
		fail("getrandom", "getrandom(16) returned %zd (%s)", n, n < 0 ? strerror(errno) : "short");
	else if (!nonzero)
		fail("getrandom", "the 16 bytes are all zero");
	else
		pass("getrandom");

	struct sysinfo si;
	if (sysinfo(&si) != 0)
		fail("sysinfo", "sysinfo: %s", strerror(errno));
	else if (!(si.totalram > si.freeram && si.freeram > 0))
		fail("sysinfo", "totalram %lu freeram %lu (unit %u)", si.totalram, si.freeram,
		     si.mem_unit);
	else
		pass("sysinfo");
}

static void process(void)
{
	char path[256];
	long r;
	int e;

	/* Allowed to fail (there may be no /proc), but not to fault. */
	CALL(r, e, readlinkat(AT_FDCWD, "/proc/self/exe", path, sizeof path - 1));
	if (r >= 0)
		pass("readlink_exe");
	else if (e == EFAULT)
		fail("readlink_exe", "failed with EFAULT");
	else
		pass("readlink_exe");

	struct rlimit rl, raw;
	if (getrlimit(RLIMIT_STACK, &rl) != 0)
		fail("rlimit_stack", "getrlimit: %s", strerror(errno));
	else if (syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &raw) != 0)
		fail("rlimit_stack", "prlimit64: %s", strerror(errno));
	else if (rl.rlim_cur != raw.rlim_cur || rl.rlim_max != raw.rlim_max)
		fail("rlimit_stack", "getrlimit and prlimit64 disagree");
	else if (rl.rlim_cur < (64UL << 10) || (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max))
		fail("rlimit_stack", "soft %#llx hard %#llx", (unsigned long long)rl.rlim_cur,
		     (unsigned long long)rl.rlim_max);
	else
		pass("rlimit_stack");

	CALL(r, e, kill(getpid(), 0));
	expect_ok("kill_self_0", r, e);

	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	CALL(r, e, sigaction(SIGUSR1, &sa, &old));
	expect_ok("rt_sigaction", r, e);
	if (r == 0)
		sigaction(SIGUSR1, &old, NULL);

	sigset_t set, oldset;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CALL(r, e, sigprocmask(SIG_BLOCK, &set, &oldset));
	expect_ok("rt_sigprocmask", r, e);
	if (r == 0)
		sigprocmask(SIG_SETMASK, &oldset, NULL);
}

/* close_range: closes what is open in the range (gaps are fine), or marks
 * it close-on-exec; EINVAL for first > last or an unknown flag. */
static void close_range_cases(void)
{
	int a = dup(0), b = dup(0), c = dup(0);
	long r = syscall(SYS_close_range, (unsigned)b, (unsigned)c + 100, 0);

	check(r == 0 && fcntl(a, F_GETFD) >= 0 && fcntl(b, F_GETFD) < 0 && fcntl(c, F_GETFD) < 0,
	      "close_range_closes", "close_range did not close [b, c+100] and only that");
	b = dup(0);
	r = syscall(SYS_close_range, (unsigned)a, (unsigned)b, 4 /* CLOSE_RANGE_CLOEXEC */);
	check(r == 0 && fcntl(a, F_GETFD) == FD_CLOEXEC && fcntl(b, F_GETFD) == FD_CLOEXEC,
	      "close_range_cloexec", "CLOSE_RANGE_CLOEXEC did not mark both");
	r = syscall(SYS_close_range, 10u, 5u, 0);
	expect_error("close_range_first_past_last", r, errno, EINVAL);
	r = syscall(SYS_close_range, 0u, 0u, 1 /* no such flag */);
	expect_error("close_range_bad_flag", r, errno, EINVAL);
	close(a);
	close(b);
}

int main(void)
{
	close_range_cases();
	bad_pointers();
	files();
	getdents();
	identity();
	time_and_randomness();
	process();
	return failures ? 1 : 0;
}
