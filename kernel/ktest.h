#ifndef BRAMBLE_KTEST_H
#define BRAMBLE_KTEST_H
/* Built-in tests chosen with test=NAME (see kernel/ktest.c for the list). */
enum ktest_phase {
	KTEST_EARLY,   /* memory up, one CPU */
	KTEST_SMP,     /* the other CPUs up too, waiting for the kernel lock */
};
void run_kernel_test(const char *name, enum ktest_phase phase);
#endif
