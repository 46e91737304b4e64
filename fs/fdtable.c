/* File descriptor tables (fs/fdtable.h). */
#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/locks.h"
#include "kernel/proc.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"
#include "lib/irq_window.h"
#include <string.h>

#define BITS 64

/* Slot arrays for size slots: 0 or -ENOMEM (t unchanged). */
static int resize(struct fdtable *t, unsigned size)
{
	struct file **fd = kalloc(size * sizeof(*fd));
	uint64_t *cloexec = fd ? kalloc(size / BITS * sizeof(*cloexec)) : NULL;

	if (!cloexec) {
		kfree(fd);
		return -ENOMEM;
	}
	if (t->fd) {
		memcpy(fd, t->fd, t->size * sizeof(*fd));
		memcpy(cloexec, t->cloexec, t->size / BITS * sizeof(*cloexec));
		kfree(t->fd);
		kfree(t->cloexec);
	}
	t->fd = fd;
	t->cloexec = cloexec;
	t->size = size;
	return 0;
}

/* Room for slot fd: 0 or -ENOMEM. */
static int ensure(struct fdtable *t, unsigned fd)
{
	unsigned size = t->size;

	while (size <= fd)
		size *= 2;
	return size == t->size ? 0 : resize(t, size);
}

/* The first process's (fs_proc_init), made at boot. */
struct fdtable *fdtable_new(void)
{
	struct fdtable *t = kalloc_boot(sizeof(*t));

	if (!t)
		return NULL;
	if (resize(t, FD_INITIAL)) {
		kfree(t);
		return NULL;
	}
	t->refs = 1;
	return t;
}

/* A table's walk lets interrupts in every 64 slots (up to FD_MAX of them,
 * a few thousand instructions apart), not at every slot: fork and exit
 * walk the table every time. */
static void window_every_64(unsigned fd)
{
	if ((fd & 63) == 63)
		irq_window();
}

struct fdtable *fdtable_copy(struct fdtable *from)
{
	struct fdtable *t = kalloc(sizeof(*t));

	if (!t)
		return NULL;
	if (resize(t, from->size)) {
		kfree(t);
		return NULL;
	}
	t->refs = 1;
	for (unsigned fd = 0; fd < from->size; fd++) {
		if (from->fd[fd])
			t->fd[fd] = file_dup(from->fd[fd]);
		window_every_64(fd);
	}
	memcpy(t->cloexec, from->cloexec, from->size / BITS * sizeof(*t->cloexec));
	t->next_free = from->next_free;
	return t;
}

static void close_slot(struct fdtable *t, unsigned fd)
{
	struct file *f = t->fd[fd];

	t->fd[fd] = NULL;
	fd_set_cloexec(t, fd, false);
	if (fd < t->next_free)
		t->next_free = fd;
	locks_remove_posix(f, t->owner);
	file_put(f);
}

void fdtable_put(struct fdtable *t)
{
	if (!t || --t->refs)
		return;
	for (unsigned fd = 0; fd < t->size; fd++) {
		if (t->fd[fd])
			close_slot(t, fd);
		window_every_64(fd);
	}
	kfree(t->fd);
	kfree(t->cloexec);
	kfree(t);
}

bool fd_cloexec(struct fdtable *t, unsigned fd)
{
	return fd < t->size && (t->cloexec[fd / BITS] >> (fd % BITS)) & 1;
}

void fd_set_cloexec(struct fdtable *t, unsigned fd, bool on)
{
	if (on)
		t->cloexec[fd / BITS] |= 1ULL << (fd % BITS);
	else
		t->cloexec[fd / BITS] &= ~(1ULL << (fd % BITS));
}

static uint64_t clamp_limit(uint64_t limit)
{
	return limit < FD_MAX ? limit : FD_MAX;
}

int fd_install_from(struct fdtable *t, struct file *f, bool cloexec, unsigned min, uint64_t limit)
{
	unsigned fd = min > t->next_free ? min : t->next_free;

	limit = clamp_limit(limit);
	if (min >= limit)
		return -EINVAL;
	while (fd < t->size && t->fd[fd])
		fd++;
	if (fd >= limit)
		return -EMFILE;
	if (ensure(t, fd))
		return -ENOMEM;
	t->fd[fd] = f;
	fd_set_cloexec(t, fd, cloexec);
	if (min <= t->next_free)
		t->next_free = fd + 1;
	return (int)fd;
}

int fd_install(struct proc *p, struct file *f, bool cloexec)
{
	int fd = fd_install_from(p->files, f, cloexec, 0, p->rlim[RLIMIT_NOFILE].rlim_cur);

	return fd == -EINVAL ? -EMFILE : fd;
}

int fd_install_at(struct fdtable *t, unsigned fd, struct file *f, bool cloexec, uint64_t limit)
{
	if (fd >= clamp_limit(limit))
		return -EBADF;
	if (ensure(t, fd))
		return -ENOMEM;
	struct file *old = t->fd[fd];
	t->fd[fd] = file_dup(f);
	fd_set_cloexec(t, fd, cloexec);
	if (old) {
		locks_remove_posix(old, t->owner);
		file_put(old);
	}
	return (int)fd;
}

struct file *fd_get(struct proc *p, long fd)
{
	struct fdtable *t = p->files;

	if (fd < 0 || (unsigned long)fd >= t->size)
		return NULL;
	return t->fd[fd];
}

int fd_close(struct proc *p, long fd)
{
	if (!fd_get(p, fd))
		return -EBADF;
	close_slot(p->files, (unsigned)fd);
	return 0;
}

void fd_close_on_exec(struct fdtable *t)
{
	for (unsigned fd = 0; fd < t->size; fd++) {
		if (t->fd[fd] && fd_cloexec(t, fd))
			close_slot(t, fd);
		window_every_64(fd);
	}
}

void fd_for_each(struct fdtable *t, void (*fn)(unsigned fd, struct file *f, void *arg), void *arg)
{
	for (unsigned fd = 0; fd < t->size; fd++)
		if (t->fd[fd])
			fn(fd, t->fd[fd], arg);
}
