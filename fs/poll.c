/* poll, ppoll and pselect6's waiting (see fs/poll.h). */
#include "fs/poll.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/timer.h"
#include "lib/printk.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"
#include "lib/irq_window.h"

void poll_wait(struct poll_table *pt, struct wait_queue *wq)
{
	if (!pt)
		return;
	if (pt->used == pt->max) {
		pt->error = -ENOMEM;
		return;
	}
	struct poll_entry *e = &pt->entries[pt->used++];
	e->wq = wq;
	wait_prepare(wq, &e->w);
}

void poll_table_unlink(struct poll_table *pt)
{
	for (int i = 0; i < pt->used; i++) {
		wait_finish(pt->entries[i].wq, &pt->entries[i].w);
		irq_window();
	}
	pt->used = 0;
}

/*
 * The one loop both calls share: scan(arg, pt) asks every file (registering
 * on their queues the first time, when pt is not NULL) and returns how many
 * are ready; sleep until one is, the deadline passes or a signal comes.
 */
static long poll_loop(long (*scan)(void *arg, struct poll_table *pt), void *arg,
		      int nfiles, uint64_t deadline)
{
	struct poll_table pt = { 0 };
	struct wait_queue timeout_wq = WAIT_QUEUE_INIT;
	struct waiter tw;
	struct timer t;
	long n;

	if (uptime_ns() >= deadline)            /* a zero timeout: ask once */
		return scan(arg, NULL);
	pt.max = nfiles * POLL_QUEUES_PER_FILE;
	if (pt.max && !(pt.entries = kalloc((size_t)pt.max * sizeof(*pt.entries))))
		return -ENOMEM;
	/* The timer wakes its own queue, where this process waits too. */
	wait_prepare(&timeout_wq, &tw);
	if (deadline != UINT64_MAX)
		timer_add(&t, deadline, &timeout_wq);
	n = scan(arg, &pt);
	while (!n && !pt.error && uptime_ns() < deadline) {
		long err = wait_sleep(true);
		if (err) {
			n = err;
			break;
		}
		n = scan(arg, NULL);
	}
	if (!n && pt.error)
		n = pt.error;
	if (deadline != UINT64_MAX)
		timer_cancel(&t);
	wait_finish(&timeout_wq, &tw);
	poll_table_unlink(&pt);
	kfree(pt.entries);
	return n;
}

/* ---- poll ---------------------------------------------------------------------- */

struct poll_args {
	struct linux_pollfd *fds;
	uint64_t nfds;
};

static long poll_scan(void *arg, struct poll_table *pt)
{
	struct poll_args *a = arg;
	long ready = 0;

	for (uint64_t i = 0; i < a->nfds; i++) {
		struct linux_pollfd *p = &a->fds[i];
		uint32_t mask = 0;
		if (p->fd >= 0) {
			struct file *f = fd_get(current, p->fd);
			mask = f ? file_poll(f, pt) & ((uint16_t)p->events | POLLERR | POLLHUP)
				 : POLLNVAL;
		}
		p->revents = (int16_t)mask;
		ready += mask != 0;
		irq_window();   /* up to RLIMIT_NOFILE of them: let interrupts in */
	}
	return ready;
}

long do_poll(struct linux_pollfd *fds, uint64_t nfds, uint64_t deadline)
{
	struct poll_args a = { fds, nfds };

	return poll_loop(poll_scan, &a, (int)nfds, deadline);
}

/* ---- select -------------------------------------------------------------------- */

/* Linux's POLLIN_SET, POLLOUT_SET and POLLEX_SET. */
#define SEL_IN  (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define SEL_OUT (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define SEL_EX  (POLLPRI)

struct select_args {
	int nfds;
	uint64_t *in, *out, *ex;          /* what was asked (NULL: none) */
	uint64_t rin, rout, rex;          /* what is ready */
};

static bool bit(const uint64_t *set, int fd)
{
	return set && (*set >> fd) & 1;
}

static long select_scan(void *arg, struct poll_table *pt)
{
	struct select_args *a = arg;
	long ready = 0;

	a->rin = a->rout = a->rex = 0;
	for (int fd = 0; fd < a->nfds; fd++) {
		bool i = bit(a->in, fd), o = bit(a->out, fd), x = bit(a->ex, fd);
		if (!i && !o && !x)
			continue;
		struct file *f = fd_get(current, fd);
		if (!f)
			return -EBADF;
		uint32_t mask = file_poll(f, pt);
		if (i && (mask & SEL_IN))
			a->rin |= 1ull << fd, ready++;
		if (o && (mask & SEL_OUT))
			a->rout |= 1ull << fd, ready++;
		if (x && (mask & SEL_EX))
			a->rex |= 1ull << fd, ready++;
		irq_window();
	}
	return ready;
}

long do_select(int nfds, uint64_t *in, uint64_t *out, uint64_t *ex, uint64_t deadline)
{
	struct select_args a = { .nfds = nfds, .in = in, .out = out, .ex = ex };
	int files = 0;

	for (int fd = 0; fd < nfds; fd++)
		files += bit(in, fd) || bit(out, fd) || bit(ex, fd);
	long n = poll_loop(select_scan, &a, files, deadline);
	if (n < 0)
		return n;
	if (in)
		*in = a.rin;
	if (out)
		*out = a.rout;
	if (ex)
		*ex = a.rex;
	return n;
}
