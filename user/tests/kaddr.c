/*
 * kaddr: kernel addresses given as user pointers. Every pointer argument of
 * the system calls that take one gets, in turn, an address of the kernel's
 * half or past the top of the user half (the kernel image, the linear map's
 * start, the lowest TTBR1 address, the top of the address space, ranges
 * that straddle the 2^48 and 2^39 boundaries): each call must fail with
 * EFAULT and change nothing a later call could see (pipe contents, file
 * sizes, descriptors, signal actions and masks), with one exception that is
 * Linux's too: wait4 and waitid reap the child before they find the status,
 * usage or siginfo pointer bad (kernel/exit.c), so the child is gone.
 *
 * Raw system calls (syscall(2)): glibc's wrappers would read some pointers
 * themselves, and clock_gettime would go to the vDSO. Checked under
 * qemu-aarch64-static against the real Linux kernel: all pass there but
 * three where QEMU's user-mode emulation, not Linux, differs (QEMU 7.2):
 * pipe2 leaves the two descriptors open (Linux's do_pipe2 closes them
 * before returning EFAULT), clock_getres returns 0 and nanosleep EINVAL
 * (Linux's put_timespec64/get_timespec64 failures are EFAULT).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <linux/futex.h>

#define PROG "kaddr"
#include "check.h"

/* Sizes are at least 16 bytes so each range straddles the boundaries. */
static const uint64_t bad[] = {
	0xffffffffc0080000UL,   /* the kernel image (text) */
	0xffffff8000000000UL,   /* the start of the linear map of RAM */
	0xffff000000000000UL,   /* the lowest TTBR1 address with 48-bit VAs */
	0xfffffffffffffff8UL,   /* the top: a range here wraps around 0 */
	0x0000fffffffffff8UL,   /* straddles 2^48, Linux's user/kernel boundary */
	0x0000fffffffff000UL,   /* the last page below 2^48 */
	0x0000007ffffffff8UL,   /* straddles 2^39, the top of Bramble's user half */
};
#define NBAD (sizeof(bad) / sizeof(bad[0]))

static int pfd[2];          /* a pipe, holding PIPE_DATA between cases */
static int file_fd;         /* a file of FILE_SIZE bytes in /tmp */
static char good[256];
#define PIPE_DATA "kaddr pipe data"
#define FILE_SIZE 100

static long t_read(uint64_t a) { return syscall(SYS_read, pfd[0], a, 16); }
static long t_pread(uint64_t a) { return syscall(SYS_pread64, file_fd, a, 16, 0); }
static long t_write_pipe(uint64_t a) { return syscall(SYS_write, pfd[1], a, 16); }
static long t_write_file(uint64_t a) { return syscall(SYS_write, file_fd, a, 16); }
static long t_readv_iov(uint64_t a) { return syscall(SYS_readv, pfd[0], a, 1); }
static long t_readv_base(uint64_t a)
{
	struct iovec v = { (void *)(uintptr_t)a, 16 };
	return syscall(SYS_readv, pfd[0], &v, 1);
}
static long t_writev_iov(uint64_t a) { return syscall(SYS_writev, pfd[1], a, 1); }
static long t_writev_base(uint64_t a)
{
	struct iovec v = { (void *)(uintptr_t)a, 16 };
	return syscall(SYS_writev, pfd[1], &v, 1);
}
static long t_pipe2(uint64_t a) { return syscall(SYS_pipe2, a, 0); }
static long t_openat(uint64_t a) { return syscall(SYS_openat, AT_FDCWD, a, O_RDONLY); }
static long t_fstatat_path(uint64_t a)
{
	struct stat st;
	return syscall(SYS_newfstatat, AT_FDCWD, a, &st, 0);
}
static long t_fstatat_buf(uint64_t a) { return syscall(SYS_newfstatat, AT_FDCWD, "/", a, 0); }
static long t_fstat(uint64_t a) { return syscall(SYS_fstat, file_fd, a); }
static long t_faccessat(uint64_t a) { return syscall(SYS_faccessat, AT_FDCWD, a, F_OK); }
static long t_chdir(uint64_t a) { return syscall(SYS_chdir, a); }
static long t_readlinkat_path(uint64_t a) { return syscall(SYS_readlinkat, AT_FDCWD, a, good, sizeof(good)); }
static long t_readlinkat_buf(uint64_t a) { return syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", a, 64); }
static long t_getdents(uint64_t a)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);
	long r = syscall(SYS_getdents64, fd, a, 256);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}
static long t_uname(uint64_t a) { return syscall(SYS_uname, a); }
static long t_clock_gettime(uint64_t a) { return syscall(SYS_clock_gettime, CLOCK_MONOTONIC, a); }
static long t_clock_getres(uint64_t a) { return syscall(SYS_clock_getres, CLOCK_MONOTONIC, a); }
static long t_gettimeofday(uint64_t a) { return syscall(SYS_gettimeofday, a, NULL); }
static long t_nanosleep(uint64_t a) { return syscall(SYS_nanosleep, a, NULL); }
static long t_rt_sigaction_act(uint64_t a) { return syscall(SYS_rt_sigaction, SIGUSR1, a, NULL, 8); }
static long t_rt_sigaction_old(uint64_t a) { return syscall(SYS_rt_sigaction, SIGUSR1, NULL, a, 8); }
static long t_rt_sigprocmask_set(uint64_t a) { return syscall(SYS_rt_sigprocmask, SIG_SETMASK, a, NULL, 8); }
static long t_rt_sigprocmask_old(uint64_t a) { return syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, a, 8); }
static long t_rt_sigpending(uint64_t a) { return syscall(SYS_rt_sigpending, a, 8); }
static long t_sigaltstack(uint64_t a) { return syscall(SYS_sigaltstack, a, NULL); }
static long t_getrandom(uint64_t a) { return syscall(SYS_getrandom, a, 16, 0); }
static long t_getcwd(uint64_t a) { return syscall(SYS_getcwd, a, 64); }
static long t_ppoll_fds(uint64_t a)
{
	struct timespec zero = { 0, 0 };
	return syscall(SYS_ppoll, a, 2, &zero, NULL, 8);
}
static long t_ppoll_timeout(uint64_t a)
{
	struct pollfd p = { pfd[0], POLLIN, 0 };
	return syscall(SYS_ppoll, &p, 1, a, NULL, 8);
}
static long t_futex_wait(uint64_t a) { return syscall(SYS_futex, a, FUTEX_WAIT, 0, NULL, NULL, 0); }
static long t_futex_wake(uint64_t a) { return syscall(SYS_futex, a, FUTEX_WAKE, 1, NULL, NULL, 0); }
/* A valid argv says "execed": should a bad execve run, main fails loudly. */
static long t_execve_path(uint64_t a)
{
	char *argv[] = { "kaddr", "execed", NULL };
	return syscall(SYS_execve, a, argv, NULL);
}
static long t_execve_argv(uint64_t a) { return syscall(SYS_execve, "/proc/self/exe", a, NULL); }
static long t_execve_arg(uint64_t a)
{
	char *argv[] = { "kaddr", (char *)(uintptr_t)a, NULL };
	return syscall(SYS_execve, "/proc/self/exe", argv, NULL);
}
static long t_execve_envp(uint64_t a)
{
	char *argv[] = { "kaddr", "execed", NULL };
	return syscall(SYS_execve, "/proc/self/exe", argv, a);
}
static long t_getrusage(uint64_t a) { return syscall(SYS_getrusage, RUSAGE_SELF, a); }
static long t_sysinfo(uint64_t a) { return syscall(SYS_sysinfo, a); }
static long t_times(uint64_t a) { return syscall(SYS_times, a); }
static long t_prlimit_new(uint64_t a) { return syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, a, NULL); }
static long t_prlimit_old(uint64_t a) { return syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, a); }
static long t_getaffinity(uint64_t a) { return syscall(SYS_sched_getaffinity, 0, 128, a); }
static long t_getresuid(uint64_t a) { return syscall(SYS_getresuid, a, a, a); }
static long t_getitimer(uint64_t a) { return syscall(SYS_getitimer, ITIMER_REAL, a); }
static long t_setitimer(uint64_t a) { return syscall(SYS_setitimer, ITIMER_REAL, a, NULL); }

static const struct {
	const char *name;
	long (*call)(uint64_t a);
} cases[] = {
	{ "read", t_read },
	{ "pread64", t_pread },
	{ "write.pipe", t_write_pipe },
	{ "write.file", t_write_file },
	{ "readv.iov", t_readv_iov },
	{ "readv.base", t_readv_base },
	{ "writev.iov", t_writev_iov },
	{ "writev.base", t_writev_base },
	{ "pipe2", t_pipe2 },
	{ "openat", t_openat },
	{ "newfstatat.path", t_fstatat_path },
	{ "newfstatat.buf", t_fstatat_buf },
	{ "fstat", t_fstat },
	{ "faccessat", t_faccessat },
	{ "chdir", t_chdir },
	{ "readlinkat.path", t_readlinkat_path },
	{ "readlinkat.buf", t_readlinkat_buf },
	{ "getdents64", t_getdents },
	{ "uname", t_uname },
	{ "clock_gettime", t_clock_gettime },
	{ "clock_getres", t_clock_getres },
	{ "gettimeofday", t_gettimeofday },
	{ "nanosleep", t_nanosleep },
	{ "rt_sigaction.act", t_rt_sigaction_act },
	{ "rt_sigaction.oldact", t_rt_sigaction_old },
	{ "rt_sigprocmask.set", t_rt_sigprocmask_set },
	{ "rt_sigprocmask.oldset", t_rt_sigprocmask_old },
	{ "rt_sigpending", t_rt_sigpending },
	{ "sigaltstack", t_sigaltstack },
	{ "getrandom", t_getrandom },
	{ "getcwd", t_getcwd },
	{ "ppoll.fds", t_ppoll_fds },
	{ "ppoll.timeout", t_ppoll_timeout },
	{ "futex.wait", t_futex_wait },
	{ "futex.wake", t_futex_wake },
	{ "execve.path", t_execve_path },
	{ "execve.argv", t_execve_argv },
	{ "execve.argv-element", t_execve_arg },
	{ "execve.envp", t_execve_envp },
	{ "getrusage", t_getrusage },
	{ "sysinfo", t_sysinfo },
	{ "times", t_times },
	{ "prlimit64.new", t_prlimit_new },
	{ "prlimit64.old", t_prlimit_old },
	{ "sched_getaffinity", t_getaffinity },
	{ "getresuid", t_getresuid },
	{ "getitimer", t_getitimer },
	{ "setitimer", t_setitimer },
};

/* What a failed call must have left as it was. */
struct state {
	int next_fd;                /* the lowest free descriptor */
	off_t file_size;
	sigset_t mask;
	struct sigaction usr1;
	char cwd[64];
};

static void snapshot(struct state *s)
{
	struct stat st;

	memset(s, 0, sizeof(*s));
	s->next_fd = dup(0);
	close(s->next_fd);
	s->file_size = fstat(file_fd, &st) == 0 ? st.st_size : -1;
	sigprocmask(SIG_SETMASK, NULL, &s->mask);
	sigaction(SIGUSR1, NULL, &s->usr1);
	if (!getcwd(s->cwd, sizeof(s->cwd)))
		s->cwd[0] = 0;
}

/* The change a failed call made, or NULL. The pipe must still hold exactly
 * PIPE_DATA (a bad read consumed nothing, a bad write added nothing). */
static const char *changed(const struct state *before)
{
	struct state now;
	char buf[64];

	snapshot(&now);
	if (now.next_fd != before->next_fd)
		return "a descriptor was left open";
	if (now.file_size != before->file_size)
		return "the file's size changed";
	if (memcmp(&now.mask, &before->mask, sizeof(now.mask)))
		return "the signal mask changed";
	if (now.usr1.sa_handler != before->usr1.sa_handler ||
	    now.usr1.sa_flags != before->usr1.sa_flags)
		return "the SIGUSR1 action changed";
	if (strcmp(now.cwd, before->cwd))
		return "the working directory changed";
	ssize_t n = read(pfd[0], buf, sizeof(buf));
	if (n != (ssize_t)strlen(PIPE_DATA) || memcmp(buf, PIPE_DATA, (size_t)n))
		return "the pipe's contents changed";
	if (write(pfd[1], PIPE_DATA, strlen(PIPE_DATA)) != (ssize_t)strlen(PIPE_DATA))
		return "cannot refill the pipe";
	return NULL;
}

static void every_call_every_address(void)
{
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const char *why = NULL;
		char detail[160] = "";

		for (size_t i = 0; i < NBAD && !why; i++) {
			struct state before;
			snapshot(&before);
			errno = 0;
			long r = cases[c].call(bad[i]);
			int e = errno;
			if (r != -1 || e != EFAULT) {
				why = "not EFAULT";
				snprintf(detail, sizeof(detail), "at %#lx: returned %ld (%s)",
					 (unsigned long)bad[i], r, r == -1 ? ename(e) : "no error");
			} else if ((why = changed(&before))) {
				snprintf(detail, sizeof(detail), "at %#lx: EFAULT, but %s",
					 (unsigned long)bad[i], why);
			}
		}
		if (why)
			fail(cases[c].name, "%s", detail);
		else
			pass(cases[c].name);
	}
}

/* The wait calls as Linux's: the child is reaped, and then the pointer
 * found bad (kernel/exit.c: kernel_wait4, waitid). */
static long w_wait4_status(pid_t pid, uint64_t a) { return syscall(SYS_wait4, pid, a, 0, NULL); }
static long w_wait4_rusage(pid_t pid, uint64_t a)
{
	int st;
	return syscall(SYS_wait4, pid, &st, 0, a);
}
static long w_waitid_info(pid_t pid, uint64_t a)
{
	return syscall(SYS_waitid, P_PID, pid, a, WEXITED, NULL);
}

static void wait_reaps(const char *name, long (*call)(pid_t pid, uint64_t a))
{
	for (size_t i = 0; i < NBAD; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(7);
		errno = 0;
		long r = call(pid, bad[i]);
		int e = errno;
		if (r != -1 || e != EFAULT) {
			fail(name, "at %#lx: returned %ld (%s)", (unsigned long)bad[i], r, ename(e));
			wait_for(pid);
			return;
		}
		errno = 0;
		r = waitpid(pid, NULL, WNOHANG);
		if (r != -1 || errno != ECHILD) {
			fail(name, "at %#lx: the child was not reaped (waitpid %ld, %s)",
			     (unsigned long)bad[i], r, ename(errno));
			wait_for(pid);
			return;
		}
	}
	pass(name);
}

int main(int argc, char **argv)
{
	char path[] = "/tmp/kaddrXXXXXX";

	if (argc > 1 && strcmp(argv[1], "execed") == 0) {
		fail("execve", "an execve with a kernel address ran the program");
		return 1;
	}
	memset(good, 'g', sizeof(good));
	if (pipe2(pfd, O_NONBLOCK) < 0 || write(pfd[1], PIPE_DATA, strlen(PIPE_DATA)) < 0) {
		fail("setup", "pipe: %s", strerror(errno));
		return 1;
	}
	file_fd = mkstemp(path);
	if (file_fd < 0 || write(file_fd, good, FILE_SIZE) != FILE_SIZE) {
		fail("setup", "file in /tmp: %s", strerror(errno));
		return 1;
	}
	unlink(path);
	every_call_every_address();
	wait_reaps("wait4.status", w_wait4_status);
	wait_reaps("wait4.rusage", w_wait4_rusage);
	wait_reaps("waitid.infop", w_waitid_info);
	return failures ? 1 : 0;
}
