/*
 * The console terminal: one line discipline (fs/tty_ldisc.c) fed by the
 * UART as bytes arrive, the session it controls and its foreground process
 * group, and Linux's job-control rules for reads, writes and ioctls
 * (drivers/tty/tty_io.c, tty_jobctrl.c, n_tty.c in behaviour).
 *
 * Its state is shared between process context and the receive path (the
 * UART's interrupt or the tick's poll), which only runs on entry from EL0
 * or from the idle loop, never inside kernel code, and always under the
 * kernel lock (kernel/spinlock.h), which protects it.
 */
#include "fs/console.h"
#include "fs/tty_ldisc.h"
#include "kernel/console.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "lib/printk.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/fcntl.h"
#include "lib/uapi/signal.h"
#include "lib/uapi/termios.h"
#include "mm/uaccess.h"
#include <string.h>

static struct ldisc ld;
static struct wait_queue rx_wait = WAIT_QUEUE_INIT;
static struct linux_winsize winsize = { .ws_row = 24, .ws_col = 80 };
static int tty_sid, tty_pgrp;        /* the session it controls, its foreground group */
static uint64_t last_rx_ns;          /* when the last byte came (VTIME) */
static bool ready;

static void emit(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	console_write_raw(s, n);
}

void tty_init(void)
{
	ldisc_init(&ld, emit, NULL);
	ready = true;
}

void tty_receive(uint8_t c)
{
	if (!ready)
		tty_init();
	int sig = ldisc_receive(&ld, c);
	last_rx_ns = uptime_ns();
	if (sig && tty_pgrp)
		proc_kill_pgrp(tty_pgrp, sig);
	wake_up(&rx_wait);
}

bool tty_reader_waiting(void)
{
	return wait_queue_active(&rx_wait);
}

bool tty_input_ready(void)
{
	return ready && ldisc_readable(&ld);
}

bool console_input_ready(void)
{
	return tty_input_ready();
}

struct wait_queue *tty_input_queue(void)
{
	return &rx_wait;
}

/* Whether the console is p's controlling terminal. */
static bool is_ctty(const struct proc *p)
{
	return tty_sid && p->sid == tty_sid && !p->tty_detached;
}

bool tty_is_controlling(const struct proc *p, int *fg_pgrp)
{
	if (!is_ctty(p))
		return false;
	*fg_pgrp = tty_pgrp;
	return true;
}

/*
 * Linux's __tty_check_change: a process of the terminal's session outside
 * its foreground group gets sig (SIGTTIN for reads, SIGTTOU for writes
 * with TOSTOP and mode changes). Ignored or blocked: -EIO for SIGTTIN, go
 * on for SIGTTOU; an orphaned group gets -EIO (nobody could continue it).
 * Otherwise the group is signalled and the call ends with -ERESTARTSYS, as
 * Linux: once the stopped group is continued the call is made again.
 */
static long job_check(int sig)
{
	struct proc *p = current;

	if (!p || !is_ctty(p) || !tty_pgrp || p->pgid == tty_pgrp)
		return 0;
	if (proc_sig_ignored_or_blocked(p, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (proc_pgrp_orphaned(p->pgid, NULL))
		return -EIO;
	proc_kill_pgrp(p->pgid, sig);
	return -ERESTARTSYS;
}

/* Sleeps until cond or (timeout_ns) the deadline: 0, or -EINTR. */
#define wait_input(cond, deadline) ({                                    \
	struct timer __t = { 0 };                                       \
	uint64_t __d = (deadline);                                      \
	long __e;                                                       \
	if (__d)                                                        \
		timer_add(&__t, __d, &rx_wait);                         \
	__e = wait_event(&rx_wait, (cond) || (__d && uptime_ns() >= __d)); \
	if (__d)                                                        \
		timer_cancel(&__t);                                     \
	__e;                                                            \
})

#define NS_PER_DECISECOND 100000000UL

long tty_read(char *buf, size_t n, uint32_t fflags)
{
	long err = job_check(SIGTTIN);

	if (err)
		return err;
	if (!ready)
		tty_init();
	if (ld.t.c_lflag & ICANON) {
		while (!ldisc_readable(&ld)) {
			if (fflags & O_NONBLOCK)
				return -EAGAIN;
			err = wait_input(ldisc_readable(&ld) || !(ld.t.c_lflag & ICANON), 0);
			if (err)
				return err;
			if (!(ld.t.c_lflag & ICANON))
				return tty_read(buf, n, fflags);
		}
		return (long)ldisc_read(&ld, buf, n);
	}
	/* Non-canonical: VMIN bytes, VTIME tenths of a second (termios(3)). */
	size_t vmin = ld.t.c_cc[VMIN], want = vmin < n ? vmin : n;
	uint64_t vtime = ld.t.c_cc[VTIME] * NS_PER_DECISECOND;
	if (fflags & O_NONBLOCK) {
		if (!ldisc_avail(&ld))
			return -EAGAIN;
	} else if (!vmin) {
		if (vtime && !ldisc_avail(&ld)) {
			err = wait_input(ldisc_avail(&ld) > 0, uptime_ns() + vtime);
			if (err)
				return err;
		}
	} else {
		err = wait_input(ldisc_avail(&ld) > 0, 0);
		if (err)
			return err;
		/* With VTIME, an inter-byte timer: it ends the read once the line
		 * has been quiet that long. */
		while (ldisc_avail(&ld) < want) {
			err = wait_input(ldisc_avail(&ld) >= want,
					 vtime ? last_rx_ns + vtime : 0);
			if (err && !ldisc_avail(&ld))
				return err;
			if (err || (vtime && uptime_ns() >= last_rx_ns + vtime))
				break;
		}
	}
	return (long)ldisc_read(&ld, buf, n);
}


long console_read_line(char *buf, size_t n)
{
	return tty_read(buf, n, 0);
}

long tty_write_check(void)
{
	if (!(ld.t.c_lflag & TOSTOP))
		return 0;
	return job_check(SIGTTOU);
}

long tty_write(const char *buf, size_t n)
{
	char out[128];
	size_t done = 0;

	if (!ready)
		tty_init();
	while (done < n) {
		size_t used, k = ldisc_output(&ld.t, buf + done, n - done, out, sizeof(out), &used);
		console_write_raw(out, k);
		done += used;
	}
	return (long)n;
}

long tty_open(uint32_t flags, bool dev_tty)
{
	struct proc *p = current;

	if (dev_tty)
		return is_ctty(p) ? 0 : -ENXIO;
	/* Linux's tty_open_proc_set_tty: a session leader without a
	 * controlling terminal acquires one it opens, if no session has it. */
	if (!(flags & O_NOCTTY) && p->sid == p->pid && !is_ctty(p) && !tty_sid) {
		tty_sid = p->sid;
		tty_pgrp = p->pgid;
		p->tty_detached = false;
	}
	return 0;
}

/* The terminal leaves its session: SIGHUP (and SIGCONT) to the foreground
 * group, as Linux's disassociate_ctty. */
static void hang_up(bool cont)
{
	int pg = tty_pgrp;

	tty_sid = tty_pgrp = 0;
	if (pg) {
		proc_kill_pgrp(pg, SIGHUP);
		if (cont)
			proc_kill_pgrp(pg, SIGCONT);
	}
}

void tty_session_left(struct proc *p)
{
	p->tty_detached = false;   /* a new session: no terminal until it takes one */
}

void tty_session_leader_exit(struct proc *p)
{
	if (tty_sid && tty_sid == p->sid)
		hang_up(true);
}

/* The session of group (or process) pgid, as Linux's session_of_pgrp; -1 none. */
static int session_of(int pgid)
{
	if (proc_pgrp_exists(pgid, current->sid))
		return current->sid;
	if (proc_pgrp_exists(pgid, 0))
		return 0;   /* a group of another session */
	struct proc *q = proc_by_pid(pgid);
	return q && q->state != P_ZOMBIE ? q->sid : -1;
}

static long put_int(uaddr_t arg, int v)
{
	int32_t x = v;
	return copy_to_user(current->mm, arg, &x, sizeof(x)) < 0 ? -EFAULT : 0;
}

long tty_ioctl(uint32_t cmd, uint64_t arg, bool freadable)
{
	struct proc *p = current;
	long err;

	if (!ready)
		tty_init();
	switch (cmd) {
	case TCGETS:
		return copy_to_user(p->mm, uaddr(arg), &ld.t, sizeof(ld.t)) < 0 ? -EFAULT : 0;
	case TCSETS: case TCSETSW: case TCSETSF: {
		struct linux_termios t;
		if ((err = job_check(SIGTTOU)))
			return err;
		if (copy_from_user(p->mm, &t, uaddr(arg), sizeof(t)) < 0)
			return -EFAULT;
		/* Output is written synchronously: TCSETSW has nothing to drain. */
		if (cmd == TCSETSF)
			ldisc_flush_input(&ld);
		ldisc_set_termios(&ld, &t);
		wake_up(&rx_wait);    /* a reader re-checks under the new mode */
		return 0;
	}
	case TCFLSH:
		if ((err = job_check(SIGTTOU)))
			return err;
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH)
			ldisc_flush_input(&ld);
		return 0;
	case TCXONC:
		if ((err = job_check(SIGTTOU)))
			return err;
		return arg > TCION ? -EINVAL : 0;   /* output is never held back */
	case TIOCGWINSZ:
		return copy_to_user(p->mm, uaddr(arg), &winsize, sizeof(winsize)) < 0 ? -EFAULT : 0;
	case TIOCSWINSZ: {
		struct linux_winsize ws;
		if (copy_from_user(p->mm, &ws, uaddr(arg), sizeof(ws)) < 0)
			return -EFAULT;
		bool changed = memcmp(&ws, &winsize, sizeof(ws)) != 0;
		winsize = ws;
		if (changed && tty_pgrp)
			proc_kill_pgrp(tty_pgrp, SIGWINCH);
		return 0;
	}
	case TIOCINQ:
		return put_int(uaddr(arg), (int)ldisc_avail(&ld));
	case TIOCOUTQ:
		return put_int(uaddr(arg), 0);
	case TIOCSCTTY:
		if (p->sid == p->pid && tty_sid == p->sid)
			return 0;
		if (p->sid != p->pid || is_ctty(p))
			return -EPERM;
		if (tty_sid) {
			if (arg != 1)
				return -EPERM;
			tty_sid = 0;   /* stolen (everyone is privileged) */
		}
		if (!freadable)
			return -EPERM;
		tty_sid = p->sid;
		tty_pgrp = p->pgid;
		p->tty_detached = false;
		return 0;
	case TIOCNOTTY:
		if (!is_ctty(p))
			return -ENOTTY;
		if (p->sid == p->pid)
			hang_up(true);
		else
			p->tty_detached = true;
		return 0;
	case TIOCGPGRP:
		if (!is_ctty(p))
			return -ENOTTY;
		return put_int(uaddr(arg), tty_pgrp);
	case TIOCSPGRP: {
		int32_t pg;
		err = job_check(SIGTTOU);
		if (err == -EIO)
			return -ENOTTY;
		if (err)
			return err;
		if (copy_from_user(p->mm, &pg, uaddr(arg), sizeof(pg)) < 0)
			return -EFAULT;
		if (pg < 0)
			return -EINVAL;
		if (!is_ctty(p) || tty_sid != p->sid)
			return -ENOTTY;
		int s = session_of(pg);
		if (s < 0)
			return -ESRCH;
		if (s != p->sid)
			return -EPERM;
		tty_pgrp = pg;
		return 0;
	}
	case TIOCGSID:
		if (!is_ctty(p) || !tty_sid)
			return -ENOTTY;
		return put_int(uaddr(arg), tty_sid);
	default:
		return -ENOTTY;
	}
}
