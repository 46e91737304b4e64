/* Clocks and time structures (linux/time.h, time_types.h, times.h). */
#ifndef BRAMBLE_UAPI_TIME_H
#define BRAMBLE_UAPI_TIME_H
#include <stdint.h>

#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
#define CLOCK_REALTIME_ALARM     8
#define CLOCK_BOOTTIME_ALARM     9
#define CLOCK_SGI_CYCLE          10
#define CLOCK_TAI                11
#define TIMER_ABSTIME            0x01

struct linux_timespec {          /* struct __kernel_timespec */
	int64_t tv_sec, tv_nsec;
};

struct linux_timeval {           /* struct __kernel_old_timeval */
	int64_t tv_sec, tv_usec;
};

struct linux_timezone {
	int32_t tz_minuteswest, tz_dsttime;
};

struct linux_tms {               /* clock_t fields, in USER_HZ ticks */
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};
#define ITIMER_REAL    0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF    2

struct linux_itimerval {
	struct linux_timeval it_interval, it_value;
};

struct linux_itimerspec {
	struct linux_timespec it_interval, it_value;
};

#endif
