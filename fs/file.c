/* Open files and the per-process descriptor table. */
#include "fs/file.h"
#include "kernel/proc.h"
#include "lib/uapi/errno.h"
#include "kernel/panic.h"
#include "mm/kalloc.h"
#include "fs/pipe.h"
#include "lib/uapi/fcntl.h"
#include "lib/uapi/stat.h"
#include "fs/poll.h"
#include "mm/uaccess.h"
#include <string.h>

struct initramfs rootfs;

int rootfs_mount(const void *cpio, size_t size)
{
	int n = cpio_count(cpio, size);

	if (n < 0)
		return n;
	/* Boot cannot go on without its files: a must-succeed allocation. */
	struct inode *nodes = kmalloc_or_panic((size_t)n * sizeof(*nodes), 16);
	return cpio_parse(cpio, size, &rootfs, nodes, n);
}

struct file *file_new(enum file_type type, const struct file_ops *ops, uint32_t flags)
{
	struct file *f = kalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->refs = 1;
	f->type = type;
	f->ops = ops;
	f->node = -1;
	f->flags = flags;
	return f;
}

/* ---- initramfs files and directories ---------------------------------------- */

static long regular_read(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	const struct inode *ino = &rootfs.nodes[f->node];

	if (*pos >= ino->size)
		return 0;
	if (n > ino->size - *pos)
		n = ino->size - *pos;
	if (copy_to_user(current->mm, ubuf, ino->data + *pos, n) < 0)
		return -EFAULT;
	*pos += n;
	return (long)n;
}

static long dir_read(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	(void)f, (void)ubuf, (void)n, (void)pos;
	return -EISDIR;
}

static long node_llseek(struct file *f, long off, uint32_t whence)
{
	int64_t base;

	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = f->type == FILE_REGULAR ? (int64_t)rootfs.nodes[f->node].size : 0; break;
	default: return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

void inode_stat(int node, struct linux_stat *st)
{
	const struct inode *n = &rootfs.nodes[node];

	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino = n->ino ? n->ino : (uint64_t)node + 1;
	st->st_mode = n->mode;
	st->st_nlink = n->nlink ? n->nlink : 1;
	st->st_size = (int64_t)n->size;
	st->st_blksize = 4096;
	st->st_blocks = (int64_t)((n->size + 511) / 512);
	st->st_atime = st->st_mtime = st->st_ctime = n->mtime;
}

static void node_stat(struct file *f, struct linux_stat *st)
{
	inode_stat(f->node, st);
}

/* Always ready (poll NULL), never writable: the initramfs is read-only. */
static const struct file_ops regular_ops = {
	.read = regular_read,
	.llseek = node_llseek,
	.stat = node_stat,
};

static const struct file_ops dir_ops = {
	.read = dir_read,
	.llseek = node_llseek,
	.stat = node_stat,
};

extern const struct file_ops console_ops;   /* fs/console_file.c */

struct file *file_open_console(void)
{
	return file_new(FILE_CONSOLE, &console_ops, O_RDWR);
}

struct file *file_open_node(int node, uint32_t flags)
{
	const struct inode *n = &rootfs.nodes[node];
	bool dir = inode_is_dir(n);
	struct file *f = file_new(dir ? FILE_DIR : FILE_REGULAR, dir ? &dir_ops : &regular_ops, flags);

	if (f)
		f->node = node;
	return f;
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
	if (f->ops->release)
		f->ops->release(f);
	kfree(f);
}

/* ---- the operations ------------------------------------------------------------ */

long file_read(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (!n)
		return 0;
	return f->ops->read ? f->ops->read(f, ubuf, n, pos) : -EINVAL;
}

long file_write(struct file *f, uaddr_t ubuf, uint64_t n)
{
	if (!f->ops->write || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	return f->ops->write(f, ubuf, n);
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
	if (f->ops->stat)
		f->ops->stat(f, st);
}

int fd_install(struct proc *p, struct file *f, bool cloexec)
{
	uint64_t limit = p->rlim[RLIMIT_NOFILE].rlim_cur < NOFILE ? p->rlim[RLIMIT_NOFILE].rlim_cur : NOFILE;

	for (uint64_t fd = 0; fd < limit; fd++)
		if (!p->files[fd]) {
			p->files[fd] = f;
			if (cloexec)
				p->cloexec |= 1u << fd;
			else
				p->cloexec &= ~(1u << fd);
			return (int)fd;
		}
	return -EMFILE;
}

struct file *fd_get(struct proc *p, long fd)
{
	if (fd < 0 || fd >= NOFILE)
		return NULL;
	return p->files[fd];
}

int fd_close(struct proc *p, long fd)
{
	struct file *f = fd_get(p, fd);

	if (!f)
		return -EBADF;
	p->files[fd] = NULL;
	p->cloexec &= ~(1u << fd);
	file_put(f);
	return 0;
}

void fd_close_all(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->files[fd])
			fd_close(p, fd);
}

void fd_close_on_exec(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->files[fd] && (p->cloexec & (1u << fd)))
			fd_close(p, fd);
}

/* fork: the child shares every open file with its parent. */
int fd_copy_all(struct proc *to, struct proc *from)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (from->files[fd])
			to->files[fd] = file_dup(from->files[fd]);
	to->cloexec = from->cloexec;
	return 0;
}
