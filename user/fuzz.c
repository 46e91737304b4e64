/*
 * fuzz: a system-call fuzzer. A watcher forks children one at a time; each
 * runs a bounded sequence of calls drawn from a seed, and the watcher
 * counts how each ended, kills one that is stuck, and at the end checks
 * that the memory balance (free pages, commit charge, kernel heap) is what
 * it was before the run.
 *
 *   fuzz [random] SEED COUNT [CALLS [JOBS]]
 *                                      COUNT children of CALLS random calls
 *                                      (numbers 0..~460 and beyond, arguments
 *                                      from interesting values); default 200
 *   fuzz mm SEED COUNT [OPS [JOBS]]    COUNT children of OPS mmap, munmap,
 *                                      mprotect, mremap, madvise, brk and
 *                                      touches, checked against a model of
 *                                      every page; default 300
 *                                      JOBS (1..8, default 1) at a time: with
 *                                      more, on several CPUs at once
 *   fuzz one CHILDSEED [CALLS]         one random child, each call printed
 *                                      before it is made (to replay a panic)
 *   fuzz mm1 CHILDSEED [OPS]           one mm child, each operation printed
 *
 * Child i of a run uses the seed mix(SEED, i), printed before it starts
 * ("fuzz: child I seed S") and, for a failing child, with its last calls;
 * "fuzz one S" or "fuzz mm1 S" (same CALLS) replays that child alone,
 * each call printed before it is made: after a kernel panic, the last
 * "child" line names the child and its replay the call.
 *
 * The harness protects itself by isolation, not by leaving calls out: a
 * random child runs as uid/gid 65534 (nobody: it cannot signal the root
 * watcher, change the system's files, mount, reboot, or silence the
 * console), in a session of its own, with /dev/null as its stdio and a
 * private directory /tmp/fuzz.PID as its cwd. The few rewrites, each
 * because the call would harm the harness or cut the child short:
 *  - clone/clone3: a new process exits at once (in the same asm as the
 *    call), so the fuzzer is no fork bomb; CLONE_PARENT is cleared, since
 *    the new process would be the watcher's child and its exit_signal
 *    (any signal, from the flags) would go to the watcher;
 *  - munmap/mremap/mprotect/madvise/mmap MAP_FIXED/brk over the child's
 *    own image, stack or the page that records its last calls are skipped:
 *    the calls are the same over the child's other mappings, and the record
 *    is what the watcher prints for a failing child.
 * Children may die of any signal, exit, or block (killed at the timeout).
 * After each child the watcher kills what is left of uid 65534 (the
 * processes of its clones, if any outlived it), reaps, and removes what the
 * child made in its directory, /tmp and /dev/shm.
 *
 * Output: "fuzz: ..." lines; the last is "fuzz: PASS ..." or "fuzz: FAIL
 * ...", and the exit status is 0 only for PASS. The leak check runs only on
 * Bramble (uname release "*-bramble"): Linux keeps caches it can drop.
 * The random mode runs only on Bramble; mm mode runs under
 * qemu-aarch64-static too, where its model is checked against Linux.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define NOBODY 65534
#define CHILD_TIMEOUT_MS 300    /* of the guest's clock (icount: 1 ns an instruction) */
#define REAP_TIMEOUT_MS 5000    /* after SIGKILL: past this, a hang */
#define NLAST 16                /* calls remembered for a failing child */
#define MAX_JOBS 8              /* children at once */

/* ---- seeds -------------------------------------------------------------- */

static uint64_t rng;

static uint64_t rnd(void)
{
	/* splitmix64: every seed, 0 included, gives a full-period stream */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t pick(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static uint64_t mix(uint64_t seed, uint64_t i)
{
	uint64_t save = rng, r;
	rng = seed * 0x100000001b3ULL + i;
	r = rnd();
	rng = save;
	return r;
}

/* ---- what a child leaves for the watcher -------------------------------- */

struct call_rec {
	long nr, a[6], ret;
};

struct ctl {
	volatile uint64_t n;             /* calls started */
	struct call_rec last[NLAST];     /* call k is last[k % NLAST] */
	volatile int mismatch;           /* mm mode: the model disagreed */
	char msg[512];
};

static struct ctl *ctl;              /* the child's own record */
static struct ctl *ctls;             /* the watcher's: one per job */
static int trace_fd = -1;            /* one/mm1: each call printed here */

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void trace(const char *fmt, ...)
{
	va_list ap;

	if (trace_fd < 0)
		return;
	va_start(ap, fmt);
	vdprintf(trace_fd, fmt, ap);
	va_end(ap);
}

/* ---- the raw call ------------------------------------------------------- */

/*
 * svc with the arguments as drawn; no errno, no TLS, no stack after the
 * call. A clone's new process (x0 == 0 after clone or clone3) exits at once
 * in the same asm: it may share this stack (CLONE_VM) or have a random one.
 */
static long raw_call(long nr, const long *a)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a[0];
	register long x1 __asm__("x1") = a[1];
	register long x2 __asm__("x2") = a[2];
	register long x3 __asm__("x3") = a[3];
	register long x4 __asm__("x4") = a[4];
	register long x5 __asm__("x5") = a[5];

	__asm__ volatile("svc #0\n\t"
			 "cbnz x0, 1f\n\t"
			 "cmp x8, #220\n\t"
			 "b.eq 2f\n\t"
			 "cmp x8, #435\n\t"
			 "b.ne 1f\n"
			 "2:\tmov x0, #0\n\t"
			 "mov x8, #93\n\t"
			 "svc #0\n"
			 "1:"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory", "cc");
	return x0;
}

/* ---- the random child --------------------------------------------------- */

#define POOL_PAGES 8                 /* RW, then one PROT_NONE page */
static char *pool;                   /* buffers, strings, structures */
static char *hole;                   /* an unmapped page */
static uintptr_t protect_lo[4], protect_hi[4];
static int nprotect;
static uintptr_t initial_brk;
static long fds[12];
static int nfds;

/* Paths a nobody child may use: its cwd's names, the system's (read-only
 * to it), missing ones, and an over-long one. */
static const char *const paths[] = {
	"f0", "f1", "d0", "d0/f2", "d0/d1", "l0", "p0", "missing", "d0/missing/x",
	".", "..", "/", "/tmp", "/hello.txt", "/bin/cat", "/bin", "/dev/null", "/dev/zero",
	"/proc/self/maps", "/proc/self/status", "/proc/self/fd/0", "/proc/meminfo",
	"/dev/shm/fz", "/nonexistent/x", "", "f0/", "/dev/full", "/proc/self/exe",
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))
static char *path_ptr[NPATHS + 2];

static const uint64_t ints[] = {
	0, 1, 2, 3, 4, 7, 8, 16, 64, 255, 256, 1024, 4095, 4096, 4097, 65536,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL, 1ULL << 46, (uint64_t)-1,
	(uint64_t)-2, (uint64_t)-4096, (uint64_t)-4095, 0x7fffffffffffffffULL,
	0x8000000000000000ULL, 1ULL << 39, 1ULL << 48, (uint64_t)-100,
};

/* Flag sets of the common calls (open, mmap, prot, clone, wait, signals),
 * each also OR'ed with random bits sometimes. */
static const uint64_t flagsets[] = {
	O_RDONLY, O_WRONLY, O_RDWR, O_RDWR | O_CREAT, O_RDWR | O_CREAT | O_EXCL,
	O_WRONLY | O_CREAT | O_TRUNC, O_RDONLY | O_DIRECTORY, O_RDWR | O_APPEND,
	O_PATH, O_RDWR | O_TMPFILE, O_NONBLOCK | O_CLOEXEC, O_NOFOLLOW,
	PROT_READ, PROT_READ | PROT_WRITE, PROT_EXEC | PROT_READ, 7, PROT_NONE,
	MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_ANONYMOUS, MAP_PRIVATE,
	MAP_SHARED, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, MAP_SHARED | MAP_FIXED_NOREPLACE,
	MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	0x11 /* SIGCHLD */, 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 /* thread */,
	0x4000 | 0x100 /* vfork */, 0x20000 /* CLONE_NEWNS */, WNOHANG, WUNTRACED | WCONTINUED,
	AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_EMPTY_PATH, SA_SIGINFO | SA_RESTART,
	MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_FIXED, MREMAP_DONTUNMAP | MREMAP_MAYMOVE,
	MADV_DONTNEED, MADV_FREE, MADV_WILLNEED, MADV_REMOVE, MADV_DONTFORK,
	0x80000 /* O_CLOEXEC */, 0x800 /* O_NONBLOCK */,
};

static uint64_t any_of(const uint64_t *v, size_t n)
{
	return v[pick(n)];
}

static uint64_t arg_pointer(void)
{
	switch (pick(12)) {
	case 0: return 0;
	case 1: return (uint64_t)hole + pick(PAGE);
	case 2: return 0xffff000000000000ULL + (pick(1 << 20) << 12) + pick(8);
	case 3: return 0xffffffffc0080000ULL + pick(0x10000);        /* kernel text */
	case 4: return (uint64_t)pool + POOL_PAGES * PAGE - 1 - pick(16); /* page edge */
	case 5: return (uint64_t)pool + POOL_PAGES * PAGE;             /* PROT_NONE */
	case 6: return (1ULL << 39) - pick(64);
	case 7: return (uint64_t)pool + pick(POOL_PAGES) * PAGE;       /* page starts */
	case 8: return (uint64_t)pool + pick(POOL_PAGES * PAGE);
	case 9: return (uint64_t)-1 - pick(4096);
	case 10: return 0x1000 + pick(0x10000);
	default: return (uint64_t)pool + PAGE - 8 * (1 + pick(4));     /* across a page */
	}
}

static uint64_t arg_length(void)
{
	static const uint64_t lens[] = {
		0, 1, 2, 8, 16, 64, 100, 512, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, 16 * PAGE,
		1 << 20, 1 << 24, 0x7fffffff, 1ULL << 46, SIZE_MAX, SIZE_MAX - PAGE + 2,
		(uint64_t)1 << 32, 0x80000000,
	};
	return any_of(lens, sizeof(lens) / sizeof(lens[0]));
}

static uint64_t arg_fd(void)
{
	switch (pick(8)) {
	case 0: return (uint64_t)AT_FDCWD;
	case 1: return (uint64_t)-1;
	case 2: return pick(3);
	case 3: return 1000 + pick(100);
	case 4: return 1u << 20;
	default: return (uint64_t)fds[pick((uint64_t)nfds)];
	}
}

static uint64_t arg_flags(void)
{
	uint64_t f = any_of(flagsets, sizeof(flagsets) / sizeof(flagsets[0]));
	if (pick(4) == 0)
		f |= 1ULL << pick(32);
	if (pick(8) == 0)
		f = rnd() & (pick(2) ? 0xffffffffULL : ~0ULL);
	return f;
}

enum kind { K_ANY, K_INT, K_PTR, K_PATH, K_FD, K_LEN, K_FLAGS, K_SIG, K_PID };

static uint64_t arg_of(enum kind k)
{
	switch (k) {
	case K_INT: return pick(2) ? pick(17) : any_of(ints, sizeof(ints) / sizeof(ints[0]));
	case K_PTR: return arg_pointer();
	case K_PATH: return (uint64_t)path_ptr[pick(NPATHS + 2)];
	case K_FD: return arg_fd();
	case K_LEN: return arg_length();
	case K_FLAGS: return arg_flags();
	case K_SIG: return pick(8) ? pick(66) : any_of(ints, sizeof(ints) / sizeof(ints[0]));
	case K_PID: {
		static const uint64_t pids[] = { 0, (uint64_t)-1, 1, 2, 0x7ffffff0, (uint64_t)INT32_MIN };
		return pick(2) ? (uint64_t)getpid() : any_of(pids, 6);
	}
	default: break;
	}
	switch (pick(9)) {
	case 0: return arg_of(K_INT);
	case 1: return arg_of(K_PTR);
	case 2: return arg_of(K_PATH);
	case 3: return arg_of(K_FD);
	case 4: return arg_of(K_LEN);
	case 5: return arg_of(K_FLAGS);
	case 6: return rnd();
	case 7: return rnd() & 0xffff;
	default: return arg_of(K_PTR);
	}
}

/*
 * What the arguments of the calls Bramble knows are (Linux's order), so a
 * drawn call often gets plausible arguments; the other calls, and every
 * call a quarter of the time, get any kind. Letters: i int, p pointer, s
 * path, f fd, l length, F flags, S signal, P pid.
 */
static const char *arg_kinds(long nr)
{
	switch (nr) {
	case 17: return "pl";               /* getcwd */
	case 19: return "iF";               /* eventfd2 */
	case 23: return "f";                /* dup */
	case 24: return "ffF";              /* dup3 */
	case 25: return "fiF";              /* fcntl */
	case 29: return "fip";              /* ioctl */
	case 32: return "fF";               /* flock */
	case 33: case 34: return "fsFi";    /* mknodat, mkdirat */
	case 35: return "fsF";              /* unlinkat */
	case 36: return "sfs";              /* symlinkat */
	case 37: return "fsfsF";            /* linkat */
	case 38: return "fsfs";             /* renameat */
	case 43: return "sp";               /* statfs */
	case 44: return "fp";
	case 45: return "sl";               /* truncate */
	case 46: return "fl";
	case 48: case 439: return "fsiF";   /* faccessat(2) */
	case 49: return "s";                /* chdir */
	case 50: return "f";
	case 52: return "fi";
	case 53: return "fsiF";
	case 54: return "fsiiF";
	case 55: return "fii";
	case 56: return "fsFi";             /* openat */
	case 57: return "f";
	case 59: return "pF";               /* pipe2 */
	case 61: return "fpl";              /* getdents64 */
	case 62: return "fli";              /* lseek */
	case 63: case 64: return "fpl";     /* read, write */
	case 65: case 66: return "fpi";     /* readv, writev */
	case 67: case 68: return "fpll";    /* pread64, pwrite64 */
	case 69: case 70: return "fpil";
	case 71: return "ffpl";             /* sendfile */
	case 72: return "ipppp";            /* pselect6 */
	case 73: return "pippl";            /* ppoll */
	case 78: return "fspl";             /* readlinkat */
	case 79: return "fspF";             /* newfstatat */
	case 80: return "fp";
	case 88: return "fspF";             /* utimensat */
	case 95: return "iPpFp";            /* waitid */
	case 96: return "p";
	case 98: return "piipPi";           /* futex */
	case 99: return "pl";
	case 101: return "pp";              /* nanosleep */
	case 102: return "ip";
	case 103: return "ipp";
	case 107: return "ipp";             /* timer_create */
	case 110: return "iFpp";
	case 115: return "iFpp";            /* clock_nanosleep */
	case 116: return "ipl";             /* syslog */
	case 122: case 123: return "Plp";   /* sched_[gs]etaffinity */
	case 129: return "PS";              /* kill */
	case 130: return "PS";
	case 131: return "PPS";
	case 132: return "pp";              /* sigaltstack */
	case 134: return "Sppl";            /* rt_sigaction */
	case 135: return "ippl";
	case 137: return "pppl";
	case 138: return "PSp";
	case 154: return "PP";              /* setpgid */
	case 160: return "p";
	case 161: case 162: return "pl";
	case 167: return "iiiii";           /* prctl */
	case 214: return "p";               /* brk */
	case 215: return "pl";              /* munmap */
	case 216: return "pllFp";           /* mremap */
	case 220: return "FppPp";           /* clone */
	case 221: return "spp";             /* execve */
	case 222: return "plFFfl";          /* mmap */
	case 226: return "plF";             /* mprotect */
	case 227: return "plF";
	case 232: return "plp";             /* mincore */
	case 233: return "plF";             /* madvise */
	case 240: return "PPSp";
	case 260: return "PpFp";            /* wait4 */
	case 261: return "Pipp";            /* prlimit64 */
	case 276: return "fsfsF";           /* renameat2 */
	case 278: return "plF";             /* getrandom */
	case 279: return "pF";              /* memfd_create */
	case 285: return "fpfplF";          /* copy_file_range */
	case 291: return "fsFip";           /* statx */
	case 435: return "pl";              /* clone3 */
	default: return "";
	}
}

static bool overlaps_protected(uint64_t a, uint64_t len)
{
	uint64_t end = a + len < a ? UINT64_MAX : a + len;
	for (int i = 0; i < nprotect; i++)
		if (a < protect_hi[i] && end > protect_lo[i])
			return true;
	return false;
}

/* Would the call take away the child's own image, stack or record? */
static bool harms_child(long nr, long *a)
{
	uint64_t len = (uint64_t)a[1] + PAGE;   /* the kernel rounds up */
	switch (nr) {
	case 215: case 226: case 233:           /* munmap, mprotect, madvise */
		return overlaps_protected((uint64_t)a[0] & ~(PAGE - 1), len);
	case 216:                               /* mremap: the old range, the new one */
		return overlaps_protected((uint64_t)a[0] & ~(PAGE - 1), len) ||
		       ((a[3] & MREMAP_FIXED) &&
			overlaps_protected((uint64_t)a[4] & ~(PAGE - 1), (uint64_t)a[2] + PAGE));
	case 222:
		return (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
		       overlaps_protected((uint64_t)a[0] & ~(PAGE - 1), len);
	case 214:
		return (uint64_t)a[0] != 0 && (uint64_t)a[0] < initial_brk;
	default:
		return false;
	}
}

static long draw_nr(void)
{
	static const long beyond[] = { 460, 500, 511, 512, 1000, 4096, 0x7fffffff, -1,
				       0xffffffffL, 0x100000000L, INT32_MIN, 1L << 62 };
	if (pick(32) == 0)
		return beyond[pick(sizeof(beyond) / sizeof(beyond[0]))];
	long nr = (long)pick(460);
	/* exit, exit_group and rt_sigreturn end the child: drawn 8 times less */
	if ((nr == 93 || nr == 94 || nr == 139) && pick(8))
		nr = (long)pick(460);
	return nr;
}

static void draw_call(long *nr, long *a)
{
	*nr = draw_nr();
	const char *k = pick(4) ? arg_kinds(*nr) : "";
	for (int i = 0; i < 6; i++) {
		enum kind kind = K_ANY;
		if (i < (int)strlen(k))
			kind = strchr("?ipsflFSP", k[i]) - "?ipsflFSP";
		a[i] = (long)arg_of(kind);
	}
	/* clone: CLONE_PARENT would make the new process the watcher's. */
	if (*nr == 220)
		a[0] &= ~(long)CLONE_PARENT;
}

/* clone3's flags live in memory: a pointer into the pool (which the calls
 * may have unmapped) becomes one to random arguments in the child's own
 * data, CLONE_PARENT cleared. */
static uint64_t clone3_args[11];

static void sanitize_clone3(long *a)
{
	uint64_t p = (uint64_t)a[0];
	if (p >= (uint64_t)pool && p < (uint64_t)pool + (POOL_PAGES + 1) * PAGE) {
		for (int i = 0; i < 11; i++)
			clone3_args[i] = pick(2) ? arg_of(K_ANY) : 0;
		clone3_args[0] = arg_flags() & ~(uint64_t)CLONE_PARENT;
		a[0] = (long)clone3_args;
	}
}

static void fill_pool(void)
{
	for (size_t i = 0; i < POOL_PAGES * PAGE; i += 8) {
		uint64_t v;
		switch (pick(4)) {
		case 0: v = 0; break;
		case 1: v = arg_pointer(); break;
		case 2: v = pick(4096); break;
		default: v = rnd(); break;
		}
		memcpy(pool + i, &v, 8);
	}
	/* the paths in page 2.., one of them unterminated at the guard page */
	char *p = pool + 2 * PAGE;
	for (size_t i = 0; i < NPATHS; i++) {
		path_ptr[i] = p;
		strcpy(p, paths[i]);
		p += strlen(paths[i]) + 1;
	}
	char *end = pool + POOL_PAGES * PAGE;
	memset(end - 5, 'x', 5);
	path_ptr[NPATHS] = end - 5;                 /* runs into PROT_NONE */
	memset(pool + 3 * PAGE, 'a', PAGE + 200);   /* a 4296-byte name */
	pool[4 * PAGE + 200] = 0;
	path_ptr[NPATHS + 1] = pool + 3 * PAGE;
}

static void child_setup(int verbose)
{
	umask(0);
	int null = open("/dev/null", O_RDWR);
	if (verbose)
		trace_fd = dup2(2, 900);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		_exit(120);
	close(null);
	setsid();

	/* the pool: RW pages and a PROT_NONE page after them; an unmapped hole */
	pool = mmap(NULL, (POOL_PAGES + 1) * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hole = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pool == MAP_FAILED || hole == MAP_FAILED ||
	    mprotect(pool + POOL_PAGES * PAGE, PAGE, PROT_NONE) || munmap(hole, PAGE))
		_exit(121);
	fill_pool();

	/* files and descriptors of every kind */
	int fd = open("f0", O_RDWR | O_CREAT | O_TRUNC, 0666);
	if (fd < 0 || write(fd, pool, 3 * PAGE + 17) < 0)
		_exit(122);
	fds[nfds++] = fd;
	mkdir("d0", 0777);
	symlink("f0", "l0");
	mkfifo("p0", 0666);
	fds[nfds++] = open(".", O_RDONLY | O_DIRECTORY);
	fds[nfds++] = open("d0", O_RDONLY | O_DIRECTORY);
	int pfd[2];
	if (pipe2(pfd, O_NONBLOCK) == 0) {
		fds[nfds++] = pfd[0];
		fds[nfds++] = pfd[1];
	}
	fds[nfds++] = syscall(SYS_eventfd2, 1, 0);
	fds[nfds++] = open("/dev/zero", O_RDWR);
	fds[nfds++] = open("/proc/self/status", O_RDONLY);
	fds[nfds++] = open("/", O_PATH);
	fds[nfds++] = syscall(SYS_memfd_create, "fz", 0);

	/* what the calls must not take away */
	extern char __executable_start[];
	initial_brk = (uintptr_t)sbrk(0);
	protect_lo[nprotect] = (uintptr_t)__executable_start & ~(PAGE - 1);
	protect_hi[nprotect++] = (initial_brk + PAGE - 1) & ~(PAGE - 1);
	uintptr_t sp = (uintptr_t)&fd;
	protect_lo[nprotect] = (sp & ~(PAGE - 1)) - 64 * PAGE;
	protect_hi[nprotect++] = UINT64_MAX;        /* the stack, auxv, vDSO above */
	protect_lo[nprotect] = (uintptr_t)ctls;     /* every job's record, its own among them */
	protect_hi[nprotect++] = (uintptr_t)ctls + ((MAX_JOBS * sizeof(*ctls) + PAGE - 1) & ~(PAGE - 1));

	/* nobody: the harness's files and processes are out of its reach */
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		_exit(123);
}

static void child_random(uint64_t seed, int calls, int verbose)
{
	rng = seed;
	child_setup(verbose);
	for (int i = 0; i < calls; i++) {
		long nr, a[6];
		draw_call(&nr, a);
		struct call_rec *r = &ctl->last[i % NLAST];
		r->nr = nr;
		memcpy(r->a, a, sizeof(a));
		r->ret = -4096;                     /* not returned (yet) */
		ctl->n = (uint64_t)i + 1;
		if (harms_child(nr, a)) {
			r->ret = -5000;             /* skipped */
			continue;
		}
		if (nr == 435)
			sanitize_clone3(a);
		trace("fuzz: call %d: %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n", i, nr, a[0],
		      a[1], a[2], a[3], a[4], a[5]);
		r->ret = raw_call(nr, a);
		trace("fuzz:   = %ld\n", r->ret);
	}
	_exit(0);
}

/* ---- the mm child: a model of every page -------------------------------- */

#define WIN 96                      /* pages of the window the sequence owns */
#define BRK_PAGES 32

enum { S_UNMAPPED, S_MAPPED };
#define V_UNKNOWN -1
#define V_ZERO_OR_KEPT -3           /* MADV_FREE: either */

struct mpage {
	uint8_t state, prot, shared;
	int val;                    /* the byte at offsets 0 and PAGE-1, or V_* */
	int region;                 /* the mmap/mremap that made it */
	int objoff, objsize;        /* shared: page offset in its object, object pages */
};

static struct mpage win[WIN];
static char *wbase;
static int next_region = 1;
#define MAX_REGIONS 8192
static uint8_t region_dirty[MAX_REGIONS];   /* split: maybe several VMAs */
static uintptr_t brk_base, brk_cur;          /* page aligned */
static int brk_val[BRK_PAGES];
static long mm_ops, mm_touches;

static sigjmp_buf touch_env;
static volatile int touch_sig, touch_code;
static volatile uintptr_t touch_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	touch_sig = sig;
	touch_code = si->si_code;
	touch_addr = (uintptr_t)si->si_addr;
	siglongjmp(touch_env, 1);
}

static void mismatch(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void mismatch(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctl->msg, sizeof(ctl->msg), fmt, ap);
	va_end(ap);
	ctl->mismatch = 1;
	trace("fuzz: MISMATCH %s\n", ctl->msg);
	_exit(3);
}

static char *pg(int i)
{
	return wbase + (size_t)i * PAGE;
}

static int new_region(void)
{
	int r = next_region++;
	if (next_region >= MAX_REGIONS)
		next_region = 1;
	region_dirty[r] = 0;
	return r;
}

/* Pages [i, j) change; a region they cover only partly is split. */
static void dirty_partial(int i, int j)
{
	for (int k = i; k < j; k++) {
		if (win[k].state != S_MAPPED)
			continue;
		int r = win[k].region;
		if ((k > 0 && k == i && win[k - 1].state == S_MAPPED && win[k - 1].region == r) ||
		    (k + 1 < WIN && k == j - 1 && win[k + 1].state == S_MAPPED &&
		     win[k + 1].region == r))
			region_dirty[r] = 1;
	}
}

static const int prots[] = {
	PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
	PROT_READ | PROT_WRITE | PROT_EXEC, PROT_WRITE, PROT_EXEC,
};

static int rand_prot(void)
{
	return prots[pick(sizeof(prots) / sizeof(prots[0]))];
}

/* A touch: returns 0, or the signal it took. */
static int do_touch(volatile char *p, int write, int val, int *got)
{
	touch_sig = 0;
	if (sigsetjmp(touch_env, 1) == 0) {
		if (write) {
			p[0] = (char)val;
			p[PAGE - 1] = (char)val;
		} else {
			got[0] = (unsigned char)p[0];
			got[1] = (unsigned char)p[PAGE - 1];
		}
	}
	return touch_sig;
}

static void expect_ok_touch(volatile char *p, int write, const struct mpage *m, const char *what)
{
	int got[2] = { -1, -1 };
	int val = (int)pick(255) + 1;
	int sig = do_touch(p, write, val, got);
	if (sig)
		mismatch("%s: %s of %p took signal %d (code %d, addr %#lx), model: prot %d", what,
			 write ? "write" : "read", (void *)p, sig, touch_code,
			 (unsigned long)touch_addr, m ? m->prot : -1);
	return;
}

static void touch_win(int i, int write)
{
	struct mpage *m = &win[i];
	volatile char *p = pg(i);
	int got[2] = { -1, -1 }, val = (int)pick(255) + 1;

	mm_touches++;
	trace("fuzz: touch %s page %d\n", write ? "write" : "read", i);
	bool mapped = m->state == S_MAPPED;
	bool sigbus = mapped && m->shared && m->objoff >= m->objsize;
	bool readable = mapped && m->prot != PROT_NONE;
	bool writable = mapped && (m->prot & PROT_WRITE);
	if (mapped && m->prot == PROT_EXEC && !write) {
		/* execute-only: readable on Linux arm64 before 6.2, a choice */
		do_touch(p, 0, 0, got);
		return;
	}
	int sig = do_touch(p, write, val, got);
	if (sigbus && (write || readable)) {
		if (sig != SIGBUS && !(write && !writable && sig == SIGSEGV))
			mismatch("page %d past its shared object: %s took signal %d, expected SIGBUS",
				 i, write ? "write" : "read", sig);
		return;
	}
	bool ok = write ? writable : readable;
	if (ok) {
		if (sig)
			mismatch("page %d (prot %d): %s took signal %d code %d at %#lx", i, m->prot,
				 write ? "write" : "read", sig, touch_code,
				 (unsigned long)touch_addr);
		if (write)
			m->val = val;
		else if (m->val >= 0 && (got[0] != m->val || got[1] != m->val))
			mismatch("page %d holds %d/%d, model says %d", i, got[0], got[1], m->val);
		else if (m->val == V_ZERO_OR_KEPT && got[0] != got[1])
			mismatch("page %d after MADV_FREE holds %d/%d", i, got[0], got[1]);
		else if (m->val < 0 && got[0] == got[1])
			m->val = got[0];
		return;
	}
	int code = mapped ? SEGV_ACCERR : SEGV_MAPERR;
	if (sig != SIGSEGV || touch_code != code ||
	    (touch_addr & ~(PAGE - 1)) != (uintptr_t)p)
		mismatch("page %d (%s, prot %d): %s took signal %d code %d at %#lx, expected "
			 "SIGSEGV code %d at %p",
			 i, mapped ? "mapped" : "unmapped", m->prot, write ? "write" : "read", sig,
			 touch_code, (unsigned long)touch_addr, code, (void *)p);
}

/* A mapping the kernel placed: none of its pages may be one the model
 * has mapped (the window's free pages are free to the kernel too). */
static void not_over_model(void *r, int n, const char *what)
{
	for (int k = 0; k < n; k++) {
		char *p = (char *)r + (size_t)k * PAGE;
		if (p >= wbase && p < wbase + WIN * PAGE && win[(p - wbase) / PAGE].state == S_MAPPED)
			mismatch("%s gave %p, over page %d of the model", what, r,
				 (int)((p - wbase) / PAGE));
	}
}

static void set_new(int i, int n, int prot, int shared, int region)
{
	for (int k = 0; k < n; k++)
		win[i + k] = (struct mpage){ S_MAPPED, (uint8_t)prot, (uint8_t)shared, 0, region,
					     k, n };
}

static void range(int *i, int *n, int maxn)
{
	*n = 1 + (int)pick((uint64_t)maxn);
	*i = (int)pick((uint64_t)(WIN - *n + 1));
}

static void op_mmap(void)
{
	int i, n, prot = rand_prot(), shared = pick(3) == 0;
	int how = (int)pick(3);   /* 0 FIXED, 1 FIXED_NOREPLACE, 2 hint */
	range(&i, &n, 16);
	int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS |
		    (how == 0 ? MAP_FIXED : how == 1 ? MAP_FIXED_NOREPLACE : 0) |
		    (pick(4) == 0 ? MAP_POPULATE : 0);
	trace("fuzz: mmap page %d +%d prot %d flags %#x\n", i, n, prot, flags);
	char *r = mmap(pg(i), (size_t)n * PAGE, prot, flags, -1, 0);
	trace("fuzz:   = %p (page %ld)\n", (void *)r, (r - wbase) / (long)PAGE);
	bool any_mapped = false;
	for (int k = i; k < i + n; k++)
		any_mapped |= win[k].state == S_MAPPED;
	if (how == 1 && any_mapped) {
		if (r != MAP_FAILED || errno != EEXIST)
			mismatch("MAP_FIXED_NOREPLACE over mapped pages %d+%d: %p errno %d", i, n,
				 (void *)r, errno);
		return;
	}
	if (r == MAP_FAILED)
		mismatch("mmap page %d +%d prot %d flags %#x: errno %d", i, n, prot, flags, errno);
	if (how == 2 && r != pg(i)) {
		if (!any_mapped)
			mismatch("mmap hint %p over free pages gave %p", (void *)pg(i), (void *)r);
		not_over_model(r, n, "mmap with a hint");
		/* elsewhere: check it is what was asked, and give it back */
		if (prot & PROT_WRITE)
			expect_ok_touch(r, 1, NULL, "mmap elsewhere");
		munmap(r, (size_t)n * PAGE);
		return;
	}
	if (r != pg(i))
		mismatch("mmap fixed %p gave %p", (void *)pg(i), (void *)r);
	dirty_partial(i, i + n);
	set_new(i, n, prot, shared, new_region());
}

static void op_munmap(void)
{
	int i, n;
	range(&i, &n, 24);
	trace("fuzz: munmap page %d +%d\n", i, n);
	if (munmap(pg(i), (size_t)n * PAGE))
		mismatch("munmap page %d +%d: errno %d", i, n, errno);
	dirty_partial(i, i + n);
	for (int k = i; k < i + n; k++)
		win[k].state = S_UNMAPPED;
}

/* Linux's mprotect: ENOMEM if the start is unmapped; else every page up to
 * the first hole changes, then ENOMEM if there is one. */
static void op_mprotect(void)
{
	int i, n, prot = rand_prot();
	range(&i, &n, 24);
	trace("fuzz: mprotect page %d +%d prot %d\n", i, n, prot);
	int r = mprotect(pg(i), (size_t)n * PAGE, prot);
	int k = i;
	while (k < i + n && win[k].state == S_MAPPED)
		k++;
	int want = k == i + n ? 0 : ENOMEM;
	if ((r ? errno : 0) != want)
		mismatch("mprotect page %d +%d: %d (errno %d), model says %d", i, n, r, errno,
			 want);
	dirty_partial(i, k);
	for (int m = i; m < k; m++)
		win[m].prot = (uint8_t)prot;
}

static void op_madvise(void)
{
	static const int advs[] = { MADV_DONTNEED, MADV_FREE, MADV_WILLNEED, MADV_NORMAL,
				    MADV_RANDOM, MADV_SEQUENTIAL };
	int i, n, adv = advs[pick(6)];
	range(&i, &n, 24);
	bool hole = false, shared = false;
	for (int k = i; k < i + n; k++) {
		hole |= win[k].state != S_MAPPED;
		shared |= win[k].state == S_MAPPED && win[k].shared;
	}
	if (adv == MADV_FREE && shared)
		adv = MADV_DONTNEED;       /* MADV_FREE on shared memory: EINVAL part way */
	trace("fuzz: madvise page %d +%d advice %d\n", i, n, adv);
	int r = madvise(pg(i), (size_t)n * PAGE, adv);
	int want = hole ? ENOMEM : 0;
	if ((r ? errno : 0) != want)
		mismatch("madvise page %d +%d advice %d: %d (errno %d), model says %d", i, n, adv,
			 r, errno, want);
	if (adv == MADV_NORMAL || adv == MADV_RANDOM || adv == MADV_SEQUENTIAL)
		dirty_partial(i, i + n);   /* the VMA's flags change: it splits */
	for (int k = i; k < i + n; k++) {
		if (win[k].state != S_MAPPED || win[k].shared)
			continue;
		if (adv == MADV_DONTNEED)
			win[k].val = 0;
		else if (adv == MADV_FREE && win[k].val != 0)
			win[k].val = V_ZERO_OR_KEPT;
	}
}

/* A clean region: one mmap's pages, never split, so one VMA on any kernel. */
static bool find_region(int *start, int *n)
{
	for (int tries = 0; tries < 8; tries++) {
		int k = (int)pick(WIN);
		if (win[k].state != S_MAPPED || region_dirty[win[k].region])
			continue;
		int r = win[k].region, s = k, e = k;
		while (s > 0 && win[s - 1].state == S_MAPPED && win[s - 1].region == r)
			s--;
		while (e < WIN && win[e].state == S_MAPPED && win[e].region == r)
			e++;
		*start = s;
		*n = e - s;
		return true;
	}
	return false;
}

/* A page mremap added past the old end: a private one is new (zero); a
 * shared one maps the object further on, which a shrink may have left
 * holding what was written (not modelled), or is past its end (SIGBUS). */
static void grown_page(struct mpage *m, int objoff)
{
	m->objoff = objoff;
	m->val = m->shared && objoff < m->objsize ? V_UNKNOWN : 0;
}

static void op_mremap(void)
{
	int s, n;
	if (!find_region(&s, &n))
		return;
	int how = (int)pick(4);    /* 0 shrink, 1 grow in place, 2 grow may-move, 3 fixed */
	int nn = how == 0 ? (n > 1 ? 1 + (int)pick((uint64_t)n - 1) : 1)
		 : how == 3 ? 1 + (int)pick((uint64_t)n + 8) : n + 1 + (int)pick(8);
	struct mpage old[WIN];
	memcpy(old, win + s, sizeof(struct mpage) * (size_t)n);
	int region = new_region();

	if (how == 3) {
		int t = (int)pick((uint64_t)(WIN - nn + 1));
		if (t < s + n && t + nn > s)
			return;            /* overlapping: EINVAL, not interesting */
		trace("fuzz: mremap page %d +%d -> page %d +%d fixed\n", s, n, t, nn);
		void *r = mremap(pg(s), (size_t)n * PAGE, (size_t)nn * PAGE,
				 MREMAP_MAYMOVE | MREMAP_FIXED, pg(t));
		if (r != pg(t))
			mismatch("mremap fixed page %d +%d -> %d +%d: %p errno %d", s, n, t, nn, r,
				 errno);
		for (int k = s; k < s + n; k++)
			win[k].state = S_UNMAPPED;
		dirty_partial(t, t + nn);
		for (int k = 0; k < nn; k++) {
			struct mpage m = old[k < n ? k : n - 1];
			if (k >= n)
				grown_page(&m, old[n - 1].objoff + (k - n + 1));
			m.region = region;
			win[t + k] = m;
		}
		return;
	}
	if (how != 0 && s + nn > WIN)
		return;                    /* past the window: not the model's */
	bool room = true;
	for (int k = s + n; k < s + nn && how != 0; k++)
		room &= win[k].state != S_MAPPED;
	trace("fuzz: mremap page %d +%d -> +%d how %d\n", s, n, nn, how);
	void *r = mremap(pg(s), (size_t)n * PAGE, (size_t)nn * PAGE,
			 how == 2 ? MREMAP_MAYMOVE : 0);
	trace("fuzz:   = %p (page %ld), room %d\n", r, ((char *)r - wbase) / (long)PAGE, room);
	if (how == 0 || room) {
		if (r != pg(s))
			mismatch("mremap page %d +%d -> +%d in place: %p errno %d", s, n, nn, r,
				 errno);
		for (int k = s + nn; k < s + n; k++)
			win[k].state = S_UNMAPPED;
		for (int k = 0; k < nn; k++) {
			struct mpage m = old[k < n ? k : n - 1];
			if (k >= n)
				grown_page(&m, old[n - 1].objoff + (k - n + 1));
			m.region = region;
			win[s + k] = m;
		}
		return;
	}
	if (how == 1) {
		if (r != MAP_FAILED || errno != ENOMEM)
			mismatch("mremap page %d +%d -> +%d without room: %p errno %d", s, n, nn, r,
				 errno);
		return;
	}
	/* moved elsewhere: check its pages against the model, then unmap it */
	if (r == MAP_FAILED)
		mismatch("mremap may-move page %d +%d -> +%d: errno %d", s, n, nn, errno);
	for (int k = s; k < s + n; k++)
		win[k].state = S_UNMAPPED;
	not_over_model(r, nn, "mremap's move");
	for (int k = 0; k < n; k++) {
		struct mpage m = old[k];
		if ((m.prot & PROT_READ) && m.val >= 0 && !(m.shared && m.objoff >= m.objsize)) {
			volatile unsigned char *p = (unsigned char *)r + (size_t)k * PAGE;
			int got[2] = { -1, -1 };
			if (do_touch((volatile char *)p, 0, 0, got) || got[0] != m.val)
				mismatch("mremap moved page %d: holds %d, model says %d", k, got[0],
					 m.val);
		}
	}
	munmap(r, (size_t)nn * PAGE);
}

static void op_brk(void)
{
	uintptr_t to = brk_base + pick(BRK_PAGES + 1) * PAGE;
	trace("fuzz: brk %d pages\n", (int)((to - brk_base) / PAGE));
	long r = syscall(SYS_brk, to);
	if ((uintptr_t)r != to)
		mismatch("brk(%#lx) = %#lx", (unsigned long)to, (unsigned long)r);
	for (uintptr_t p = to; p < brk_cur; p += PAGE)
		brk_val[(p - brk_base) / PAGE] = 0;    /* gone: zero when it comes back */
	brk_cur = to;
}

static void touch_brk(int write)
{
	int i = (int)pick(BRK_PAGES);
	volatile char *p = (char *)brk_base + (size_t)i * PAGE;
	int got[2] = { -1, -1 }, val = (int)pick(255) + 1;
	bool ok = (uintptr_t)p < brk_cur;

	mm_touches++;
	trace("fuzz: touch %s brk page %d\n", write ? "write" : "read", i);
	int sig = do_touch(p, write, val, got);
	if (ok && sig)
		mismatch("brk page %d: %s took signal %d", i, write ? "write" : "read", sig);
	if (!ok && (sig != SIGSEGV || touch_code != SEGV_MAPERR))
		mismatch("brk page %d past the break: %s took signal %d code %d", i,
			 write ? "write" : "read", sig, touch_code);
	if (!ok)
		return;
	if (write)
		brk_val[i] = val;
	else if (got[0] != brk_val[i] || got[1] != brk_val[i])
		mismatch("brk page %d holds %d/%d, model says %d", i, got[0], got[1], brk_val[i]);
}

static void child_mm(uint64_t seed, int ops, int verbose)
{
	rng = seed;
	if (verbose)
		trace_fd = dup(2);
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER };
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	/* the window: reserved to learn a free range, then given back */
	wbase = mmap(NULL, WIN * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (wbase == MAP_FAILED || munmap(wbase, WIN * PAGE))
		mismatch("cannot reserve the window: errno %d", errno);
	brk_base = ((uintptr_t)sbrk(0) + PAGE - 1) & ~(PAGE - 1);
	if ((uintptr_t)syscall(SYS_brk, brk_base) != brk_base)
		mismatch("cannot set the break to %#lx", (unsigned long)brk_base);
	brk_cur = brk_base;

	for (int o = 0; o < ops; o++) {
		ctl->n = (uint64_t)o + 1;
		mm_ops++;
		switch (pick(16)) {
		case 0: case 1: case 2: op_mmap(); break;
		case 3: op_munmap(); break;
		case 4: case 5: op_mprotect(); break;
		case 6: op_madvise(); break;
		case 7: case 8: op_mremap(); break;
		case 9: op_brk(); break;
		case 10: touch_brk((int)pick(2)); break;
		default: touch_win((int)pick(WIN), (int)pick(2)); break;
		}
	}
	/* every page once more, read */
	for (int i = 0; i < WIN; i++)
		touch_win(i, 0);
	_exit(0);
}

/* ---- the watcher -------------------------------------------------------- */

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void nap(void)
{
	struct timespec t = { 0, 2000000 };
	nanosleep(&t, NULL);
}

enum outcome { O_EXITED, O_SIGNALED, O_TIMEOUT, O_UNREAPED, O_MISMATCH, NOUTCOMES };
static const char *const outcome_name[] = { "exited", "killed by a signal", "timed out (killed)",
					    "never reaped", "model mismatch" };
static long outcomes[NOUTCOMES];
static unsigned long long calls_made;

/* waitpid with WNOHANG until each child ends or its time is up; then
 * SIGKILL and the same again: a child SIGKILL does not end is a hang. */
static void watch_all(const pid_t *pid, int n, struct ctl *const *rec, int *status,
		      enum outcome *o)
{
	uint64_t t0[MAX_JOBS];
	bool killed[MAX_JOBS], done[MAX_JOBS];
	int left = n;

	for (int j = 0; j < n; j++) {
		t0[j] = now_ms();
		killed[j] = done[j] = false;
	}
	while (left) {
		for (int j = 0; j < n; j++) {
			if (done[j])
				continue;
			pid_t w = waitpid(pid[j], &status[j], WNOHANG);
			if (w == pid[j]) {
				o[j] = killed[j] ? O_TIMEOUT : WIFSIGNALED(status[j]) ? O_SIGNALED
				     : rec[j]->mismatch ? O_MISMATCH : O_EXITED;
			} else if (w < 0 && errno != EINTR) {
				printf("fuzz: waitpid(%d): %s\n", pid[j], strerror(errno));
				o[j] = O_UNREAPED;
			} else {
				uint64_t t = now_ms() - t0[j];
				if (!killed[j] && t > CHILD_TIMEOUT_MS) {
					kill(pid[j], SIGKILL);
					killed[j] = true;
					t0[j] = now_ms();
					continue;
				}
				if (!killed[j] || t <= REAP_TIMEOUT_MS)
					continue;
				o[j] = O_UNREAPED;
			}
			done[j] = true;
			left--;
		}
		if (left)
			nap();
	}
}

/* The processes of uid 65534 left (a clone's, if it outlived its child):
 * killed, and the watcher's own children among them reaped. Returns how
 * many are still there after the wait. */
static int sweep(void)
{
	static char buf[2048];
	uint64_t t0 = now_ms();
	int left;
	do {
		left = 0;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		DIR *d = opendir("/proc");
		if (!d)
			return 0;
		struct dirent *e;
		while ((e = readdir(d))) {
			char *end;
			long pid = strtol(e->d_name, &end, 10);
			if (*end || pid <= 1 || pid == getpid())
				continue;
			char path[64];
			snprintf(path, sizeof(path), "/proc/%ld/status", pid);
			int fd = open(path, O_RDONLY);
			if (fd < 0)
				continue;
			ssize_t n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (n <= 0)
				continue;
			buf[n] = 0;
			char *u = strstr(buf, "\nUid:");
			if (u && strtol(u + 5, NULL, 10) == NOBODY) {
				kill((pid_t)pid, SIGKILL);
				left++;
			}
		}
		closedir(d);
		if (left)
			nap();
	} while (left && now_ms() - t0 < REAP_TIMEOUT_MS);
	return left;
}

/* rm -r of what is inside dirfd, keeping the names in keep (for /tmp:
 * what was there before the run). No malloc: the leak check counts pages. */
static char keep_names[32][256];
static int nkeep;

static void remove_inside(int dirfd, int depth, bool keep)
{
	char buf[1024];
	for (;;) {
		long n = syscall(SYS_getdents64, dirfd, buf, sizeof(buf));
		if (n <= 0)
			return;
		bool removed = false;
		for (long off = 0; off < n;) {
			struct dirent64 *e = (struct dirent64 *)(buf + off);
			off += e->d_reclen;
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			bool kept = false;
			for (int i = 0; keep && i < nkeep; i++)
				kept |= !strcmp(keep_names[i], e->d_name);
			if (kept)
				continue;
			if (unlinkat(dirfd, e->d_name, 0) == 0) {
				removed = true;
				continue;
			}
			int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			if (sub >= 0 && depth < 16) {
				fchmod(sub, 0700);
				remove_inside(sub, depth + 1, false);
			}
			if (sub >= 0)
				close(sub);
			if (unlinkat(dirfd, e->d_name, AT_REMOVEDIR) == 0)
				removed = true;
		}
		if (removed)
			lseek(dirfd, 0, SEEK_SET);
	}
}

static void clean_dir(const char *path, bool keep)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return;
	remove_inside(fd, 0, keep);
	close(fd);
}

static void note_tmp(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *e;
	while (d && (e = readdir(d)) && nkeep < 32)
		snprintf(keep_names[nkeep++], sizeof(keep_names[0]), "%s", e->d_name);
	if (d)
		closedir(d);
}

struct balance {
	long free_kb, committed_kb, heap_used_kb;
};

static long meminfo_field(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

static void read_balance(struct balance *b)
{
	static char text[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	if (fd >= 0)
		close(fd);
	text[n > 0 ? n : 0] = 0;
	b->free_kb = meminfo_field(text, "\nMemFree:");
	b->committed_kb = meminfo_field(text, "\nCommitted_AS:");
	long total = meminfo_field(text, "\nKernelHeapTotal:");
	long hfree = meminfo_field(text, "\nKernelHeapFree:");
	b->heap_used_kb = total < 0 || hfree < 0 ? -1 : total - hfree;
}

static bool on_bramble(void)
{
	struct utsname u;
	size_t n;
	if (uname(&u))
		return false;
	n = strlen(u.release);
	return n >= 8 && !strcmp(u.release + n - 8, "-bramble");
}

static void print_last(const struct ctl *rec, uint64_t seed)
{
	uint64_t n = rec->n;
	printf("fuzz: child seed %llu: its last calls (of %llu; ret -4096: did not return, "
	       "-5000: skipped):\n",
	       (unsigned long long)seed, (unsigned long long)n);
	for (uint64_t k = n > NLAST ? n - NLAST : 0; k < n; k++) {
		const struct call_rec *r = &rec->last[k % NLAST];
		printf("fuzz:   #%llu %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n",
		       (unsigned long long)k, r->nr, r->a[0], r->a[1], r->a[2], r->a[3], r->a[4],
		       r->a[5], r->ret);
	}
}

/* Grow the watcher's stack now, so the leak check does not see it grow. */
static void __attribute__((noinline)) pretouch_stack(void)
{
	volatile char big[96 * 1024];
	for (size_t i = 0; i < sizeof(big); i += PAGE)
		big[i] = 0;
}

/* What /proc says of a process that would not die: its state and threads. */
static void print_proc(pid_t pid)
{
	static char buf[2048];
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		if (!strncmp(l, "State:", 6) || !strncmp(l, "Threads:", 8) || !strncmp(l, "Sig", 3) ||
		    !strncmp(l, "Shd", 3))
			printf("fuzz:   %s\n", l);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			printf("fuzz:   thread %s\n", e->d_name);
	if (d)
		closedir(d);
}

static int usage(void)
{
	fprintf(stderr, "usage: fuzz [random|mm] SEED COUNT [CALLS [JOBS]]\n"
			"       fuzz one|mm1 CHILDSEED [CALLS]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *mode = "random";
	int a = 1;
	if (argc > 1 && (!strcmp(argv[1], "random") || !strcmp(argv[1], "mm") ||
			 !strcmp(argv[1], "one") || !strcmp(argv[1], "mm1")))
		mode = argv[a++];
	bool mm = !strcmp(mode, "mm") || !strcmp(mode, "mm1");
	bool single = !strcmp(mode, "one") || !strcmp(mode, "mm1");
	if (argc - a < (single ? 1 : 2))
		return usage();
	uint64_t seed = strtoull(argv[a++], NULL, 0);
	long count = single ? 1 : strtol(argv[a++], NULL, 0);
	int calls = argc > a ? atoi(argv[a++]) : mm ? 300 : 200;
	int jobs = argc > a ? atoi(argv[a]) : 1;
	bool bramble = on_bramble();

	if (jobs < 1 || jobs > MAX_JOBS)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mm && !bramble) {
		printf("fuzz: the random mode runs only on Bramble\n");
		return 2;
	}
	size_t ctls_len = (MAX_JOBS * sizeof(struct ctl) + PAGE - 1) & ~(PAGE - 1);
	ctls = mmap(NULL, ctls_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ctls == MAP_FAILED)
		return 1;
	memset(ctls, 0, ctls_len);     /* its pages and table now, not in the leak check */
	printf("fuzz: %s mode, seed %llu, %ld children of %d %s, %d at a time\n", mode,
	       (unsigned long long)seed, count, calls, mm ? "operations" : "calls", jobs);

	static char dir[64];
	snprintf(dir, sizeof(dir), "/tmp/fuzz.%d", getpid());
	note_tmp();
	pretouch_stack();
	struct balance before, after;
	sweep();
	read_balance(&before);
	read_balance(&before);
	if (!mm && (mkdir(dir, 0777) || chmod(dir, 0777) || chdir(dir))) {
		printf("fuzz: cannot make %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (nkeep < 32)                /* the children's directory: cleaned, kept */
		snprintf(keep_names[nkeep++], sizeof(keep_names[0]), "%s", dir + 5);

	long unreaped = 0, left_over = 0;
	for (long i = 0; i < count; i += jobs) {
		int nj = count - i < jobs ? (int)(count - i) : jobs, status[MAX_JOBS] = { 0 };
		pid_t pid[MAX_JOBS];
		uint64_t cs[MAX_JOBS];
		struct ctl *rec[MAX_JOBS];
		enum outcome o[MAX_JOBS];
		for (int j = 0; j < nj; j++) {
			cs[j] = single ? seed : mix(seed, (uint64_t)(i + j));
			rec[j] = &ctls[j];
			memset(rec[j], 0, sizeof(*rec[j]));
			/* before it runs: after a panic, the last such lines name it */
			printf("fuzz: child %ld seed %llu\n", i + j, (unsigned long long)cs[j]);
			char sub[16];
			snprintf(sub, sizeof(sub), "j%d", j);
			if (!mm && jobs > 1 && mkdir(sub, 0777) && errno != EEXIST)
				printf("fuzz: cannot make %s/%s: %s\n", dir, sub, strerror(errno));
			pid[j] = fork();
			if (pid[j] == 0) {
				ctl = rec[j];
				if (!mm && jobs > 1 && chdir(sub))
					_exit(124);
				if (mm)
					child_mm(cs[j], calls, single);
				child_random(cs[j], calls, single);
			}
			if (pid[j] < 0) {
				printf("fuzz: fork: %s\n", strerror(errno));
				nj = j;
				count = i + j;       /* what ran is what is counted */
				break;
			}
		}
		watch_all(pid, nj, rec, status, o);
		for (int j = 0; j < nj; j++) {
			outcomes[o[j]]++;
			calls_made += rec[j]->n;
			if (o[j] == O_UNREAPED) {
				unreaped++;
				printf("fuzz: child %ld (pid %d, seed %llu) not reaped %d ms after SIGKILL\n",
				       i + j, pid[j], (unsigned long long)cs[j], REAP_TIMEOUT_MS);
				print_last(rec[j], cs[j]);
				print_proc(pid[j]);
			} else if (o[j] == O_MISMATCH) {
				printf("fuzz: child %ld (seed %llu) model mismatch after %llu operations: %s\n",
				       i + j, (unsigned long long)cs[j], (unsigned long long)rec[j]->n,
				       rec[j]->msg);
			} else if (single || (!mm && rec[j]->n == 0)) {   /* one, or a failed setup */
				printf("fuzz: child %ld (seed %llu) ended with status %#x after %llu calls\n",
				       i + j, (unsigned long long)cs[j], status[j],
				       (unsigned long long)rec[j]->n);
			}
		}
		int l = sweep();
		if (l) {
			left_over += l;
			printf("fuzz: children %ld..%ld: %d processes of uid %d outlived SIGKILL\n", i,
			       i + nj - 1, l, NOBODY);
			for (int j = 0; j < nj; j++)
				print_last(rec[j], cs[j]);
		}
		if (!mm) {
			clean_dir(".", false);
			clean_dir("/tmp", true);
			clean_dir("/dev/shm", false);
		}
	}
	if (!mm && (chdir("/") || rmdir(dir)))
		printf("fuzz: cannot remove %s: %s\n", dir, strerror(errno));
	sweep();
	read_balance(&after);

	printf("fuzz: %ld children, %llu %s:", count, calls_made, mm ? "operations" : "calls");
	for (int o = 0; o < NOUTCOMES; o++)
		printf(" %ld %s%s", outcomes[o], outcome_name[o], o + 1 < NOUTCOMES ? "," : "\n");
	bool leak = false;
	if (bramble) {
		leak = before.free_kb != after.free_kb || before.committed_kb != after.committed_kb ||
		       before.heap_used_kb != after.heap_used_kb;
		printf("fuzz: leak check: free %ld kB -> %ld kB, committed %ld kB -> %ld kB, "
		       "kernel heap used %ld kB -> %ld kB: %s\n",
		       before.free_kb, after.free_kb, before.committed_kb, after.committed_kb,
		       before.heap_used_kb, after.heap_used_kb, leak ? "LEAK" : "ok");
	} else {
		printf("fuzz: leak check skipped: not Bramble (Linux keeps caches)\n");
	}
	bool failed = leak || unreaped || left_over || outcomes[O_MISMATCH];
	printf("fuzz: %s %s seed %llu count %ld\n", failed ? "FAIL" : "PASS", mode,
	       (unsigned long long)seed, count);
	return failed ? 1 : 0;
}
