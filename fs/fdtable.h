/*
 * A process's file descriptors: which open file each number names and its
 * close-on-exec bit. The table starts small and grows on demand up to the
 * caller's RLIMIT_NOFILE (at most FD_MAX), as Linux's expand_files; it is
 * its own object with a count so that threads (CLONE_FILES) can share it.
 */
#ifndef BRAMBLE_FDTABLE_H
#define BRAMBLE_FDTABLE_H
#include "lib/types.h"

#define FD_MAX     4096     /* the most RLIMIT_NOFILE may be (Linux's INR_OPEN_MAX) */
#define FD_INITIAL 64

struct file;
struct proc;

struct fdtable {
	int refs;
	unsigned size;          /* slots in fd[] (a multiple of 64) */
	struct file **fd;
	uint64_t *cloexec;      /* a bit per slot */
	unsigned next_free;     /* no free slot below it */
	int owner;              /* the process (group) using it: its record locks go at close */
};

/* A new empty table, or NULL. */
struct fdtable *fdtable_new(void);
/* fork: a copy sharing every open file; NULL when out of memory. */
struct fdtable *fdtable_copy(struct fdtable *from);
void fdtable_put(struct fdtable *t);

/* The lowest free fd >= min below limit (RLIMIT_NOFILE) for f: the fd, or
 * -EMFILE (none free below limit), -EINVAL (min >= limit, F_DUPFD's rule),
 * -ENOMEM (the table could not grow). On error f is not consumed. */
int fd_install_from(struct fdtable *t, struct file *f, bool cloexec, unsigned min, uint64_t limit);
int fd_install(struct proc *p, struct file *f, bool cloexec);
/* dup2/dup3: f at exactly fd (closing what was there): fd, -EBADF (fd
 * outside the limit) or -ENOMEM. Takes a new reference on f. */
int fd_install_at(struct fdtable *t, unsigned fd, struct file *f, bool cloexec, uint64_t limit);
struct file *fd_get(struct proc *p, long fd);
int fd_close(struct proc *p, long fd);
bool fd_cloexec(struct fdtable *t, unsigned fd);
void fd_set_cloexec(struct fdtable *t, unsigned fd, bool on);
void fd_close_on_exec(struct fdtable *t);
/* The open fds in order: calls fn(fd, file, arg) for each (procfs). */
void fd_for_each(struct fdtable *t, void (*fn)(unsigned fd, struct file *f, void *arg), void *arg);
#endif
