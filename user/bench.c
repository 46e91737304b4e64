/*
 * make bench, user part: instructions per system-call pattern. Under QEMU
 * -icount shift=0 one ns of the virtual counter is one instruction, so the
 * figures repeat exactly from run to run. Prints figures; asserts nothing.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	uint64_t c, f;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(c));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return c / f * 1000000000ULL + c % f * 1000000000ULL / f;
}

/* bench [ROUNDS [FILTER]]: rows whose name holds FILTER (all without),
 * each run about ROUNDS times (2000): fewer for make profile. */
static const char *filter = "";

static bool wanted(const char *row)
{
	/* An underscore in FILTER stands for a space (boot arguments split at
	 * spaces); a last $ for the end of the name. */
	for (const char *r = row; *r; r++) {
		const char *f = filter, *q = r;
		while (*f && *q && (*f == *q || (*f == '_' && *q == ' ')))
			f++, q++;
		if (!*f || (f[0] == '$' && !f[1] && !*q))
			return true;
	}
	return !*filter;
}

static void report(const char *what, uint64_t t0, unsigned rounds)
{
	printf("bench: %s: %llu instructions\n", what,
	       (unsigned long long)((now_ns() - t0) / rounds));
	fflush(stdout);
}

/* An mmap that must fail: false if it did not. */
static bool enomem_row(const char *name, uint64_t len, unsigned rounds)
{
	if (!wanted(name))
		return true;
	uint64_t t0 = now_ns();
	for (unsigned i = 0; i < rounds; i++)
		if (mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
		    MAP_FAILED)
			return false;
	report(name, t0, rounds);
	return true;
}

/* mmap + munmap of an untouched PROT_NONE region (an address-space
 * reservation, as runtimes make): its cost must not grow with its length. */
static void flat_row(const char *name, uint64_t len, unsigned rounds)
{
	char what[96];

	snprintf(what, sizeof(what), "mmap+munmap PROT_NONE untouched %s", name);
	if (!wanted(what))
		return;
	uint64_t t0 = now_ns();
	for (unsigned i = 0; i < rounds; i++) {
		void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) {
			printf("bench: mmap PROT_NONE %s: failed\n", name);
			return;
		}
		munmap(p, len);
	}
	report(what, t0, rounds);
}

/* fork + _exit + wait of a parent that has touched mib MiB of its own:
 * copy-on-write makes the copy cost follow the page tables, not the pages. */
static void fork_row(unsigned mib, unsigned rounds)
{
	size_t len = (size_t)mib << 20;
	char what[96];

	snprintf(what, sizeof(what), "fork+exit+wait, parent touched %u MiB", mib);
	if (!wanted(what))
		return;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("bench: fork with %u MiB touched: mmap failed\n", mib);
		return;
	}
	for (size_t off = 0; off < len; off += 4096)
		p[off] = 1;
	uint64_t t0 = now_ns();
	for (unsigned i = 0; i < rounds; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			printf("bench: fork with %u MiB touched: fork failed\n", mib);
			munmap(p, len);
			return;
		}
		waitpid(pid, NULL, 0);
	}
	report(what, t0, rounds);
	munmap(p, len);
}

int main(int argc, char **argv)
{
	const unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 2000;
	uint64_t t0;

	if (argc > 2)
		filter = argv[2];

	if (wanted("getpid")) {
		t0 = now_ns();
		for (unsigned i = 0; i < rounds * 10; i++)
			syscall(SYS_getpid);
		report("getpid", t0, rounds * 10);
	}

	/* glibc's clock_gettime calls the vDSO when AT_SYSINFO_EHDR names one. */
	struct timespec ts;
	if (wanted("clock_gettime(CLOCK_MONOTONIC) via the vDSO")) {
		t0 = now_ns();
		for (unsigned i = 0; i < rounds * 10; i++)
			clock_gettime(CLOCK_MONOTONIC, &ts);
		report("clock_gettime(CLOCK_MONOTONIC) via the vDSO", t0, rounds * 10);
	}

	if (wanted("clock_gettime syscall")) {
		t0 = now_ns();
		for (unsigned i = 0; i < rounds * 10; i++)
			syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
		report("clock_gettime syscall", t0, rounds * 10);
	}

	uintptr_t base = (uintptr_t)syscall(SYS_brk, 0);
	base = (base + 4095) & ~4095UL;
	syscall(SYS_brk, base);
	if (wanted("brk grow+touch+shrink of one page")) {
		t0 = now_ns();
		for (unsigned i = 0; i < rounds; i++) {
			syscall(SYS_brk, base + 4096);
			*(volatile char *)base = 1;
			syscall(SYS_brk, base);
		}
		report("brk grow+touch+shrink of one page", t0, rounds);
	}

	if (wanted("mmap+touch+munmap of one page")) {
		t0 = now_ns();
		for (unsigned i = 0; i < rounds; i++) {
			char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			*(volatile char *)p = 1;
			munmap(p, 4096);
		}
		report("mmap+touch+munmap of one page", t0, rounds);
	}

	if (wanted("mmap+touch+munmap of 64 pages")) {
		t0 = now_ns();
		for (unsigned i = 0; i < rounds / 10; i++) {
			char *p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			for (int k = 0; k < 64; k++)
				p[k * 4096] = 1;
			munmap(p, 64 * 4096);
		}
		report("mmap+touch+munmap of 64 pages", t0, rounds / 10);
	}

	if (!enomem_row("mmap ENOMEM (64 TiB, past the address space)", 1UL << 46, rounds) ||
	    !enomem_row("mmap ENOMEM (256 GiB)", 1UL << 38, rounds))
		return 1;

	/* Every allocation an mmap, every free a munmap, as a program making
	 * big buffers sees (the seed's cat read a 9 MiB one). */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	if (wanted("glibc malloc(9 MiB)+free, mmap threshold 128 KiB")) {
		t0 = now_ns();
		for (unsigned i = 0; i < rounds; i++) {
			void *p = malloc(9 << 20);
			if (!p)
				return 1;
			free(p);
		}
		report("glibc malloc(9 MiB)+free, mmap threshold 128 KiB", t0, rounds);
	}

	flat_row("4 KiB", 1UL << 12, rounds);
	flat_row("2 MiB", 1UL << 21, rounds);
	flat_row("64 MiB", 1UL << 26, rounds);
	flat_row("1 GiB", 1UL << 30, rounds);
	flat_row("64 GiB", 1UL << 36, rounds);
	flat_row("128 GiB", 1UL << 37, rounds);

	if (wanted("fork+exit+wait")) {
		t0 = now_ns();
		for (unsigned i = 0; i < rounds / 10; i++) {
			pid_t pid = fork();
			if (pid == 0)
				_exit(0);
			waitpid(pid, NULL, 0);
		}
		report("fork+exit+wait", t0, rounds / 10);
	}

	fork_row(1, 50);
	fork_row(4, 50);
	fork_row(16, 20);
	fork_row(64, 10);
	return 0;
}
