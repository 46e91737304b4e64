/*
 * smpbench: how CPU-bound processes spread over the CPUs. Prints figures;
 * fails only if the work itself goes wrong.
 *
 *   smpbench [-m MILLIONS] [PROCS...]       (default -m 50, PROCS 1 4)
 *
 * For each PROCS, that many children at once each run MILLIONS million
 * steps of a 32-bit LCG (no memory traffic, no system calls), unpinned: the
 * scheduler places them. The wall time is CLOCK_MONOTONIC from before the
 * first fork to after the last wait; each CPU's busy share over that time
 * comes from /proc/stat (everything but idle and iowait). Every child must
 * end with the LCG's value (its low 7 bits as the exit status), the same
 * for all.
 *
 *   smpbench: procs=<N> wall_ms=<MS>[ speedup=<X.XX>]
 *   smpbench: procs=<N> cpu<C> busy=<P>%
 *   smpbench: procs=<N> children failed        (and exit status 1)
 *
 * speedup is N times the wall time of the PROCS=1 run before it over this
 * run's: N for perfect scaling, 1 when the N children share one CPU.
 * Under QEMU's -icount (tests/qemu/bench) the vCPUs run in turn and virtual
 * time is instructions, so there it comes out near 1 whatever the kernel
 * does; the figure means something only with MTTCG or on hardware.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CPUS 64
#define MAX_PROCS 256

struct cpustat {
	int n;                         /* cpuN lines */
	int id[MAX_CPUS];
	unsigned long long busy[MAX_CPUS], total[MAX_CPUS];
};

static void read_stat(struct cpustat *s)
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");

	s->n = 0;
	if (!f)
		return;
	while (fgets(line, sizeof line, f) && s->n < MAX_CPUS) {
		unsigned long long v[8] = { 0 };
		int c;
		/* user nice system idle iowait irq softirq steal; "cpuN" lines
		 * only, not the "cpu " total (whose first number %d would take) */
		if (line[3] >= '0' && line[3] <= '9' && sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &c, &v[0], &v[1], &v[2], &v[3],
			   &v[4], &v[5], &v[6], &v[7]) >= 5) {
			s->id[s->n] = c;
			s->total[s->n] = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
			s->busy[s->n] = s->total[s->n] - v[3] - v[4];
			s->n++;
		}
	}
	fclose(f);
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static uint32_t work(long millions)
{
	uint32_t x = 1;
	for (long i = 0; i < millions * 1000000L; i++)
		x = x * 1664525u + 1013904223u;
	return x;
}

/* One run of procs children; returns its wall time in ns, or -1 if a child failed. */
static long long run(int procs, long millions, struct cpustat *before, struct cpustat *after)
{
	pid_t kid[MAX_PROCS];
	int ok = 1, want = -1;
	long long t0;

	fflush(NULL);
	read_stat(before);
	t0 = now_ns();
	for (int i = 0; i < procs; i++) {
		kid[i] = fork();
		if (kid[i] == 0)
			_exit(work(millions) & 0x7f);
		if (kid[i] < 0) {
			printf("smpbench: fork: %s\n", strerror(errno));
			ok = 0;
		}
	}
	for (int i = 0; i < procs; i++) {
		int st;
		if (kid[i] < 0)
			continue;
		while (waitpid(kid[i], &st, 0) < 0)
			if (errno != EINTR) {
				printf("smpbench: waitpid: %s\n", strerror(errno));
				st = -1;
				break;
			}
		if (st == -1 || !WIFEXITED(st) || (want != -1 && WEXITSTATUS(st) != want))
			ok = 0;
		else
			want = WEXITSTATUS(st);
	}
	t0 = now_ns() - t0;
	read_stat(after);
	return ok ? t0 : -1;
}

int main(int argc, char **argv)
{
	static const int default_procs[] = { 1, 4 };
	long millions = 50;
	long long one_ns = 0;    /* the wall time of the last procs=1 run */
	int opt, failed = 0;

	while ((opt = getopt(argc, argv, "m:")) != -1) {
		if (opt != 'm' || (millions = atol(optarg)) < 1) {
			fprintf(stderr, "usage: smpbench [-m MILLIONS] [PROCS...]\n");
			return 2;
		}
	}
	int nruns = optind < argc ? argc - optind : 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int r = 0; r < nruns; r++) {
		int procs = optind < argc ? atoi(argv[optind + r]) : default_procs[r];
		struct cpustat b, a;
		long long ns;

		if (procs < 1 || procs > MAX_PROCS) {
			fprintf(stderr, "smpbench: PROCS must be 1 to %d\n", MAX_PROCS);
			return 2;
		}
		ns = run(procs, millions, &b, &a);
		if (ns < 0) {
			printf("smpbench: procs=%d children failed\n", procs);
			failed = 1;
			continue;
		}
		if (procs == 1)
			one_ns = ns;
		printf("smpbench: procs=%d wall_ms=%lld", procs, ns / 1000000);
		if (procs > 1 && one_ns > 0)
			printf(" speedup=%.2f", (double)one_ns * procs / (double)ns);
		printf("\n");
		/* The lines of the two readings, matched by CPU number. */
		for (int i = 0; i < a.n; i++)
			for (int j = 0; j < b.n; j++) {
				unsigned long long dt, db;
				if (b.id[j] != a.id[i])
					continue;
				dt = a.total[i] - b.total[j];
				db = a.busy[i] - b.busy[j];
				printf("smpbench: procs=%d cpu%d busy=%llu%%\n", procs, a.id[i],
				       dt ? (db * 100 + dt / 2) / dt : 0);
			}
	}
	return failed;
}
