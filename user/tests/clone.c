/*
 * clone: the flag combinations Linux refuses, clone3, and what CLONE_FS,
 * CLONE_FILES and unshare share or copy.
 *
 *   clone [SCRATCH]      (default /tmp)
 *
 * Prints "PASS clone.<case>" or "FAIL clone.<case>: <why>" per check and
 * exits 0 only if all passed. Checked natively on Linux (qemu-user cannot
 * run CLONE_VM without CLONE_THREAD).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PROG "clone"
#include "check.h"

#define STACK_SIZE (64 * 1024)

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static char scratch[256];
static char stack[STACK_SIZE] __attribute__((aligned(16)));

/* A child sharing what flags say, running fn; the status it exits with. */
static int run_clone(int (*fn)(void *), int flags)
{
	int status;
	pid_t c = clone(fn, stack + STACK_SIZE, flags | SIGCHLD, NULL);

	if (c < 0)
		return -1;
	if (waitpid(c, &status, __WALL) != c)
		return -1;
	return status;
}

static void flag_rules(void)
{
	errno = 0;
	long r = syscall(SYS_clone, CLONE_THREAD | CLONE_VM | SIGCHLD, 0, 0, 0, 0);
	check(r == -1 && errno == EINVAL, "thread-needs-sighand", "CLONE_THREAD without CLONE_SIGHAND was not EINVAL");
	errno = 0;
	r = syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0);
	check(r == -1 && errno == EINVAL, "sighand-needs-vm", "CLONE_SIGHAND without CLONE_VM was not EINVAL");
}

static void clone3_cases(void)
{
	struct clone_args_v0 a = { .exit_signal = SIGCHLD };
	long r = syscall(SYS_clone3, &a, sizeof(a));

	if (r == 0)
		_exit(3);
	int status = -1;
	if (r > 0)
		waitpid((pid_t)r, &status, 0);
	check(r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 3, "clone3-fork",
	      "clone3 as fork did not run a child that exits 3");
	errno = 0;
	check(syscall(SYS_clone3, &a, 32) == -1 && errno == EINVAL, "clone3-small", "a 32-byte clone_args was not EINVAL");
	struct clone_args_v0 bad = { .exit_signal = 65 };
	errno = 0;
	check(syscall(SYS_clone3, &bad, sizeof(bad)) == -1 && errno == EINVAL, "clone3-bad-signal",
	      "exit_signal 65 was not EINVAL");
	struct clone_args_v0 csig = { .flags = SIGCHLD };
	errno = 0;
	check(syscall(SYS_clone3, &csig, sizeof(csig)) == -1 && errno == EINVAL, "clone3-csignal-in-flags",
	      "a signal in flags was not EINVAL");
	struct clone_args_v0 th = { .flags = CLONE_THREAD | CLONE_VM };
	errno = 0;
	check(syscall(SYS_clone3, &th, sizeof(th)) == -1 && errno == EINVAL, "clone3-thread-needs-sighand",
	      "CLONE_THREAD without CLONE_SIGHAND was not EINVAL");
	struct { struct clone_args_v0 a; uint64_t extra[4]; } big = { { .exit_signal = SIGCHLD }, { 0, 0, 0, 1 } };   /* byte 88: past clone_args v2 */
	errno = 0;
	check(syscall(SYS_clone3, &big, sizeof(big)) == -1 && errno == E2BIG, "clone3-e2big",
	      "non-zero bytes past the known struct were not E2BIG");
}

static int chdir_child(void *arg)
{
	(void)arg;
	if (chdir(scratch) != 0)
		return 10;
	umask(077);
	return 0;
}

static void fs_sharing(void)
{
	char cwd[256];
	mode_t old = umask(022);

	if (chdir("/") != 0)
		fail("setup", "chdir /: %s", strerror(errno));
	int st = run_clone(chdir_child, CLONE_VM | CLONE_FS);
	mode_t now = umask(022);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, scratch) == 0 &&
	      now == 077, "clone-fs-shares", "a CLONE_FS child's chdir and umask were not seen by the parent");
	if (chdir("/") != 0)
		fail("setup", "chdir /: %s", strerror(errno));
	st = run_clone(chdir_child, CLONE_VM);
	now = umask(022);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/") == 0 &&
	      now == 022, "no-clone-fs-copies", "a child without CLONE_FS changed the parent's cwd or umask");
	umask(old);
}

static int opened_fd = -1;

static int open_child(void *arg)
{
	(void)arg;
	opened_fd = open(scratch, O_RDONLY | O_DIRECTORY);
	return opened_fd < 0 ? 11 : 0;
}

static int unshare_close_child(void *arg)
{
	int fd = *(int *)arg;

	if (unshare(CLONE_FILES) != 0)
		return 12;
	return close(fd) == 0 ? 0 : 13;
}

static int unshare_fs_child(void *arg)
{
	(void)arg;
	if (unshare(CLONE_FS) != 0)
		return 14;
	return chdir(scratch) == 0 ? 0 : 15;
}

static void files_sharing(void)
{
	char cwd[256];

	int st = run_clone(open_child, CLONE_VM | CLONE_FILES);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0 && opened_fd >= 0 && fcntl(opened_fd, F_GETFD) >= 0,
	      "clone-files-shares", "a CLONE_FILES child's open was not seen by the parent");
	if (opened_fd >= 0)
		close(opened_fd);
	opened_fd = -1;
	st = run_clone(open_child, CLONE_VM);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0 && opened_fd >= 0 && fcntl(opened_fd, F_GETFD) == -1 &&
	      errno == EBADF, "no-clone-files-copies", "a child's own table leaked into the parent's");
	int fd = open(scratch, O_RDONLY | O_DIRECTORY);
	st = run_clone(unshare_close_child, CLONE_VM | CLONE_FILES);
	(void)st;
	check(fd >= 0 && fcntl(fd, F_GETFD) >= 0, "unshare-files", "a close after unshare(CLONE_FILES) reached the parent");
	if (fd >= 0)
		close(fd);
	if (chdir("/") != 0)
		fail("setup", "chdir /: %s", strerror(errno));
	st = run_clone(unshare_fs_child, CLONE_VM | CLONE_FS);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/") == 0,
	      "unshare-fs", "a chdir after unshare(CLONE_FS) reached the parent");
}

static void unshare_rules(void)
{
	errno = 0;
	check(unshare(CLONE_SIGHAND) == 0, "unshare-sighand-single", "unshare(CLONE_SIGHAND) of a single thread failed");
	errno = 0;
	check(unshare(0x1) == -1 && errno == EINVAL, "unshare-einval", "unshare of a signal number was not EINVAL");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!realpath(dir, scratch)) {
		fail("setup", "realpath %s: %s", dir, strerror(errno));
		return 1;
	}
	flag_rules();
	clone3_cases();
	fs_sharing();
	files_sharing();
	unshare_rules();
	return failures ? 1 : 0;
}
