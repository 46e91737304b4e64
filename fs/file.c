/* Open files and the per-process descriptor table. */
#include "fs/file.h"
#include "kernel/proc.h"
#include "lib/uapi/errno.h"
#include "kernel/panic.h"
#include "mm/kalloc.h"
#include "fs/pipe.h"
#include "lib/uapi/fcntl.h"

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

static struct file *file_new(enum file_type type, int node, uint32_t flags)
{
	struct file *f = kalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->refs = 1;
	f->type = type;
	f->node = node;
	f->flags = flags;
	return f;
}

struct file *file_open_console(void)
{
	return file_new(FILE_CONSOLE, -1, O_RDWR);
}

struct file *file_open_node(int node, uint32_t flags)
{
	const struct inode *n = &rootfs.nodes[node];

	return file_new(inode_is_dir(n) ? FILE_DIR : FILE_REGULAR, node, flags);
}

struct file *file_open_pipe(struct pipe *p, uint32_t flags)
{
	struct file *f = file_new(FILE_PIPE, -1, flags);

	if (f)
		f->pipe = p;
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
	if (f->type == FILE_PIPE && f->pipe)
		pipe_release(f);
	kfree(f);
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
