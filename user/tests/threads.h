/*
 * What the thread tests share (with check.h included first).
 */
#ifndef BRAMBLE_TEST_THREADS_H
#define BRAMBLE_TEST_THREADS_H
#include <pthread.h>
#include <time.h>

/* Sleeps ms milliseconds, whatever signals come. */
CHECK_FN void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

CHECK_FN long long now_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * glibc gives a thread a stack of RLIMIT_STACK (8 MiB), mapped PROT_NONE
 * and then made writable, all of it charged where there is no overcommit
 * (Bramble; Linux in overcommit mode 2): a few such threads would fill
 * mem=64M. 256 KiB is ample for every thread here.
 */
CHECK_FN int small_default_stacks(void)
{
	pthread_attr_t a;
	int e;

	pthread_attr_init(&a);
	e = pthread_attr_setstacksize(&a, 256UL << 10);
	if (!e)
		e = pthread_setattr_default_np(&a);
	pthread_attr_destroy(&a);
	if (e)
		fail("setup", "pthread_setattr_default_np with a 256 KiB stack: %s", ename(e));
	return e ? -1 : 0;
}
#endif
