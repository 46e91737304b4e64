/* Advisory locks (fs/locks.h). */
#include "fs/locks.h"
#include "fs/file.h"
#include "kernel/wait.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/fcntl.h"

#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#define OFFSET_MAX INT64_MAX

/* One lock: [start, end] (inclusive) for a POSIX lock, the whole file for
 * a flock. Owner: the pid, or the open file for flock. */
struct file_lock {
	struct file_lock *next;
	bool flock;
	int type;                  /* F_RDLCK or F_WRLCK */
	uintptr_t owner;
	int pid;                   /* for F_GETLK's l_pid */
	int64_t start, end;
};

/* Everyone waiting for a lock on any file: a release wakes them all to
 * look again (rare enough not to need a queue per inode). */
static struct wait_queue lock_waiters = WAIT_QUEUE_INIT;

/* A POSIX lock request that sleeps (F_SETLKW): what its owner waits for,
 * which the deadlock check follows. On its sleeper's stack, linked while
 * it waits; the list, as every lock, is under the kernel lock. */
struct lock_wait {
	struct lock_wait *next;
	struct file *f;
	const struct file_lock *want;
};
static struct lock_wait *blocked;

/* How many owners the deadlock check follows (Linux's MAX_DEADLK_ITERATIONS). */
#define DEADLOCK_STEPS 10

static struct file_lock **lock_list(struct file *f)
{
	return (struct file_lock **)&f->inode->locks;
}

static bool conflicts(const struct file_lock *a, const struct file_lock *b)
{
	if (a->flock != b->flock || a->owner == b->owner)
		return false;
	if (a->type != F_WRLCK && b->type != F_WRLCK)
		return false;
	return a->start <= b->end && b->start <= a->end;
}

static struct file_lock *first_conflict(struct file *f, const struct file_lock *want)
{
	for (struct file_lock *l = *lock_list(f); l; l = l->next)
		if (conflicts(l, want))
			return l;
	return NULL;
}

/* A sleeping request of owner's, or NULL. */
static const struct lock_wait *waiting_of(uintptr_t owner)
{
	for (const struct lock_wait *w = blocked; w; w = w->next)
		if (w->want->owner == owner)
			return w;
	return NULL;
}

/*
 * Linux's posix_locks_deadlock: want, blocked by lock l, would close a
 * cycle if l's owner sleeps on a lock whose owner sleeps on ... one of
 * want's owner's. Followed for a few steps, as Linux does.
 */
static bool would_deadlock(const struct file_lock *want, const struct file_lock *l)
{
	for (int i = 0; l && i < DEADLOCK_STEPS; i++) {
		const struct lock_wait *w = waiting_of(l->owner);
		if (!w)
			return false;
		l = first_conflict(w->f, w->want);
		if (l && l->owner == want->owner)
			return true;
	}
	return false;
}

/* Sleeps until want has no conflict: 0 or -EINTR. */
static int wait_for_lock(struct file *f, const struct file_lock *want)
{
	struct lock_wait w = { blocked, f, want };
	struct lock_wait **p;

	blocked = &w;
	int err = (int)wait_event(&lock_waiters, !first_conflict(f, want));
	for (p = &blocked; *p != &w; p = &(*p)->next)
		;
	*p = w.next;
	return err;
}

/* The byte range fl names (l_whence, l_start, l_len), or -EINVAL. */
static int lock_range(struct file *f, const struct linux_flock *fl, int64_t *start, int64_t *end)
{
	int64_t base;

	switch (fl->l_whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = (int64_t)f->inode->size; break;
	default: return -EINVAL;
	}
	if ((fl->l_start > 0 && base > OFFSET_MAX - fl->l_start) || base + fl->l_start < 0)
		return -EINVAL;
	int64_t s = base + fl->l_start;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > OFFSET_MAX - s)
			return -EOVERFLOW;
		*start = s;
		*end = s + fl->l_len - 1;
	} else if (fl->l_len < 0) {
		if (s + fl->l_len < 0)
			return -EINVAL;
		*start = s + fl->l_len;
		*end = s - 1;
	} else {
		*start = s;
		*end = OFFSET_MAX;
	}
	return 0;
}

/* Removes owner's POSIX locks over [s, e], splitting one that straddles
 * (spare: a record for that split, consumed if used). */
static void cut_range(struct file *f, uintptr_t owner, int64_t s, int64_t e,
		      struct file_lock **spare)
{
	struct file_lock **pp = lock_list(f);

	while (*pp) {
		struct file_lock *l = *pp;
		if (l->flock || l->owner != owner || l->end < s || l->start > e) {
			pp = &l->next;
			continue;
		}
		if (l->start < s && l->end > e) {
			struct file_lock *tail = *spare;
			*spare = NULL;
			*tail = *l;
			tail->start = e + 1;
			l->end = s - 1;
			tail->next = l->next;
			l->next = tail;
			return;
		}
		if (l->start < s) {
			l->end = s - 1;
			pp = &l->next;
		} else if (l->end > e) {
			l->start = e + 1;
			pp = &l->next;
		} else {
			*pp = l->next;
			kfree(l);
		}
	}
}

long posix_lock(struct file *f, int pid, unsigned cmd, struct linux_flock *fl)
{
	struct file_lock want = { .type = fl->l_type, .owner = (uintptr_t)pid, .pid = pid };
	bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;
	int err;

	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		return -EINVAL;
	if (!f->inode)
		return -EINVAL;
	if ((err = lock_range(f, fl, &want.start, &want.end)))
		return err;
	if (cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW) {
		if (fl->l_pid != 0)
			return -EINVAL;
		want.owner = (uintptr_t)f;      /* open file description locks */
		want.pid = -1;
	}
	if (get) {
		if (fl->l_type == F_UNLCK)
			return -EINVAL;
		struct file_lock *c = first_conflict(f, &want);
		if (!c) {
			fl->l_type = F_UNLCK;
			return 0;
		}
		fl->l_type = (int16_t)c->type;
		fl->l_whence = SEEK_SET;
		fl->l_start = c->start;
		fl->l_len = c->end == OFFSET_MAX ? 0 : c->end - c->start + 1;
		fl->l_pid = c->pid;
		return 0;
	}
	if ((fl->l_type == F_RDLCK && (f->flags & O_ACCMODE) == O_WRONLY) ||
	    (fl->l_type == F_WRLCK && (f->flags & O_ACCMODE) == O_RDONLY))
		return -EBADF;
	if (fl->l_type != F_UNLCK) {
		bool wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
		struct file_lock *c = first_conflict(f, &want);
		if (c) {
			if (!wait)
				return -EAGAIN;
			/* OFD locks belong to no process: no cycle is looked for
			 * (as Linux), and their waits are not followed. */
			if (cmd == F_SETLKW && would_deadlock(&want, c))
				return -EDEADLK;
			if ((err = cmd == F_SETLKW ? wait_for_lock(f, &want) :
				   (int)wait_event(&lock_waiters, !first_conflict(f, &want))))
				return err;
		}
	}
	struct file_lock *spare = kalloc(sizeof(*spare));
	struct file_lock *n = fl->l_type == F_UNLCK ? NULL : kalloc(sizeof(*n));
	if (!spare || (fl->l_type != F_UNLCK && !n)) {
		kfree(spare);
		kfree(n);
		return -ENOLCK;
	}
	cut_range(f, want.owner, want.start, want.end, &spare);
	kfree(spare);
	if (n) {
		*n = want;
		n->next = *lock_list(f);
		*lock_list(f) = n;
	}
	wake_up(&lock_waiters);
	return 0;
}

static void remove_where(struct file *f, bool flock, uintptr_t owner)
{
	struct file_lock **pp = lock_list(f);
	bool any = false;

	while (*pp) {
		struct file_lock *l = *pp;
		if (l->flock == flock && l->owner == owner) {
			*pp = l->next;
			kfree(l);
			any = true;
		} else {
			pp = &l->next;
		}
	}
	if (any)
		wake_up(&lock_waiters);
}

void locks_remove_posix(struct file *f, int pid)
{
	if (f->inode && f->inode->locks)
		remove_where(f, false, (uintptr_t)pid);
}

void locks_remove_flock(struct file *f)
{
	if (f->inode && f->inode->locks) {
		remove_where(f, true, (uintptr_t)f);
		remove_where(f, false, (uintptr_t)f);   /* OFD locks */
	}
}

long flock_lock(struct file *f, int op)
{
	int kind = op & ~LOCK_NB;
	struct file_lock want = { .flock = true, .owner = (uintptr_t)f, .pid = -1,
				  .start = 0, .end = OFFSET_MAX };

	if (!f->inode)
		return -EINVAL;
	if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN)
		return -EINVAL;
	/* A conversion drops the old lock first, as Linux's flock_lock_inode. */
	remove_where(f, true, (uintptr_t)f);
	if (kind == LOCK_UN)
		return 0;
	want.type = kind == LOCK_EX ? F_WRLCK : F_RDLCK;
	if (first_conflict(f, &want)) {
		if (op & LOCK_NB)
			return -EWOULDBLOCK;
		long err = wait_event(&lock_waiters, !first_conflict(f, &want));
		if (err)
			return err;
	}
	struct file_lock *n = kalloc(sizeof(*n));
	if (!n)
		return -ENOLCK;
	*n = want;
	n->next = *lock_list(f);
	*lock_list(f) = n;
	return 0;
}
