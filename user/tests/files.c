/*
 * files: the file system calls on a writable (tmpfs) directory, each with
 * what it does when it works and the errors Linux gives when it does not.
 *
 *   files [DIR]          (default /tmp)
 *
 * Everything happens in DIR/files.d (made, entered, and removed at the end);
 * all paths are relative to it. DIR must be on a tmpfs: the statfs cases
 * expect TMPFS_MAGIC, 4 KiB blocks and tmpfs's block counts. The chown cases
 * need root. Expected values and errno are those of Linux (checked under
 * qemu-aarch64-static in a tmpfs mount).
 *
 * Prints "PASS files.<case>" or "FAIL files.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "files"
#include "check.h"
#include <dirent.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <time.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif

/* An address nothing is mapped at (volatile: the compiler must not see it is constant). */
static void *volatile bad_ptr = (void *)8;
static volatile int neg_count = -1;
#define BAD bad_ptr

/* A call that must fail with errno want. */
#define ERR(name, expr, want) do { long r_; int e_; CALL(r_, e_, expr); \
	expect_error(name, r_, e_, want); } while (0)
/* A call that must return 0. */
#define OK(name, expr) do { long r_; int e_; CALL(r_, e_, expr); expect_ok(name, r_, e_); } while (0)
/* A call whose result must equal want. */
#define EQ(name, expr, want) do { long r_; int e_; long w_ = (long)(want); CALL(r_, e_, expr); \
	if (r_ == w_) pass(name); \
	else if (r_ == -1) fail(name, "failed with %s, expected %ld", ename(e_), w_); \
	else fail(name, "returned %ld, expected %ld", r_, w_); } while (0)

/* ---- helpers ------------------------------------------------------------ */

/* Writes a file of the given content (mode 0644); 0 or -1. */
static int put(const char *path, const char *s)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Reads up to cap-1 bytes of a file into buf, NUL-terminated; the count or -1. */
static ssize_t get(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	return n;
}

/* Whether the file at path holds exactly s. */
static int holds(const char *path, const char *s)
{
	char buf[256];
	return get(path, buf, sizeof buf) == (ssize_t)strlen(s) && strcmp(buf, s) == 0;
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static long st_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Removes path and, if a directory, all it holds (as rm -rf). */
static void rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		char sub[PATH_MAX];
		if (d) {
			while ((e = readdir(d))) {
				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
					continue;
				snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
				rm_rf(sub);
			}
			closedir(d);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* ---- openat --------------------------------------------------------------- */

static void test_open(void)
{
	struct stat st;
	int fd, fd2;
	char buf[64];

	CALL(fd, errno, openat(AT_FDCWD, "a", O_CREAT | O_RDWR, 0640));
	if (fd < 0) {
		fail("open.creat", "openat O_CREAT: %s", ename(errno));
		return;
	}
	check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0640 &&
	      st.st_size == 0 && st.st_nlink == 1, "open.creat", "new file is not an empty 0640 regular file");
	EQ("write.count", write(fd, "0123456789", 10), 10);
	close(fd);

	ERR("open.excl", openat(AT_FDCWD, "a", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
	CALL(fd, errno, openat(AT_FDCWD, "a", O_CREAT | O_RDWR, 0600));
	check(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 10 && (st.st_mode & 0777) == 0640,
	      "open.creat-existing", "O_CREAT on an existing file changed it");
	close(fd);
	ERR("open.enoent", openat(AT_FDCWD, "nothing", O_RDONLY), ENOENT);
	ERR("open.enoent-dir", openat(AT_FDCWD, "nodir/x", O_CREAT | O_RDWR, 0644), ENOENT);
	ERR("open.enotdir", openat(AT_FDCWD, "a/x", O_RDONLY), ENOTDIR);
	ERR("open.enotdir-creat", openat(AT_FDCWD, "a/x", O_CREAT | O_RDWR, 0644), ENOTDIR);
	mkdir("d", 0755);
	ERR("open.eisdir-write", openat(AT_FDCWD, "d", O_WRONLY), EISDIR);
	ERR("open.eisdir-rdwr", openat(AT_FDCWD, "d", O_RDWR), EISDIR);
	ERR("open.eisdir-creat", openat(AT_FDCWD, "d", O_CREAT | O_WRONLY, 0644), EISDIR);
	ERR("open.directory-file", openat(AT_FDCWD, "a", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CALL(fd, errno, openat(AT_FDCWD, "d", O_RDONLY | O_DIRECTORY));
	check(fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode), "open.directory", "O_DIRECTORY on a directory failed");
	ERR("read.eisdir", read(fd, buf, sizeof buf), EISDIR);
	/* openat relative to a directory descriptor */
	CALL(fd2, errno, openat(fd, "in-d", O_CREAT | O_RDWR, 0644));
	check(fd2 >= 0 && access("d/in-d", F_OK) == 0, "open.dirfd", "openat(dirfd, name) did not create dirfd's entry");
	close(fd2);
	ERR("open.dirfd-notdir", openat(fd2 = open("a", O_RDONLY), "x", O_RDONLY), ENOTDIR);
	close(fd2);
	ERR("open.dirfd-ebadf", openat(999, "x", O_RDONLY), EBADF);
	close(fd);

	/* O_TRUNC */
	fd = open("a", O_RDWR | O_TRUNC);
	check(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "open.trunc", "O_TRUNC did not empty the file");
	close(fd);

	/* O_APPEND: every write at the end, whatever the offset */
	put("a", "abc");
	fd = open("a", O_RDWR | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	write(fd, "de", 2);
	EQ("open.append-offset", lseek(fd, 0, SEEK_CUR), 5);
	close(fd);
	check(holds("a", "abcde"), "open.append", "O_APPEND write did not go to the end");

	/* O_NOFOLLOW, O_PATH */
	symlink("a", "la");
	ERR("open.nofollow", open("la", O_RDONLY | O_NOFOLLOW), ELOOP);
	fd = open("la", O_RDONLY);
	check(fd >= 0 && read(fd, buf, 5) == 5 && memcmp(buf, "abcde", 5) == 0, "open.follow", "open through a symlink did not reach its target");
	close(fd);
	CALL(fd, errno, open("la", O_PATH | O_NOFOLLOW));
	check(fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode), "open.path-nofollow", "O_PATH|O_NOFOLLOW did not open the link itself");
	close(fd);
	CALL(fd, errno, open("a", O_PATH));
	if (fd < 0) {
		fail("open.path", "O_PATH: %s", ename(errno));
	} else {
		check(fstat(fd, &st) == 0 && st.st_size == 5, "open.path-fstat", "fstat of an O_PATH descriptor");
		ERR("open.path-read", read(fd, buf, 1), EBADF);
		ERR("open.path-write", write(fd, "x", 1), EBADF);
		close(fd);
	}
	CALL(fd, errno, open("d", O_PATH | O_DIRECTORY));
	fd2 = fd >= 0 ? openat(fd, "in-d", O_RDONLY) : -1;
	check(fd2 >= 0, "open.path-dirfd", "an O_PATH directory does not serve as dirfd");
	close(fd2);
	close(fd);

	/* symlink loops: 40 links are followed, 41 are ELOOP */
	char n1[16], n2[16];
	for (int i = 1; i <= 41; i++) {
		snprintf(n1, sizeof n1, "s%d", i);
		if (i == 41)
			snprintf(n2, sizeof n2, "a");
		else
			snprintf(n2, sizeof n2, "s%d", i + 1);
		symlink(n2, n1);
	}
	fd = open("s2", O_RDONLY);
	check(fd >= 0, "open.symlink-40", "a chain of 40 symlinks did not resolve");
	close(fd);
	ERR("open.eloop-41", open("s1", O_RDONLY), ELOOP);
	symlink("self", "self");
	ERR("open.eloop-self", open("self", O_RDONLY), ELOOP);
	ERR("stat.eloop-self", stat("self", &st), ELOOP);
	for (int i = 1; i <= 41; i++) {
		snprintf(n1, sizeof n1, "s%d", i);
		unlink(n1);
	}
	unlink("self");

	/* name and path lengths */
	char name[300], *path = malloc(5000);
	memset(name, 'n', 255);
	name[255] = 0;
	fd = open(name, O_CREAT | O_RDWR, 0644);
	check(fd >= 0, "open.name-255", "a 255-byte name was refused");
	close(fd);
	unlink(name);
	memset(name, 'n', 256);
	name[256] = 0;
	ERR("open.enametoolong-name", open(name, O_CREAT | O_RDWR, 0644), ENAMETOOLONG);
	ERR("stat.enametoolong-name", stat(name, &st), ENAMETOOLONG);
	ERR("mkdir.enametoolong-name", mkdir(name, 0755), ENAMETOOLONG);
	for (int i = 0; i < 4200; i += 2)
		path[i] = 'p', path[i + 1] = '/';
	path[4200] = 0;
	ERR("open.enametoolong-path", open(path, O_RDONLY), ENAMETOOLONG);
	memset(path, '/', 4096);     /* 4096 bytes without a NUL in PATH_MAX */
	path[4096] = 0;
	ERR("open.enametoolong-4096", open(path, O_RDONLY), ENAMETOOLONG);
	path[4095] = 0;              /* 4095 slashes: "/" */
	fd = open(path, O_RDONLY | O_DIRECTORY);
	check(fd >= 0, "open.path-4095", "a 4095-byte path was refused");
	close(fd);
	free(path);
	ERR("open.empty", open("", O_RDONLY), ENOENT);

	/* bad pointers */
	ERR("open.efault", open(BAD, O_RDONLY), EFAULT);
	ERR("stat.efault-path", stat(BAD, &st), EFAULT);
	ERR("stat.efault-buf", stat("a", BAD), EFAULT);
	fd = open("a", O_RDWR);
	ERR("read.efault", read(fd, BAD, 4), EFAULT);
	ERR("write.efault", write(fd, BAD, 4), EFAULT);
	ERR("fstat.efault", fstat(fd, BAD), EFAULT);
	ERR("mkdir.efault", mkdir(BAD, 0755), EFAULT);
	ERR("unlink.efault", unlink(BAD), EFAULT);
	ERR("readlink.efault-buf", readlink("la", BAD, 8), EFAULT);
	close(fd);

	/* bad descriptors, wrong modes */
	ERR("read.ebadf", read(-1, buf, 1), EBADF);
	ERR("write.ebadf", write(999, buf, 1), EBADF);
	ERR("close.ebadf", close(999), EBADF);
	ERR("fstat.ebadf", fstat(999, &st), EBADF);
	fd = open("a", O_RDONLY);
	ERR("write.ebadf-rdonly", write(fd, "x", 1), EBADF);
	close(fd);
	fd = open("a", O_WRONLY);
	ERR("read.ebadf-wronly", read(fd, buf, 1), EBADF);
	close(fd);
	ERR("read.ebadf-closed", read(fd, buf, 1), EBADF);
	ERR("open.einval-tmpfile", open("d", O_TMPFILE | O_RDONLY, 0600), EINVAL);
	fd = open("d", O_TMPFILE | O_RDWR, 0600);
	if (fd < 0 && errno == EOPNOTSUPP)
		fail("open.tmpfile", "O_TMPFILE: EOPNOTSUPP");
	else
		check(fd >= 0 && write(fd, "t", 1) == 1 && fstat(fd, &st) == 0 && st.st_nlink == 0,
		      "open.tmpfile", "O_TMPFILE did not give an unnamed writable file");
	close(fd);
}

/* ---- read, write, the vector and positioned forms, lseek ----------------- */

static void test_rw(void)
{
	char buf[64];
	unsigned char big[8192];
	int fd = open("rw", O_CREAT | O_TRUNC | O_RDWR, 0644);

	EQ("write.basic", write(fd, "hello world", 11), 11);
	EQ("lseek.set", lseek(fd, 0, SEEK_SET), 0);
	memset(buf, 0, sizeof buf);
	EQ("read.basic", read(fd, buf, sizeof buf), 11);
	check(memcmp(buf, "hello world", 11) == 0, "read.content", "read back other bytes");
	EQ("read.eof", read(fd, buf, sizeof buf), 0);
	EQ("write.zero", write(fd, buf, 0), 0);

	/* pread/pwrite: at an offset, the file offset unchanged */
	lseek(fd, 3, SEEK_SET);
	EQ("pwrite64.count", pwrite(fd, "WOR", 3, 6), 3);
	memset(buf, 0, sizeof buf);
	EQ("pread64.count", pread(fd, buf, 5, 6), 5);
	check(memcmp(buf, "WORld", 5) == 0, "pread64.content", "pread did not see pwrite's bytes");
	EQ("pread64.offset-kept", lseek(fd, 0, SEEK_CUR), 3);
	EQ("pread64.past-eof", pread(fd, buf, 5, 100), 0);
	ERR("pread64.einval", pread(fd, buf, 5, -1), EINVAL);
	ERR("pwrite64.einval", pwrite(fd, buf, 5, -1), EINVAL);

	/* readv/writev */
	struct iovec iov[3] = { { "ab", 2 }, { "", 0 }, { "cdef", 4 } };
	lseek(fd, 0, SEEK_SET);
	EQ("writev.count", writev(fd, iov, 3), 6);
	char x[3] = { 0 }, y[4] = { 0 };
	struct iovec rv[2] = { { x, 2 }, { y, 3 } };
	lseek(fd, 0, SEEK_SET);
	EQ("readv.count", readv(fd, rv, 2), 5);
	check(memcmp(x, "ab", 2) == 0 && memcmp(y, "cde", 3) == 0, "readv.content", "readv split the bytes wrongly");
	EQ("readv.offset", lseek(fd, 0, SEEK_CUR), 5);
	struct iovec pv[2] = { { "XY", 2 }, { "Z", 1 } };
	EQ("pwritev.count", pwritev(fd, pv, 2, 8), 3);
	memset(x, 0, sizeof x); memset(y, 0, sizeof y);
	EQ("preadv.count", preadv(fd, rv, 2, 7), 4);
	check(memcmp(x, "OX", 2) == 0 && memcmp(y, "YZ", 2) == 0, "preadv.content", "preadv did not see pwritev's bytes");
	EQ("preadv.offset-kept", lseek(fd, 0, SEEK_CUR), 5);
	struct iovec badv[1] = { { BAD, 4 } };
	ERR("writev.efault", writev(fd, badv, 1), EFAULT);
	ERR("writev.einval-count", writev(fd, iov, neg_count), EINVAL);
	ERR("writev.efault-vec", writev(fd, BAD, 1), EFAULT);
	check(holds("rw", "abcdefWOXYZ"), "pwritev.file", "the file does not hold what was written");

	/* lseek */
	EQ("lseek.end", lseek(fd, 0, SEEK_END), 11);
	EQ("lseek.cur", lseek(fd, -4, SEEK_CUR), 7);
	EQ("lseek.end-neg", lseek(fd, -1, SEEK_END), 10);
	ERR("lseek.einval-whence", lseek(fd, 0, 99), EINVAL);
	ERR("lseek.einval-negative", lseek(fd, -100, SEEK_SET), EINVAL);
	ERR("lseek.ebadf", lseek(999, 0, SEEK_SET), EBADF);
	int p[2];
	pipe(p);
	ERR("lseek.espipe", lseek(p[0], 0, SEEK_SET), ESPIPE);
	ERR("pread64.espipe", pread(p[0], buf, 1, 0), ESPIPE);
	close(p[0]); close(p[1]);

	/* a hole: seek past the end and write; the gap reads as zeros */
	EQ("lseek.past-eof", lseek(fd, 10000, SEEK_SET), 10000);
	EQ("lseek.past-eof-size", st_size("rw"), 11);
	EQ("write.past-eof", write(fd, "end", 3), 3);
	EQ("write.hole-size", st_size("rw"), 10003);
	memset(big, 0xee, sizeof big);
	EQ("read.hole-count", pread(fd, big, 8192, 11), 8192);
	check(all_zero(big, 8192), "read.hole-zeros", "the hole did not read as zeros");
	EQ("read.after-hole", pread(fd, buf, 10, 10000), 3);
	check(memcmp(buf, "end", 3) == 0, "read.after-hole-content", "bytes after the hole are wrong");
	close(fd);
}

/* SEEK_DATA and SEEK_HOLE on a sparse file: 10 bytes in page 0 and in page
 * 3 (the figures are Linux's tmpfs). */
static void test_seek_data_hole(void)
{
	int fd = open("sparse", O_RDWR | O_CREAT | O_TRUNC, 0600);

	EQ("seek.setup-0", pwrite(fd, "0123456789", 10, 0), 10);
	EQ("seek.setup-3", pwrite(fd, "0123456789", 10, 3 * 4096), 10);
	EQ("seek.data-at-data", lseek(fd, 0, SEEK_DATA), 0);
	EQ("seek.data-inside-data", lseek(fd, 100, SEEK_DATA), 100);
	EQ("seek.data-from-hole", lseek(fd, 4096, SEEK_DATA), 3 * 4096);
	EQ("seek.data-moves-offset", lseek(fd, 0, SEEK_CUR), 3 * 4096);
	EQ("seek.hole-after-data", lseek(fd, 0, SEEK_HOLE), 4096);
	EQ("seek.hole-inside-hole", lseek(fd, 5000, SEEK_HOLE), 5000);
	EQ("seek.hole-at-eof", lseek(fd, 3 * 4096, SEEK_HOLE), 3 * 4096 + 10);
	ERR("seek.data-enxio-at-eof", lseek(fd, 3 * 4096 + 10, SEEK_DATA), ENXIO);
	ERR("seek.hole-enxio-at-eof", lseek(fd, 3 * 4096 + 10, SEEK_HOLE), ENXIO);
	ERR("seek.data-enxio-negative", lseek(fd, -1, SEEK_DATA), ENXIO);
	EQ("seek.extend", ftruncate(fd, 5 * 4096), 0);
	ERR("seek.data-enxio-in-tail-hole", lseek(fd, 4 * 4096, SEEK_DATA), ENXIO);
	EQ("seek.hole-after-last-page", lseek(fd, 3 * 4096 + 12, SEEK_HOLE), 4 * 4096);
	close(fd);
	unlink("sparse");
}

/* ---- truncate ------------------------------------------------------------- */

static void test_truncate(void)
{
	unsigned char buf[20000];
	struct stat st;
	int fd = open("tr", O_CREAT | O_TRUNC | O_RDWR, 0644);

	write(fd, "0123456789", 10);
	OK("ftruncate.grow", ftruncate(fd, 20000));
	EQ("ftruncate.grow-size", st_size("tr"), 20000);
	memset(buf, 0xee, sizeof buf);
	EQ("ftruncate.grow-read", pread(fd, buf, sizeof buf, 0), 20000);
	check(memcmp(buf, "0123456789", 10) == 0 && all_zero(buf + 10, 20000 - 10),
	      "ftruncate.grow-zeros", "growing did not add zeros after the data");
	OK("ftruncate.shrink", ftruncate(fd, 4));
	EQ("ftruncate.shrink-size", st_size("tr"), 4);
	EQ("ftruncate.shrink-read", pread(fd, buf, sizeof buf, 0), 4);
	/* shrink then grow: the cut bytes come back as zeros */
	OK("ftruncate.regrow", ftruncate(fd, 8));
	memset(buf, 0xee, sizeof buf);
	EQ("ftruncate.regrow-read", pread(fd, buf, sizeof buf, 0), 8);
	check(memcmp(buf, "0123\0\0\0\0", 8) == 0, "ftruncate.regrow-zeros", "bytes cut off came back");
	/* the offset is not moved */
	lseek(fd, 100, SEEK_SET);
	ftruncate(fd, 2);
	EQ("ftruncate.offset-kept", lseek(fd, 0, SEEK_CUR), 100);
	ERR("ftruncate.einval-negative", ftruncate(fd, -1), EINVAL);
	ERR("ftruncate.ebadf", ftruncate(999, 0), EBADF);
	close(fd);
	fd = open("tr", O_RDONLY);
	ERR("ftruncate.einval-rdonly", ftruncate(fd, 0), EINVAL);
	close(fd);
	/* a sparse file takes no blocks (tmpfs) */
	OK("truncate.path", truncate("tr", 1 << 20));
	check(stat("tr", &st) == 0 && st.st_size == 1 << 20 && st.st_blocks <= 8, "truncate.sparse",
	      "a file grown by truncate took blocks");
	OK("truncate.shrink", truncate("tr", 0));
	EQ("truncate.shrink-size", st_size("tr"), 0);
	ERR("truncate.enoent", truncate("nothing", 0), ENOENT);
	ERR("truncate.eisdir", truncate("d", 0), EISDIR);
	ERR("truncate.efault", truncate(BAD, 0), EFAULT);
	/* 64 KiB written takes 128 512-byte blocks */
	fd = open("tr", O_RDWR);
	memset(buf, 'b', sizeof buf);
	for (int i = 0; i < 4; i++)
		write(fd, buf, 16384);
	check(fstat(fd, &st) == 0 && st.st_size == 65536 && st.st_blocks == 128, "fstat.blocks",
	      "64 KiB written does not count 128 blocks");
	close(fd);
	unlink("tr");
}

/* ---- directories: mkdirat, unlinkat, renameat2, linkat -------------------- */

static void test_dirs(void)
{
	struct stat st, st2;
	nlink_t n0;

	stat(".", &st);
	n0 = st.st_nlink;
	OK("mkdirat.basic", mkdirat(AT_FDCWD, "m", 0750));
	check(stat("m", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0750 && st.st_nlink == 2,
	      "mkdirat.mode", "new directory is not 0750 with 2 links");
	check(stat(".", &st) == 0 && st.st_nlink == n0 + 1, "mkdirat.parent-nlink", "the parent's link count did not grow");
	ERR("mkdirat.eexist", mkdirat(AT_FDCWD, "m", 0755), EEXIST);
	ERR("mkdirat.eexist-file", mkdirat(AT_FDCWD, "a", 0755), EEXIST);
	ERR("mkdirat.enoent", mkdirat(AT_FDCWD, "no/m", 0755), ENOENT);
	ERR("mkdirat.enotdir", mkdirat(AT_FDCWD, "a/m", 0755), ENOTDIR);
	put("m/f", "f");
	ERR("unlinkat.enotempty", unlinkat(AT_FDCWD, "m", AT_REMOVEDIR), ENOTEMPTY);
	ERR("rmdir.enotempty", rmdir("m"), ENOTEMPTY);
	ERR("unlinkat.eisdir", unlinkat(AT_FDCWD, "m", 0), EISDIR);
	ERR("unlinkat.enotdir", unlinkat(AT_FDCWD, "m/f", AT_REMOVEDIR), ENOTDIR);
	ERR("unlinkat.einval-flags", unlinkat(AT_FDCWD, "m/f", 0x1234), EINVAL);
	ERR("rmdir.einval-dot", rmdir("m/."), EINVAL);
	ERR("unlinkat.enoent", unlinkat(AT_FDCWD, "m/nothing", 0), ENOENT);
	OK("unlinkat.file", unlinkat(AT_FDCWD, "m/f", 0));
	ERR("unlinkat.gone", stat("m/f", &st), ENOENT);
	OK("unlinkat.removedir", unlinkat(AT_FDCWD, "m", AT_REMOVEDIR));
	check(stat("m", &st) != 0 && errno == ENOENT && stat(".", &st) == 0 && st.st_nlink == n0,
	      "unlinkat.removedir-gone", "directory still there, or the parent's link count not back");

	/* renameat2 */
	put("r1", "one");
	put("r2", "two");
	stat("r1", &st);
	OK("rename.replace", renameat2(AT_FDCWD, "r1", AT_FDCWD, "r2", 0));
	check(holds("r2", "one") && access("r1", F_OK) != 0 && stat("r2", &st2) == 0 && st2.st_ino == st.st_ino,
	      "rename.replace-result", "the target does not hold the source's inode, or the source remains");
	put("r1", "uno");
	ERR("rename.noreplace", renameat2(AT_FDCWD, "r1", AT_FDCWD, "r2", RENAME_NOREPLACE), EEXIST);
	check(holds("r1", "uno") && holds("r2", "one"), "rename.noreplace-unchanged", "a refused rename changed something");
	OK("rename.noreplace-new", renameat2(AT_FDCWD, "r1", AT_FDCWD, "r3", RENAME_NOREPLACE));
	OK("rename.exchange", renameat2(AT_FDCWD, "r2", AT_FDCWD, "r3", RENAME_EXCHANGE));
	check(holds("r2", "uno") && holds("r3", "one"), "rename.exchange-result", "RENAME_EXCHANGE did not swap");
	ERR("rename.exchange-enoent", renameat2(AT_FDCWD, "r2", AT_FDCWD, "r9", RENAME_EXCHANGE), ENOENT);
	ERR("rename.einval-flags", renameat2(AT_FDCWD, "r2", AT_FDCWD, "r3", RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
	ERR("rename.enoent", renameat2(AT_FDCWD, "nothing", AT_FDCWD, "r4", 0), ENOENT);
	mkdir("rd1", 0755);
	mkdir("rd2", 0755);
	put("rd2/x", "x");
	ERR("rename.enotempty", renameat2(AT_FDCWD, "rd1", AT_FDCWD, "rd2", 0), ENOTEMPTY);
	ERR("rename.file-over-dir", renameat2(AT_FDCWD, "r2", AT_FDCWD, "rd1", 0), EISDIR);
	ERR("rename.dir-over-file", renameat2(AT_FDCWD, "rd1", AT_FDCWD, "r2", 0), ENOTDIR);
	ERR("rename.into-itself", renameat2(AT_FDCWD, "rd2", AT_FDCWD, "rd2/sub", 0), EINVAL);
	mkdir("rd3", 0755);
	OK("rename.dir-over-empty-dir", renameat2(AT_FDCWD, "rd2", AT_FDCWD, "rd3", 0));
	check(holds("rd3/x", "x") && access("rd2", F_OK) != 0, "rename.dir-moved", "the directory's content did not move with it");
	OK("rename.into-dir", rename("r3", "rd3/r3"));
	check(holds("rd3/r3", "one"), "rename.into-dir-result", "file not found in its new directory");
	OK("rename.same", rename("r2", "r2"));
	check(holds("r2", "uno"), "rename.same-kept", "renaming a file onto itself lost it");
	rm_rf("rd1"); rm_rf("rd3"); unlink("r2");

	/* linkat */
	put("l1", "link");
	OK("linkat.basic", linkat(AT_FDCWD, "l1", AT_FDCWD, "l2", 0));
	int fd = open("l1", O_RDONLY);
	check(fstat(fd, &st) == 0 && st.st_nlink == 2 && stat("l2", &st2) == 0 && st2.st_ino == st.st_ino,
	      "linkat.nlink", "two names do not give nlink 2 and the same inode");
	ERR("linkat.eexist", linkat(AT_FDCWD, "l1", AT_FDCWD, "l2", 0), EEXIST);
	ERR("linkat.eperm-dir", linkat(AT_FDCWD, "d", AT_FDCWD, "dl", 0), EPERM);
	ERR("linkat.enoent", linkat(AT_FDCWD, "nothing", AT_FDCWD, "l3", 0), ENOENT);
	unlink("l2");
	check(fstat(fd, &st) == 0 && st.st_nlink == 1 && holds("l1", "link"), "linkat.unlink-one",
	      "unlinking one name did not bring nlink back to 1");
	close(fd);
	unlink("l1");
}

/* ---- symlinks, fifos ---------------------------------------------------- */

/* O_CREAT through a symlink to nothing makes the link's target (Linux). */
static void test_creat_dangling(void)
{
	struct stat st;
	int fd;

	mkdir("dg", 0755);
	symlink("made-by-open", "dg/dangle");
	symlink("dangle", "dg/chain");
	ERR("open.creat-dangling-excl", open("dg/dangle", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	ERR("open.creat-dangling-nofollow", open("dg/dangle", O_CREAT | O_NOFOLLOW | O_WRONLY, 0644), ELOOP);
	ERR("open.dangling-no-creat", open("dg/dangle", O_WRONLY), ENOENT);
	fd = open("dg/chain", O_CREAT | O_WRONLY, 0644);
	check(fd >= 0 && stat("dg/made-by-open", &st) == 0 && S_ISREG(st.st_mode),
	      "open.creat-dangling", "O_CREAT through a chain of links to nothing did not make the target");
	if (fd >= 0)
		close(fd);
	rm_rf("dg");
}

static void test_symlinks(void)
{
	char buf[64];
	struct stat st;
	const char *target = "some/where/../target";

	test_creat_dangling();

	OK("symlinkat.basic", symlinkat(target, AT_FDCWD, "sl"));
	memset(buf, 'z', sizeof buf);
	EQ("readlinkat.length", readlinkat(AT_FDCWD, "sl", buf, sizeof buf), (long)strlen(target));
	check(memcmp(buf, target, strlen(target)) == 0 && buf[strlen(target)] == 'z', "readlinkat.exact",
	      "readlink did not give exactly the target's bytes (and no NUL)");
	memset(buf, 'z', sizeof buf);
	EQ("readlinkat.truncated", readlinkat(AT_FDCWD, "sl", buf, 4), 4);
	check(memcmp(buf, "somez", 5) == 0, "readlinkat.truncated-bytes", "a short buffer did not get the first bytes only");
	ERR("readlinkat.einval-file", readlinkat(AT_FDCWD, "a", buf, sizeof buf), EINVAL);
	ERR("readlinkat.einval-size", readlinkat(AT_FDCWD, "sl", buf, 0), EINVAL);
	ERR("readlinkat.enoent", readlinkat(AT_FDCWD, "nothing", buf, sizeof buf), ENOENT);
	check(lstat("sl", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == (off_t)strlen(target),
	      "symlinkat.lstat", "lstat of a symlink: not S_IFLNK, or size is not the target's length");
	ERR("symlinkat.dangling-stat", stat("sl", &st), ENOENT);
	ERR("symlinkat.eexist", symlinkat("x", AT_FDCWD, "sl"), EEXIST);
	ERR("symlinkat.enoent-empty", symlinkat("", AT_FDCWD, "sl2"), ENOENT);
	unlink("sl");

	/* a symlink to a directory, followed mid-path */
	symlink("d", "sd");
	check(access("sd/in-d", F_OK) == 0, "symlink.mid-path", "a symlink in the middle of a path was not followed");
	ERR("symlink.unlinkat-removedir", unlinkat(AT_FDCWD, "sd", AT_REMOVEDIR), ENOTDIR);
	OK("symlink.unlink", unlink("sd"));
	check(access("d/in-d", F_OK) == 0, "symlink.unlink-target-kept", "unlinking a symlink hurt its target");
}

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

static void fifo_writer(void *arg)
{
	(void)arg;
	alarm(10);      /* not caught here: a writer stuck in open dies */
	int fd = open("fifo", O_WRONLY);
	_exit(fd >= 0 && write(fd, "through the fifo", 16) == 16 ? 0 : 1);
}

/*
 * A pipe(2) pipe as Linux's pipefs shows it: both ends one inode number, a
 * new one for each pipe, /proc/self/fd/N reading pipe:[ino], and opening
 * that link makes a new end of the same pipe, the open flags choosing which.
 */
static void test_pipe_inode(void)
{
	int p[2], q[2];
	struct stat a, b, c;
	char link[64], want[64], path[64];

	if (pipe(p) != 0 || pipe(q) != 0 || fstat(p[0], &a) != 0 || fstat(p[1], &b) != 0 ||
	    fstat(q[0], &c) != 0) {
		fail("pipe.inode-setup", "%s", strerror(errno));
		return;
	}
	check(S_ISFIFO(a.st_mode) && a.st_ino != 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev,
	      "pipe.ends-share-inode", "the two ends differ, or have no inode number");
	check(c.st_ino != a.st_ino, "pipe.inode-per-pipe", "two pipes share an inode number");
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)a.st_ino);
	ssize_t n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	check(n > 0 && strcmp(link, want) == 0, "pipe.proc-fd-link", link);
	int w = open(path, O_WRONLY);      /* the read end's link, opened for writing */
	check(w >= 0 && write(w, "z", 1) == 1, "pipe.proc-fd-reopen-write", strerror(errno));
	char got = 0;
	check(read(p[0], &got, 1) == 1 && got == 'z', "pipe.proc-fd-reopen-same-pipe",
	      "the byte written through the new end did not reach the pipe");
	if (w >= 0)
		close(w);
	close(p[0]); close(p[1]); close(q[0]); close(q[1]);
}

static void test_fifo(void)
{
	struct stat st;
	char buf[32] = { 0 };

	OK("mknodat.fifo", mknodat(AT_FDCWD, "fifo", S_IFIFO | 0644, 0));
	check(stat("fifo", &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0644, "mknodat.fifo-mode",
	      "the node is not a 0644 FIFO");
	ERR("mknodat.eexist", mknodat(AT_FDCWD, "fifo", S_IFIFO | 0644, 0), EEXIST);
	pid_t pid = start_child(fifo_writer, NULL);
	arm_alarm(10);
	int fd = open("fifo", O_RDONLY);
	ssize_t n = 0, r;
	while (fd >= 0 && n < 16 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	alarm(0);
	check(n == 16 && strcmp(buf, "through the fifo") == 0, "mknodat.fifo-data", "the bytes did not cross the FIFO");
	EQ("mknodat.fifo-eof", read(fd, buf, sizeof buf), 0);
	check(exited_with(wait_for(pid), 0), "mknodat.fifo-writer", "the writer failed");
	ERR("mknodat.fifo-espipe", lseek(fd, 0, SEEK_SET), ESPIPE);
	close(fd);
	fd = open("fifo", O_WRONLY | O_NONBLOCK);
	check(fd == -1 && errno == ENXIO, "mknodat.fifo-enxio", "O_WRONLY|O_NONBLOCK without a reader did not fail ENXIO");
	unlink("fifo");
	OK("mknodat.reg", mknodat(AT_FDCWD, "nod", S_IFREG | 0600, 0));
	check(stat("nod", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0, "mknodat.reg-mode", "S_IFREG node is not an empty file");
	unlink("nod");
	ERR("mknodat.einval", mknodat(AT_FDCWD, "nod", 0170000 | 0600, 0), EINVAL);
}

/* ---- attributes: chmod, chown, times, stat forms --------------------------- */

static void test_attrs(void)
{
	struct stat st;
	int fd = open("at", O_CREAT | O_TRUNC | O_RDWR, 0644);

	OK("fchmod.basic", fchmod(fd, 0600));
	check(fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0600 && S_ISREG(st.st_mode), "fchmod.mode", "mode is not 0600");
	OK("fchmodat.basic", fchmodat(AT_FDCWD, "at", 04751, 0));
	check(stat("at", &st) == 0 && (st.st_mode & 07777) == 04751, "fchmodat.mode", "mode is not 04751");
	ERR("fchmodat.enoent", fchmodat(AT_FDCWD, "nothing", 0644, 0), ENOENT);
	ERR("fchmod.ebadf", fchmod(999, 0644), EBADF);

	if (geteuid() != 0) {
		fail("fchown.root", "not root (euid %d)", (int)geteuid());
	} else {
		OK("fchown.basic", fchown(fd, 1234, 5678));
		check(fstat(fd, &st) == 0 && st.st_uid == 1234 && st.st_gid == 5678, "fchown.ids", "owner is not 1234:5678");
		check((st.st_mode & 07777) == 0751, "fchown.clears-setuid", "chown did not clear the set-user-ID bit");
		OK("fchownat.basic", fchownat(AT_FDCWD, "at", 42, -1, 0));
		check(stat("at", &st) == 0 && st.st_uid == 42 && st.st_gid == 5678, "fchownat.keep-gid", "-1 did not keep the group");
		symlink("at", "atl");
		OK("fchownat.nofollow", fchownat(AT_FDCWD, "atl", 7, 8, AT_SYMLINK_NOFOLLOW));
		struct stat ls;
		check(lstat("atl", &ls) == 0 && ls.st_uid == 7 && ls.st_gid == 8 && stat("at", &st) == 0 && st.st_uid == 42,
		      "fchownat.nofollow-link", "AT_SYMLINK_NOFOLLOW did not change the link alone");
		unlink("atl");
		ERR("fchown.ebadf", fchown(999, 0, 0), EBADF);
		fchown(fd, 0, 0);
	}

	/* utimensat */
	struct timespec ts[2] = { { 1000000000, 123456789 }, { 1100000000, 987654321 } };
	OK("utimensat.explicit", utimensat(AT_FDCWD, "at", ts, 0));
	check(stat("at", &st) == 0 && st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789 &&
	      st.st_mtim.tv_sec == 1100000000 && st.st_mtim.tv_nsec == 987654321, "utimensat.explicit-times",
	      "atime/mtime are not the ones given (to the nanosecond)");
	struct timespec omit[2] = { { 5, UTIME_OMIT }, { 2000000000, 0 } };
	OK("utimensat.omit", utimensat(AT_FDCWD, "at", omit, 0));
	check(stat("at", &st) == 0 && st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 2000000000,
	      "utimensat.omit-times", "UTIME_OMIT changed atime, or mtime not set");
	time_t now = time(NULL);
	struct timespec nowts[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	OK("utimensat.now", utimensat(AT_FDCWD, "at", nowts, 0));
	check(stat("at", &st) == 0 && st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec >= now - 2 &&
	      st.st_mtim.tv_sec <= now + 2, "utimensat.now-times", "UTIME_NOW did not set mtime to now");
	check(st.st_ctim.tv_sec >= now - 2 && st.st_ctim.tv_sec <= now + 2, "utimensat.ctime", "ctime is not now after utimensat");
	OK("utimensat.null", utimensat(AT_FDCWD, "at", NULL, 0));
	check(stat("at", &st) == 0 && st.st_atim.tv_sec >= now - 2 && st.st_atim.tv_sec <= now + 2, "utimensat.null-times",
	      "times NULL did not set atime to now");
	struct timespec badns[2] = { { 0, 1000000000 }, { 0, 0 } };
	ERR("utimensat.einval-nsec", utimensat(AT_FDCWD, "at", badns, 0), EINVAL);
	ERR("utimensat.enoent", utimensat(AT_FDCWD, "nothing", ts, 0), ENOENT);
	OK("futimens.basic", futimens(fd, ts));
	/* a write sets mtime and ctime to now */
	write(fd, "w", 1);
	check(fstat(fd, &st) == 0 && st.st_mtim.tv_sec >= now - 2 && st.st_mtim.tv_sec <= now + 2 &&
	      st.st_mtim.tv_sec == st.st_ctim.tv_sec && st.st_mtim.tv_nsec == st.st_ctim.tv_nsec,
	      "write.mtime-ctime", "a write did not set mtime = ctime = now");
	futimens(fd, ts);
	ftruncate(fd, 0);
	check(fstat(fd, &st) == 0 && st.st_mtim.tv_sec >= now - 2, "ftruncate.mtime", "ftruncate did not set mtime");

	/* statx */
	struct statx sx;
	write(fd, "12345", 5);
	OK("statx.basic", statx(AT_FDCWD, "at", 0, STATX_BASIC_STATS, &sx));
	check((sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS, "statx.mask", "the mask lacks basic stats");
	check(sx.stx_size == 6 && S_ISREG(sx.stx_mode) && (sx.stx_mode & 07777) == 0751 && sx.stx_nlink == 1,
	      "statx.fields", "size/mode/nlink wrong");
	check(fstat(fd, &st) == 0 && sx.stx_ino == st.st_ino && sx.stx_blksize == (unsigned)st.st_blksize &&
	      sx.stx_mtime.tv_sec == st.st_mtim.tv_sec, "statx.matches-fstat", "statx and fstat disagree");
	OK("statx.empty-path", statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
	check(sx.stx_size == 6 && (sx.stx_mask & STATX_SIZE), "statx.empty-path-size", "AT_EMPTY_PATH statx wrong size");
	ERR("statx.enoent", statx(AT_FDCWD, "nothing", 0, STATX_BASIC_STATS, &sx), ENOENT);
	ERR("statx.einval-flags", statx(AT_FDCWD, "at", 0x80000000, STATX_BASIC_STATS, &sx), EINVAL);
	ERR("statx.einval-mask", statx(AT_FDCWD, "at", 0, 0x80000000U, &sx), EINVAL);
	ERR("statx.efault", statx(AT_FDCWD, "at", 0, STATX_BASIC_STATS, BAD), EFAULT);

	/* newfstatat */
	struct stat l;
	symlink("at", "atl");
	OK("newfstatat.follow", fstatat(AT_FDCWD, "atl", &st, 0));
	check(S_ISREG(st.st_mode) && st.st_size == 6, "newfstatat.follow-target", "following the link did not reach the file");
	OK("newfstatat.nofollow", fstatat(AT_FDCWD, "atl", &l, AT_SYMLINK_NOFOLLOW));
	check(S_ISLNK(l.st_mode) && l.st_size == 2 && l.st_ino != st.st_ino, "newfstatat.nofollow-link", "AT_SYMLINK_NOFOLLOW did not stat the link");
	OK("newfstatat.empty-path", fstatat(fd, "", &l, AT_EMPTY_PATH));
	check(l.st_ino == st.st_ino && l.st_size == 6, "newfstatat.empty-path-ino", "AT_EMPTY_PATH did not stat the fd");
	ERR("newfstatat.empty-noflag", fstatat(fd, "", &l, 0), ENOENT);
	ERR("newfstatat.einval-flags", fstatat(AT_FDCWD, "at", &l, 0x40000000), EINVAL);
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	OK("newfstatat.dirfd", fstatat(dfd, "in-d", &l, 0));
	ERR("newfstatat.dirfd-ebadf", fstatat(999, "in-d", &l, 0), EBADF);
	close(dfd);
	unlink("atl");
	close(fd);
	unlink("at");
}

/* ---- statfs, sync --------------------------------------------------------- */

static void test_statfs(void)
{
	struct statfs s1, s2;
	int fd = open("sf", O_CREAT | O_TRUNC | O_RDWR, 0644);

	OK("statfs.basic", statfs(".", &s1));
	OK("fstatfs.basic", fstatfs(fd, &s2));
	check(s1.f_type == s2.f_type && s1.f_bsize == s2.f_bsize && s1.f_blocks == s2.f_blocks,
	      "fstatfs.same-fs", "statfs and fstatfs disagree on the same file system");
	if (s1.f_type != TMPFS_MAGIC)
		fail("statfs.tmpfs-magic", "f_type 0x%lx, expected TMPFS_MAGIC 0x%x (is the directory on a tmpfs?)",
		     (unsigned long)s1.f_type, TMPFS_MAGIC);
	else
		pass("statfs.tmpfs-magic");
	check(s1.f_bsize == 4096 && s1.f_namelen == 255 && s1.f_blocks > 0 && s1.f_bfree <= s1.f_blocks &&
	      s1.f_bavail == s1.f_bfree && s1.f_files > 0 && s1.f_ffree < s1.f_files,
	      "statfs.fields", "f_bsize/f_namelen/f_blocks/f_bfree/f_files not as tmpfs's");
	/* 256 KiB written takes 64 blocks */
	static char buf[65536];
	memset(buf, 's', sizeof buf);
	for (int i = 0; i < 4; i++)
		write(fd, buf, sizeof buf);
	statfs(".", &s2);
	check(s1.f_bfree >= s2.f_bfree + 64 && s1.f_bfree <= s2.f_bfree + 64 + 16, "statfs.bfree-used",
	      "256 KiB written did not take 64 free blocks");
	ERR("statfs.enoent", statfs("nothing", &s2), ENOENT);
	ERR("statfs.efault", statfs(".", BAD), EFAULT);
	ERR("fstatfs.ebadf", fstatfs(999, &s2), EBADF);

	OK("fsync.basic", fsync(fd));
	OK("fdatasync.basic", fdatasync(fd));
	OK("syncfs.basic", syncfs(fd));
	OK("sync.basic", syscall(SYS_sync));
	ERR("fsync.ebadf", fsync(999), EBADF);
	ERR("syncfs.ebadf", syncfs(999), EBADF);
	int p[2];
	pipe(p);
	ERR("fsync.einval-pipe", fsync(p[0]), EINVAL);
	close(p[0]); close(p[1]);
	close(fd);
	unlink("sf");
	statfs(".", &s2);
	check(s2.f_bfree == s1.f_bfree, "statfs.bfree-back", "unlinking did not give the blocks back");
}

/* ---- umask, cwd, getdents64, access ---------------------------------------- */

static void test_umask_cwd(void)
{
	struct stat st;

	umask(022);
	EQ("umask.previous", umask(027), 022);
	int fd = creat("um", 0666);
	check(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640, "umask.creat", "creat 0666 under umask 027 is not 0640");
	close(fd);
	mkdir("umd", 0777);
	check(stat("umd", &st) == 0 && (st.st_mode & 0777) == 0750, "umask.mkdir", "mkdir 0777 under umask 027 is not 0750");
	mknod("umf", S_IFIFO | 0666, 0);
	check(stat("umf", &st) == 0 && (st.st_mode & 0777) == 0640, "umask.mknod", "mknod 0666 under umask 027 is not 0640");
	umask(0);
	unlink("um"); rmdir("umd"); unlink("umf");

	char base[PATH_MAX], buf[PATH_MAX + 8];
	if (!getcwd(base, sizeof base)) {
		fail("getcwd.basic", "getcwd: %s", ename(errno));
		return;
	}
	pass("getcwd.basic");
	int here = open(".", O_RDONLY | O_DIRECTORY);
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	OK("fchdir.basic", fchdir(dfd));
	snprintf(buf, sizeof buf, "%s/d", base);
	char got[PATH_MAX];
	check(getcwd(got, sizeof got) && strcmp(got, buf) == 0, "fchdir.getcwd", "getcwd after fchdir is not DIR/d");
	check(access("in-d", F_OK) == 0, "fchdir.relative", "relative paths do not start at the new cwd");
	fchdir(here);
	int ffd = open("a", O_RDONLY);
	ERR("fchdir.enotdir", fchdir(ffd), ENOTDIR);
	ERR("fchdir.ebadf", fchdir(999), EBADF);
	ERR("chdir.enotdir", chdir("a"), ENOTDIR);
	ERR("chdir.enoent", chdir("nothing"), ENOENT);
	close(ffd);
	close(dfd);

	/* a deep directory: getcwd longer than 255 bytes */
	char comp[64];
	memset(comp, 'q', 50);
	comp[50] = 0;
	size_t want_len = strlen(base);
	int ok = 1;
	for (int i = 0; i < 8 && ok; i++) {
		ok = mkdir(comp, 0755) == 0 && chdir(comp) == 0;
		want_len += 51;
	}
	char *deep = getcwd(got, sizeof got);
	check(ok && deep && strlen(got) == want_len && want_len > 255 && strncmp(got, base, strlen(base)) == 0,
	      "getcwd.deep", "a cwd deeper than 255 bytes is not reported right");
	EQ("getcwd.syscall-length", syscall(SYS_getcwd, got, sizeof got), (long)want_len + 1);
	ERR("getcwd.erange", syscall(SYS_getcwd, got, 100), ERANGE);
	ERR("getcwd.erange-libc", getcwd(got, want_len) ? 0 : -1, ERANGE);
	ERR("getcwd.efault", syscall(SYS_getcwd, BAD, sizeof got), EFAULT);
	fchdir(here);
	close(here);
	rm_rf(comp);

	/* a removed cwd */
	mkdir("gone", 0755);
	chdir("gone");
	rmdir("../gone");
	ERR("getcwd.removed-enoent", syscall(SYS_getcwd, got, sizeof got), ENOENT);
	ERR("open.creat-in-removed", open("x", O_CREAT | O_RDWR, 0644), ENOENT);
	chdir(base);
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* telldir and seekdir: glibc keeps the d_off of each entry read, so an
 * entry's d_off must be where the listing goes on after it. */
static void test_seekdir(void)
{
	DIR *d = opendir("gd");
	struct dirent *e;
	long pos = -1;
	char after[256] = "";
	int n = 0;

	if (!d) {
		fail("getdents64.seekdir", "opendir: %s", strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		if (++n == 3)
			pos = telldir(d);
		else if (n == 4)
			snprintf(after, sizeof after, "%s", e->d_name);
	}
	seekdir(d, pos);
	e = readdir(d);
	if (n >= 4 && e && strcmp(e->d_name, after) == 0)
		pass("getdents64.seekdir");
	else
		fail("getdents64.seekdir", "after seekdir to the 3rd entry's telldir, read %s, expected %s",
		     e ? e->d_name : "nothing", after);
	closedir(d);
}

static void test_getdents(void)
{
	static const char *names[] = { "file1", "file2", "sub", "link", "a-much-longer-name-than-the-rest-of-them" };
	char buf[512];
	int seen[5] = { 0 }, dot = 0, dotdot = 0, other = 0, types_ok = 1;

	mkdir("gd", 0755);
	put("gd/file1", "1");
	put("gd/file2", "2");
	mkdir("gd/sub", 0755);
	symlink("file1", "gd/link");
	put("gd/a-much-longer-name-than-the-rest-of-them", "3");
	put("gd/removed", "r");
	unlink("gd/removed");
	int fd = open("gd", O_RDONLY | O_DIRECTORY);
	long n, calls = 0;
	/* a small buffer: several calls */
	while ((n = syscall(SYS_getdents64, fd, buf, 96)) > 0) {
		calls++;
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			int k;
			if (!strcmp(d->d_name, "."))
				dot++, types_ok &= d->d_type == DT_DIR;
			else if (!strcmp(d->d_name, ".."))
				dotdot++, types_ok &= d->d_type == DT_DIR;
			else {
				for (k = 0; k < 5 && strcmp(d->d_name, names[k]); k++)
					;
				if (k == 5)
					other++;
				else {
					seen[k]++;
					unsigned char want = k == 2 ? DT_DIR : k == 3 ? DT_LNK : DT_REG;
					types_ok &= d->d_type == want;
				}
			}
			off += d->d_reclen;
		}
	}
	check(n == 0 && dot == 1 && dotdot == 1 && other == 0 && seen[0] == 1 && seen[1] == 1 && seen[2] == 1 &&
	      seen[3] == 1 && seen[4] == 1, "getdents64.names", "the names listed are not exactly . .. and the five made");
	check(types_ok, "getdents64.types", "d_type is wrong for some entry");
	check(calls > 1, "getdents64.small-buffer", "a 96-byte buffer took everything in one call");
	EQ("getdents64.at-end", syscall(SYS_getdents64, fd, buf, sizeof buf), 0);
	lseek(fd, 0, SEEK_SET);
	n = syscall(SYS_getdents64, fd, buf, sizeof buf);
	check(n > 0, "getdents64.rewind", "lseek 0 did not restart the listing");
	ERR("getdents64.einval-small", (lseek(fd, 0, SEEK_SET), syscall(SYS_getdents64, fd, buf, 8)), EINVAL);
	ERR("getdents64.efault", (lseek(fd, 0, SEEK_SET), syscall(SYS_getdents64, fd, BAD, sizeof buf)), EFAULT);
	close(fd);
	fd = open("gd/file1", O_RDONLY);
	ERR("getdents64.enotdir", syscall(SYS_getdents64, fd, buf, sizeof buf), ENOTDIR);
	close(fd);
	ERR("getdents64.ebadf", syscall(SYS_getdents64, 999, buf, sizeof buf), EBADF);
	/* an emptied directory lists . and .. only */
	mkdir("gd2", 0755);
	put("gd2/x", "x");
	unlink("gd2/x");
	fd = open("gd2", O_RDONLY | O_DIRECTORY);
	n = syscall(SYS_getdents64, fd, buf, sizeof buf);
	int count = 0;
	for (long off = 0; n > 0 && off < n; off += ((struct linux_dirent64 *)(buf + off))->d_reclen)
		count++;
	check(count == 2, "getdents64.empty-dir", "an emptied directory does not list just . and ..");
	close(fd);
	test_seekdir();
	rm_rf("gd");
	rm_rf("gd2");
}

static void test_access(void)
{
	put("ac", "x");
	chmod("ac", 0644);
	OK("faccessat.f_ok", faccessat(AT_FDCWD, "ac", F_OK, 0));
	ERR("faccessat.enoent", faccessat(AT_FDCWD, "nothing", F_OK, 0), ENOENT);
	ERR("faccessat.enotdir", faccessat(AT_FDCWD, "ac/x", F_OK, 0), ENOTDIR);
	ERR("faccessat.einval-mode", syscall(SYS_faccessat, AT_FDCWD, "ac", 0100, 0), EINVAL);
	if (geteuid() == 0) {
		chmod("ac", 0444);
		OK("faccessat.root-write", faccessat(AT_FDCWD, "ac", W_OK, 0));
		ERR("faccessat.root-exec", faccessat(AT_FDCWD, "ac", X_OK, 0), EACCES);
		chmod("ac", 0010);
		OK("faccessat.root-exec-any-x", faccessat(AT_FDCWD, "ac", X_OK | R_OK, 0));
	} else {
		fail("faccessat.root", "not root");
	}
	symlink("nothing", "dangling");
	OK("faccessat2.nofollow", syscall(SYS_faccessat2, AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
	ERR("faccessat2.follow", syscall(SYS_faccessat2, AT_FDCWD, "dangling", F_OK, 0), ENOENT);
	OK("faccessat2.eaccess", syscall(SYS_faccessat2, AT_FDCWD, "ac", R_OK, AT_EACCESS));
	int fd = open("ac", O_RDONLY);
	OK("faccessat2.empty-path", syscall(SYS_faccessat2, fd, "", F_OK, AT_EMPTY_PATH));
	close(fd);
	ERR("faccessat2.einval-flags", syscall(SYS_faccessat2, AT_FDCWD, "ac", F_OK, 0x1), EINVAL);
	ERR("faccessat.efault", faccessat(AT_FDCWD, BAD, F_OK, 0), EFAULT);
	unlink("dangling");
	unlink("ac");
}

/* ---- sendfile, copy_file_range ----------------------------------------------- */

static void test_copy(void)
{
	char buf[64] = { 0 };
	put("src", "0123456789abcdefghij");
	int in = open("src", O_RDONLY);
	int out = open("dst", O_CREAT | O_TRUNC | O_RDWR, 0644);

	off_t off = 5;
	EQ("sendfile.count", sendfile(out, in, &off, 10), 10);
	check(off == 15, "sendfile.offset-updated", "*offset did not advance by 10");
	EQ("sendfile.in-offset-kept", lseek(in, 0, SEEK_CUR), 0);
	EQ("sendfile.out-offset", lseek(out, 0, SEEK_CUR), 10);
	lseek(in, 18, SEEK_SET);
	EQ("sendfile.file-offset", sendfile(out, in, NULL, 100), 2);
	EQ("sendfile.file-offset-moved", lseek(in, 0, SEEK_CUR), 20);
	EQ("sendfile.eof", sendfile(out, in, NULL, 100), 0);
	check(holds("dst", "56789abcdeij"), "sendfile.content", "the destination does not hold the bytes sent");
	ERR("sendfile.ebadf", sendfile(out, 999, NULL, 1), EBADF);
	int ro = open("src", O_RDONLY);
	ERR("sendfile.ebadf-out-rdonly", sendfile(ro, in, &off, 1), EBADF);
	close(ro);

	loff_t ioff = 0, ooff = 2;
	EQ("copy_file_range.count", copy_file_range(in, &ioff, out, &ooff, 4, 0), 4);
	check(ioff == 4 && ooff == 6, "copy_file_range.offsets", "the offsets did not advance by 4");
	memset(buf, 0, sizeof buf);
	pread(out, buf, sizeof buf - 1, 0);
	check(strcmp(buf, "560123bcdeij") == 0, "copy_file_range.content", "the destination does not hold the bytes copied");
	lseek(in, 10, SEEK_SET);
	lseek(out, 0, SEEK_END);
	EQ("copy_file_range.file-offsets", copy_file_range(in, NULL, out, NULL, 100, 0), 10);
	EQ("copy_file_range.size", st_size("dst"), 22);
	ERR("copy_file_range.einval-flags", copy_file_range(in, &ioff, out, &ooff, 4, 1), EINVAL);
	ERR("copy_file_range.ebadf", copy_file_range(999, NULL, out, NULL, 4, 0), EBADF);
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	ERR("copy_file_range.eisdir", copy_file_range(dfd, NULL, out, NULL, 4, 0), EISDIR);
	close(dfd);
	close(in);
	close(out);
	unlink("src");
	unlink("dst");
}

/* ---- fcntl, dup3, RLIMIT_NOFILE, locks ------------------------------------ */

static void lock_prober(void *arg)
{
	int fd = *(int *)arg;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };

	if (fcntl(fd, F_GETLK, &fl) != 0)
		_exit(10);
	if (fl.l_type != F_WRLCK || fl.l_pid != getppid() || fl.l_start != 0 || fl.l_len != 10)
		_exit(11);
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1 };
	errno = 0;
	if (fcntl(fd, F_SETLK, &fl) != -1 || errno != EAGAIN)
		_exit(12);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 5 };
	if (fcntl(fd, F_SETLK, &fl) != 0)   /* the bytes after the parent's range are free */
		_exit(13);
	_exit(0);
}

/*
 * Two processes, each holding a byte the other asks for with F_SETLKW: the
 * second to ask gets EDEADLK instead of sleeping for ever (Linux's
 * posix_locks_deadlock), and the first gets its byte once it is let go.
 */
static int set_lock(int fd, unsigned cmd, short type, off_t at)
{
	struct flock l = { .l_type = type, .l_whence = SEEK_SET, .l_start = at, .l_len = 1 };

	return fcntl(fd, cmd, &l);
}

static void test_lock_deadlock(void)
{
	int fd = open("deadlock", O_RDWR | O_CREAT | O_TRUNC, 0600), ready[2];

	if (fd < 0 || pipe(ready) != 0 || set_lock(fd, F_SETLK, F_WRLCK, 0) != 0) {
		fail("fcntl.deadlock-setup", "%s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		/* byte 1, then byte 0, which the parent holds: sleeps */
		if (set_lock(fd, F_SETLK, F_WRLCK, 1) != 0)
			_exit(2);
		write(ready[1], "r", 1);
		_exit(set_lock(fd, F_SETLKW, F_WRLCK, 0) == 0 ? 0 : 3);
	}
	char c;
	read(ready[0], &c, 1);
	struct timespec nap = { 0, 50 * 1000 * 1000 };   /* the child goes to sleep */
	nanosleep(&nap, NULL);
	ERR("fcntl.setlkw-edeadlk", set_lock(fd, F_SETLKW, F_WRLCK, 1), EDEADLK);
	ERR("fcntl.setlk-eagain-not-edeadlk", set_lock(fd, F_SETLK, F_WRLCK, 1), EAGAIN);
	OK("fcntl.deadlock-unlock", set_lock(fd, F_SETLK, F_UNLCK, 0));
	int st = wait_for(pid);
	check(exited_with(st, 0), "fcntl.deadlock-waiter-gets-lock", describe(st));
	close(ready[0]);
	close(ready[1]);
	close(fd);
	unlink("deadlock");
}

static void test_fcntl(void)
{
	int fd = open("fc", O_CREAT | O_TRUNC | O_RDWR, 0644);
	int fl;

	int d = fcntl(fd, F_DUPFD, 100);
	check(d >= 100, "fcntl.dupfd-min", "F_DUPFD did not respect its minimum");
	check(fcntl(d, F_GETFD) == 0, "fcntl.dupfd-no-cloexec", "F_DUPFD set FD_CLOEXEC");
	int d2 = fcntl(fd, F_DUPFD, 100);
	check(d2 == d + 1, "fcntl.dupfd-lowest", "F_DUPFD did not take the lowest free at or above the minimum");
	close(d2);
	close(d);
	d = fcntl(fd, F_DUPFD_CLOEXEC, 50);
	check(d >= 50 && fcntl(d, F_GETFD) == FD_CLOEXEC, "fcntl.dupfd-cloexec", "F_DUPFD_CLOEXEC did not set FD_CLOEXEC");
	OK("fcntl.setfd", fcntl(d, F_SETFD, 0));
	EQ("fcntl.getfd", fcntl(d, F_GETFD), 0);
	/* the copy shares the offset */
	write(fd, "abc", 3);
	EQ("fcntl.dup-shares-offset", lseek(d, 0, SEEK_CUR), 3);
	close(d);
	ERR("fcntl.einval-dupfd", fcntl(fd, F_DUPFD, -1), EINVAL);
	ERR("fcntl.ebadf", fcntl(999, F_GETFD), EBADF);
	ERR("fcntl.einval-cmd", fcntl(fd, 12345), EINVAL);

	fl = fcntl(fd, F_GETFL);
	check((fl & O_ACCMODE) == O_RDWR && !(fl & (O_APPEND | O_NONBLOCK)), "fcntl.getfl", "F_GETFL: not O_RDWR alone");
	OK("fcntl.setfl", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDONLY));
	fl = fcntl(fd, F_GETFL);
	check((fl & O_ACCMODE) == O_RDWR && (fl & O_APPEND) && (fl & O_NONBLOCK), "fcntl.setfl-flags",
	      "F_SETFL did not set O_APPEND|O_NONBLOCK, or changed the access mode");
	lseek(fd, 0, SEEK_SET);
	write(fd, "d", 1);
	check(holds("fc", "abcd"), "fcntl.setfl-append", "O_APPEND set by F_SETFL did not append");
	fcntl(fd, F_SETFL, 0);
	check(!(fcntl(fd, F_GETFL) & (O_APPEND | O_NONBLOCK)), "fcntl.setfl-clear", "F_SETFL 0 did not clear the flags");
	int ro = open("fc", O_RDONLY);
	check((fcntl(ro, F_GETFL) & O_ACCMODE) == O_RDONLY, "fcntl.getfl-rdonly", "F_GETFL of O_RDONLY");

	/* record locks */
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	OK("fcntl.getlk-free", fcntl(fd, F_GETLK, &lk));
	check(lk.l_type == F_UNLCK, "fcntl.getlk-unlck", "F_GETLK on an unlocked range is not F_UNLCK");
	lk = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	OK("fcntl.setlk", fcntl(fd, F_SETLK, &lk));
	int st = in_child(lock_prober, &fd);
	if (exited_with(st, 0))
		pass("fcntl.lock-seen-by-child");
	else
		fail("fcntl.lock-seen-by-child", "child check %s", describe(st));
	lk = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	OK("fcntl.setlk-own-again", fcntl(fd, F_SETLK, &lk));   /* a process never conflicts with itself */
	lk.l_type = F_UNLCK;
	OK("fcntl.setlk-unlock", fcntl(fd, F_SETLK, &lk));
	lk = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	ERR("fcntl.setlk-ebadf-mode", fcntl(ro, F_SETLK, &lk), EBADF);
	lk.l_type = 77;
	ERR("fcntl.setlk-einval", fcntl(fd, F_SETLK, &lk), EINVAL);
	ERR("fcntl.getlk-efault", fcntl(fd, F_GETLK, BAD), EFAULT);
	close(ro);

	/* dup3 */
	d = dup3(fd, 40, O_CLOEXEC);
	check(d == 40 && fcntl(40, F_GETFD) == FD_CLOEXEC, "dup3.cloexec", "dup3 O_CLOEXEC");
	d = dup3(fd, 40, 0);
	check(d == 40 && fcntl(40, F_GETFD) == 0, "dup3.replace", "dup3 onto an open descriptor");
	close(40);
	ERR("dup3.einval-same", dup3(fd, fd, 0), EINVAL);
	ERR("dup3.einval-flags", dup3(fd, 41, O_NONBLOCK), EINVAL);
	ERR("dup3.ebadf", dup3(999, 41, 0), EBADF);
	EQ("dup2.same", dup2(fd, fd), fd);

	/* RLIMIT_NOFILE */
	struct rlimit old, lim;
	getrlimit(RLIMIT_NOFILE, &old);
	lim = old;
	lim.rlim_cur = 16;
	OK("rlimit.nofile-set", setrlimit(RLIMIT_NOFILE, &lim));
	ERR("dup3.ebadf-limit", dup3(fd, 16, 0), EBADF);
	ERR("dup2.ebadf-limit", dup2(fd, 20), EBADF);
	ERR("fcntl.dupfd-einval-limit", fcntl(fd, F_DUPFD, 16), EINVAL);
	d = dup3(fd, 15, 0);
	check(d == 15, "dup3.below-limit", "dup3 to limit-1 failed");
	int opened[16], k = 0, e = 0;
	for (;;) {
		int x = dup(fd);
		if (x < 0) {
			e = errno;
			break;
		}
		opened[k++] = x;
		if (k == 16)
			break;
	}
	check(k < 16 && e == EMFILE, "dup.emfile", "dup did not stop with EMFILE at the limit");
	ERR("open.emfile", open("fc", O_RDONLY), EMFILE);
	int pp[2];
	ERR("pipe.emfile", pipe(pp), EMFILE);
	close(opened[0]);
	int x = open("fc", O_RDONLY);
	check(x == opened[0], "open.lowest-free", "open did not take the lowest free descriptor");
	close(x);
	for (int i = 1; i < k; i++)
		close(opened[i]);
	close(15);
	lim.rlim_cur = lim.rlim_max + 1;
	if (lim.rlim_max != RLIM_INFINITY)
		ERR("rlimit.nofile-einval", setrlimit(RLIMIT_NOFILE, &lim), EINVAL);
	setrlimit(RLIMIT_NOFILE, &old);
	close(fd);
	unlink("fc");

	/* flock */
	fd = open("fl", O_CREAT | O_RDWR, 0644);
	OK("flock.ex", flock(fd, LOCK_EX));
	int fd2 = open("fl", O_RDWR);
	ERR("flock.ewouldblock", flock(fd2, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	OK("flock.un", flock(fd, LOCK_UN));
	OK("flock.after-un", flock(fd2, LOCK_EX | LOCK_NB));
	close(fd2);
	close(fd);
	unlink("fl");
}

/* ---- an unlinked file still open ------------------------------------------- */

static void test_unlinked_open(void)
{
	char buf[16] = { 0 };
	struct stat st;
	int fd = open("ul", O_CREAT | O_TRUNC | O_RDWR, 0644);

	write(fd, "before", 6);
	OK("unlinked.unlink", unlink("ul"));
	ERR("unlinked.name-gone", stat("ul", &st), ENOENT);
	EQ("unlinked.write", write(fd, " after", 6), 6);
	EQ("unlinked.read", pread(fd, buf, sizeof buf - 1, 0), 12);
	check(strcmp(buf, "before after") == 0, "unlinked.content", "an unlinked file lost its bytes");
	check(fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_size == 12, "unlinked.fstat", "nlink is not 0 or size wrong");
	OK("unlinked.ftruncate", ftruncate(fd, 3));
	int fd2 = open("ul", O_CREAT | O_EXCL | O_RDWR, 0644);
	check(fd2 >= 0 && fstat(fd2, &st) == 0 && st.st_size == 0, "unlinked.name-reusable", "the name is not free for a new file");
	close(fd2);
	unlink("ul");
	EQ("unlinked.read-after-truncate", pread(fd, buf, sizeof buf, 0), 3);
	OK("unlinked.close", close(fd));
}

/* ---- permissions for a non-root user ----------------------------------------- */

/* As uid/gid 1000 (the child's exit status is the first check that went
 * wrong, so the parent can name it). */
static void unprivileged(void *arg)
{
	struct stat st;
	int fd;

	(void)arg;
	if (setgroups(0, NULL) != 0 || setgid(1000) != 0 || setuid(1000) != 0)
		_exit(10);
	if (open("perm/secret", O_RDONLY) != -1 || errno != EACCES)
		_exit(11);                     /* 0600 root's: no read */
	if (open("perm/public", O_WRONLY) != -1 || errno != EACCES)
		_exit(12);                     /* 0644: no write */
	if ((fd = open("perm/public", O_RDONLY)) < 0)
		_exit(13);                     /* but read */
	close(fd);
	if (open("perm/closed/x", O_RDONLY) != -1 || errno != EACCES)
		_exit(14);                     /* 0700 directory: no search */
	if (open("perm/new", O_CREAT | O_WRONLY, 0644) != -1 || errno != EACCES)
		_exit(15);                     /* 0755 root's directory: no create */
	if ((fd = open("perm/sticky/mine", O_CREAT | O_WRONLY, 0600)) < 0)
		_exit(16);                     /* 1777: anyone creates */
	close(fd);
	if (stat("perm/sticky/mine", &st) != 0 || st.st_uid != 1000 || st.st_gid != 1000)
		_exit(17);                     /* owned by the creator */
	if (unlink("perm/sticky/roots") != -1 || errno != EPERM)
		_exit(18);                     /* the sticky bit keeps others' names */
	if (chmod("perm/public", 0666) != -1 || errno != EPERM)
		_exit(19);                     /* not the owner */
	if (chown("perm/sticky/mine", 0, -1) != -1 || errno != EPERM)
		_exit(20);                     /* no giving files away */
	if (mount("none", "perm", "tmpfs", 0, NULL) != -1 || errno != EPERM)
		_exit(21);
	if (unlink("perm/sticky/mine") != 0)
		_exit(22);                     /* one's own name goes */
	_exit(0);
}

static void test_permissions(void)
{
	mkdir("perm", 0755);
	mkdir("perm/closed", 0700);
	mkdir("perm/sticky", 01777);
	chmod("perm/sticky", 01777);
	put("perm/secret", "s");
	chmod("perm/secret", 0600);
	put("perm/public", "p");
	chmod("perm/public", 0644);
	put("perm/closed/x", "x");
	put("perm/sticky/roots", "r");
	int st = in_child(unprivileged, NULL);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		pass("perm.non-root");
	else
		fail("perm.non-root", "%s (the numbered check in unprivileged())", describe(st));
	rm_rf("perm");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (chdir(dir) != 0) {
		fail("setup", "chdir %s: %s", dir, strerror(errno));
		return 1;
	}
	rm_rf("files.d");
	if (mkdir("files.d", 0755) != 0 || chdir("files.d") != 0) {
		fail("setup", "mkdir/chdir %s/files.d: %s", dir, strerror(errno));
		return 1;
	}
	umask(0);
	test_open();
	test_rw();
	test_seek_data_hole();
	test_truncate();
	test_dirs();
	test_symlinks();
	test_fifo();
	test_pipe_inode();
	test_attrs();
	test_statfs();
	test_umask_cwd();
	test_getdents();
	test_access();
	test_copy();
	test_fcntl();
	test_lock_deadlock();
	test_unlinked_open();
	test_permissions();

	chdir("..");
	rm_rf("files.d");
	check(access("files.d", F_OK) != 0, "cleanup", "the scratch directory could not be removed");
	return failures ? 1 : 0;
}
