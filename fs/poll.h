/*
 * Waiting on many files at once (poll, ppoll, pselect6), Linux's poll
 * table in miniature. A file's poll operation calls poll_wait(pt, wq) for
 * each wait queue whose wake-up may change its readiness; that links one
 * of the table's entries (a struct waiter for the current process) into
 * the queue, so one wake-up on any polled file makes the poller runnable.
 * It then sleeps (wait_sleep), re-asks every file, and unlinks all entries
 * when done (poll_table_free), whatever ended the wait.
 *
 * Entries come from one array the caller allocated fallibly for the whole
 * call (POLL_QUEUES_PER_FILE per polled descriptor): a kalloc that fails
 * makes the call -ENOMEM, and a file registering more queues than that
 * marks the table (pt->error = -ENOMEM) instead of overrunning it. Never a
 * panic.
 */
#ifndef BRAMBLE_FS_POLL_H
#define BRAMBLE_FS_POLL_H
#include "lib/types.h"
#include "kernel/wait.h"
#include "lib/uapi/poll.h"

#define POLL_QUEUES_PER_FILE 2

struct poll_entry {
	struct waiter w;
	struct wait_queue *wq;
};

struct poll_table {
	struct poll_entry *entries;
	int used, max;
	long error;        /* 0, or -ENOMEM when a file wanted more entries */
};

/* Registers the current process on wq for the poll in progress (pt may be
 * NULL: a query only). */
void poll_wait(struct poll_table *pt, struct wait_queue *wq);
/* Takes every entry off its queue. */
void poll_table_unlink(struct poll_table *pt);

/* What poll(2) reports for a file that is always ready. */
#define POLL_DEFAULT_MASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* The polls and selects: descriptors and events already copied from user
 * memory. Each sleeps until a descriptor is ready, the deadline passes
 * (uptime_ns; UINT64_MAX: never; 0 or the past: do not sleep) or a signal
 * comes (-EINTR). Results are written into fds / the three sets; return:
 * how many are ready, or -errno. */
long do_poll(struct linux_pollfd *fds, uint64_t nfds, uint64_t deadline);
/* Sets of nfds bits, as unsigned longs; in (read) / out (write) / ex
 * (exceptional); NULL for absent sets. Replaced by the ready bits. */
long do_select(int nfds, uint64_t *in, uint64_t *out, uint64_t *ex, uint64_t deadline);
#endif
