/*
 * cpus: every online CPU runs user code, where it is told to.
 *
 *   cpus [BURN_MS]       (default 200)
 *
 * The CPUs of sched_getaffinity's mask must be those of /proc/stat's cpuN
 * lines. Then one child per CPU, all at once, each pinned to its CPU with
 * sched_setaffinity: its mask must read back as that CPU alone, sched_getcpu
 * and the getcpu system call must name it, and keep naming it while the
 * child burns BURN_MS of its own CPU time (CLOCK_PROCESS_CPUTIME_ID; at most
 * 20 x BURN_MS of wall time). Afterwards every cpuN line's user time must
 * have grown by at least one tick. sched_setaffinity with a mask of only
 * nonexistent CPUs (the first one past the last, and CPU_SETSIZE - 1) must
 * fail with EINVAL and leave the mask as it was, as Linux; so must
 * sched_getaffinity with a size that is not a multiple of a long.
 *
 * Prints, besides the PASS and FAIL lines ("PASS cpus.<case>" or
 * "FAIL cpus.<case>: <why>"),
 *   cpus: <N> CPUs: <list>
 *   cpus: cpu<C> user ticks <before> -> <after>
 * and exits 0 only if all passed.
 */
#define _GNU_SOURCE
#define PROG "cpus"
#include "check.h"
#include "threads.h"
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>

#define MAX_CPUS 64

/* Reads the user time of each cpuN line of /proc/stat into user[N]; returns the number of lines, -1 if unreadable. */
static int read_stat(long long user[MAX_CPUS], int present[MAX_CPUS])
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return -1;
	for (int i = 0; i < MAX_CPUS; i++)
		present[i] = 0, user[i] = -1;
	while (fgets(line, sizeof line, f)) {
		int c;
		long long u;
		/* "cpuN", not the "cpu " total (whose first number %d would take). */
		if (line[3] >= '0' && line[3] <= '9' &&
		    sscanf(line, "cpu%d %lld", &c, &u) == 2 && c >= 0 && c < MAX_CPUS) {
			present[c] = 1;
			user[c] = u;
			n++;
		}
	}
	fclose(f);
	return n;
}

static long getcpu_syscall(void)
{
	unsigned cpu = ~0u;
	if (syscall(SYS_getcpu, &cpu, NULL, NULL) != 0)
		return -1;
	return cpu;
}

/*
 * A child's exit status: 0 all held, else what went wrong (it also prints
 * why; a single-threaded parent's child may use stdio).
 */
enum { C_OK, C_SETAFF, C_GETAFF, C_WHERE, C_MOVED, C_CLOCK };

static int burn_ms = 200;

static int pinned_child(int cpu)
{
	cpu_set_t m;
	long long t0, w0, spent;
	long moved = 0, checks = 0;
	volatile unsigned x = (unsigned)cpu;

	CPU_ZERO(&m);
	CPU_SET(cpu, &m);
	if (sched_setaffinity(0, sizeof m, &m) != 0) {
		printf("cpus: child for cpu%d: sched_setaffinity: %s\n", cpu, ename(errno));
		return C_SETAFF;
	}
	CPU_ZERO(&m);
	if (sched_getaffinity(0, sizeof m, &m) != 0 || CPU_COUNT(&m) != 1 || !CPU_ISSET(cpu, &m)) {
		printf("cpus: child for cpu%d: sched_getaffinity does not give cpu%d alone (%d CPUs)\n", cpu, cpu,
		       CPU_COUNT(&m));
		return C_GETAFF;
	}
	/* Linux moves the caller before sched_setaffinity returns. */
	if (sched_getcpu() != cpu || getcpu_syscall() != cpu) {
		printf("cpus: child for cpu%d: runs on cpu%d (sched_getcpu), cpu%ld (getcpu)\n", cpu, sched_getcpu(),
		       getcpu_syscall());
		return C_WHERE;
	}
	t0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	w0 = now_ns(CLOCK_MONOTONIC);
	do {
		for (int i = 0; i < 100000; i++)
			x = x * 1103515245u + 12345u;
		checks++;
		if (sched_getcpu() != cpu || getcpu_syscall() != cpu)
			moved++;
		spent = now_ns(CLOCK_PROCESS_CPUTIME_ID) - t0;
	} while (spent < burn_ms * 1000000LL && now_ns(CLOCK_MONOTONIC) - w0 < 20LL * burn_ms * 1000000LL);
	if (moved) {
		printf("cpus: child for cpu%d: elsewhere at %ld of %ld checks\n", cpu, moved, checks);
		return C_MOVED;
	}
	if (spent < burn_ms * 1000000LL) {
		printf("cpus: child for cpu%d: %lld ms of CPU time in %d ms of wall time\n", cpu, spent / 1000000,
		       20 * burn_ms);
		return C_CLOCK;
	}
	return C_OK;
}

/* sched_setaffinity(0, mask of cpu alone) must fail with EINVAL and change nothing. */
static void nonexistent(const char *name, int cpu, const cpu_set_t *orig)
{
	cpu_set_t m, after;
	long r;
	int e;

	CPU_ZERO(&m);
	CPU_SET(cpu, &m);
	CALL(r, e, sched_setaffinity(0, sizeof m, &m));
	expect_error(name, r, e, EINVAL);
	CPU_ZERO(&after);
	if (sched_getaffinity(0, sizeof after, &after) != 0 || !CPU_EQUAL(&after, orig))
		fail(name, "the mask changed after sched_setaffinity to cpu%d alone", cpu);
}

int main(int argc, char **argv)
{
	long long u0[MAX_CPUS], u1[MAX_CPUS];
	int p0[MAX_CPUS], p1[MAX_CPUS], cpus[MAX_CPUS], ncpus = 0, nstat, last = -1;
	pid_t kids[MAX_CPUS];
	cpu_set_t orig;
	char list[MAX_CPUS * 4] = "";

	if (argc > 2 || (argc == 2 && (burn_ms = atoi(argv[1])) < 1)) {
		fprintf(stderr, "usage: cpus [BURN_MS]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	CPU_ZERO(&orig);
	if (sched_getaffinity(0, sizeof orig, &orig) != 0) {
		fail("getaffinity", "sched_getaffinity: %s", ename(errno));
		return 1;
	}
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &orig)) {
			if (c >= MAX_CPUS) {
				fail("getaffinity", "cpu%d in the mask: this test knows %d at most", c, MAX_CPUS);
				return 1;
			}
			cpus[ncpus++] = c;
			last = c;
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%d", ncpus > 1 ? "," : "", c);
		}
	printf("cpus: %d CPUs: %s\n", ncpus, list);
	check(ncpus >= 1 && ncpus == CPU_COUNT(&orig), "getaffinity", "CPU_COUNT and the mask's bits disagree");

	nstat = read_stat(u0, p0);
	if (nstat < 0) {
		fail("proc_stat", "cannot read /proc/stat: %s", ename(errno));
		return 1;
	}
	int same = nstat == ncpus;
	for (int i = 0; i < ncpus; i++)
		same = same && p0[cpus[i]];
	if (same)
		pass("proc_stat");
	else
		fail("proc_stat", "%d cpuN lines in /proc/stat, %d CPUs in the affinity mask (%s)", nstat, ncpus, list);

	/* All the children at once: each CPU has one to run. */
	fflush(NULL);
	for (int i = 0; i < ncpus; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			_exit(pinned_child(cpus[i]));
	}
	for (int i = 0; i < ncpus; i++) {
		char name[32];
		int st = wait_for(kids[i]);
		snprintf(name, sizeof name, "pinned.cpu%d", cpus[i]);
		if (exited_with(st, C_OK))
			pass(name);
		else
			fail(name, "%s", describe(st));
	}

	if (read_stat(u1, p1) < 0) {
		fail("user_time", "cannot read /proc/stat again: %s", ename(errno));
	} else {
		int grew = 1;
		for (int i = 0; i < ncpus; i++) {
			int c = cpus[i];
			printf("cpus: cpu%d user ticks %lld -> %lld\n", c, u0[c], u1[c]);
			if (!p0[c] || !p1[c] || u1[c] < u0[c] + 1) {
				fail("user_time", "cpu%d: user ticks %lld -> %lld", c, u0[c], u1[c]);
				grew = 0;
			}
		}
		if (grew)
			pass("user_time");
	}

	/* Masks naming no CPU there is. */
	if (last + 1 < CPU_SETSIZE)
		nonexistent("setaffinity.einval-next", last + 1, &orig);
	nonexistent("setaffinity.einval-last", CPU_SETSIZE - 1, &orig);
	{
		long r;
		int e;
		unsigned char small[sizeof(long) + 4];
		CALL(r, e, syscall(SYS_sched_getaffinity, 0, sizeof(long) + 4, small));
		expect_error("getaffinity.einval-size", r, e, EINVAL);
	}
	return failures ? 1 : 0;
}
