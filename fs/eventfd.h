/*
 * eventfd: a 64-bit counter as a file, Linux's eventfd2(2). A write adds
 * its 8-byte value (blocking, or -EAGAIN, while the sum would pass
 * 0xfffffffffffffffe; the value UINT64_MAX is -EINVAL); a read returns the
 * counter and zeroes it, or with EFD_SEMAPHORE returns 1 and decrements it,
 * blocking (or -EAGAIN) while it is 0. Reads and writes of fewer than 8
 * bytes are -EINVAL. Readable while the counter is above 0, writable while
 * it is below the maximum.
 */
#ifndef BRAMBLE_FS_EVENTFD_H
#define BRAMBLE_FS_EVENTFD_H
#include "lib/types.h"
#include "lib/uapi/fcntl.h"

/* glibc's <sys/eventfd.h> (no kernel uapi header has them). */
#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC   O_CLOEXEC
#define EFD_NONBLOCK  O_NONBLOCK

struct file;

/* A new eventfd file: 0 and *out, or -EINVAL (unknown flags) / -ENOMEM. */
long eventfd_create(uint64_t initval, int flags, struct file **out);
#endif
