/*
 * vdso: the kernel's vDSO, as a program finds and uses it.
 *
 *   vdso [ROUNDS]        (default 20000: monotonic readings compared in a row)
 *
 * AT_SYSINFO_EHDR must name an ELF shared object (its magic, class and
 * machine, a PT_LOAD at 0, a PT_DYNAMIC with its symbol and string tables,
 * a hash table, version definitions); its clock functions must be found
 * as dynamic symbols of version LINUX_2.6.39, as glibc looks them up
 * (arm64's names; on x86-64, where the same program also runs against
 * Linux's own vDSO, __vdso_* of LINUX_2.6). Called directly, each clock's
 * reading must lie between two system calls' (clock_gettime(2) through
 * syscall(2)), the monotonic clocks must never go back over ROUNDS calls,
 * gettimeofday must agree with its system call (time zone included),
 * clock_getres must equal the system call's for every clock (a NULL
 * result too), and a bad clock id must give -EINVAL from every call, as
 * the system call's EINVAL. glibc's clock_gettime must agree with both.
 * A signal handler's return address must be __kernel_rt_sigreturn, inside
 * the vDSO (on arm64, where glibc gives no SA_RESTORER), the handler must
 * return to the interrupted code with its registers intact, and an
 * unwinder must walk out of the handler through that trampoline.
 * A forked child must have the same vDSO, working, and a child pinned to
 * each CPU of the affinity mask must read the clock there (EL0's counter
 * access is per CPU). /proc/self/maps must name the image [vdso] (r-xp)
 * and its data page [vvar] (r--p), which a write faults on and mprotect
 * will not make writable (EACCES).
 * clock_settime and settimeofday refuse other clocks and bad times
 * (EINVAL) and act only with CAP_SYS_TIME (EPERM); on Bramble, as root,
 * CLOCK_REALTIME is moved ahead and back: the vDSO and gettimeofday follow
 * at once, CLOCK_MONOTONIC does not move, absolute CLOCK_REALTIME deadlines
 * (clock_nanosleep, FUTEX_CLOCK_REALTIME, timer_settime) are on the new
 * time, and a time zone set is what gettimeofday reports.
 *
 * Prints "PASS vdso.<case>" or "FAIL vdso.<case>: <why>" lines and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "vdso"
#include "check.h"
#include <elf.h>
#include <execinfo.h>
#include <link.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/time.h>
#include <time.h>

#ifdef __aarch64__
#define SYM_PREFIX "__kernel_"
#define VDSO_VERSION "LINUX_2.6.39"
#define EXPECT_MACHINE EM_AARCH64
#else
#define SYM_PREFIX "__vdso_"
#define VDSO_VERSION "LINUX_2.6"
#define EXPECT_MACHINE EM_X86_64
#endif

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);
typedef int (*gettimeofday_fn)(struct timeval *, struct timezone *);
typedef int (*clock_getres_fn)(clockid_t, struct timespec *);

/* What the ELF image tells: where it lies and its dynamic symbols. */
struct vdso_image {
	uintptr_t base, end;            /* the mapping of its PT_LOAD */
	uintptr_t bias;                 /* base - the PT_LOAD's vaddr */
	const ElfW(Sym) *symtab;
	const char *strtab;
	const ElfW(Half) *versym;
	const ElfW(Verdef) *verdef;
	uint32_t nsyms;
};

static struct vdso_image vdso;
static uintptr_t vvar_start;       /* the data page's mapping, from /proc/self/maps */

static const struct { clockid_t id; const char *name; } clocks[] = {
	{ CLOCK_REALTIME, "realtime" }, { CLOCK_MONOTONIC, "monotonic" },
	{ CLOCK_MONOTONIC_RAW, "monotonic_raw" }, { CLOCK_REALTIME_COARSE, "realtime_coarse" },
	{ CLOCK_MONOTONIC_COARSE, "monotonic_coarse" }, { CLOCK_BOOTTIME, "boottime" },
	{ CLOCK_TAI, "tai" }, { CLOCK_PROCESS_CPUTIME_ID, "process_cputime" },
	{ CLOCK_THREAD_CPUTIME_ID, "thread_cputime" },
};
/* Not 16 and up: Linux 6.17 made 16..23 its auxiliary clocks. */
static const clockid_t bad_clocks[] = { 10 /* CLOCK_SGI_CYCLE */, 12, 15, 99 };

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static int64_t tv_us(const struct timeval *t)
{
	return (int64_t)t->tv_sec * 1000000 + t->tv_usec;
}

/* ---- the ELF image ------------------------------------------------------- */

/* The symbol count from a GNU hash table: past the highest chain's end. */
static uint32_t gnu_hash_nsyms(const uint32_t *h)
{
	uint32_t nbuckets = h[0], symoffset = h[1], bloom = h[2], last = 0;
	const uint32_t *buckets = h + 4 + bloom * (sizeof(ElfW(Addr)) / 4);
	const uint32_t *chain = buckets + nbuckets;

	for (uint32_t i = 0; i < nbuckets; i++)
		if (buckets[i] > last)
			last = buckets[i];
	if (last < symoffset)
		return symoffset;
	while (!(chain[last - symoffset] & 1))
		last++;
	return last + 1;
}

/* Reads the dynamic section's tables; false (and a FAIL) if one is missing. */
static bool read_dynamic(const ElfW(Dyn) *dyn)
{
	const uint32_t *hash = NULL, *gnu_hash = NULL;

	for (; dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = vdso.bias + dyn->d_un.d_ptr;
		switch (dyn->d_tag) {
		case DT_SYMTAB: vdso.symtab = (const ElfW(Sym) *)p; break;
		case DT_STRTAB: vdso.strtab = (const char *)p; break;
		case DT_HASH: hash = (const uint32_t *)p; break;
		case DT_GNU_HASH: gnu_hash = (const uint32_t *)p; break;
		case DT_VERSYM: vdso.versym = (const ElfW(Half) *)p; break;
		case DT_VERDEF: vdso.verdef = (const ElfW(Verdef) *)p; break;
		}
	}
	check(vdso.symtab && vdso.strtab, "elf.symtab", "no DT_SYMTAB or DT_STRTAB");
	check(hash || gnu_hash, "elf.hash", "neither DT_HASH nor DT_GNU_HASH");
	check(vdso.versym && vdso.verdef, "elf.versions", "no DT_VERSYM or DT_VERDEF");
	if (!vdso.symtab || !vdso.strtab || !(hash || gnu_hash) || !vdso.versym || !vdso.verdef)
		return false;
	vdso.nsyms = hash ? hash[1] : gnu_hash_nsyms(gnu_hash);
	return true;
}

/* Checks the image at base and reads its tables: false if unusable. */
static bool parse_image(uintptr_t base)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
	const ElfW(Dyn) *dyn = NULL;
	bool loaded = false;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_type != ET_DYN || eh->e_machine != EXPECT_MACHINE) {
		fail("elf.header", "not a 64-bit shared object of this machine at %#lx", (unsigned long)base);
		return false;
	}
	pass("elf.header");
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !loaded) {
			loaded = ph[i].p_offset == 0;
			vdso.bias = base - ph[i].p_vaddr;
			vdso.base = base;
			vdso.end = base + ph[i].p_memsz;
		}
	}
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(vdso.bias + ph[i].p_vaddr);
	check(loaded, "elf.pt_load", "no PT_LOAD from file offset 0");
	check(dyn != NULL, "elf.pt_dynamic", "no PT_DYNAMIC");
	return loaded && dyn && read_dynamic(dyn);
}

/* The name of the version a symbol's versym index names, or NULL. */
static const char *version_name(ElfW(Half) index)
{
	const ElfW(Verdef) *vd = vdso.verdef;

	for (;;) {
		if (!(vd->vd_flags & VER_FLG_BASE) && (vd->vd_ndx & 0x7fff) == (index & 0x7fff)) {
			const ElfW(Verdaux) *aux = (const ElfW(Verdaux) *)((const char *)vd + vd->vd_aux);
			return vdso.strtab + aux->vda_name;
		}
		if (!vd->vd_next)
			return NULL;
		vd = (const ElfW(Verdef) *)((const char *)vd + vd->vd_next);
	}
}

/* The address of the defined function symbol name@VDSO_VERSION, or NULL. */
static void *find_symbol(const char *name)
{
	for (uint32_t i = 1; i < vdso.nsyms; i++) {
		const ElfW(Sym) *s = &vdso.symtab[i];
		const char *v;
		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
		    strcmp(vdso.strtab + s->st_name, name) != 0)
			continue;
		if ((v = version_name(vdso.versym[i])) && strcmp(v, VDSO_VERSION) == 0)
			return (void *)(vdso.bias + s->st_value);
	}
	return NULL;
}

static void *expect_symbol(const char *what)
{
	char name[64], cs[80];
	void *p;

	snprintf(name, sizeof name, SYM_PREFIX "%s", what);
	snprintf(cs, sizeof cs, "sym.%s", what);
	p = find_symbol(name);
	if (!p)
		fail(cs, "no %s@%s in the dynamic symbols", name, VDSO_VERSION);
	else if ((uintptr_t)p < vdso.base || (uintptr_t)p >= vdso.end)
		fail(cs, "%s at %p, outside the image [%#lx, %#lx)", name, p,
		     (unsigned long)vdso.base, (unsigned long)vdso.end);
	else
		pass(cs);
	return p;
}

/* ---- the clocks ------------------------------------------------------------ */

static long sys_gettime(clockid_t c, struct timespec *t)
{
	return syscall(SYS_clock_gettime, c, t);
}

/* Each clock's vDSO reading lies between two system calls' readings. */
static void test_bracketed(clock_gettime_fn vgettime)
{
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		struct timespec a, v, b;
		char cs[64];
		snprintf(cs, sizeof cs, "gettime.%s", clocks[i].name);
		long ra = sys_gettime(clocks[i].id, &a);
		int rv = vgettime(clocks[i].id, &v);
		long rb = sys_gettime(clocks[i].id, &b);
		if (ra || rv || rb)
			fail(cs, "returned %ld, %d (vDSO), %ld", ra, rv, rb);
		else if (v.tv_nsec < 0 || v.tv_nsec >= 1000000000)
			fail(cs, "tv_nsec %ld out of range", (long)v.tv_nsec);
		else if (ts_ns(&v) < ts_ns(&a) || ts_ns(&v) > ts_ns(&b))
			fail(cs, "vDSO %lld ns not within the system calls' [%lld, %lld]",
			     (long long)ts_ns(&v), (long long)ts_ns(&a), (long long)ts_ns(&b));
		else
			pass(cs);
	}
}

/* The monotonic clocks never go back, read by the vDSO alone and
 * interleaved with the system call. */
static void test_monotonic(clock_gettime_fn vgettime, long rounds)
{
	static const struct { clockid_t id; const char *name; } mono[] = {
		{ CLOCK_MONOTONIC, "monotonic" }, { CLOCK_MONOTONIC_RAW, "monotonic_raw" },
		{ CLOCK_BOOTTIME, "boottime" },
	};

	for (size_t c = 0; c < sizeof(mono) / sizeof(mono[0]); c++) {
		struct timespec t;
		int64_t last = 0, back = 0;
		char cs[64];
		snprintf(cs, sizeof cs, "monotonic.%s", mono[c].name);
		for (long i = 0; i < rounds && !back; i++) {
			clockid_t id = mono[c].id;
			if ((i % 64 == 63 ? sys_gettime(id, &t) : vgettime(id, &t)) != 0)
				back = -1;
			else if (ts_ns(&t) < last)
				back = last - ts_ns(&t);
			else
				last = ts_ns(&t);
		}
		if (back)
			fail(cs, back < 0 ? "a call failed" : "went back by %lld ns", (long long)back);
		else
			pass(cs);
	}
}

static void test_gettimeofday(gettimeofday_fn vgtod)
{
	struct timeval a, v, b;
	struct timezone sz = { -1, -1 }, vz = { -2, -2 };

	long ra = syscall(SYS_gettimeofday, &a, &sz);
	int rv = vgtod(&v, &vz);
	long rb = syscall(SYS_gettimeofday, &b, NULL);
	if (ra || rv || rb)
		fail("gettimeofday", "returned %ld, %d (vDSO), %ld", ra, rv, rb);
	else if (tv_us(&v) < tv_us(&a) || tv_us(&v) > tv_us(&b) || v.tv_usec >= 1000000)
		fail("gettimeofday", "vDSO %lld us not within [%lld, %lld]", (long long)tv_us(&v),
		     (long long)tv_us(&a), (long long)tv_us(&b));
	else
		pass("gettimeofday");
	check(vz.tz_minuteswest == sz.tz_minuteswest && vz.tz_dsttime == sz.tz_dsttime,
	      "gettimeofday.timezone", "the vDSO's time zone differs from the system call's");
	check(vgtod(NULL, NULL) == 0, "gettimeofday.null", "gettimeofday(NULL, NULL) failed");
	/* Against CLOCK_REALTIME, the same clock in microseconds. */
	struct timespec r;
	rv = vgtod(&v, NULL);
	sys_gettime(CLOCK_REALTIME, &r);
	check(rv == 0 && tv_us(&v) <= ts_ns(&r) / 1000, "gettimeofday.realtime",
	      "gettimeofday ahead of CLOCK_REALTIME read after it");
}

static void test_getres(clock_getres_fn vgetres)
{
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		struct timespec s = { -1, -1 }, v = { -2, -2 };
		char cs[64];
		snprintf(cs, sizeof cs, "getres.%s", clocks[i].name);
		long rs = syscall(SYS_clock_getres, clocks[i].id, &s);
		int rv = vgetres(clocks[i].id, &v);
		if (rs || rv)
			fail(cs, "returned %ld, %d (vDSO)", rs, rv);
		else if (s.tv_sec != v.tv_sec || s.tv_nsec != v.tv_nsec || (!v.tv_sec && !v.tv_nsec))
			fail(cs, "vDSO %ld.%09ld, system call %ld.%09ld", (long)v.tv_sec, (long)v.tv_nsec,
			     (long)s.tv_sec, (long)s.tv_nsec);
		else
			pass(cs);
	}
	check(vgetres(CLOCK_MONOTONIC, NULL) == 0 && vgetres(CLOCK_REALTIME, NULL) == 0,
	      "getres.null", "clock_getres with a NULL result failed");
}

/* A bad id: -EINVAL from the vDSO's calls (they return what the system
 * call returns), EINVAL from the system call and glibc. */
static void test_bad_clock(clock_gettime_fn vgettime, clock_getres_fn vgetres)
{
	for (size_t i = 0; i < sizeof(bad_clocks) / sizeof(bad_clocks[0]); i++) {
		struct timespec t;
		char cs[64];
		long r;
		int e;
		snprintf(cs, sizeof cs, "bad_clock.%d.syscall", bad_clocks[i]);
		CALL(r, e, sys_gettime(bad_clocks[i], &t));
		expect_error(cs, r, e, EINVAL);
		snprintf(cs, sizeof cs, "bad_clock.%d.vdso", bad_clocks[i]);
		r = vgettime(bad_clocks[i], &t);
		check(r == -EINVAL, cs, "__kernel_clock_gettime did not return -EINVAL");
		snprintf(cs, sizeof cs, "bad_clock.%d.getres", bad_clocks[i]);
		check(vgetres(bad_clocks[i], &t) == -EINVAL && vgetres(bad_clocks[i], NULL) == -EINVAL,
		      cs, "__kernel_clock_getres did not return -EINVAL");
		snprintf(cs, sizeof cs, "bad_clock.%d.glibc", bad_clocks[i]);
		CALL(r, e, clock_gettime(bad_clocks[i], &t));
		expect_error(cs, r, e, EINVAL);
	}
}

/* glibc's clock_gettime (which calls the vDSO when there is one) agrees
 * with the vDSO called directly, on both sides of it. */
static void test_glibc(clock_gettime_fn vgettime)
{
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		struct timespec a, g, b;
		char cs[64];
		snprintf(cs, sizeof cs, "glibc.%s", clocks[i].name);
		int ra = vgettime(clocks[i].id, &a);
		int rg = clock_gettime(clocks[i].id, &g);
		int rb = vgettime(clocks[i].id, &b);
		if (ra || rg || rb)
			fail(cs, "returned %d, %d (glibc), %d", ra, rg, rb);
		else if (ts_ns(&g) < ts_ns(&a) || ts_ns(&g) > ts_ns(&b))
			fail(cs, "glibc %lld ns not within the vDSO's [%lld, %lld]", (long long)ts_ns(&g),
			     (long long)ts_ns(&a), (long long)ts_ns(&b));
		else
			pass(cs);
	}
	struct timeval v;
	struct timespec a, b;
	clock_gettime(CLOCK_REALTIME, &a);
	int r = gettimeofday(&v, NULL);
	clock_gettime(CLOCK_REALTIME, &b);
	check(r == 0 && tv_us(&v) >= ts_ns(&a) / 1000 && tv_us(&v) <= ts_ns(&b) / 1000,
	      "glibc.gettimeofday", "glibc's gettimeofday not within CLOCK_REALTIME's readings");
}

/* ---- signals ------------------------------------------------------------------ */

static volatile uintptr_t handler_return;
static volatile int handler_frames, trampoline_frame = -1;

static __attribute__((noinline)) void on_usr1(int sig)
{
	void *frames[32];

	(void)sig;
	handler_return = (uintptr_t)__builtin_return_address(0);
	handler_frames = backtrace(frames, 32);
	for (int i = 0; i < handler_frames; i++)
		if ((uintptr_t)frames[i] == handler_return && trampoline_frame < 0)
			trampoline_frame = i;
}

static void test_signal_return(void *sigreturn)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	volatile uint64_t kept = 0x1234567890abcdefULL;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) != 0) {
		fail("signal.sigaction", "%s", strerror(errno));
		return;
	}
	int r = raise(SIGUSR1);
	check(r == 0 && handler_return != 0 && kept == 0x1234567890abcdefULL, "signal.returns",
	      "the handler did not return to the interrupted code intact");
#ifdef __aarch64__
	if (handler_return == (uintptr_t)sigreturn)
		pass("signal.return_address");
	else
		fail("signal.return_address", "x30 %#lx, __kernel_rt_sigreturn at %p",
		     (unsigned long)handler_return, sigreturn);
	check(handler_return >= vdso.base && handler_return < vdso.end, "signal.in_vdso",
	      "the handler's return address is outside the vDSO");
	/* The trampoline's unwind information leads on out of it. */
	if (trampoline_frame >= 0 && handler_frames > trampoline_frame + 1)
		pass("signal.unwind");
	else
		fail("signal.unwind", "backtrace: %d frames, the trampoline at %d", handler_frames,
		     trampoline_frame);
#else
	(void)sigreturn;
#endif
	signal(SIGUSR1, SIG_DFL);
}

/* After fork the child has the same vDSO, and it works there: a clock
 * read and a signal handled (the child's exit status says). */
static clock_gettime_fn child_gettime;

static void vdso_in_child(void *arg)
{
	struct timespec a, v, b;

	(void)arg;
	handler_return = 0;
	sys_gettime(CLOCK_MONOTONIC, &a);
	int r = child_gettime(CLOCK_MONOTONIC, &v);
	sys_gettime(CLOCK_MONOTONIC, &b);
	if (r || ts_ns(&v) < ts_ns(&a) || ts_ns(&v) > ts_ns(&b) ||
	    getauxval(AT_SYSINFO_EHDR) != vdso.base)
		_exit(2);
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	_exit(handler_return ? 0 : 3);
}

static void test_fork(clock_gettime_fn vgettime)
{
	child_gettime = vgettime;
	int st = in_child(vdso_in_child, NULL);
	check(exited_with(st, 0), "fork", describe(st));
}

/* On every CPU the process may run on: EL0 reads the counter there
 * (CNTKCTL_EL1 of each CPU lets it; else the read is an undefined
 * instruction, SIGILL) and the reading lies between the system calls'. */
static void clock_on_this_cpu(void *arg)
{
	cpu_set_t one;
	struct timespec a, v, b;

	CPU_ZERO(&one);
	CPU_SET(*(int *)arg, &one);
	if (sched_setaffinity(0, sizeof(one), &one) != 0 || sched_getcpu() != *(int *)arg)
		_exit(2);
	for (int i = 0; i < 100; i++) {
		sys_gettime(CLOCK_MONOTONIC, &a);
		int r = child_gettime(CLOCK_MONOTONIC, &v);
		sys_gettime(CLOCK_MONOTONIC, &b);
		if (r || ts_ns(&v) < ts_ns(&a) || ts_ns(&v) > ts_ns(&b))
			_exit(3);
	}
	_exit(0);
}

static void test_every_cpu(clock_gettime_fn vgettime)
{
	cpu_set_t set;
	int bad = -1, n = 0, st = 0;

	child_gettime = vgettime;
	if (sched_getaffinity(0, sizeof(set), &set) != 0) {
		fail("every_cpu", "sched_getaffinity: %s", strerror(errno));
		return;
	}
	for (int c = 0; c < CPU_SETSIZE && bad < 0; c++) {
		if (!CPU_ISSET(c, &set))
			continue;
		n++;
		st = in_child(clock_on_this_cpu, &c);
		if (!exited_with(st, 0))
			bad = c;
	}
	if (bad >= 0)
		fail("every_cpu", "on CPU %d: %s", bad, describe(st));
	else
		pass("every_cpu");
	printf("vdso: clocks read on %d CPUs\n", n);
}

/* /proc/self/maps calls the image's mapping [vdso] and its data page
 * [vvar], read-only (where there is a /proc). */
static void test_maps(void)
{
	char line[512];
	bool named = false, vvar = false;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f) {
		fail("maps", "cannot open /proc/self/maps: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof line, f)) {
		unsigned long s, e;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &s, &e, perms) != 3)
			continue;
		if (s == vdso.base && strstr(line, "[vdso]") && strcmp(perms, "r-xp") == 0)
			named = true;
		if (strstr(line, "[vvar]") && strcmp(perms, "r--p") == 0) {
			vvar = true;
			vvar_start = s;
		}
	}
	fclose(f);
	check(named, "maps.vdso", "no r-xp [vdso] line at the image's address");
	check(vvar, "maps.vvar", "no r--p [vvar] line");
}

/* The data page is the kernel's: EL0 cannot write it, nor mprotect it
 * writable (EACCES, as Linux's VM_MAYWRITE-less mapping). */
static void test_vvar_read_only(void)
{
	long r;
	int e;

	if (!vvar_start) {
		fail("vvar.read_only", "no [vvar] mapping found");
		return;
	}
	expect_signal("vvar.write_faults", in_child(touch_write, (void *)vvar_start), SIGSEGV);
	CALL(r, e, mprotect((void *)vvar_start, PAGE, PROT_READ | PROT_WRITE));
	expect_error("vvar.mprotect_write", r, e, EACCES);
	CALL(r, e, mprotect((void *)vvar_start, PAGE, PROT_READ));
	expect_ok("vvar.mprotect_read", r, e);
}

/* ---- setting the clock ------------------------------------------------------- */

/* What needs no change of the clock, so runs on Linux too: only
 * CLOCK_REALTIME is settable, a bad time is EINVAL, and without
 * CAP_SYS_TIME (a child that gave up root) every setting is EPERM. */
static void settime_refused(void *arg)
{
	struct timespec now;
	struct timeval tv;

	(void)arg;
	if (geteuid() == 0 && setuid(65534) != 0)
		_exit(2);
	clock_gettime(CLOCK_REALTIME, &now);
	tv.tv_sec = now.tv_sec;
	tv.tv_usec = 0;
	if (clock_settime(CLOCK_REALTIME, &now) != -1 || errno != EPERM)
		_exit(3);
	if (settimeofday(&tv, NULL) != -1 || errno != EPERM)
		_exit(4);
	if (syscall(SYS_settimeofday, NULL, NULL) != -1 || errno != EPERM)
		_exit(5);
	_exit(0);
}

static void test_settime_checks(void)
{
	struct timespec now, bad;
	long r;
	int e;

	clock_gettime(CLOCK_MONOTONIC, &now);
	CALL(r, e, clock_settime(CLOCK_MONOTONIC, &now));
	expect_error("settime.monotonic_einval", r, e, EINVAL);
	clock_gettime(CLOCK_REALTIME, &bad);
	bad.tv_nsec = 1000000000;
	CALL(r, e, clock_settime(CLOCK_REALTIME, &bad));
	expect_error("settime.bad_nsec_einval", r, e, EINVAL);
	struct timeval tv = { now.tv_sec, 1000000 };
	CALL(r, e, settimeofday(&tv, NULL));
	expect_error("settimeofday.bad_usec_einval", r, e, EINVAL);
	int st = in_child(settime_refused, NULL);
	check(exited_with(st, 0), "settime.eperm_without_cap", describe(st));
}

/* The monotonic time since from, in ns. */
static int64_t elapsed_ns(const struct timespec *from)
{
	struct timespec to;

	clock_gettime(CLOCK_MONOTONIC, &to);
	return ts_ns(&to) - ts_ns(from);
}

/* CLOCK_REALTIME now plus ms milliseconds. */
static struct timespec realtime_in(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += ms * 1000000;
	t.tv_sec += t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return t;
}

#define SHIFT_SEC 100000

/* With the real-time clock moved ahead, absolute CLOCK_REALTIME deadlines
 * are on the new time: 20 ms ahead of it waits 20 ms, not a day. */
static void test_realtime_deadlines(void)
{
	struct timespec start, when;
	uint32_t word = 0;
	long r;

	clock_gettime(CLOCK_MONOTONIC, &start);
	when = realtime_in(20);
	r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &when, NULL);
	int64_t t = elapsed_ns(&start);
	check(r == 0 && t >= 19000000 && t < 2000000000LL, "settime.nanosleep_abstime",
	      "an absolute CLOCK_REALTIME sleep 20 ms ahead did not take 20 ms");
	clock_gettime(CLOCK_MONOTONIC, &start);
	when = realtime_in(20);
	r = syscall(SYS_futex, &word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 0,
		    &when, NULL, FUTEX_BITSET_MATCH_ANY);
	int e = errno;
	t = elapsed_ns(&start);
	check(r == -1 && e == ETIMEDOUT && t >= 19000000 && t < 2000000000LL, "settime.futex_realtime",
	      "a FUTEX_CLOCK_REALTIME wait 20 ms ahead did not time out in 20 ms");
	timer_t id;
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	struct itimerspec its = { { 0, 0 }, realtime_in(10000) }, left;
	if (timer_create(CLOCK_REALTIME, &ev, &id) != 0) {
		fail("settime.timer_abstime", "timer_create: %s", strerror(errno));
		return;
	}
	r = timer_settime(id, TIMER_ABSTIME, &its, NULL);
	timer_gettime(id, &left);
	timer_delete(id);
	check(r == 0 && left.it_value.tv_sec >= 9 && left.it_value.tv_sec <= 10, "settime.timer_abstime",
	      "an absolute CLOCK_REALTIME timer 10 s ahead is not due in 10 s");
}

/* Moves CLOCK_REALTIME ahead and back (on Bramble only: on Linux, as root,
 * this would set the machine's clock): the vDSO follows at once, the
 * monotonic clocks do not move; and sets the time zone. */
static void test_settime(clock_gettime_fn vgettime, gettimeofday_fn vgtod)
{
	struct utsname u;
	struct timespec r0, m0, v, a, b, m1;
	long r;
	int e;

	if (uname(&u) != 0 || !strstr(u.release, "bramble") || geteuid() != 0) {
		printf("vdso: the clock is not set here (not Bramble, or not root)\n");
		return;
	}
	sys_gettime(CLOCK_MONOTONIC, &m0);
	sys_gettime(CLOCK_REALTIME, &r0);
	struct timespec ahead = { r0.tv_sec + SHIFT_SEC, r0.tv_nsec };
	CALL(r, e, clock_settime(CLOCK_REALTIME, &ahead));
	expect_ok("settime.ahead", r, e);
	sys_gettime(CLOCK_REALTIME, &a);
	vgettime(CLOCK_REALTIME, &v);
	sys_gettime(CLOCK_REALTIME, &b);
	check(ts_ns(&a) - ts_ns(&r0) >= SHIFT_SEC * 1000000000LL && ts_ns(&v) >= ts_ns(&a) &&
	      ts_ns(&v) <= ts_ns(&b), "settime.vdso_follows",
	      "the vDSO's CLOCK_REALTIME is not the new time between the system calls'");
	struct timeval tv;
	vgtod(&tv, NULL);
	check(tv.tv_sec >= ahead.tv_sec, "settime.gettimeofday_follows", "gettimeofday kept the old time");
	vgettime(CLOCK_MONOTONIC, &m1);
	check(ts_ns(&m1) >= ts_ns(&m0) && ts_ns(&m1) - ts_ns(&m0) < 1000000000LL,
	      "settime.monotonic_unmoved", "CLOCK_MONOTONIC moved with the real-time clock");
	test_realtime_deadlines();
	struct timespec early = { m1.tv_sec > 1 ? m1.tv_sec - 1 : 0, 0 };
	CALL(r, e, clock_settime(CLOCK_REALTIME, &early));
	expect_error("settime.before_monotonic_einval", r, e, EINVAL);
	/* Back to its old lead over CLOCK_MONOTONIC, give or take 10 ms: no
	 * earlier, which might fall behind CLOCK_MONOTONIC (EINVAL). */
	int64_t lead = ts_ns(&r0) - ts_ns(&m0);
	sys_gettime(CLOCK_MONOTONIC, &a);
	int64_t to = ts_ns(&a) + lead + 10000000;
	struct timespec back = { to / 1000000000, to % 1000000000 };
	r = clock_settime(CLOCK_REALTIME, &back);
	sys_gettime(CLOCK_REALTIME, &b);
	sys_gettime(CLOCK_MONOTONIC, &m1);
	int64_t now_lead = ts_ns(&b) - ts_ns(&m1);
	check(r == 0 && now_lead >= lead && now_lead - lead < 1000000000LL, "settime.back",
	      "CLOCK_REALTIME not back to its old lead over CLOCK_MONOTONIC");
	/* The time zone, which the vDSO's gettimeofday reports too. */
	struct timezone tz = { 60, 0 }, got = { 0, 0 }, sgot = { 0, 0 };
	r = settimeofday(NULL, &tz);
	vgtod(NULL, &got);
	syscall(SYS_gettimeofday, NULL, &sgot);
	check(r == 0 && got.tz_minuteswest == 60 && sgot.tz_minuteswest == 60, "settimeofday.timezone",
	      "the time zone set is not what gettimeofday reports");
	tz.tz_minuteswest = 0;
	settimeofday(NULL, &tz);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 20000;
	uintptr_t base = getauxval(AT_SYSINFO_EHDR);

	if (!base || (base & (PAGE - 1))) {
		fail("auxv", "AT_SYSINFO_EHDR is %#lx", (unsigned long)base);
		return 1;
	}
	pass("auxv");
	if (!parse_image(base))
		return 1;
	clock_gettime_fn vgettime = (clock_gettime_fn)expect_symbol("clock_gettime");
	gettimeofday_fn vgtod = (gettimeofday_fn)expect_symbol("gettimeofday");
	clock_getres_fn vgetres = (clock_getres_fn)expect_symbol("clock_getres");
#ifdef __aarch64__
	void *sigreturn = expect_symbol("rt_sigreturn");
#else
	void *sigreturn = NULL;
#endif
	if (!vgettime || !vgtod || !vgetres)
		return 1;
	test_bracketed(vgettime);
	test_monotonic(vgettime, rounds);
	test_gettimeofday(vgtod);
	test_getres(vgetres);
	test_bad_clock(vgettime, vgetres);
	test_glibc(vgettime);
	test_signal_return(sigreturn);
	test_fork(vgettime);
	test_every_cpu(vgettime);
	test_maps();
	test_vvar_read_only();
	test_settime_checks();
	test_settime(vgettime, vgtod);
	return failures ? 1 : 0;
}
