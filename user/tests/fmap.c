/*
 * fmap: file mappings of a tmpfs file. A MAP_SHARED mapping and read/write
 * see each other's bytes, in a forked child too; msync works; a page past
 * the file's last page raises SIGBUS; mincore reports resident pages; a
 * MAP_PRIVATE mapping sees the file but keeps its writes to itself;
 * memfd_create and shm_open (glibc, in /dev/shm) give memory shared with a
 * child.
 *
 *   fmap [DIR]           (default /tmp; DIR/fmap.file is made and removed)
 *
 * Prints "PASS fmap.<case>" or "FAIL fmap.<case>: <why>" per check and exits
 * 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "fmap"
#include "check.h"
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define ERR(name, expr, want) do { long r_; int e_; CALL(r_, e_, expr); \
	expect_error(name, r_, e_, want); } while (0)
#define OK(name, expr) do { long r_; int e_; CALL(r_, e_, expr); expect_ok(name, r_, e_); } while (0)

#define FILE_SIZE (2 * PAGE + 100)   /* three pages, the last one partly */
#define MAP_SIZE (4 * PAGE)           /* and one page past them */

static char path[PATH_MAX];

/* ---- SIGBUS, caught -------------------------------------------------------- */

static sigjmp_buf jump;
static volatile sig_atomic_t caught_sig, caught_code;
static void *volatile caught_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	caught_sig = sig;
	caught_code = si->si_code;
	caught_addr = si->si_addr;
	siglongjmp(jump, 1);
}

/* Touches the byte at p (writing if write); the signal it raised, or 0. */
static int touch(volatile char *p, int write)
{
	caught_sig = 0;
	caught_addr = NULL;
	if (sigsetjmp(jump, 1) == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
	}
	return caught_sig;
}

static void expect_sigbus(const char *name, char *p, int write)
{
	int sig = touch(p, write);

	if (sig != SIGBUS)
		fail(name, "touching %p gave %s, expected SIGBUS", (void *)p, sig ? sigabbrev_np(sig) : "no signal");
	else if (caught_addr != p || caught_code != BUS_ADRERR)
		fail(name, "SIGBUS with si_addr %p si_code %d, expected %p BUS_ADRERR", caught_addr, (int)caught_code, (void *)p);
	else
		pass(name);
}

/* ---- MAP_SHARED --------------------------------------------------------- */

static void child_writes(void *arg)
{
	char *p = arg;

	memcpy(p + 3000, "from the child", 14);
	/* and it sees the parent's write() too */
	_exit(memcmp(p + 200, "hello", 5) == 0 ? 0 : 1);
}

/* Whether /proc/self/maps names file (its real path) at address at. */
static int maps_names(const void *at, const char *file)
{
	char line[512], real[256], want[32];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!f || !realpath(file, real)) {
		if (f)
			fclose(f);
		return 0;
	}
	snprintf(want, sizeof want, "%lx-", (unsigned long)at);
	while (fgets(line, sizeof line, f))
		if (strncmp(line, want, strlen(want)) == 0 && strstr(line, real))
			found = 1;
	fclose(f);
	return found;
}

static void test_shared(void)
{
	char buf[32];
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);

	if (fd < 0 || ftruncate(fd, FILE_SIZE) != 0) {
		fail("shared.setup", "open/ftruncate %s: %s", path, ename(errno));
		return;
	}
	char *p = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fail("shared.mmap", "mmap: %s", ename(errno));
		close(fd);
		return;
	}
	pass("shared.mmap");
	check(maps_names(p, path), "shared.maps-path", "/proc/self/maps does not name the file at the mapping");
	int z = 1;
	for (size_t i = 0; i < FILE_SIZE; i++)
		z &= p[i] == 0;
	check(z, "shared.zeros", "a new file's mapping is not zeros");

	memcpy(p + 10, "mapped", 6);
	memset(buf, 0, sizeof buf);
	check(pread(fd, buf, 6, 10) == 6 && memcmp(buf, "mapped", 6) == 0, "shared.write-seen-by-read",
	      "read() did not see a write through the mapping");
	p[PAGE + 5] = 'x';
	check(pread(fd, buf, 1, PAGE + 5) == 1 && buf[0] == 'x', "shared.second-page", "the second page's write not seen by read()");
	pwrite(fd, "hello", 5, 200);
	check(memcmp(p + 200, "hello", 5) == 0, "shared.read-sees-write", "the mapping did not see a write()");

	int st = in_child(child_writes, p);
	check(exited_with(st, 0), "shared.child-sees-write", "the child's mapping did not see the parent's write()");
	memset(buf, 0, sizeof buf);
	check(memcmp(p + 3000, "from the child", 14) == 0, "shared.child-write-mapping",
	      "the child's write through its mapping is not in the parent's");
	check(pread(fd, buf, 14, 3000) == 14 && memcmp(buf, "from the child", 14) == 0, "shared.child-write-file",
	      "the child's write through its mapping is not in the file");

	OK("msync.sync", msync(p, MAP_SIZE - PAGE, MS_SYNC));
	OK("msync.async", msync(p, PAGE, MS_ASYNC));
	ERR("msync.einval-flags", msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
	ERR("msync.einval-align", msync(p + 1, PAGE, MS_SYNC), EINVAL);

	/* the tail of the last page: zeros, writable, but not part of the file */
	z = 1;
	for (size_t i = FILE_SIZE; i < 3 * PAGE; i++)
		z &= p[i] == 0;
	check(z, "shared.tail-zeros", "the last page beyond the end of the file is not zeros");
	p[FILE_SIZE + 10] = 'T';
	struct stat sb;
	check(fstat(fd, &sb) == 0 && sb.st_size == FILE_SIZE && pread(fd, buf, 1, FILE_SIZE + 10) == 0,
	      "shared.tail-not-file", "a write past the end in the last page changed the file's size");

	/* past the last page: SIGBUS, reading or writing */
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO }, old;
	sigaction(SIGBUS, &sa, &old);
	expect_sigbus("sigbus.read", p + 3 * PAGE, 0);
	expect_sigbus("sigbus.write", p + 3 * PAGE + 123, 1);
	/* the file grown: the page is there, zeros */
	ftruncate(fd, 4 * PAGE);
	check(touch(p + 3 * PAGE, 0) == 0 && p[3 * PAGE] == 0, "sigbus.gone-after-grow", "the page past the old end is not readable zeros after ftruncate");
	/* the file shrunk: the pages cut off raise SIGBUS again */
	ftruncate(fd, PAGE);
	expect_sigbus("sigbus.after-shrink", p + PAGE + 5, 0);
	check(touch(p + 10, 0) == 0 && memcmp(p + 10, "mapped", 6) == 0, "shared.first-page-kept", "the page left lost its bytes");
	sigaction(SIGBUS, &old, NULL);
	ftruncate(fd, FILE_SIZE);

	/* mincore */
	unsigned char vec[4] = { 0 };
	p[0] = 1;
	p[PAGE] = 1;
	OK("mincore.basic", mincore(p, 2 * PAGE, vec));
	check((vec[0] & 1) && (vec[1] & 1), "mincore.resident", "pages just written are not reported resident");
	ERR("mincore.einval-align", mincore(p + 1, PAGE, vec), EINVAL);
	ERR("mincore.enomem-unmapped", mincore((void *)(PAGE * 16), PAGE, vec), ENOMEM);

	/* the mapping outlives the descriptor, and munmap keeps the bytes */
	close(fd);
	memcpy(p + 400, "after close", 11);
	OK("munmap", munmap(p, MAP_SIZE));
	fd = open(path, O_RDONLY);
	memset(buf, 0, sizeof buf);
	check(pread(fd, buf, 11, 400) == 11 && memcmp(buf, "after close", 11) == 0, "shared.after-close",
	      "a write through the mapping after close() is not in the file");

	/* wrong access or object */
	ERR("mmap.eacces-rdonly-shared-write", mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0, EACCES);
	void *q = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check(q != MAP_FAILED, "mmap.rdonly-private-write", "a private writable mapping of an O_RDONLY file was refused");
	if (q != MAP_FAILED)
		munmap(q, PAGE);
	close(fd);
	fd = open(path, O_WRONLY);
	ERR("mmap.eacces-wronly", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0, EACCES);
	ERR("mmap.einval-offset", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 100) == MAP_FAILED ? -1 : 0, EINVAL);
	close(fd);
	ERR("mmap.ebadf", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 999, 0) == MAP_FAILED ? -1 : 0, EBADF);
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	ERR("mmap.enodev-dir", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, dfd, 0) == MAP_FAILED ? -1 : 0, ENODEV);
	close(dfd);
}

/* ---- MAP_PRIVATE ------------------------------------------------------------ */

static void test_private(void)
{
	char buf[16];
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);

	ftruncate(fd, 2 * PAGE);
	pwrite(fd, "file bytes", 10, 0);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		fail("private.mmap", "mmap: %s", ename(errno));
		close(fd);
		return;
	}
	check(memcmp(p, "file bytes", 10) == 0, "private.sees-file", "a private mapping does not show the file's bytes");
	memcpy(p, "PRIVATE", 7);
	memset(buf, 0, sizeof buf);
	check(pread(fd, buf, 10, 0) == 10 && memcmp(buf, "file bytes", 10) == 0, "private.write-not-in-file",
	      "a write to a private mapping reached the file");
	char *s = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	check(s != MAP_FAILED && memcmp(s, "file bytes", 10) == 0, "private.write-not-shared",
	      "a shared mapping of the file sees the private write");
	/* a page the private mapping never wrote still follows the file */
	pwrite(fd, "later", 5, PAGE);
	check(memcmp(p + PAGE, "later", 5) == 0, "private.unwritten-follows-file",
	      "a page of the private mapping not yet written does not show a later write()");
	pwrite(fd, "again", 5, 0);
	check(memcmp(p, "PRIVATE", 7) == 0, "private.written-keeps-copy", "a page the private mapping wrote changed with the file");
	if (s != MAP_FAILED)
		munmap(s, 2 * PAGE);
	munmap(p, 2 * PAGE);
	close(fd);
	unlink(path);
}

/* ---- memfd, shm_open ----------------------------------------------------------- */

static void child_memfd(void *arg)
{
	char *p = arg;
	strcpy(p + PAGE, "memfd child");
	_exit(strcmp(p, "memfd parent") == 0 ? 0 : 1);
}

static void test_memfd(void)
{
	int fd = memfd_create("fmap", MFD_CLOEXEC);

	if (fd < 0) {
		fail("memfd.create", "memfd_create: %s", ename(errno));
		return;
	}
	pass("memfd.create");
	check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "memfd.cloexec", "MFD_CLOEXEC did not set FD_CLOEXEC");
	struct stat st;
	check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0, "memfd.empty", "a new memfd is not an empty regular file");
	OK("memfd.ftruncate", ftruncate(fd, 2 * PAGE));
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fail("memfd.mmap", "mmap: %s", ename(errno));
		close(fd);
		return;
	}
	strcpy(p, "memfd parent");
	int stc = in_child(child_memfd, p);
	check(exited_with(stc, 0), "memfd.child-sees-parent", "the child did not see the parent's bytes");
	check(strcmp(p + PAGE, "memfd child") == 0, "memfd.parent-sees-child", "the parent did not see the child's bytes");
	char buf[16] = { 0 };
	check(pread(fd, buf, 11, PAGE) == 11 && strcmp(buf, "memfd child") == 0, "memfd.read", "read() of the memfd does not see the mapping's bytes");
	ERR("memfd.einval-flags", memfd_create("x", 0x1000), EINVAL);
	munmap(p, 2 * PAGE);
	close(fd);
}

static void child_shm(void *arg)
{
	(void)arg;
	int fd = shm_open("/fmap-test", O_RDWR, 0);
	if (fd < 0)
		_exit(2);
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		_exit(3);
	strcpy(p + 100, "shm child");
	_exit(strcmp(p, "shm parent") == 0 ? 0 : 1);
}

static void test_shm(void)
{
	struct stat st;

	shm_unlink("/fmap-test");
	int fd = shm_open("/fmap-test", O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0) {
		fail("shm.open", "shm_open: %s", ename(errno));
		return;
	}
	pass("shm.open");
	check(stat("/dev/shm/fmap-test", &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600,
	      "shm.in-dev-shm", "the object is not /dev/shm/fmap-test, a 0600 file");
	ERR("shm.eexist", shm_open("/fmap-test", O_CREAT | O_EXCL | O_RDWR, 0600), EEXIST);
	ftruncate(fd, PAGE);
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fail("shm.mmap", "mmap: %s", ename(errno));
	} else {
		strcpy(p, "shm parent");
		int stc = in_child(child_shm, NULL);
		check(exited_with(stc, 0), "shm.child", describe(stc));
		check(strcmp(p + 100, "shm child") == 0, "shm.parent-sees-child", "the parent does not see the child's bytes");
		munmap(p, PAGE);
	}
	close(fd);
	OK("shm.unlink", shm_unlink("/fmap-test"));
	ERR("shm.unlinked-gone", stat("/dev/shm/fmap-test", &st), ENOENT);
	ERR("shm.open-enoent", shm_open("/fmap-test", O_RDWR, 0), ENOENT);
	ERR("shm.unlink-enoent", shm_unlink("/fmap-test"), ENOENT);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(path, sizeof path, "%s/fmap.file", dir);
	test_shared();
	test_private();
	test_memfd();
	test_shm();
	unlink(path);
	return failures ? 1 : 0;
}
