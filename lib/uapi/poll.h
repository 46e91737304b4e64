/* poll(2)'s event bits and struct pollfd (asm-generic/poll.h), select's
 * fd_set size (linux/posix_types.h). */
#ifndef BRAMBLE_UAPI_POLL_H
#define BRAMBLE_UAPI_POLL_H
#include <stdint.h>

#define POLLIN     0x0001
#define POLLPRI    0x0002
#define POLLOUT    0x0004
#define POLLERR    0x0008
#define POLLHUP    0x0010
#define POLLNVAL   0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLRDHUP  0x2000

struct linux_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};
#endif
