/* eventfd (see fs/eventfd.h). */
#include "fs/eventfd.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "kernel/proc.h"
#include "kernel/wait.h"
#include "mm/kalloc.h"
#include "mm/uaccess.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/stat.h"

#define EVENTFD_MAX (UINT64_MAX - 1)

/* Readers and writers sleep on wq; every change of count wakes it.
 * Protected, as every queue, by the kernel lock (kernel/spinlock.h). */
struct eventfd {
	uint64_t count;
	bool semaphore;
	struct wait_queue wq;
};

static long efd_read(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	struct eventfd *e = f->efd;
	uint64_t v;

	(void)pos;
	if (n < 8)
		return -EINVAL;
	if (!e->count) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		long err = wait_event(&e->wq, e->count);
		if (err)
			return err;
	}
	v = e->semaphore ? 1 : e->count;
	if (copy_to_user(current->mm, ubuf, &v, 8) < 0)
		return -EFAULT;
	e->count -= v;
	wake_up(&e->wq);
	return 8;
}

static long efd_write(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	(void)pos;
	struct eventfd *e = f->efd;
	uint64_t v;

	if (n < 8)
		return -EINVAL;
	if (copy_from_user(current->mm, &v, ubuf, 8) < 0)
		return -EFAULT;
	if (v == UINT64_MAX)
		return -EINVAL;
	if (EVENTFD_MAX - e->count < v) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		long err = wait_event(&e->wq, EVENTFD_MAX - e->count >= v);
		if (err)
			return err;
	}
	e->count += v;
	if (v)
		wake_up(&e->wq);
	return 8;
}

static uint32_t efd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd *e = f->efd;
	uint32_t mask = 0;

	poll_wait(pt, &e->wq);
	if (e->count)
		mask |= POLLIN | POLLRDNORM;
	if (e->count == UINT64_MAX)
		mask |= POLLERR;
	if (e->count < EVENTFD_MAX)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* An anonymous inode, as Linux's: mode 0600, no file type bits. */
static void efd_stat(struct file *f, struct linux_stat *st)
{
	(void)f;
	st->st_dev = 7;
	st->st_mode = 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
}

static void efd_release(struct file *f)
{
	kfree(f->efd);
}

static const struct file_ops eventfd_ops = {
	.read = efd_read,
	.write = efd_write,
	.poll = efd_poll,
	.stat = efd_stat,
	.release = efd_release,
};

long eventfd_create(uint64_t initval, int flags, struct file **out)
{
	struct eventfd *e;
	struct file *f;

	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	if (!(e = kalloc(sizeof(*e))))
		return -ENOMEM;
	if (!(f = file_new(&eventfd_ops, O_RDWR | (flags & EFD_NONBLOCK)))) {
		kfree(e);
		return -ENOMEM;
	}
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	wait_queue_init(&e->wq);
	f->efd = e;
	*out = f;
	return 0;
}
