/*
 * The program the fail-nth sweep of execve runs (user/tests/failnth.c).
 * No C library: nothing runs between the kernel's exec and this code that
 * could allocate, so what is left of the task's fail-nth count (on fd 3)
 * is what exec left of it. Exits 10 if exec did not use the count up (it
 * needed fewer allocations), 11 if it did and still succeeded.
 */
#define NR_PREAD64 67
#define NR_PWRITE64 68
#define NR_EXIT_GROUP 94
#define FAIL_NTH_FD 3

static long syscall4(long nr, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

void _start(void) __attribute__((noreturn));
void _start(void)
{
	char left[16];
	long n = syscall4(NR_PREAD64, FAIL_NTH_FD, (long)left, sizeof(left), 0);
	int used_up = n >= 1 && left[0] == '0';

	syscall4(NR_PWRITE64, FAIL_NTH_FD, (long)"0", 1, 0);
	for (;;)
		syscall4(NR_EXIT_GROUP, used_up ? 11 : 10, 0, 0, 0);
}
