#ifndef BRAMBLE_KTEST_H
#define BRAMBLE_KTEST_H
/* Built-in tests chosen with test=NAME (see kernel/ktest.c for the list). */
enum ktest_phase {
	KTEST_EARLY,   /* memory up, one CPU */
	KTEST_SMP,     /* the other CPUs up too, waiting for the kernel lock */
	KTEST_TASK,    /* in the first process, on its kernel stack, before EL0 */
};
void run_kernel_test(const char *name, enum ktest_phase phase);
/* A KTEST_TASK test named name runs when the first process p is first
 * switched to, instead of its return to EL0 (p's context is changed). */
struct proc;
void run_kernel_test_in_task(const char *name, struct proc *p);
#endif
