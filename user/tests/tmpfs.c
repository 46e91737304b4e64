/*
 * tmpfs: a small tmpfs filled up. It mounts one of 256 KiB, fills it until a
 * write fails, and checks that what was written before is intact, that the
 * failure is ENOSPC (or a short write, then ENOSPC), that further writes fail
 * too while a sparse file can still grow to 1 GiB, that statfs counts the
 * blocks as size= says, and that the space comes back when the files go;
 * across the mount, rename and link fail with EXDEV, and rmdir of the mount
 * point and umount while a file is open with EBUSY.
 * The free memory (sysinfo) before the mount and after the umount must be
 * the same.
 *
 *   tmpfs [-t KIB] [DIR]     (default DIR /tmp/tmpfs.mnt, made if missing)
 *
 * Needs root (mount, umount2). The memory balance is exact unless -t gives a
 * tolerance: Bramble's runner gives none (exact; what the kernel holds for a
 * tmpfs must all come back at umount), while on Linux, where other processes
 * and the page cache move the free memory all the time, the check is run
 * with a tolerance of some MiB (tests/qemu/run-all's comment tells how).
 * One unmeasured mount, fill, umount comes first, so that what the program
 * itself comes to use is in place before the free memory is read.
 *
 * Prints "PASS tmpfs.<case>" or "FAIL tmpfs.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "tmpfs"
#include "check.h"
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

#define SIZE_KIB 256
#define SIZE_BLOCKS (SIZE_KIB / 4)
#define CHUNK 3000          /* not a divisor of the size: the last write is short */
#define GIB (1L << 30)

#define ERR(name, expr, want) do { long r_; int e_; CALL(r_, e_, expr); \
	expect_error(name, r_, e_, want); } while (0)
#define OK(name, expr) do { long r_; int e_; CALL(r_, e_, expr); expect_ok(name, r_, e_); } while (0)

static const char *dir = "/tmp/tmpfs.mnt";
static char fill_path[PATH_MAX], second_path[PATH_MAX], sparse_path[PATH_MAX];
static unsigned char pattern[SIZE_KIB * 1024 + CHUNK], readback[SIZE_KIB * 1024 + CHUNK];

static int free_kib(unsigned long long *kib)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return -1;
	*kib = (unsigned long long)si.freeram * (si.mem_unit ? si.mem_unit : 1) / 1024;
	return 0;
}

static int do_mount(void)
{
	return mount("tmpfs", dir, "tmpfs", 0, "size=" "256k");
}

/*
 * Writes the pattern in CHUNK pieces until a write fails or falls short;
 * returns the bytes written, *last_r and *last_e the failing write's result
 * and errno, *next_r and *next_e those of one more write after it.
 */
static long fill(int fd, long *last_r, int *last_e, long *next_r, int *next_e)
{
	long total = 0, r;

	*last_r = CHUNK;        /* as if no write had failed: fill.fails fails */
	*last_e = 0;
	for (;;) {
		errno = 0;
		r = write(fd, pattern + total, CHUNK);
		if (r != CHUNK) {
			*last_r = r;
			*last_e = errno;
			if (r > 0)
				total += r;
			break;
		}
		total += r;
		if (total > (long)sizeof pattern - CHUNK)
			break;      /* never: more than size= accepted */
	}
	errno = 0;
	*next_r = write(fd, pattern, CHUNK);
	*next_e = errno;
	return total;
}

/* Touches 64 KiB of stack below the caller's frame, so that the stack the checks use is there. */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char pad[64 << 10];

	for (size_t i = 0; i < sizeof pad; i += 256)
		pad[i] = 0;
}

/*
 * The unmeasured round: mount, fill, unlink, umount, all quietly, and every
 * page of the program's buffers and of its stack touched.
 */
static void warm_up(void)
{
	long a, b;
	int e1, e2;

	memset(readback, 0, sizeof readback);
	prefault_stack();

	if (do_mount() != 0)
		return;
	int fd = open(fill_path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd >= 0) {
		fill(fd, &a, &e1, &b, &e2);
		pread(fd, readback, sizeof readback, 0);
		close(fd);
	}
	unlink(fill_path);
	umount2(dir, 0);
}

static void test_statfs(const char *name, long want_free)
{
	struct statfs sf;

	if (statfs(dir, &sf) != 0) {
		fail(name, "statfs: %s", ename(errno));
		return;
	}
	if (sf.f_type != TMPFS_MAGIC || sf.f_bsize != 4096 || sf.f_blocks != SIZE_BLOCKS ||
	    (long)sf.f_bfree != want_free || sf.f_bavail != sf.f_bfree)
		fail(name, "f_type 0x%lx f_bsize %ld f_blocks %lu f_bfree %lu f_bavail %lu; expected 0x%x 4096 %d %ld %ld",
		     (unsigned long)sf.f_type, (long)sf.f_bsize, (unsigned long)sf.f_blocks, (unsigned long)sf.f_bfree,
		     (unsigned long)sf.f_bavail, TMPFS_MAGIC, SIZE_BLOCKS, want_free, want_free);
	else
		pass(name);
}

static void test_full(void)
{
	long last_r, next_r, total;
	int last_e, next_e;
	struct stat st;

	test_statfs("statfs.empty", SIZE_BLOCKS);
	int fd = open(fill_path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0) {
		fail("fill.open", "open %s: %s", fill_path, ename(errno));
		return;
	}
	total = fill(fd, &last_r, &last_e, &next_r, &next_e);
	printf("tmpfs: %ld bytes written, then write returned %ld (%s), then %ld (%s)\n", total, last_r,
	       last_r < 0 ? ename(last_e) : "short", next_r, next_r < 0 ? ename(next_e) : "-");
	if (last_r >= 0 && last_r < CHUNK)
		pass("fill.fails");     /* a short count (or 0) */
	else if (last_r == -1 && last_e == ENOSPC)
		pass("fill.fails");
	else
		fail("fill.fails", "the failing write returned %ld (%s), expected a short count or ENOSPC",
		     last_r, ename(last_e));
	if (total == SIZE_KIB * 1024)
		pass("fill.all-of-size");
	else
		fail("fill.all-of-size", "%ld bytes went in, expected exactly size= (%d)", total, SIZE_KIB * 1024);
	expect_error("fill.then-enospc", next_r, next_e, ENOSPC);
	memset(readback, 0, sizeof readback);
	long n = pread(fd, readback, sizeof readback, 0);
	check(n == total && memcmp(readback, pattern, total) == 0, "fill.intact",
	      "the bytes read back are not those written before the failure");
	check(fstat(fd, &st) == 0 && st.st_size == total && st.st_blocks == total / 512, "fill.fstat",
	      "size or blocks of the full file wrong");
	test_statfs("statfs.full", 0);

	/* a second file: it can be made (tmpfs counts no blocks for an inode), not written */
	int fd2 = open(second_path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd2 < 0)
		expect_errno("second.write-enospc", errno, ENOSPC);
	else {
		long r;
		int e;
		CALL(r, e, write(fd2, "x", 1));
		expect_error("second.write-enospc", r, e, ENOSPC);
		close(fd2);
	}
	ERR("fill.pwrite-enospc", pwrite(fd, pattern, 1, total), ENOSPC);
	/* rewriting bytes already there needs no new block */
	check(pwrite(fd, pattern, 100, 0) == 100, "fill.overwrite", "overwriting allocated bytes failed on a full tmpfs");

	/* sparse: grows to 1 GiB, but filling it fails */
	int sp = open(sparse_path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	OK("sparse.ftruncate-1g", ftruncate(sp, GIB));
	check(fstat(sp, &st) == 0 && st.st_size == GIB && st.st_blocks == 0, "sparse.no-blocks",
	      "a sparse 1 GiB file is not 1 GiB of size and 0 blocks");
	unsigned char z[16];
	memset(z, 0xee, sizeof z);
	check(pread(sp, z, sizeof z, GIB / 2) == sizeof z && z[0] == 0 && z[15] == 0, "sparse.reads-zeros",
	      "the hole of the sparse file does not read as zeros");
	ERR("sparse.write-enospc", pwrite(sp, pattern, CHUNK, GIB / 2), ENOSPC);

	/* space given back: shrinking the full file frees blocks the sparse file can take */
	OK("shrink.ftruncate", ftruncate(fd, 128 * 1024));
	test_statfs("statfs.after-shrink", SIZE_BLOCKS / 2);
	long put = 0, r;
	while ((r = pwrite(sp, pattern, 4096, GIB / 2 + put)) == 4096)
		put += r;
	int e = errno;
	check(put == 128 * 1024 && r == -1 && e == ENOSPC, "sparse.fills-freed", "the sparse file did not take exactly the 128 KiB freed, then ENOSPC");
	memset(readback, 0, 4096);
	check(pread(sp, readback, 4096, GIB / 2 + put - 4096) == 4096 && memcmp(readback, pattern, 4096) == 0,
	      "sparse.intact", "bytes written into the sparse file read back wrong");

	/* another file system: no rename or link across, no rmdir of the mount point */
	char outside[PATH_MAX + 32];
	snprintf(outside, sizeof outside, "%s/../tmpfs.outside", dir);
	ERR("rename.exdev", rename(second_path, outside), EXDEV);
	ERR("link.exdev", link(second_path, outside), EXDEV);
	ERR("rmdir.ebusy-mount-point", rmdir(dir), EBUSY);

	/* busy: no umount while a file is open on it */
	long ur;
	int ue;
	CALL(ur, ue, umount2(dir, 0));
	expect_error("umount.ebusy", ur, ue, EBUSY);

	close(sp);
	close(fd);
	OK("unlink.fill", unlink(fill_path));
	OK("unlink.sparse", unlink(sparse_path));
	OK("unlink.second", unlink(second_path));
	test_statfs("statfs.all-back", SIZE_BLOCKS);
	fd = open(fill_path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	total = fill(fd, &last_r, &last_e, &next_r, &next_e);
	check(total == SIZE_KIB * 1024, "refill", "the tmpfs emptied does not take size= again");
	close(fd);
	unlink(fill_path);
}

int main(int argc, char **argv)
{
	unsigned long long tolerance = 0, before = 0, after = 0;
	int opt;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt == 't')
			tolerance = strtoull(optarg, NULL, 0);
		else {
			fprintf(stderr, "usage: tmpfs [-t KIB] [DIR]\n");
			return 2;
		}
	}
	if (optind < argc)
		dir = argv[optind];
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(fill_path, sizeof fill_path, "%s/fill", dir);
	snprintf(second_path, sizeof second_path, "%s/second", dir);
	snprintf(sparse_path, sizeof sparse_path, "%s/sparse", dir);
	for (size_t i = 0; i < sizeof pattern; i++)
		pattern[i] = (unsigned char)(i * 7 + i / 4096);

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fail("setup", "mkdir %s: %s", dir, strerror(errno));
		return 1;
	}
	/* mount's own errors */
	char nodir[PATH_MAX];
	snprintf(nodir, sizeof nodir, "%s/nothing", dir);
	ERR("mount.enoent", mount("tmpfs", nodir, "tmpfs", 0, "size=256k"), ENOENT);
	ERR("mount.einval-size", mount("tmpfs", dir, "tmpfs", 0, "size=lots"), EINVAL);
	ERR("mount.enodev-type", mount("none", dir, "no-such-fs", 0, NULL), ENODEV);
	ERR("umount.einval-not-mounted", umount2(dir, 0), EINVAL);

	warm_up();
	if (free_kib(&before) != 0)
		fail("sysinfo", "sysinfo: %s", strerror(errno));

	long r;
	int e;
	CALL(r, e, do_mount());
	expect_ok("mount", r, e);
	if (r == 0) {
		test_full();
		CALL(r, e, umount2(dir, 0));
		expect_ok("umount", r, e);
		struct stat st;
		ERR("umount.files-gone", stat(fill_path, &st), ENOENT);
	}
	if (free_kib(&after) != 0)
		fail("sysinfo", "sysinfo: %s", strerror(errno));
	printf("tmpfs: free memory before %llu KiB, after %llu KiB (tolerance %llu KiB)\n", before, after, tolerance);
	unsigned long long diff = before > after ? before - after : after - before;
	if (under_pressure())
		skip_under_pressure("free_memory");
	else if (diff <= tolerance)
		pass("free_memory");
	else
		fail("free_memory", "%llu KiB %s free memory after the umount", diff, after < before ? "less" : "more");
	rmdir(dir);
	return failures ? 1 : 0;
}
