/*
 * hog: memory pressure for other programs to run under (tests/qemu/run-all's
 * pressure boot runs the user tests between "hog start" and "hog stop").
 *
 *   hog start [HEADROOM_MIB]   start the hog in the background (default 16)
 *   hog stop                   stop it and wait until it is gone
 *
 * The hog, over and over: takes 1 MiB blocks, malloc'd and mmap'd in turn,
 * writing every page, until a call fails with ENOMEM or what is left to
 * commit (/proc/meminfo's CommitLimit less Committed_AS) is down to the
 * headroom; holds them a few milliseconds; frees them all; rests a few
 * milliseconds. Another program that takes memory meanwhile makes the hog's
 * next grab end in ENOMEM, as it should.
 *
 * Why a headroom: the commit limit is strict (overcommit 2, as Linux's
 * "vm.overcommit_memory = 2"). A hog that held every page would make every
 * fork, exec and mmap of every other program fail with ENOMEM while it
 * held them, init's fork of the next test included: the run would test
 * nothing but that one error path, which other tests already cover. With
 * the headroom the programs run their real paths with free pages near
 * zero and the commit charge near its limit, moving under them. 16 MiB
 * is more than any user test needs beyond what it exhausts itself (those
 * expect ENOMEM anyway, and meet it sooner; all pass with 8 MiB too, at
 * mem=64M), so under the hog every test must still pass (user/tests/check.h
 * says what changes: the checks of system-wide figures are skipped).
 *
 * The pid is kept in /tmp/hog.pid (check.h's PRESSURE_PID_FILE: tests read
 * it to know that system-wide figures move under them). Lines printed:
 *   hog: started, pid <P>, headroom <H> MiB
 *   hog: <N> grabs (<E> ended by ENOMEM), at most <M> MiB held; exiting cleanly
 *   hog: stopped pid <P>
 *   hog: FAIL: <why>                                           (exit 1)
 * The background hog exits 0; a call failing other than with ENOMEM ends it
 * with status 2 and a FAIL line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "procfile.h"

#define PID_FILE "/tmp/hog.pid"
#define BLOCK (1UL << 20)
#define PAGE 4096UL
/* A grab of some 40 MiB takes about 12 ms: held 30 ms, free 5 ms, the
 * memory is mostly taken, and the boot's host time stays reasonable. */
#define HOLD_NS 30000000L
#define REST_NS 5000000L

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static void nap(long ns)
{
	struct timespec t = { 0, ns };
	nanosleep(&t, NULL);
}

/* CommitLimit - Committed_AS in KiB, read without allocating; -1 if unknown. */
static long commit_left_kb(void)
{
	static char text[4096];

	if (proc_read("/proc/meminfo", text, sizeof(text)) < 0)
		return -1;
	long limit = proc_figure(text, "CommitLimit"), used = proc_figure(text, "Committed_AS");
	return limit < 0 || used < 0 ? -1 : limit - used;
}

struct block {
	struct block *next;
	int mapped;
};

static int hog(unsigned long headroom_mib)
{
	unsigned long grabs = 0, by_enomem = 0, most = 0;

	while (!stopping) {
		struct block *head = NULL;
		unsigned long held = 0;
		long left = commit_left_kb();
		long want = left < 0 ? -1 : (left >> 10) - (long)headroom_mib;

		for (int e = 0; !stopping && (want < 0 || (long)held < want); ) {
			void *p;
			int mapped = held % 2;
			errno = 0;
			if (mapped) {
				p = mmap(NULL, BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				if (p == MAP_FAILED)
					p = NULL;
			} else {
				p = malloc(BLOCK);
			}
			if (!p) {
				e = errno;
				if (e != ENOMEM) {
					printf("hog: FAIL: %s failed with %s, not ENOMEM\n",
					       mapped ? "mmap" : "malloc", strerrorname_np(e));
					fflush(stdout);
					_exit(2);
				}
				by_enomem++;
				break;
			}
			for (size_t i = 0; i < BLOCK; i += PAGE)
				((char *)p)[i] = 1;
			struct block *b = p;
			b->next = head;
			b->mapped = mapped;
			head = b;
			held++;
		}
		grabs++;
		if (held > most)
			most = held;
		nap(HOLD_NS);
		while (head) {
			struct block *next = head->next;
			if (head->mapped)
				munmap(head, BLOCK);
			else
				free(head);
			head = next;
		}
		nap(REST_NS);
	}
	printf("hog: %lu grabs (%lu ended by ENOMEM), at most %lu MiB held; exiting cleanly\n",
	       grabs, by_enomem, most);
	fflush(stdout);
	return 0;
}

static int start(unsigned long headroom_mib)
{
	int ready[2];
	char c;

	if (pipe(ready) != 0) {
		printf("hog: FAIL: pipe: %s\n", strerror(errno));
		return 1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("hog: FAIL: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_term };
		sigaction(SIGTERM, &sa, NULL);
		close(ready[0]);
		FILE *f = fopen(PID_FILE, "w");
		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0)
			_exit(3);
		close(ready[1]);          /* the pid file is there */
		_exit(hog(headroom_mib));
	}
	close(ready[1]);
	while (read(ready[0], &c, 1) < 0 && errno == EINTR)
		;
	close(ready[0]);
	if (access(PID_FILE, F_OK) != 0) {
		printf("hog: FAIL: the hog did not start\n");
		return 1;
	}
	printf("hog: started, pid %d, headroom %lu MiB\n", (int)pid, headroom_mib);
	return 0;
}

static int stop(void)
{
	int pid = 0;
	FILE *f = fopen(PID_FILE, "r");

	if (!f || fscanf(f, "%d", &pid) != 1 || pid <= 0) {
		printf("hog: FAIL: no hog (%s)\n", PID_FILE);
		return 1;
	}
	fclose(f);
	if (kill(pid, SIGTERM) != 0) {
		printf("hog: FAIL: kill %d: %s\n", pid, strerror(errno));
		return 1;
	}
	/* Not our child: init reaps it; gone when kill says ESRCH. */
	for (int i = 0; i < 10000; i++) {
		if (kill(pid, 0) != 0 && errno == ESRCH) {
			unlink(PID_FILE);
			printf("hog: stopped pid %d\n", pid);
			return 0;
		}
		nap(1000000);
	}
	printf("hog: FAIL: pid %d still there 10 s after SIGTERM\n", pid);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "start") && argc <= 3)
		return start(argc == 3 ? strtoul(argv[2], NULL, 0) : 16);
	if (argc == 2 && !strcmp(argv[1], "stop"))
		return stop();
	fprintf(stderr, "usage: hog start [HEADROOM_MIB] | hog stop\n");
	return 2;
}
