/*
 * Open files and file descriptors. Each kind of file (the console, an
 * initramfs file or directory, a pipe's read or write end, an eventfd) has
 * one table of operations, as Linux's f_op and xv6's devsw: system calls
 * decode their arguments and call file_read(), file_poll() etc., which
 * check what every file shares and call f->ops. A NULL entry means the
 * operation is not supported (the wrapper returns Linux's errno for that).
 */
#ifndef BRAMBLE_FILE_H
#define BRAMBLE_FILE_H
#include "lib/types.h"
#include "fs/initramfs.h"

enum file_type { FILE_CONSOLE = 1, FILE_REGULAR, FILE_DIR, FILE_PIPE, FILE_EVENTFD };

struct pipe;
struct eventfd;
struct file;
struct poll_table;
struct linux_stat;

struct file_ops {
	/* Up to n bytes into user memory at buf from *pos (which it advances,
	 * for files with a position); bytes read, 0 at end of file, or -errno.
	 * NULL: -EINVAL. The wrapper has checked the access mode, the range and
	 * n > 0. */
	long (*read)(struct file *f, uaddr_t buf, uint64_t n, uint64_t *pos);
	/* Up to n bytes from user memory at buf; NULL: -EBADF (not writable). */
	long (*write)(struct file *f, uaddr_t buf, uint64_t n);
	/* Which of POLLIN, POLLOUT, POLLERR, POLLHUP, ... hold now, without
	 * blocking; first, if pt is not NULL, poll_wait(pt, wq) for every queue
	 * whose wake-up may change the answer. NULL: always readable and
	 * writable (regular files). */
	uint32_t (*poll)(struct file *f, struct poll_table *pt);
	/* NULL: -ENOTTY. */
	long (*ioctl)(struct file *f, uint32_t cmd, uint64_t arg);
	/* The new position, or -errno; whence checked by the wrapper. NULL:
	 * -ESPIPE (and pread64 is -ESPIPE too). */
	long (*llseek)(struct file *f, long off, uint32_t whence);
	/* Fills *st (zeroed by the wrapper). */
	void (*stat)(struct file *f, struct linux_stat *st);
	/* The last reference is gone: free what the file holds (not f). */
	void (*release)(struct file *f);
};

struct file {
	int refs;
	enum file_type type;
	const struct file_ops *ops;
	int node;            /* initramfs node (regular files and directories) */
	uint64_t pos;        /* offset, or the readdir cursor */
	uint32_t flags;      /* open flags */
	union {
		struct pipe *pipe;   /* FILE_PIPE: the pipe; flags say which end */
		struct eventfd *efd; /* FILE_EVENTFD */
	};
};

struct proc;
extern struct initramfs rootfs;

/* The initramfs, from the DT's initrd range (kernel VA); 0 or -errno. */
int rootfs_mount(const void *cpio, size_t size);

/* A new file with one reference, or NULL (-ENOMEM). */
struct file *file_new(enum file_type type, const struct file_ops *ops, uint32_t flags);
struct file *file_open_console(void);
struct file *file_open_node(int node, uint32_t flags);
struct file *file_open_pipe(struct pipe *p, uint32_t flags);
struct file *file_dup(struct file *f);
void file_put(struct file *f);

/* The operations, through f->ops (see struct file_ops). */
long file_read(struct file *f, uaddr_t buf, uint64_t n, uint64_t *pos);
long file_write(struct file *f, uaddr_t buf, uint64_t n);
uint32_t file_poll(struct file *f, struct poll_table *pt);
long file_ioctl(struct file *f, uint32_t cmd, uint64_t arg);
long file_llseek(struct file *f, long off, uint32_t whence);
bool file_seekable(const struct file *f);
void file_stat(struct file *f, struct linux_stat *st);
/* stat of an initramfs node, and of the console (newfstatat by path). */
void inode_stat(int node, struct linux_stat *st);
void console_stat(struct linux_stat *st);

/* fd table of a process. */
int fd_install(struct proc *p, struct file *f, bool cloexec);  /* fd or -EMFILE */
struct file *fd_get(struct proc *p, long fd);                   /* NULL if bad */
int fd_close(struct proc *p, long fd);
void fd_close_all(struct proc *p);
void fd_close_on_exec(struct proc *p);
int fd_copy_all(struct proc *to, struct proc *from);
#endif
