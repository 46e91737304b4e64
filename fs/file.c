/* Open files: their references and the checks every kind shares (fs/file.h). */
#include "fs/file.h"
#include "fs/poll.h"
#include "fs/locks.h"
#include "kernel/proc.h"
#include "mm/kalloc.h"
#include "mm/uaccess.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/fcntl.h"
#include "lib/uapi/stat.h"
#include <string.h>

struct file *file_new(const struct file_ops *ops, uint32_t flags)
{
	struct file *f = kalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->refs = 1;
	f->ops = ops;
	f->flags = flags;
	return f;
}

int file_open_dentry(struct dentry *d, uint32_t flags, struct file **out)
{
	struct inode *i = d->inode;
	struct file *f = file_new(i->fops, flags);

	if (!f)
		return -ENOMEM;
	f->dentry = dentry_get(d);
	f->inode = inode_get(i);
	if (f->ops && f->ops->open) {
		int err = f->ops->open(i, f);
		if (err) {
			inode_put(f->inode);
			dentry_put(f->dentry);
			kfree(f);
			return err;
		}
	}
	d->sb->users++;
	*out = f;
	return 0;
}

struct file *file_dup(struct file *f)
{
	f->refs++;
	return f;
}

void file_put(struct file *f)
{
	if (!f || --f->refs)
		return;
	locks_remove_flock(f);
	if (f->ops && f->ops->release)
		f->ops->release(f);
	if (f->dentry) {
		f->dentry->sb->users--;
		dentry_put(f->dentry);
	}
	if (f->inode)
		inode_put(f->inode);
	kfree(f);
}

/* ---- the operations ------------------------------------------------------------ */

long file_read(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_PATH))
		return -EBADF;
	if (file_is_dir(f))
		return -EISDIR;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (!n)
		return 0;
	return f->ops->read ? f->ops->read(f, ubuf, n, pos) : -EINVAL;
}

long file_write(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	if (!f->ops->write || (f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_PATH))
		return -EBADF;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	return f->ops->write(f, ubuf, n, pos);
}

long file_read_kernel(struct file *f, void *buf, uint64_t n, uint64_t *pos)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	return f->ops->kread ? f->ops->kread(f, buf, n, pos) : -EINVAL;
}

long file_write_kernel(struct file *f, const void *buf, uint64_t n, uint64_t *pos)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	return f->ops->kwrite ? f->ops->kwrite(f, buf, n, pos) : -EINVAL;
}

uint32_t file_poll(struct file *f, struct poll_table *pt)
{
	return f->ops->poll ? f->ops->poll(f, pt) : POLL_DEFAULT_MASK;
}

long file_ioctl(struct file *f, uint32_t cmd, uint64_t arg)
{
	return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
}

bool file_seekable(const struct file *f)
{
	return f->ops->llseek != NULL;
}

long file_llseek(struct file *f, long off, uint32_t whence)
{
	return f->ops->llseek ? f->ops->llseek(f, off, whence) : -ESPIPE;
}

void file_stat(struct file *f, struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	if (f->inode)
		inode_stat(f->inode, st);
	else if (f->ops->stat)
		f->ops->stat(f, st);
}

bool file_is_dir(const struct file *f)
{
	return f->inode && inode_is_dir(f->inode);
}

int file_readdir(struct file *f, struct dir_context *ctx)
{
	return f->ops->readdir ? f->ops->readdir(f, ctx) : -ENOTDIR;
}

long generic_llseek(struct file *f, long off, uint32_t whence, uint64_t size)
{
	int64_t base;

	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = (int64_t)size; break;
	default: return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

long read_from_buffer(uaddr_t ubuf, uint64_t n, uint64_t *pos, const void *data, uint64_t len)
{
	if (*pos >= len)
		return 0;
	if (n > len - *pos)
		n = len - *pos;
	if (copy_to_user(current->mm, ubuf, (const uint8_t *)data + *pos, n) < 0)
		return -EFAULT;
	*pos += n;
	return (long)n;
}
