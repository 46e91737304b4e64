/*
 * make bench, user part: instructions per system-call pattern. Under QEMU
 * -icount shift=0 one ns of the virtual counter is one instruction, so the
 * figures repeat exactly from run to run. Prints figures; asserts nothing.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

static void report(const char *what, uint64_t t0, unsigned rounds)
{
	printf("bench: %s: %llu instructions\n", what,
	       (unsigned long long)((now_ns() - t0) / rounds));
	fflush(stdout);
}

int main(void)
{
	const unsigned rounds = 2000;
	uint64_t t0;

	t0 = now_ns();
	for (unsigned i = 0; i < rounds * 10; i++)
		syscall(SYS_getpid);
	report("getpid", t0, rounds * 10);

	/* glibc's clock_gettime calls the vDSO when AT_SYSINFO_EHDR names one. */
	struct timespec ts;
	t0 = now_ns();
	for (unsigned i = 0; i < rounds * 10; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	report("clock_gettime(CLOCK_MONOTONIC) via the vDSO", t0, rounds * 10);

	t0 = now_ns();
	for (unsigned i = 0; i < rounds * 10; i++)
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	report("clock_gettime syscall", t0, rounds * 10);

	uintptr_t base = (uintptr_t)syscall(SYS_brk, 0);
	base = (base + 4095) & ~4095UL;
	syscall(SYS_brk, base);
	t0 = now_ns();
	for (unsigned i = 0; i < rounds; i++) {
		syscall(SYS_brk, base + 4096);
		*(volatile char *)base = 1;
		syscall(SYS_brk, base);
	}
	report("brk grow+touch+shrink of one page", t0, rounds);

	t0 = now_ns();
	for (unsigned i = 0; i < rounds; i++) {
		char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		*(volatile char *)p = 1;
		munmap(p, 4096);
	}
	report("mmap+touch+munmap of one page", t0, rounds);

	t0 = now_ns();
	for (unsigned i = 0; i < rounds; i++)
		if (mmap(NULL, 1UL << 38, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
		    != MAP_FAILED)
			return 1;
	report("mmap ENOMEM (256 GiB)", t0, rounds);

	t0 = now_ns();
	for (unsigned i = 0; i < rounds / 10; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	report("fork+exit+wait", t0, rounds / 10);
	return 0;
}
