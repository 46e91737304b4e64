#ifndef BRAMBLE_KTEST_H
#define BRAMBLE_KTEST_H
/* Built-in tests chosen with test=NAME (see kernel/ktest.c for the list). */
void run_kernel_test(const char *name);
#endif
