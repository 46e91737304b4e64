/* ppoll, pselect6 and eventfd2: arguments from user memory, then fs/poll.c. */
#include "syscall/syscall.h"
#include "fs/file.h"
#include "fs/fdtable.h"
#include "fs/poll.h"
#include "fs/eventfd.h"
#include "lib/printk.h"
#include "mm/uaccess.h"
#include "mm/kalloc.h"
#include "lib/irq_window.h"
#include "lib/uapi/time.h"
#include "lib/uapi/signal.h"
#include "kernel/signal.h"

#define SIGSET_SIZE 8        /* sizeof(sigset_t) in the kernel: 64 signals */
#define SELECT_MAX_FDS 64    /* Linux's smallest fd table (BITS_PER_LONG): select's nfds is clamped to it */
#define NSEC_PER_SEC 1000000000ull

/*
 * Runs sleep(arg) with the signal mask at umask (NULL: the current one), as
 * Linux's set_user_sigmask / restore_saved_sigmask_unless (kernel/signal.h):
 * when a signal ends the wait the old mask comes back only after its
 * handler's frame is built. -EINVAL for a size other than 8, -EFAULT for a
 * bad pointer, before sleep runs. A wait ended by a signal is
 * -ERESTARTNOHAND, as Linux's poll and select: EINTR when a handler runs,
 * a restart (with the time left written back) when none does.
 */
static long with_temp_sigmask(uaddr_t umask, size_t size, long (*sleep)(void *), void *arg)
{
	uint64_t mask;
	long r;

	if (!uaddr_is_null(umask)) {
		if (size != SIGSET_SIZE)
			return -EINVAL;
		if (copy_from_user(current->mm, &mask, umask, sizeof(mask)) < 0)
			return -EFAULT;
		sigmask_set_temporary(mask);
	}
	r = sleep(arg);
	if (r == -ERESTARTSYS || r == -EINTR)
		r = -ERESTARTNOHAND;
	if (!uaddr_is_null(umask))
		sigmask_restore(r == -ERESTARTNOHAND);
	return r;
}

/* The timeout as a deadline: NULL is for ever (UINT64_MAX), zero is now
 * (0: do not sleep); -EFAULT, -EINVAL for a negative or unnormalised one. */
static long get_deadline(uaddr_t uts, uint64_t *deadline)
{
	struct linux_timespec ts;

	if (uaddr_is_null(uts)) {
		*deadline = UINT64_MAX;
		return 0;
	}
	if (copy_from_user(current->mm, &ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if (!ts.tv_sec && !ts.tv_nsec) {
		*deadline = 0;
		return 0;
	}
	uint64_t now = uptime_ns();
	uint64_t ns = (uint64_t)ts.tv_sec >= (UINT64_MAX - now) / NSEC_PER_SEC - 1
		? UINT64_MAX - now : (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	*deadline = now + ns;
	return 0;
}

/* As Linux's poll_select_finish: the time left is written back (never for a
 * zero timeout or none); a failure to write it is ignored. */
static void put_remaining(uaddr_t uts, uint64_t deadline)
{
	if (uaddr_is_null(uts) || !deadline || deadline == UINT64_MAX)
		return;
	uint64_t now = uptime_ns(), left = deadline > now ? deadline - now : 0;
	struct linux_timespec ts = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
	(void)copy_to_user(current->mm, uts, &ts, sizeof(ts));
}

/* ---- ppoll ----------------------------------------------------------------------- */

struct ppoll_call {
	uaddr_t ufds;
	uint64_t nfds;
	uint64_t deadline;
};

static long ppoll_sleep(void *arg)
{
	struct ppoll_call *c = arg;
	struct linux_pollfd *fds = NULL;
	size_t bytes = c->nfds * sizeof(*fds);
	long r;

	if (c->nfds > current->rlim[RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	if (bytes && !(fds = kalloc(bytes)))
		return -ENOMEM;
	if (bytes && copy_from_user(current->mm, fds, c->ufds, bytes) < 0) {
		kfree(fds);
		return -EFAULT;
	}
	r = do_poll(fds, c->nfds, c->deadline);
	for (uint64_t i = 0; r >= 0 && i < c->nfds; i++) {
		if (copy_to_user(current->mm, uaddr_add(c->ufds, i * sizeof(*fds) + 6),
				 &fds[i].revents, 2) < 0)
			r = -EFAULT;
		irq_window();   /* up to RLIMIT_NOFILE of them: let interrupts in */
	}
	kfree(fds);
	return r;
}

long sys_ppoll(uaddr_t fds, uint64_t nfds, uaddr_t tmo, uaddr_t sigmask, size_t sigsetsize)
{
	struct ppoll_call c = { fds, nfds, 0 };
	long r = get_deadline(tmo, &c.deadline);

	if (r)
		return r;
	r = with_temp_sigmask(sigmask, sigsetsize, ppoll_sleep, &c);
	put_remaining(tmo, c.deadline);
	return r;
}

/* ---- pselect6 -------------------------------------------------------------------- */

struct pselect_call {
	int n;
	uaddr_t uset[3];
	uint64_t deadline;
};

static long pselect_sleep(void *arg)
{
	struct pselect_call *c = arg;
	uint64_t set[3] = { 0 };
	bool given[3];
	size_t bytes = c->n ? 8 : 0;   /* n <= 64: one word a set */
	long r;

	for (int i = 0; i < 3; i++) {
		given[i] = !uaddr_is_null(c->uset[i]);
		if (given[i] && bytes && copy_from_user(current->mm, &set[i], c->uset[i], bytes) < 0)
			return -EFAULT;
		if (c->n < 64)
			set[i] &= (1ull << c->n) - 1;
	}
	r = do_select(c->n, given[0] ? &set[0] : NULL, given[1] ? &set[1] : NULL,
		      given[2] ? &set[2] : NULL, c->deadline);
	for (int i = 0; r >= 0 && i < 3; i++)
		if (given[i] && bytes && copy_to_user(current->mm, c->uset[i], &set[i], bytes) < 0)
			r = -EFAULT;
	return r;
}

/* sig points at { const sigset_t *ss; size_t ss_len; } (or is NULL). */
long sys_pselect6(int n, uaddr_t inp, uaddr_t outp, uaddr_t exp, uaddr_t tsp, uaddr_t sig)
{
	struct pselect_call c = { n, { inp, outp, exp }, 0 };
	uint64_t sigarg[2] = { 0, 0 };
	long r;

	if (n < 0)
		return -EINVAL;
	if ((r = get_deadline(tsp, &c.deadline)))
		return r;
	if (!uaddr_is_null(sig) && copy_from_user(current->mm, sigarg, sig, sizeof(sigarg)) < 0)
		return -EFAULT;
	if (c.n > SELECT_MAX_FDS)
		c.n = SELECT_MAX_FDS;
	r = with_temp_sigmask(uaddr(sigarg[0]), sigarg[1], pselect_sleep, &c);
	put_remaining(tsp, c.deadline);
	return r;
}

/* ---- eventfd2 -------------------------------------------------------------------- */

long sys_eventfd2(uint32_t initval, int flags)
{
	struct file *f;
	long r = eventfd_create(initval, flags, &f);

	if (r)
		return r;
	r = fd_install(current, f, flags & EFD_CLOEXEC);
	if (r < 0)
		file_put(f);
	return r;
}
