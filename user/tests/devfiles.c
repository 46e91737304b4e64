/*
 * devfiles: the device files of /dev and the links to a process's own
 * descriptors, by their absolute paths.
 *
 *   devfiles [DIR]       (default /tmp)
 *
 * /dev/null reads end of file and absorbs writes, /dev/zero reads zeros,
 * /dev/full refuses writes with ENOSPC, /dev/random and /dev/urandom read as
 * many bytes as asked; each is a character device 0666 with Linux's numbers
 * (1,3 1,5 1,7 1,8 1,9). /dev/stdin, stdout and stderr are symbolic links to
 * /proc/self/fd/0..2 and /dev/fd to /proc/self/fd, and opening them reaches
 * the file behind the descriptor. /dev/shm is a tmpfs, /proc a proc file
 * system, /tmp a directory of mode 1777. DIR holds a scratch file
 * (DIR/devfiles.tmp) and a device node made with mknod.
 *
 * Prints "PASS devfiles.<case>" or "FAIL devfiles.<case>: <why>" per check
 * and exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "devfiles"
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

#define ERR(name, expr, want) do { long r_; int e_; CALL(r_, e_, expr); \
	expect_error(name, r_, e_, want); } while (0)
#define OK(name, expr) do { long r_; int e_; CALL(r_, e_, expr); expect_ok(name, r_, e_); } while (0)
#define EQ(name, expr, want) do { long r_; int e_; long w_ = (long)(want); CALL(r_, e_, expr); \
	if (r_ == w_) pass(name); \
	else if (r_ == -1) fail(name, "failed with %s, expected %ld", ename(e_), w_); \
	else fail(name, "returned %ld, expected %ld", r_, w_); } while (0)

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* A character device 0666 with the given numbers. */
static void check_node(const char *name, const char *path, unsigned maj, unsigned min)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fail(name, "stat %s: %s", path, ename(errno));
		return;
	}
	if (!S_ISCHR(st.st_mode) || (st.st_mode & 0777) != 0666 || major(st.st_rdev) != maj || minor(st.st_rdev) != min)
		fail(name, "%s: mode 0%o, rdev %u,%u; expected a 0666 character device %u,%u", path,
		     (unsigned)st.st_mode, major(st.st_rdev), minor(st.st_rdev), maj, min);
	else
		pass(name);
}

static void test_null(void)
{
	char buf[64];
	int fd = open("/dev/null", O_RDWR);

	check_node("null.node", "/dev/null", 1, 3);
	if (fd < 0) {
		fail("null.open", "open /dev/null: %s", ename(errno));
		return;
	}
	EQ("null.read-eof", read(fd, buf, sizeof buf), 0);
	EQ("null.write-absorbs", write(fd, buf, sizeof buf), sizeof buf);
	static char big[100000];
	EQ("null.write-big", write(fd, big, sizeof big), sizeof big);
	EQ("null.lseek", lseek(fd, 1000, SEEK_SET), 0);
	EQ("null.pread", pread(fd, buf, sizeof buf, 10), 0);
	close(fd);
	/* the shell's > /dev/null */
	fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0666);
	check(fd >= 0 && write(fd, "x", 1) == 1, "null.creat-trunc", "O_CREAT|O_TRUNC on /dev/null failed");
	close(fd);
	struct stat st;
	check(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode) && st.st_size == 0, "null.stays-device",
	      "/dev/null is no longer an empty character device");
}

static void test_zero(void)
{
	unsigned char buf[5000];
	int fd = open("/dev/zero", O_RDWR);

	check_node("zero.node", "/dev/zero", 1, 5);
	memset(buf, 0xff, sizeof buf);
	EQ("zero.read-count", read(fd, buf, sizeof buf), sizeof buf);
	check(all_zero(buf, sizeof buf), "zero.read-zeros", "/dev/zero read other bytes than zeros");
	EQ("zero.write-absorbs", write(fd, buf, 100), 100);
	/* a private mapping of /dev/zero: zeros, writable */
	unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		fail("zero.mmap", "mmap /dev/zero: %s", ename(errno));
	} else {
		int ok = all_zero(p, 2 * PAGE);
		p[0] = 7;
		p[PAGE] = 9;
		check(ok && p[0] == 7 && p[PAGE] == 9, "zero.mmap", "a mapping of /dev/zero is not zeros, or not writable");
		munmap(p, 2 * PAGE);
	}
	close(fd);
}

static void test_full(void)
{
	unsigned char buf[100];
	int fd = open("/dev/full", O_RDWR);

	check_node("full.node", "/dev/full", 1, 7);
	ERR("full.write-enospc", write(fd, "x", 1), ENOSPC);
	memset(buf, 0xff, sizeof buf);
	EQ("full.read-count", read(fd, buf, sizeof buf), sizeof buf);
	check(all_zero(buf, sizeof buf), "full.read-zeros", "/dev/full did not read zeros");
	close(fd);
}

static void test_random(const char *name, const char *path, unsigned min)
{
	unsigned char a[1000], b[1000];
	char c[64];
	int fd = open(path, O_RDONLY);

	snprintf(c, sizeof c, "%s.node", name);
	check_node(c, path, 1, min);
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	snprintf(c, sizeof c, "%s.read-count", name);
	EQ(c, read(fd, a, sizeof a), sizeof a);
	read(fd, b, sizeof b);
	snprintf(c, sizeof c, "%s.read-random", name);
	check(!all_zero(a, sizeof a) && memcmp(a, b, sizeof a) != 0, c, "two reads gave zeros or the same bytes");
	close(fd);
	if (geteuid() == 0) {
		fd = open(path, O_WRONLY);
		snprintf(c, sizeof c, "%s.write-root", name);
		EQ(c, write(fd, a, 16), 16);
		close(fd);
	}
}

/* ---- the descriptor links ----------------------------------------------------- */

/* SIGALRM, caught, interrupts a call that would block forever (a FIFO or a
 * descriptor link gone wrong): it then fails with EINTR, and the case fails. */
static void on_alarm(int sig)
{
	(void)sig;
}

static void arm_alarm(unsigned seconds)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

static void check_link(const char *name, const char *path, const char *want)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof buf - 1);

	if (n < 0) {
		fail(name, "readlink %s: %s", path, ename(errno));
		return;
	}
	buf[n] = 0;
	if (strcmp(buf, want) != 0)
		fail(name, "%s -> %s, expected %s", path, buf, want);
	else
		pass(name);
}

static void test_fd_links(const char *dir)
{
	char path[PATH_MAX], buf[64], want[PATH_MAX + 32];

	check_link("stdin.link", "/dev/stdin", "/proc/self/fd/0");
	check_link("stdout.link", "/dev/stdout", "/proc/self/fd/1");
	check_link("stderr.link", "/dev/stderr", "/proc/self/fd/2");
	check_link("fd.link", "/dev/fd", "/proc/self/fd");

	/* /proc/self/fd/N names the open file; opening it opens that file afresh */
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd)) {
		fail("fd.setup", "getcwd: %s", ename(errno));
		return;
	}
	snprintf(path, sizeof path, "%s/devfiles.tmp", dir);
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0) {
		fail("fd.setup", "open %s: %s", path, ename(errno));
		return;
	}
	write(fd, "scratch", 7);
	char real[PATH_MAX];
	if (!realpath(path, real))
		snprintf(real, sizeof real, "%s", path);
	char link[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	check_link("proc-fd.link", link, real);
	snprintf(link, sizeof link, "/dev/fd/%d", fd);
	check_link("dev-fd.link", link, real);
	int fd2 = open(link, O_RDONLY);
	memset(buf, 0, sizeof buf);
	check(fd2 >= 0 && read(fd2, buf, sizeof buf) == 7 && strcmp(buf, "scratch") == 0, "dev-fd.open",
	      "opening /dev/fd/N did not read the file from its start");
	check(lseek(fd, 0, SEEK_CUR) == 7, "dev-fd.own-offset", "reading the reopened file moved the original's offset");
	close(fd2);
	ERR("dev-fd.enoent", open("/dev/fd/999", O_RDONLY), ENOENT);

	/* /dev/stdin reaches what fd 0 is: a pipe here */
	int p[2], saved = dup(0);
	pipe(p);
	dup2(p[0], 0);
	close(p[0]);
	write(p[1], "to stdin", 8);
	close(p[1]);
	arm_alarm(10);
	int in = open("/dev/stdin", O_RDONLY);
	memset(buf, 0, sizeof buf);
	check(in >= 0 && read(in, buf, sizeof buf) == 8 && strcmp(buf, "to stdin") == 0, "stdin.open",
	      "/dev/stdin did not read the pipe on fd 0");
	alarm(0);
	close(in);
	dup2(saved, 0);
	close(saved);

	/* /dev/stdout and /dev/stderr reach the file on fd 1 and 2 */
	const char *names[2] = { "/dev/stdout", "/dev/stderr" };
	for (int k = 1; k <= 2; k++) {
		char cname[32];
		fflush(NULL);
		saved = dup(k);
		ftruncate(fd, 0);
		dup2(fd, k);
		int o = open(names[k - 1], O_WRONLY);
		ssize_t n = o >= 0 ? write(o, "out", 3) : -1;
		int e = errno;
		close(o);
		dup2(saved, k);
		close(saved);
		snprintf(cname, sizeof cname, "%s.open", k == 1 ? "stdout" : "stderr");
		memset(buf, 0, sizeof buf);
		pread(fd, buf, sizeof buf, 0);
		if (n != 3)
			fail(cname, "open/write %s: %s", names[k - 1], ename(e));
		else
			check(strcmp(buf, "out") == 0, cname, "the bytes did not reach the file on the descriptor");
	}
	close(fd);
	snprintf(want, sizeof want, "%s/devfiles.tmp", dir);
	unlink(want);
}

/* ---- the file systems under / ---------------------------------------------------- */

static void test_tree(const char *dir)
{
	struct stat st;
	struct statfs sf;

	check(stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777, "tmp.mode",
	      "/tmp is not a directory of mode 1777");
	check(stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && statfs("/dev/shm", &sf) == 0 && sf.f_type == TMPFS_MAGIC,
	      "shm.tmpfs", "/dev/shm is not a tmpfs directory");
	check(statfs("/proc", &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC, "proc.magic", "/proc is not a proc file system");
	char buf[64];
	ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	check(n > 0 && atoi(buf) == getpid(), "proc.self", "/proc/self does not name this process");

	/* /dev lists its devices */
	static const char *want[] = { "null", "zero", "full", "random", "urandom", "shm" };
	int seen[6] = { 0 };
	DIR *d = opendir("/dev");
	struct dirent *e;
	while (d && (e = readdir(d)))
		for (int i = 0; i < 6; i++)
			if (!strcmp(e->d_name, want[i]))
				seen[i]++;
	if (d)
		closedir(d);
	check(d && seen[0] == 1 && seen[1] == 1 && seen[2] == 1 && seen[3] == 1 && seen[4] == 1 && seen[5] == 1,
	      "dev.lists", "/dev does not list null zero full random urandom shm once each");

	/* a device node made anywhere works as the device */
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/devfiles.null", dir);
	unlink(path);
	OK("mknod.chr", mknod(path, S_IFCHR | 0666, makedev(1, 3)));
	int fd = open(path, O_RDWR);
	check(fd >= 0 && read(fd, buf, 1) == 0 && write(fd, "x", 1) == 1, "mknod.chr-is-null",
	      "a node 1,3 does not behave as /dev/null");
	close(fd);
	check(stat(path, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3), "mknod.chr-rdev",
	      "the node's rdev is not 1,3");
	unlink(path);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";

	setvbuf(stdout, NULL, _IOLBF, 0);
	test_null();
	test_zero();
	test_full();
	test_random("random", "/dev/random", 8);
	test_random("urandom", "/dev/urandom", 9);
	test_fd_links(dir);
	test_tree(dir);
	return failures ? 1 : 0;
}
