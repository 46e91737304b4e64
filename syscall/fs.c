/* File system calls over the read-only initramfs and /dev/console. */
#include "syscall/syscall.h"
#include "fs/file.h"
#include "fs/console.h"
#include "fs/pipe.h"
#include "kernel/console.h"
#include "mm/uaccess.h"
#include "mm/kalloc.h"
#include <string.h>

#define AT_FDCWD            -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH       0x1000
#define O_ACCMODE   03
#define O_RDONLY    0
#define O_CREAT     0100
#define O_EXCL      0200
#define O_TRUNC     01000
#define O_DIRECTORY 040000      /* arm64's values */
#define O_NOFOLLOW  0100000
#define O_CLOEXEC   02000000
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGPGRP 0x540f
#define TIOCGWINSZ 0x5413
#define CHUNK 256

static const char console_path[] = "/dev/console";

/* ---- paths ------------------------------------------------------------------- */

/* Copies a user path into a new buffer (*out, kfree it); 0 or -errno, with
 * nothing to free. An empty path is ENOENT, as on Linux. */
static long path_from_user(uint64_t upath, char **out)
{
	char *buf = kalloc(FS_PATH_MAX);
	long n;

	if (!buf)
		return -ENOMEM;
	n = strncpy_from_user(current->mm, buf, upath, FS_PATH_MAX);
	if (n <= 0) {
		kfree(buf);
		return n ? n : -ENOENT;
	}
	*out = buf;
	return 0;
}

/* The directory a relative path starts from: cwd or dirfd. */
static long start_dir(long dirfd, const char *path, int *dir)
{
	if (path[0] == '/' || (int)dirfd == AT_FDCWD) {
		*dir = current->cwd;
		return 0;
	}
	struct file *f = fd_get(current, (int)dirfd);
	if (!f)
		return -EBADF;
	if (f->type != FILE_DIR)
		return -ENOTDIR;
	*dir = f->node;
	return 0;
}

static long lookup_at(long dirfd, const char *path, bool follow, int *node)
{
	int dir;
	long err = start_dir(dirfd, path, &dir);

	return err ? err : fs_lookup(&rootfs, dir, path, follow, node);
}

/* ---- read and write ---------------------------------------------------------- */

static long read_regular(struct file *f, uint64_t ubuf, uint64_t n, uint64_t *pos)
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

static long read_console(uint64_t ubuf, uint64_t n)
{
	char buf[CHUNK];
	long got = console_read_line(buf, n < CHUNK ? n : CHUNK);

	if (got > 0 && copy_to_user(current->mm, ubuf, buf, got) < 0)
		return -EFAULT;
	return got;
}

static long file_read(struct file *f, uint64_t ubuf, uint64_t n, uint64_t *pos)
{
	if ((f->flags & O_ACCMODE) == 1 /* O_WRONLY */)
		return -EBADF;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (!n)
		return 0;
	switch (f->type) {
	case FILE_CONSOLE: return read_console(ubuf, n);
	case FILE_REGULAR: return read_regular(f, ubuf, n, pos);
	case FILE_PIPE:    return pipe_read(f, ubuf, n);
	default:           return -EISDIR;
	}
}

/* Console output in chunks; a bad pointer after some output returns the count. */
static long write_console(uint64_t ubuf, uint64_t n)
{
	char buf[CHUNK];
	uint64_t done = 0;

	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	while (done < n) {
		uint64_t k = n - done < CHUNK ? n - done : CHUNK;
		if (copy_from_user(current->mm, buf, ubuf + done, k) < 0)
			return done ? (long)done : -EFAULT;
		console_write(buf, k);
		done += k;
	}
	return (long)done;
}

static long file_write(struct file *f, uint64_t ubuf, uint64_t n)
{
	if ((f->type != FILE_CONSOLE && f->type != FILE_PIPE) ||
	    (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	return f->type == FILE_PIPE ? pipe_write(f, ubuf, n) : write_console(ubuf, n);
}

SYSCALL(read)
{
	struct file *f = fd_get(current, (int)ARG(0));
	return f ? file_read(f, ARG(1), ARG(2), &f->pos) : -EBADF;
}

SYSCALL(pread64)
{
	struct file *f = fd_get(current, (int)ARG(0));
	uint64_t pos = ARG(3);

	if (!f)
		return -EBADF;
	if (f->type == FILE_CONSOLE || f->type == FILE_PIPE)
		return -ESPIPE;
	if ((int64_t)pos < 0)
		return -EINVAL;
	return file_read(f, ARG(1), ARG(2), &pos);
}

SYSCALL(write)
{
	struct file *f = fd_get(current, (int)ARG(0));
	return f ? file_write(f, ARG(1), ARG(2)) : -EBADF;
}

/* readv/writev: struct iovec { void *base; size_t len; }, at most 1024. */
static long vector_io(struct trap_frame *tf, bool write)
{
	struct file *f = fd_get(current, (int)ARG(0));
	uint64_t iov = ARG(1), cnt = ARG(2);
	long total = 0;

	if (!f)
		return -EBADF;
	if (cnt > 1024)
		return -EINVAL;
	for (uint64_t i = 0; i < cnt; i++) {
		uint64_t v[2];
		if (copy_from_user(current->mm, v, iov + 16 * i, 16) < 0)
			return total ? total : -EFAULT;
		if (!v[1])
			continue;
		long r = write ? file_write(f, v[0], v[1]) : file_read(f, v[0], v[1], &f->pos);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((uint64_t)r < v[1])
			break;
	}
	return total;
}

SYSCALL(readv)
{
	return vector_io(tf, false);
}

SYSCALL(writev)
{
	return vector_io(tf, true);
}

SYSCALL(sendfile)
{
	struct file *out = fd_get(current, (int)ARG(0)), *in = fd_get(current, (int)ARG(1));
	uint64_t uoff = ARG(2), count = ARG(3), pos;
	char buf[CHUNK];
	long done = 0;

	if (!out || !in)
		return -EBADF;
	if (in->type != FILE_REGULAR || out->type != FILE_CONSOLE)
		return -EINVAL;
	pos = in->pos;
	if (uoff && copy_from_user(current->mm, &pos, uoff, 8) < 0)
		return -EFAULT;
	const struct inode *ino = &rootfs.nodes[in->node];
	while ((uint64_t)done < count && pos < ino->size) {
		uint64_t k = ino->size - pos;
		if (k > CHUNK)
			k = CHUNK;
		if (k > count - done)
			k = count - done;
		memcpy(buf, ino->data + pos, k);
		console_write(buf, k);
		pos += k;
		done += k;
	}
	if (uoff)
		return copy_to_user(current->mm, uoff, &pos, 8) < 0 ? -EFAULT : done;
	in->pos = pos;
	return done;
}

/* ---- open and close ---------------------------------------------------------- */

static long open_console(uint64_t flags)
{
	struct file *f = file_open_console();

	if (!f)
		return -ENOMEM;
	f->flags = flags;
	long fd = fd_install(current, f, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

static long open_node(long dirfd, const char *path, uint64_t flags)
{
	int node;
	long err = lookup_at(dirfd, path, !(flags & O_NOFOLLOW), &node);

	if (err == -ENOENT && (flags & O_CREAT))
		return -EROFS;
	if (err < 0)
		return err;
	const struct inode *n = &rootfs.nodes[node];
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (inode_is_symlink(n))
		return -ELOOP;          /* O_NOFOLLOW on a symlink */
	if ((flags & O_DIRECTORY) && !inode_is_dir(n))
		return -ENOTDIR;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return inode_is_dir(n) ? -EISDIR : -EROFS;
	struct file *f = file_open_node(node, flags);
	if (!f)
		return -ENOMEM;
	long fd = fd_install(current, f, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL(openat)
{
	char *path;
	long r = path_from_user(ARG(1), &path);

	if (r)
		return r;
	r = strcmp(path, console_path) == 0 || strcmp(path, "/dev/tty") == 0
		? open_console(ARG(2)) : open_node((long)(int)ARG(0), path, ARG(2));
	kfree(path);
	return r;
}

SYSCALL(close)
{
	return fd_close(current, (int)ARG(0));
}

SYSCALL(lseek)
{
	struct file *f = fd_get(current, (int)ARG(0));
	int64_t off = (int64_t)ARG(1), base;

	if (!f)
		return -EBADF;
	if (f->type == FILE_CONSOLE || f->type == FILE_PIPE)
		return -ESPIPE;
	switch (ARG(2)) {
	case 0: base = 0; break;
	case 1: base = (int64_t)f->pos; break;
	case 2: base = f->type == FILE_REGULAR ? (int64_t)rootfs.nodes[f->node].size : 0; break;
	default: return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

/* ---- stat and directories ------------------------------------------------------- */

struct linux_stat {
	uint64_t dev, ino;
	uint32_t mode, nlink, uid, gid;
	uint64_t rdev, pad1;
	int64_t size;
	int32_t blksize, pad2;
	int64_t blocks;
	int64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	uint32_t unused[2];
};
_Static_assert(sizeof(struct linux_stat) == 128, "struct stat is 128 bytes on arm64");

static void stat_node(int node, struct linux_stat *st)
{
	const struct inode *n = &rootfs.nodes[node];

	memset(st, 0, sizeof(*st));
	st->dev = 1;
	st->ino = n->ino ? n->ino : (uint64_t)node + 1;
	st->mode = n->mode;
	st->nlink = n->nlink ? n->nlink : 1;
	st->size = (int64_t)n->size;
	st->blksize = 4096;
	st->blocks = (int64_t)((n->size + 511) / 512);
	st->atime = st->mtime = st->ctime = n->mtime;
}

static void stat_console(struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = 5;
	st->mode = 0020620;      /* S_IFCHR | rw--w---- */
	st->nlink = 1;
	st->rdev = (5 << 8) | 1;
	st->blksize = 1024;
}

static void stat_pipe(struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = 6;
	st->mode = S_IFIFO | 0600;
	st->nlink = 1;
	st->blksize = 4096;
}

static long put_stat(uint64_t ubuf, const struct linux_stat *st)
{
	return copy_to_user(current->mm, ubuf, st, sizeof(*st)) < 0 ? -EFAULT : 0;
}

static long stat_file(struct file *f, uint64_t ubuf)
{
	struct linux_stat st;

	if (f->type == FILE_CONSOLE)
		stat_console(&st);
	else if (f->type == FILE_PIPE)
		stat_pipe(&st);
	else
		stat_node(f->node, &st);
	return put_stat(ubuf, &st);
}

SYSCALL(fstat)
{
	struct file *f = fd_get(current, (int)ARG(0));
	return f ? stat_file(f, ARG(1)) : -EBADF;
}

SYSCALL(newfstatat)
{
	uint64_t flags = ARG(3);
	struct linux_stat st;
	char *path;
	long r;
	int node;

	if (flags & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* NO_AUTOMOUNT */))
		return -EINVAL;
	r = path_from_user(ARG(1), &path);
	if (r == -ENOENT && (flags & AT_EMPTY_PATH)) {
		struct file *f = (int)ARG(0) == AT_FDCWD ? NULL : fd_get(current, (int)ARG(0));
		return f ? stat_file(f, ARG(2)) : -EBADF;
	}
	if (r)
		return r;
	if (strcmp(path, console_path) == 0) {
		stat_console(&st);
		r = put_stat(ARG(2), &st);
	} else if (!(r = lookup_at((long)(int)ARG(0), path, !(flags & AT_SYMLINK_NOFOLLOW),
				    &node))) {
		stat_node(node, &st);
		r = put_stat(ARG(2), &st);
	}
	kfree(path);
	return r;
}

static unsigned dirent_type(const struct inode *n)
{
	switch (n->mode & S_IFMT) {
	case S_IFDIR: return 4;
	case S_IFREG: return 8;
	case S_IFLNK: return 10;
	case S_IFCHR: return 2;
	default:      return 0;
	}
}

/* One linux_dirent64 into the user buffer; -EINVAL when it does not fit. */
static long put_dirent(uint64_t ubuf, uint64_t room, int node, const char *name,
		       size_t len, uint64_t next_off)
{
	uint8_t rec[8 + 8 + 2 + 1 + FS_NAME_MAX + 1 + 7];
	size_t reclen = ALIGN_UP(19 + len + 1, 8);
	const struct inode *n = &rootfs.nodes[node];
	uint64_t ino = n->ino ? n->ino : (uint64_t)node + 1;
	uint16_t rl = (uint16_t)reclen;

	if (reclen > room)
		return -EINVAL;
	memset(rec, 0, reclen);
	memcpy(rec, &ino, 8);
	memcpy(rec + 8, &next_off, 8);
	memcpy(rec + 16, &rl, 2);
	rec[18] = (uint8_t)dirent_type(n);
	memcpy(rec + 19, name, len);
	return copy_to_user(current->mm, ubuf, rec, reclen) < 0 ? -EFAULT : (long)reclen;
}

/* Positions 0 and 1 are "." and ".."; then the children, in archive order. */
SYSCALL(getdents64)
{
	struct file *f = fd_get(current, (int)ARG(0));
	uint64_t ubuf = ARG(1), count = ARG(2), used = 0;

	if (!f)
		return -EBADF;
	if (f->type != FILE_DIR)
		return -ENOTDIR;
	if (!user_range_ok(ubuf, count))
		return -EFAULT;
	for (;;) {
		int node, cursor = (int)f->pos - 2;
		const char *name;
		size_t len;
		if (f->pos == 0) {
			node = f->node, name = ".", len = 1;
		} else if (f->pos == 1) {
			node = rootfs.nodes[f->node].parent, name = "..", len = 2;
		} else {
			node = fs_readdir(&rootfs, f->node, &cursor);
			if (node < 0)
				break;
			name = rootfs.nodes[node].name;
			len = rootfs.nodes[node].name_len;
		}
		uint64_t next = f->pos < 2 ? f->pos + 1 : (uint64_t)cursor + 2;
		long r = put_dirent(ubuf + used, count - used, node, name, len, next);
		if (r < 0)
			return used ? (long)used : r;
		used += r;
		f->pos = next;
	}
	return (long)used;
}

SYSCALL(readlinkat)
{
	char *path;
	long r;
	int node;

	if ((int64_t)ARG(3) <= 0)
		return -EINVAL;
	if ((r = path_from_user(ARG(1), &path)))
		return r;
	r = lookup_at((long)(int)ARG(0), path, false, &node);
	if (!r) {
		const struct inode *n = &rootfs.nodes[node];
		uint64_t len = n->size < ARG(3) ? n->size : ARG(3);
		if (!inode_is_symlink(n))
			r = -EINVAL;
		else
			r = copy_to_user(current->mm, ARG(2), n->data, len) < 0 ? -EFAULT : (long)len;
	}
	kfree(path);
	return r;
}

SYSCALL(faccessat)
{
	char *path;
	long r;
	int node;

	if (ARG(2) & ~7UL)
		return -EINVAL;
	if ((r = path_from_user(ARG(1), &path)))
		return r;
	if (strcmp(path, console_path) != 0) {
		r = lookup_at((long)(int)ARG(0), path, true, &node);
		if (!r && (ARG(2) & 2))
			r = -EROFS;         /* W_OK: the initramfs is read-only */
	}
	kfree(path);
	return r;
}

SYSCALL(getcwd)
{
	char buf[FS_NAME_MAX + 1];
	int len = fs_path(&rootfs, current->cwd, buf, sizeof(buf));

	if (len < 0)
		return -ENAMETOOLONG;
	if ((uint64_t)len + 1 > ARG(1))
		return -ERANGE;
	return copy_to_user(current->mm, ARG(0), buf, len + 1) < 0 ? -EFAULT : len + 1;
}

SYSCALL(chdir)
{
	char *path;
	long r;
	int node;

	if ((r = path_from_user(ARG(0), &path)))
		return r;
	r = lookup_at(AT_FDCWD, path, true, &node);
	if (!r && !inode_is_dir(&rootfs.nodes[node]))
		r = -ENOTDIR;
	if (!r)
		current->cwd = node;
	kfree(path);
	return r;
}

/* ---- descriptors ---------------------------------------------------------------- */

SYSCALL(pipe2)
{
	struct file *rd, *wr;
	int32_t fds[2];
	long err;

	if (ARG(1) & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if ((err = pipe_create(ARG(1), &rd, &wr)))
		return err;
	fds[0] = fd_install(current, rd, ARG(1) & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(current, wr, ARG(1) & O_CLOEXEC);
	if (fds[1] >= 0 && copy_to_user(current->mm, ARG(0), fds, sizeof(fds)) == 0)
		return 0;
	err = fds[1] >= 0 ? -EFAULT : -EMFILE;
	/* Undo: close what was installed, drop what was not. */
	if (fds[1] >= 0)
		fd_close(current, fds[1]);
	else
		file_put(wr);
	if (fds[0] >= 0)
		fd_close(current, fds[0]);
	else
		file_put(rd);
	return err;
}

static long dup_to(struct file *f, long newfd, bool cloexec)
{
	if (newfd < 0 || newfd >= NOFILE)
		return -EBADF;
	if (current->files[newfd])
		fd_close(current, newfd);
	current->files[newfd] = file_dup(f);
	if (cloexec)
		current->cloexec |= 1u << newfd;
	else
		current->cloexec &= ~(1u << newfd);
	return newfd;
}

static long dup_lowest(struct file *f, bool cloexec)
{
	long fd = fd_install(current, file_dup(f), cloexec);

	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL(dup)
{
	struct file *f = fd_get(current, (int)ARG(0));
	return f ? dup_lowest(f, false) : -EBADF;
}

SYSCALL(dup3)
{
	struct file *f = fd_get(current, (int)ARG(0));

	if (!f)
		return -EBADF;
	if ((int)ARG(0) == (int)ARG(1) || (ARG(2) & ~(uint64_t)O_CLOEXEC))
		return -EINVAL;
	return dup_to(f, (int)ARG(1), ARG(2) & O_CLOEXEC);
}

SYSCALL(fcntl)
{
	long fd = (int)ARG(0);
	struct file *f = fd_get(current, fd);

	if (!f)
		return -EBADF;
	switch (ARG(1)) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return dup_lowest(f, ARG(1) == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return (current->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
	case F_SETFD:
		if (ARG(2) & FD_CLOEXEC)
			current->cloexec |= 1u << fd;
		else
			current->cloexec &= ~(1u << fd);
		return 0;
	case F_GETFL:
		return f->flags & ~(uint32_t)O_CLOEXEC;
	case F_SETFL:
		return 0;
	default:
		return -EINVAL;
	}
}

/* ---- ioctl ------------------------------------------------------------------------ */

struct linux_termios {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[19];
};

SYSCALL(ioctl)
{
	struct file *f = fd_get(current, (int)ARG(0));

	if (!f)
		return -EBADF;
	if (f->type != FILE_CONSOLE)
		return -ENOTTY;
	switch (ARG(1)) {
	case TCGETS: {
		/* Canonical mode with echo, 115200 8N1: what the console does. */
		struct linux_termios t = { .iflag = 0x500 /* ICRNL|IXON */,
					   .oflag = 0x5 /* OPOST|ONLCR */,
					   .cflag = 0x10b2 /* B115200|CS8|CREAD */,
					   .lflag = 0x8a3b /* ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|... */ };
		t.cc[0] = 3; t.cc[1] = 28; t.cc[2] = 127; t.cc[3] = 21; t.cc[4] = 4; t.cc[6] = 1;
		return copy_to_user(current->mm, ARG(2), &t, sizeof(t)) < 0 ? -EFAULT : 0;
	}
	case TCSETS: case TCSETSW: case TCSETSF:
		return 0;
	case TIOCGWINSZ: {
		uint16_t ws[4] = { 24, 80, 0, 0 };
		return copy_to_user(current->mm, ARG(2), ws, sizeof(ws)) < 0 ? -EFAULT : 0;
	}
	case TIOCGPGRP: {
		int32_t pg = current->pid;
		return copy_to_user(current->mm, ARG(2), &pg, sizeof(pg)) < 0 ? -EFAULT : 0;
	}
	default:
		return -EINVAL;
	}
}
