/*
 * futex(2), set_robust_list(2), get_robust_list(2): decoding only; the
 * futexes are kernel/futex.c's.
 *
 * Not implemented, ENOSYS (as a Linux built without them): the PI family
 * (FUTEX_LOCK_PI, UNLOCK_PI, TRYLOCK_PI, LOCK_PI2, WAIT_REQUEUE_PI,
 * CMP_REQUEUE_PI), FUTEX_FD (gone since Linux 2.6.26), futex_waitv(449).
 */
#include "syscall/syscall.h"
#include "kernel/futex.h"
#include "kernel/vdso.h"
#include "mm/uaccess.h"
#include "lib/uapi/futex.h"
#include "lib/printk.h"

/* The commands whose fourth argument is a timeout (Linux's futex_cmd_has_timeout);
 * for the others it is a count, val2. */
static bool has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
	       cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAIT_REQUEUE_PI;
}

/* The deadline (ns since boot) of a timeout: FUTEX_WAIT's is relative to the
 * monotonic clock, the others' absolute, on CLOCK_REALTIME with
 * FUTEX_CLOCK_REALTIME (which clock_settime moves, kernel/vdso.h). */
static long get_deadline(int cmd, bool realtime, uaddr_t utime, uint64_t *deadline)
{
	uint64_t ns;
	long err = timespec_from_user(utime, &ns);

	if (err)
		return err;
	if (cmd == FUTEX_WAIT) {
		uint64_t now = uptime_ns();
		ns = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
	} else if (realtime) {
		ns = vdso_realtime_to_boot(ns);
	}
	*deadline = ns;
	return 0;
}

long sys_futex(uaddr_t uaddr, int op, uint32_t val, uaddr_t utime, uaddr_t uaddr2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	uint64_t deadline, *dl = NULL;
	/* For the requeues and WAKE_OP the timeout's register is a count. */
	int val2 = (int)(uint32_t)uaddr_val(utime);
	long err;

	if (!uaddr_is_null(utime) && has_timeout(cmd)) {
		if ((err = get_deadline(cmd, op & FUTEX_CLOCK_REALTIME, utime, &deadline)))
			return err;
		dl = &deadline;
	}
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, shared, val, dl, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, shared, val, dl, val3);
	case FUTEX_WAKE:
		return futex_wake(uaddr, shared, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, shared, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, shared, uaddr2, (int)val, val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, shared, uaddr2, (int)val, val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, shared, uaddr2, (int)val, val2, val3);
	default:
		return -ENOSYS;   /* the PI family, FUTEX_FD, unknown commands */
	}
}

long sys_set_robust_list(uaddr_t head, size_t len)
{
	if (len != sizeof(struct linux_robust_list_head))
		return -EINVAL;
	current->robust_list = head;
	current->robust_list_len = len;
	return 0;
}

/* Linux's ptrace_may_access(PTRACE_MODE_READ_REALCREDS) without dumpability:
 * itself, root (CAP_SYS_PTRACE: euid 0, kernel/cred.h), or a caller whose
 * real uid and gid are all of the target's. */
static bool may_read_robust(const struct proc *p)
{
	const struct cred *c = &current->cred, *t = &p->cred;

	if (p == current || c->euid == 0)
		return true;
	return c->uid == t->uid && c->uid == t->euid && c->uid == t->suid &&
	       c->gid == t->gid && c->gid == t->egid && c->gid == t->sgid;
}

long sys_get_robust_list(int pid, uaddr_t head_ptr, uaddr_t len_ptr)
{
	struct proc *p = pid ? proc_by_pid(pid) : current;
	uint64_t len = sizeof(struct linux_robust_list_head), head;

	if (!p)
		return -ESRCH;
	if (!may_read_robust(p))
		return -EPERM;
	head = uaddr_val(p->robust_list);
	if (copy_to_user(current->mm, len_ptr, &len, sizeof(len)) < 0)
		return -EFAULT;
	return copy_to_user(current->mm, head_ptr, &head, sizeof(head)) < 0 ? -EFAULT : 0;
}
