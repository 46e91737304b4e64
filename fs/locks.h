/*
 * Advisory file locks, as Linux's fs/locks.c: POSIX record locks (fcntl
 * F_GETLK/F_SETLK/F_SETLKW, owned by a process, dropped when it closes any
 * descriptor of the file or exits) and BSD locks (flock, owned by an open
 * file, dropped with its last reference). Locks live on the inode.
 */
#ifndef BRAMBLE_LOCKS_H
#define BRAMBLE_LOCKS_H
#include "lib/types.h"

struct file;
struct inode;
struct linux_flock;

/* fcntl's lock commands on f for process pid; fl is the user's record,
 * already copied in (F_GETLK fills it back). 0 or -errno (EAGAIN, EINTR,
 * EINVAL, EBADF, ENOLCK). */
long posix_lock(struct file *f, int pid, unsigned cmd, struct linux_flock *fl);
/* flock(2): LOCK_SH, LOCK_EX, LOCK_UN, with LOCK_NB. */
long flock_lock(struct file *f, int op);
/* pid closed a descriptor of f: its record locks on the file go. */
void locks_remove_posix(struct file *f, int pid);
/* The last reference to f is going: its flock goes. */
void locks_remove_flock(struct file *f);
#endif
