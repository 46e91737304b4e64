/* File system calls over the read-only initramfs and /dev/console. */
#include "syscall/syscall.h"
#include "fs/file.h"
#include "fs/pipe.h"
#include "fs/console.h"
#include "kernel/console.h"
#include "mm/uaccess.h"
#include "mm/kalloc.h"
#include "lib/uapi/fcntl.h"
#include "lib/uapi/stat.h"
#include <string.h>

/* access(2) modes: glibc's <unistd.h> names them, the kernel's uapi does not. */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
/* d_type values (glibc's <dirent.h>; the kernel's fs_types.h). */
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10
#define IOV_MAX 1024   /* UIO_MAXIOV */
#define CHUNK 256

static const char console_path[] = "/dev/console";

/* ---- paths ------------------------------------------------------------------- */

/* Copies a user path into a new buffer (*out, kfree it); 0 or -errno, with
 * nothing to free. An empty path is ENOENT, as on Linux. */
static long path_from_user(uaddr_t upath, char **out)
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

long sys_read(int fd, uaddr_t buf, size_t count)
{
	struct file *f = fd_get(current, fd);
	return f ? file_read(f, buf, count, &f->pos) : -EBADF;
}

long sys_pread64(int fd, uaddr_t buf, size_t count, long pos)
{
	struct file *f = fd_get(current, fd);
	uint64_t at = (uint64_t)pos;

	if (!f)
		return -EBADF;
	if (!file_seekable(f))
		return -ESPIPE;
	if (pos < 0)
		return -EINVAL;
	return file_read(f, buf, count, &at);
}

long sys_write(int fd, uaddr_t buf, size_t count)
{
	struct file *f = fd_get(current, fd);
	return f ? file_write(f, buf, count) : -EBADF;
}

/* readv/writev: struct iovec { void *base; size_t len; }, at most IOV_MAX. */
static long vector_io(int fd, uaddr_t iov, unsigned long cnt, bool write)
{
	struct file *f = fd_get(current, fd);
	long total = 0;

	if (!f)
		return -EBADF;
	if (cnt > IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < cnt; i++) {
		uint64_t v[2];
		if (copy_from_user(current->mm, v, uaddr_add(iov, 16 * i), 16) < 0)
			return total ? total : -EFAULT;
		if (!v[1])
			continue;
		long r = write ? file_write(f, uaddr(v[0]), v[1]) : file_read(f, uaddr(v[0]), v[1], &f->pos);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((uint64_t)r < v[1])
			break;
	}
	return total;
}

long sys_readv(int fd, uaddr_t iov, unsigned long iovcnt)
{
	return vector_io(fd, iov, iovcnt, false);
}

long sys_writev(int fd, uaddr_t iov, unsigned long iovcnt)
{
	return vector_io(fd, iov, iovcnt, true);
}

long sys_sendfile(int out_fd, int in_fd, uaddr_t uoff, size_t count)
{
	struct file *out = fd_get(current, out_fd), *in = fd_get(current, in_fd);
	uint64_t pos;
	char buf[CHUNK];
	long done = 0;

	if (!out || !in)
		return -EBADF;
	if (in->type != FILE_REGULAR || out->type != FILE_CONSOLE)
		return -EINVAL;
	pos = in->pos;
	if (!uaddr_is_null(uoff) && copy_from_user(current->mm, &pos, uoff, 8) < 0)
		return -EFAULT;
	const struct inode *ino = &rootfs.nodes[in->node];
	while ((uint64_t)done < count && pos < ino->size) {
		uint64_t k = ino->size - pos;
		if (k > CHUNK)
			k = CHUNK;
		if (k > count - done)
			k = count - done;
		memcpy(buf, ino->data + pos, k);
		tty_write(buf, k);
		pos += k;
		done += k;
	}
	if (!uaddr_is_null(uoff))
		return copy_to_user(current->mm, uoff, &pos, 8) < 0 ? -EFAULT : done;
	in->pos = pos;
	return done;
}

/* ---- open and close ---------------------------------------------------------- */

static long open_console(uint64_t flags, bool dev_tty)
{
	long err = tty_open((uint32_t)flags, dev_tty);
	if (err)
		return err;
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

long sys_openat(int dirfd, uaddr_t upath, int flags, unsigned int mode)
{
	char *path;
	long r = path_from_user(upath, &path);

	(void)mode;   /* nothing is ever created: the initramfs is read-only */
	if (r)
		return r;
	if (strcmp(path, console_path) == 0 || strcmp(path, "/dev/tty") == 0)
		r = open_console((uint32_t)flags, strcmp(path, "/dev/tty") == 0);
	else
		r = open_node(dirfd, path, (uint32_t)flags);
	kfree(path);
	return r;
}

long sys_close(int fd)
{
	return fd_close(current, fd);
}

long sys_lseek(int fd, long off, unsigned int whence)
{
	struct file *f = fd_get(current, fd);

	if (!f)
		return -EBADF;
	return file_llseek(f, off, whence);
}

/* ---- stat and directories ------------------------------------------------------- */

_Static_assert(sizeof(struct linux_stat) == 128, "struct stat is 128 bytes on arm64");

static long put_stat(uaddr_t ubuf, const struct linux_stat *st)
{
	return copy_to_user(current->mm, ubuf, st, sizeof(*st)) < 0 ? -EFAULT : 0;
}

static long stat_file(struct file *f, uaddr_t ubuf)
{
	struct linux_stat st;

	file_stat(f, &st);
	return put_stat(ubuf, &st);
}

long sys_fstat(int fd, uaddr_t statbuf)
{
	struct file *f = fd_get(current, fd);
	return f ? stat_file(f, statbuf) : -EBADF;
}

long sys_newfstatat(int dirfd, uaddr_t upath, uaddr_t statbuf, int flags)
{
	struct linux_stat st;
	char *path;
	long r;
	int node;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	r = path_from_user(upath, &path);
	if (r == -ENOENT && (flags & AT_EMPTY_PATH)) {
		struct file *f = dirfd == AT_FDCWD ? NULL : fd_get(current, dirfd);
		return f ? stat_file(f, statbuf) : -EBADF;
	}
	if (r)
		return r;
	if (strcmp(path, console_path) == 0) {
		memset(&st, 0, sizeof(st));
		console_stat(&st);
		r = put_stat(statbuf, &st);
	} else if (!(r = lookup_at(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &node))) {
		inode_stat(node, &st);
		r = put_stat(statbuf, &st);
	}
	kfree(path);
	return r;
}

static unsigned dirent_type(const struct inode *n)
{
	switch (n->mode & S_IFMT) {
	case S_IFDIR: return DT_DIR;
	case S_IFREG: return DT_REG;
	case S_IFLNK: return DT_LNK;
	case S_IFCHR: return DT_CHR;
	default:      return 0;
	}
}

/* One linux_dirent64 into the user buffer; -EINVAL when it does not fit. */
static long put_dirent(uaddr_t ubuf, uint64_t room, int node, const char *name,
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
long sys_getdents64(int fd, uaddr_t ubuf, unsigned int count)
{
	struct file *f = fd_get(current, fd);
	uint64_t used = 0;

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
		long r = put_dirent(uaddr_add(ubuf, used), count - used, node, name, len, next);
		if (r < 0)
			return used ? (long)used : r;
		used += r;
		f->pos = next;
	}
	return (long)used;
}

long sys_readlinkat(int dirfd, uaddr_t upath, uaddr_t buf, int bufsiz)
{
	char *path;
	long r;
	int node;

	if (bufsiz <= 0)
		return -EINVAL;
	if ((r = path_from_user(upath, &path)))
		return r;
	r = lookup_at(dirfd, path, false, &node);
	if (!r) {
		const struct inode *n = &rootfs.nodes[node];
		uint64_t len = n->size < (uint64_t)bufsiz ? n->size : (uint64_t)bufsiz;
		if (!inode_is_symlink(n))
			r = -EINVAL;
		else
			r = copy_to_user(current->mm, buf, n->data, len) < 0 ? -EFAULT : (long)len;
	}
	kfree(path);
	return r;
}

long sys_faccessat(int dirfd, uaddr_t upath, int mode)
{
	char *path;
	long r;
	int node;

	if (mode & ~(F_OK | R_OK | W_OK | X_OK))
		return -EINVAL;
	if ((r = path_from_user(upath, &path)))
		return r;
	if (strcmp(path, console_path) != 0) {
		r = lookup_at(dirfd, path, true, &node);
		if (!r && (mode & W_OK))
			r = -EROFS;         /* the initramfs is read-only */
	}
	kfree(path);
	return r;
}

long sys_getcwd(uaddr_t ubuf, size_t size)
{
	char buf[FS_NAME_MAX + 1];
	int len = fs_path(&rootfs, current->cwd, buf, sizeof(buf));

	if (len < 0)
		return -ENAMETOOLONG;
	if ((uint64_t)len + 1 > size)
		return -ERANGE;
	return copy_to_user(current->mm, ubuf, buf, len + 1) < 0 ? -EFAULT : len + 1;
}

long sys_chdir(uaddr_t upath)
{
	char *path;
	long r;
	int node;

	if ((r = path_from_user(upath, &path)))
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

long sys_pipe2(uaddr_t ufds, int flags)
{
	struct file *rd, *wr;
	int32_t fds[2];
	long err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if ((err = pipe_create((uint32_t)flags, &rd, &wr)))
		return err;
	fds[0] = fd_install(current, rd, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(current, wr, flags & O_CLOEXEC);
	if (fds[1] >= 0 && copy_to_user(current->mm, ufds, fds, sizeof(fds)) == 0)
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

long sys_dup(int oldfd)
{
	struct file *f = fd_get(current, oldfd);
	return f ? dup_lowest(f, false) : -EBADF;
}

/* As Linux: the flags and oldfd == newfd are checked before either fd. */
long sys_dup3(int oldfd, int newfd, int flags)
{
	struct file *f;

	if ((flags & ~O_CLOEXEC) || oldfd == newfd)
		return -EINVAL;
	if (!(f = fd_get(current, oldfd)))
		return -EBADF;
	return dup_to(f, newfd, flags & O_CLOEXEC);
}

/*
 * Advisory record locks. A process's own locks never conflict, and no two
 * processes can write a shared file (the initramfs is read-only), so every
 * lock is granted at once: F_GETLK answers F_UNLCK, F_SETLK and F_SETLKW
 * succeed. The request is still read and checked as Linux does: EFAULT,
 * EINVAL for a bad type or whence, EBADF for a lock the open mode forbids.
 */
static long file_lock(struct file *f, unsigned int cmd, uaddr_t ulock)
{
	struct linux_flock fl;

	if (copy_from_user(current->mm, &fl, ulock, sizeof(fl)) < 0)
		return -EFAULT;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK)
		return -EINVAL;
	if (fl.l_whence != SEEK_SET && fl.l_whence != SEEK_CUR && fl.l_whence != SEEK_END)
		return -EINVAL;
	if (cmd == F_GETLK) {
		if (fl.l_type == F_UNLCK)
			return -EINVAL;
		fl.l_type = F_UNLCK;
		return copy_to_user(current->mm, ulock, &fl, sizeof(fl)) < 0 ? -EFAULT : 0;
	}
	if ((fl.l_type == F_RDLCK && (f->flags & O_ACCMODE) == O_WRONLY) ||
	    (fl.l_type == F_WRLCK && (f->flags & O_ACCMODE) == O_RDONLY))
		return -EBADF;
	return 0;
}

long sys_fcntl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fd_get(current, fd);

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return dup_lowest(f, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return (current->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
	case F_SETFD:
		if (arg & FD_CLOEXEC)
			current->cloexec |= 1u << fd;
		else
			current->cloexec &= ~(1u << fd);
		return 0;
	case F_GETFL:
		return f->flags & ~(uint32_t)O_CLOEXEC;
	case F_SETFL:
		/* The status flags Linux lets F_SETFL change (of those kept). */
		f->flags = (f->flags & ~(uint32_t)(O_APPEND | O_NONBLOCK)) |
			   ((uint32_t)arg & (O_APPEND | O_NONBLOCK));
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		return file_lock(f, cmd, uaddr(arg));
	default:
		return -EINVAL;
	}
}

/* ---- ioctl ------------------------------------------------------------------------ */

long sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fd_get(current, fd);

	return f ? file_ioctl(f, cmd, arg) : -EBADF;
}
