/*
 * oomfs: running out of memory through a tmpfs and malloc at once. A tmpfs
 * is mounted without size= (so it may take half of RAM); one child mallocs
 * 64 KiB blocks, touching every page, until malloc returns NULL, while
 * another writes a file on the tmpfs until a write fails with ENOSPC (or
 * ENOMEM). Both must end cleanly (exit 0, no signal), the file must read
 * back intact up to where it stopped, and once it is removed and the tmpfs
 * unmounted the free memory (sysinfo) must be what it was before.
 *
 *   oomfs [-t KIB] [-s SIZE] [DIR [MAX_MIB]]
 *
 *   DIR      the mount point (default /tmp/oomfs.mnt, made if missing)
 *   MAX_MIB  the most each child may take (default: no bound); a child that
 *            reaches it stops there, cleanly, as if it had run out
 *   -s SIZE  mount with size=SIZE (default: none, the tmpfs default of half
 *            of RAM, which statfs must then report)
 *   -t KIB   how far the free memory may differ (default 0: exact)
 *
 * Bramble's runner gives no option: no bound, no size, an exact balance. On
 * Linux (qemu-aarch64-static, as root) it is run with a bound, a small size
 * and a tolerance, since there the whole of RAM cannot be taken safely, the
 * OOM killer rather than malloc answers overcommit, and other processes move
 * the free memory.
 *
 * Prints "PASS oomfs.<case>" or "FAIL oomfs.<case>: <why>" per check,
 *   oomfs: malloc child: <how it ended> after <N> MiB
 *   oomfs: writer child: <how it ended> after <N> KiB
 *   oomfs: free memory before <K> KiB, after <K> KiB
 * and exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "oomfs"
#include "check.h"
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>

#define BLOCK (64UL << 10)
#define NO_BOUND (64UL << 10)         /* MiB: 64 GiB, "never" */

/* Child exit statuses. */
enum {
	CHILD_OK = 0,
	CHILD_UNBOUNDED = 3,      /* 64 GiB without running out */
	CHILD_OTHER_ERRNO = 4,    /* the writer failed with something else than ENOSPC/ENOMEM */
	CHILD_OPEN = 5,
	CHILD_SHORT = 6,          /* the writer: a short write not followed by ENOSPC/ENOMEM */
};

static const char *dir = "/tmp/oomfs.mnt";
static char file_path[PATH_MAX];
static unsigned long max_mib = NO_BOUND;
static int bounded;
static int report[2];         /* children's byte counts come back through this pipe */
/* The malloc child keeps what it took until the writer is done (the parent
 * closes this then): memory it gave back could let a write after a short
 * one succeed, and the writer could not tell the two apart. */
static int release[2];

static int free_kib(unsigned long long *kib)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return -1;
	*kib = (unsigned long long)si.freeram * (si.mem_unit ? si.mem_unit : 1) / 1024;
	return 0;
}

static unsigned char byte_at(uint64_t off)
{
	return (unsigned char)(off * 11 + off / 4096 + 1);
}

static void fill_pattern(unsigned char *b, uint64_t off)
{
	for (size_t i = 0; i < BLOCK; i++)
		b[i] = byte_at(off + i);
}

static void send_count(char who, uint64_t n, int e)
{
	char msg[64];
	int len = snprintf(msg, sizeof msg, "%c %llu %d\n", who, (unsigned long long)n, e);
	write(report[1], msg, len);
}

static void malloc_child(void *arg)
{
	unsigned long n, limit = max_mib * (MIB / BLOCK);

	(void)arg;
	for (n = 0; n < limit; n++) {
		char *p = malloc(BLOCK);
		if (!p)
			break;
		for (size_t i = 0; i < BLOCK; i += PAGE)
			p[i] = 1;
		p[BLOCK - 1] = 1;
	}
	send_count('m', (uint64_t)n * BLOCK, n < limit ? ENOMEM : 0);
	char c;
	close(release[1]);
	while (read(release[0], &c, 1) < 0 && errno == EINTR)
		;
	_exit(n == limit && !bounded ? CHILD_UNBOUNDED : CHILD_OK);
}

static void writer_child(void *arg)
{
	static unsigned char buf[BLOCK];
	uint64_t total = 0, limit = (uint64_t)max_mib * MIB;
	ssize_t r;
	int e = 0;

	(void)arg;
	close(release[0]);
	close(release[1]);
	int fd = open(file_path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		_exit(CHILD_OPEN);
	while (total < limit) {
		fill_pattern(buf, total);
		errno = 0;
		r = write(fd, buf, BLOCK);
		if (r == (ssize_t)BLOCK) {
			total += r;
			continue;
		}
		if (r > 0) {          /* short: the next write must fail */
			total += r;
			errno = 0;
			r = write(fd, buf, BLOCK);
			if (r != -1) {
				send_count('w', total, 0);
				_exit(CHILD_SHORT);
			}
		}
		e = errno;
		break;
	}
	close(fd);
	send_count('w', total, e);
	if (total >= limit)
		_exit(bounded ? CHILD_OK : CHILD_UNBOUNDED);
	_exit(e == ENOSPC || e == ENOMEM ? CHILD_OK : CHILD_OTHER_ERRNO);
}

static const char *child_failure(int st)
{
	if (st != -1 && WIFEXITED(st)) {
		switch (WEXITSTATUS(st)) {
		case CHILD_UNBOUNDED: return "took 64 GiB without running out";
		case CHILD_OTHER_ERRNO: return "write failed with an error other than ENOSPC or ENOMEM";
		case CHILD_OPEN: return "could not create the file";
		case CHILD_SHORT: return "a short write was not followed by ENOSPC or ENOMEM";
		}
	}
	return describe(st);
}

static unsigned char vbuf[BLOCK], vwant[BLOCK];

/* Reads the file back, checking every byte; the bytes read or -1. */
static long long verify_file(void)
{
	unsigned char *buf = vbuf, *want = vwant;
	long long total = 0;
	ssize_t r;
	int fd = open(file_path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, BLOCK)) > 0) {
		fill_pattern(want, total);
		if (memcmp(buf, want, r) != 0) {
			close(fd);
			return -1;
		}
		total += r;
	}
	close(fd);
	return r < 0 ? -1 : total;
}

/* Touches 64 KiB of stack below the caller's frame, so that the stack main uses later is there. */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char pad[64 << 10];

	for (size_t i = 0; i < sizeof pad; i += 256)
		pad[i] = 0;
}

/* A child that mallocs and touches 4 MiB: memory is usable again. */
static void recover_child(void *arg)
{
	(void)arg;
	for (int i = 0; i < 64; i++) {
		char *p = malloc(BLOCK);
		if (!p)
			_exit(1);
		memset(p, 1, BLOCK);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned long long tolerance = 0, before = 0, after = 0;
	const char *size = NULL;
	char opts[64] = "";
	int opt;

	while ((opt = getopt(argc, argv, "t:s:")) != -1) {
		if (opt == 't')
			tolerance = strtoull(optarg, NULL, 0);
		else if (opt == 's')
			size = optarg;
		else {
			fprintf(stderr, "usage: oomfs [-t KIB] [-s SIZE] [DIR [MAX_MIB]]\n");
			return 2;
		}
	}
	if (optind < argc)
		dir = argv[optind++];
	if (optind < argc) {
		max_mib = strtoul(argv[optind], NULL, 0);
		bounded = 1;
	}
	if (size)
		snprintf(opts, sizeof opts, "size=%s", size);
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(file_path, sizeof file_path, "%s/fill", dir);

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fail("setup", "mkdir %s: %s", dir, strerror(errno));
		return 1;
	}
	if (pipe(report) != 0 || pipe(release) != 0) {
		fail("setup", "pipe: %s", strerror(errno));
		return 1;
	}
	/*
	 * Unmeasured: what the parent itself comes to use (stdout's buffer, the
	 * read-back buffers, its stack, a fork and wait) is in place first.
	 */
	printf("oomfs: tmpfs on %s%s%s, %s\n", dir, size ? " of size " : "", size ? size : "",
	       bounded ? "each child bounded" : "no bound");
	memset(vbuf, 0, sizeof vbuf);
	memset(vwant, 0, sizeof vwant);
	prefault_stack();
	wait_for(start_child(recover_child, NULL));
	if (free_kib(&before) != 0)
		fail("sysinfo", "sysinfo: %s", strerror(errno));

	if (mount("tmpfs", dir, "tmpfs", 0, size ? opts : NULL) != 0) {
		fail("mount", "mount tmpfs on %s: %s", dir, strerror(errno));
		return 1;
	}
	pass("mount");
	struct statfs sf;
	struct sysinfo si;
	if (!size) {
		/* Linux's default: half of the RAM's pages */
		if (statfs(dir, &sf) != 0 || sysinfo(&si) != 0)
			fail("mount.default-size", "statfs/sysinfo: %s", strerror(errno));
		else {
			unsigned long long pages = (unsigned long long)si.totalram * (si.mem_unit ? si.mem_unit : 1) / PAGE;
			if ((unsigned long long)sf.f_blocks == pages / 2 && sf.f_bsize == (long)PAGE)
				pass("mount.default-size");
			else
				fail("mount.default-size", "f_blocks %llu of %ld bytes, expected half of %llu pages",
				     (unsigned long long)sf.f_blocks, (long)sf.f_bsize, pages);
		}
	}

	pid_t m = start_child(malloc_child, NULL);
	pid_t w = start_child(writer_child, NULL);
	int stw = wait_for(w);
	close(release[1]);            /* the malloc child lets go now */
	close(release[0]);
	int stm = wait_for(m);
	close(report[1]);
	char buf[256];
	ssize_t n = 0, r;
	while ((r = read(report[0], buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	buf[n] = 0;
	close(report[0]);
	unsigned long long mbytes = 0, wbytes = 0;
	int me = -1, we = -1;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char who;
		unsigned long long v;
		int e;
		if (sscanf(line, "%c %llu %d", &who, &v, &e) == 3) {
			if (who == 'm')
				mbytes = v, me = e;
			else if (who == 'w')
				wbytes = v, we = e;
		}
	}
	printf("oomfs: malloc child: %s after %llu MiB\n", me == ENOMEM ? "malloc returned NULL" : me == 0 ? "bound reached" : "no report",
	       mbytes >> 20);
	printf("oomfs: writer child: %s after %llu KiB\n", we > 0 ? ename(we) : we == 0 ? "bound reached" : "no report",
	       wbytes >> 10);
	if (exited_with(stm, CHILD_OK) && me >= 0)
		pass("malloc-child");
	else
		fail("malloc-child", "%s", child_failure(stm));
	if (exited_with(stw, CHILD_OK) && we >= 0)
		pass("writer-child");
	else
		fail("writer-child", "%s", child_failure(stw));

	long long got = verify_file();
	if (got >= 0 && (unsigned long long)got == wbytes)
		pass("file-intact");
	else
		fail("file-intact", "read back %lld bytes (or a wrong byte), the writer wrote %llu", got, wbytes);
	if (unlink(file_path) == 0)
		pass("unlink");
	else
		fail("unlink", "unlink %s: %s", file_path, strerror(errno));
	check(statfs(dir, &sf) == 0 && sf.f_bfree == sf.f_blocks, "statfs.all-free", "blocks still used after the unlink");
	check(exited_with(wait_for(start_child(recover_child, NULL)), 0), "recovered",
	      "a child could not malloc 4 MiB after the files were removed");
	if (umount2(dir, 0) == 0)
		pass("umount");
	else
		fail("umount", "umount %s: %s", dir, strerror(errno));
	rmdir(dir);

	if (free_kib(&after) != 0)
		fail("sysinfo", "sysinfo: %s", strerror(errno));
	printf("oomfs: free memory before %llu KiB, after %llu KiB (tolerance %llu KiB)\n", before, after, tolerance);
	unsigned long long diff = before > after ? before - after : after - before;
	if (under_pressure())
		skip_under_pressure("free_memory");
	else if (diff <= tolerance)
		pass("free_memory");
	else
		fail("free_memory", "%llu KiB %s free memory after the umount", diff, after < before ? "less" : "more");
	return failures ? 1 : 0;
}
