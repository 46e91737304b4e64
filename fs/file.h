/*
 * Open files. Each kind of file (a tmpfs file or directory, a device, a
 * pipe's end, an eventfd, a procfs file) has one table of operations, as
 * Linux's f_op and xv6's devsw: system calls decode their arguments and
 * call file_read(), file_poll() etc., which check what every file shares
 * and call f->ops. A NULL entry means the operation is not supported (the
 * wrapper returns Linux's errno for that).
 */
#ifndef BRAMBLE_FILE_H
#define BRAMBLE_FILE_H
#include "lib/types.h"
#include "fs/vfs.h"

struct pipe;
struct eventfd;
struct file;
struct poll_table;
struct linux_stat;

/* One directory entry for readdir: returns false when the caller's buffer
 * is full (the entry is then not consumed). */
struct dir_context {
	bool (*emit)(struct dir_context *ctx, const char *name, size_t len, uint64_t ino,
		     unsigned type);
};

struct file_ops {
	/* Called by file_open_dentry once f is made: 0 or -errno (then f is
	 * freed without release). NULL: nothing to do. */
	int (*open)(struct inode *i, struct file *f);
	/* Up to n bytes into user memory at buf from *pos (which it advances,
	 * for files with a position); bytes read, 0 at end of file, or -errno.
	 * NULL: -EINVAL. The wrapper has checked the access mode, the range and
	 * n > 0. */
	long (*read)(struct file *f, uaddr_t buf, uint64_t n, uint64_t *pos);
	/* Up to n bytes from user memory at buf at *pos (advanced; O_APPEND
	 * is the file's to honour); NULL: -EBADF (not writable). A short
	 * count when only part fits (-ENOSPC when nothing did). */
	long (*write)(struct file *f, uaddr_t buf, uint64_t n, uint64_t *pos);
	/* Which of POLLIN, POLLOUT, POLLERR, POLLHUP, ... hold now, without
	 * blocking; first, if pt is not NULL, poll_wait(pt, wq) for every queue
	 * whose wake-up may change the answer. NULL: always readable and
	 * writable (regular files). */
	uint32_t (*poll)(struct file *f, struct poll_table *pt);
	/* NULL: -ENOTTY. */
	long (*ioctl)(struct file *f, uint32_t cmd, uint64_t arg);
	/* The new position, or -errno; NULL: -ESPIPE (and pread64 is -ESPIPE
	 * too). generic_llseek serves files with a size. */
	long (*llseek)(struct file *f, long off, uint32_t whence);
	/* read and write from and to kernel memory (sendfile,
	 * copy_file_range); NULL: -EINVAL. */
	long (*kread)(struct file *f, void *buf, uint64_t n, uint64_t *pos);
	long (*kwrite)(struct file *f, const void *buf, uint64_t n, uint64_t *pos);
	/* Directory entries from f->pos on (which it advances) into ctx:
	 * 0, or -errno. NULL: -ENOTDIR. */
	int (*readdir)(struct file *f, struct dir_context *ctx);
	/* Fills *st (zeroed by the wrapper) for a file without an inode
	 * (eventfd); files with one are described by it. */
	void (*stat)(struct file *f, struct linux_stat *st);
	/* The last reference is gone: free what the file holds (not f). */
	void (*release)(struct file *f);
};

struct file {
	int refs;
	const struct file_ops *ops;
	uint32_t flags;      /* open flags (O_ACCMODE, O_APPEND, O_NONBLOCK, ...) */
	uint64_t pos;        /* offset, or the readdir cursor */
	struct dentry *dentry;   /* held; NULL for a file without a name (pipe(2), eventfd) */
	struct inode *inode;     /* dentry's inode, held; NULL for eventfd */
	union {
		struct pipe *pipe;   /* a pipe's end (pipe(2) or a FIFO): flags say which */
		struct eventfd *efd;
		void *priv;          /* the file kind's own (procfs: the text) */
	};
	uint64_t priv_len;
};

/* A new file with one reference and no name, or NULL (-ENOMEM). */
struct file *file_new(const struct file_ops *ops, uint32_t flags);
/* Opens the file d names with flags (access mode checked by the caller):
 * 0 with *out, or -errno (-ENOMEM, or the kind's own open's error). */
int file_open_dentry(struct dentry *d, uint32_t flags, struct file **out);
struct file *file_open_pipe(struct pipe *p, uint32_t flags);
struct file *file_dup(struct file *f);
void file_put(struct file *f);

/* The operations, through f->ops (see struct file_ops). */
long file_read(struct file *f, uaddr_t buf, uint64_t n, uint64_t *pos);
long file_write(struct file *f, uaddr_t buf, uint64_t n, uint64_t *pos);
long file_read_kernel(struct file *f, void *buf, uint64_t n, uint64_t *pos);
long file_write_kernel(struct file *f, const void *buf, uint64_t n, uint64_t *pos);
uint32_t file_poll(struct file *f, struct poll_table *pt);
long file_ioctl(struct file *f, uint32_t cmd, uint64_t arg);
long file_llseek(struct file *f, long off, uint32_t whence);
bool file_seekable(const struct file *f);
void file_stat(struct file *f, struct linux_stat *st);
int file_readdir(struct file *f, struct dir_context *ctx);
bool file_is_dir(const struct file *f);
/* Positions within [0, limit]: SEEK_SET/CUR/END over size. */
long generic_llseek(struct file *f, long off, uint32_t whence, uint64_t size);
/* Serves reads from a kernel buffer (procfs text, symlink-like files). */
long read_from_buffer(uaddr_t ubuf, uint64_t n, uint64_t *pos, const void *data, uint64_t len);
#endif
