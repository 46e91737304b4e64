/*
 * pipe: pipe2 between processes, end of file when the writers are gone,
 * EPIPE (and SIGPIPE) when the readers are, non-blocking reads, and data
 * larger than the pipe's buffer crossing it intact.
 *
 * Prints "PASS pipe.<case>" or "FAIL pipe.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "pipe"
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#define BIG (64 * 1024)

static void writer_of_big(void *arg)
{
	int *fds = arg;
	unsigned char *buf = malloc(BIG);

	close(fds[0]);
	for (int i = 0; i < BIG; i++)
		buf[i] = (unsigned char)(i * 13 + 5);
	_exit(write(fds[1], buf, BIG) == BIG ? 0 : 1);
}

static void test_big_transfer(void)
{
	int fds[2];
	unsigned char *got = malloc(BIG);
	size_t n = 0;
	ssize_t r;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		fail("big_transfer", "pipe2: %s", strerror(errno));
		return;
	}
	pid_t pid = start_child(writer_of_big, fds);
	close(fds[1]);
	while ((r = read(fds[0], got + n, BIG - n)) > 0)
		n += (size_t)r;
	int ok = n == BIG;
	for (size_t i = 0; ok && i < BIG; i++)
		ok = got[i] == (unsigned char)(i * 13 + 5);
	check(ok, "big_transfer", "64 KiB through a pipe did not arrive intact");
	check(r == 0, "eof_after_writer_exit", "read did not return 0 once the writer was gone");
	check(exited_with(wait_for(pid), 0), "writer_done", "the writer failed");
	close(fds[0]);
	free(got);
}

static void test_epipe(void)
{
	int fds[2];

	if (pipe(fds) != 0) {
		fail("epipe", "pipe: %s", strerror(errno));
		return;
	}
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	ssize_t r = write(fds[1], "x", 1);
	expect_error("epipe", r, errno, EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);

	if (pipe(fds) != 0)
		return;
	close(fds[0]);
	pid_t pid = fork();
	if (pid == 0)
		_exit(write(fds[1], "x", 1) < 0 ? 2 : 3);
	close(fds[1]);
	expect_signal("sigpipe", wait_for(pid), SIGPIPE);
}

static void test_nonblock_and_stat(void)
{
	int fds[2];
	char c;
	struct stat st;

	if (pipe2(fds, O_NONBLOCK) != 0) {
		fail("nonblock", "pipe2: %s", strerror(errno));
		return;
	}
	errno = 0;
	ssize_t r = read(fds[0], &c, 1);
	expect_error("nonblock_empty", r, errno, EAGAIN);
	check(write(fds[1], "ab", 2) == 2 && read(fds[0], &c, 1) == 1 && c == 'a',
	      "nonblock_data", "data written was not read back");
	check(fstat(fds[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat_fifo", "not S_IFIFO");
	errno = 0;
	r = lseek(fds[0], 0, SEEK_SET);
	expect_error("lseek_espipe", r, errno, ESPIPE);
	errno = 0;
	r = pipe2(fds, 0x12345678);
	expect_error("bad_flags", r, errno, EINVAL);
	close(fds[0]);
	close(fds[1]);
}

/* posix_fadvise: ESPIPE on a pipe; a file takes any valid advice (it
 * returns the error number, as POSIX says, not -1). */
static void test_fadvise(void)
{
	int p[2], fd = open("/tmp/pipe-fadvise", O_CREAT | O_RDWR, 0600);

	if (pipe(p) < 0 || fd < 0) {
		fail("fadvise", "setup: %s", strerror(errno));
		return;
	}
	check(posix_fadvise(p[0], 0, 0, POSIX_FADV_SEQUENTIAL) == ESPIPE, "fadvise_pipe_espipe",
	      "posix_fadvise on a pipe is not ESPIPE");
	check(posix_fadvise(fd, 0, 4096, POSIX_FADV_DONTNEED) == 0, "fadvise_file",
	      "posix_fadvise(DONTNEED) on a file failed");
	check(posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL) == EINVAL, "fadvise_negative_len",
	      "a negative length is not EINVAL");
	check(posix_fadvise(fd, 0, 0, 99) == EINVAL, "fadvise_bad_advice", "advice 99 is not EINVAL");
	check(posix_fadvise(999, 0, 0, POSIX_FADV_NORMAL) == EBADF, "fadvise_bad_fd", "fd 999 is not EBADF");
	close(p[0]);
	close(p[1]);
	close(fd);
	unlink("/tmp/pipe-fadvise");
}

int main(void)
{
	test_fadvise();
	test_big_transfer();
	test_epipe();
	test_nonblock_and_stat();
	return failures ? 1 : 0;
}
