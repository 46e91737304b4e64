/* Reading and writing open files: the I/O system calls over fs/file.h. */
#include "syscall/syscall.h"
#include "fs/file.h"
#include "fs/fdtable.h"
#include "mm/uaccess.h"
#include "mm/kalloc.h"
#include "lib/uapi/fcntl.h"
#include "lib/irq_window.h"
#include <string.h>

#define IOV_MAX 1024   /* UIO_MAXIOV */
#define CHUNK 4096

long sys_read(int fd, uaddr_t buf, size_t count)
{
	struct file *f = fd_get(current, fd);
	return f ? file_read(f, buf, count, &f->pos) : -EBADF;
}

long sys_write(int fd, uaddr_t buf, size_t count)
{
	struct file *f = fd_get(current, fd);
	return f ? file_write(f, buf, count, &f->pos) : -EBADF;
}

/* pread64/pwrite64 and the p*v calls: at pos, the file's offset untouched. */
static struct file *positioned(int fd, long pos, long *err)
{
	struct file *f = fd_get(current, fd);

	*err = !f ? -EBADF : !file_seekable(f) ? -ESPIPE : pos < 0 ? -EINVAL : 0;
	return *err ? NULL : f;
}

long sys_pread64(int fd, uaddr_t buf, size_t count, long pos)
{
	long err;
	struct file *f = positioned(fd, pos, &err);
	uint64_t at = (uint64_t)pos;

	return f ? file_read(f, buf, count, &at) : err;
}

long sys_pwrite64(int fd, uaddr_t buf, size_t count, long pos)
{
	long err;
	struct file *f = positioned(fd, pos, &err);
	uint64_t at = (uint64_t)pos;

	return f ? file_write(f, buf, count, &at) : err;
}

/* readv/writev: struct iovec { void *base; size_t len; }, at most IOV_MAX. */
static long vector_io(struct file *f, uaddr_t iov, unsigned long cnt, bool write, uint64_t *pos)
{
	long total = 0;

	if (cnt > IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < cnt; i++) {
		uint64_t v[2];
		if (copy_from_user(current->mm, v, uaddr_add(iov, 16 * i), 16) < 0)
			return total ? total : -EFAULT;
		if ((int64_t)v[1] < 0)
			return total ? total : -EINVAL;
		if (!v[1])
			continue;
		long r = write ? file_write(f, uaddr(v[0]), v[1], pos) : file_read(f, uaddr(v[0]), v[1], pos);
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
	struct file *f = fd_get(current, fd);
	return f ? vector_io(f, iov, iovcnt, false, &f->pos) : -EBADF;
}

long sys_writev(int fd, uaddr_t iov, unsigned long iovcnt)
{
	struct file *f = fd_get(current, fd);
	return f ? vector_io(f, iov, iovcnt, true, &f->pos) : -EBADF;
}

long sys_preadv(int fd, uaddr_t iov, unsigned long iovcnt, long pos)
{
	long err;
	struct file *f = positioned(fd, pos, &err);
	uint64_t at = (uint64_t)pos;

	return f ? vector_io(f, iov, iovcnt, false, &at) : err;
}

long sys_pwritev(int fd, uaddr_t iov, unsigned long iovcnt, long pos)
{
	long err;
	struct file *f = positioned(fd, pos, &err);
	uint64_t at = (uint64_t)pos;

	return f ? vector_io(f, iov, iovcnt, true, &at) : err;
}

long sys_lseek(int fd, long off, unsigned int whence)
{
	struct file *f = fd_get(current, fd);
	return f ? file_llseek(f, off, whence) : -EBADF;
}

/*
 * Copies up to count bytes from in (at *in_pos) to out (at *out_pos)
 * through a kernel page, as a user would with read and write: the bytes
 * copied, or -errno when none were.
 */
static long copy_between(struct file *in, uint64_t *in_pos, struct file *out, uint64_t *out_pos,
			 uint64_t count)
{
	char *buf = kalloc(CHUNK);
	long done = 0;

	if (!buf)
		return -ENOMEM;
	while ((uint64_t)done < count) {
		uint64_t k = count - done < CHUNK ? count - done : CHUNK;
		long r = file_read_kernel(in, buf, k, in_pos);
		if (r <= 0) {
			if (r < 0 && !done)
				done = r;
			break;
		}
		long w = file_write_kernel(out, buf, (uint64_t)r, out_pos);
		if (w <= 0) {
			if (!done)
				done = w ? w : -EIO;
			break;
		}
		done += w;
		if (w < r)
			break;
		irq_window();   /* a big copy: let interrupts in between chunks */
	}
	kfree(buf);
	return done;
}

static long offset_arg(uaddr_t uoff, uint64_t *pos, uint64_t fallback)
{
	int64_t v;

	*pos = fallback;
	if (uaddr_is_null(uoff))
		return 0;
	if (copy_from_user(current->mm, &v, uoff, 8) < 0)
		return -EFAULT;
	if (v < 0)
		return -EINVAL;
	*pos = (uint64_t)v;
	return 0;
}

long sys_sendfile(int out_fd, int in_fd, uaddr_t uoff, size_t count)
{
	struct file *out = fd_get(current, out_fd), *in = fd_get(current, in_fd);
	uint64_t pos;
	long err;

	if (!out || !in)
		return -EBADF;
	if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!file_seekable(in))
		return -EINVAL;
	if (out->flags & O_APPEND)
		return -EINVAL;
	if ((err = offset_arg(uoff, &pos, in->pos)))
		return err;
	long done = copy_between(in, &pos, out, &out->pos, count);
	if (done >= 0 && !uaddr_is_null(uoff))
		return copy_to_user(current->mm, uoff, &pos, 8) < 0 ? -EFAULT : done;
	if (done >= 0)
		in->pos = pos;
	return done;
}

long sys_copy_file_range(int fd_in, uaddr_t off_in, int fd_out, uaddr_t off_out, size_t len,
			 uint32_t flags)
{
	struct file *in = fd_get(current, fd_in), *out = fd_get(current, fd_out);
	uint64_t ipos, opos;
	long err;

	if (flags)
		return -EINVAL;
	if (!in || !out)
		return -EBADF;
	if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY ||
	    (out->flags & O_APPEND))
		return -EBADF;
	if (!in->inode || !out->inode || !inode_is_reg(in->inode) || !inode_is_reg(out->inode))
		return (in->inode && inode_is_dir(in->inode)) || (out->inode && inode_is_dir(out->inode))
			? -EISDIR : -EINVAL;
	if ((err = offset_arg(off_in, &ipos, in->pos)) || (err = offset_arg(off_out, &opos, out->pos)))
		return err;
	long done = copy_between(in, &ipos, out, &opos, len);
	if (done < 0)
		return done;
	if (!uaddr_is_null(off_in) ? copy_to_user(current->mm, off_in, &ipos, 8) < 0 : (in->pos = ipos, 0))
		return -EFAULT;
	if (!uaddr_is_null(off_out) ? copy_to_user(current->mm, off_out, &opos, 8) < 0 : (out->pos = opos, 0))
		return -EFAULT;
	return done;
}

/* Memory filesystems have nothing to write back: success for any open file. */
long sys_fsync(int fd)
{
	struct file *f = fd_get(current, fd);

	if (!f)
		return -EBADF;
	/* Files and directories have nothing to write back; the rest (pipes,
	 * terminals, devices) have no fsync at all, as on Linux. */
	return f->inode && (inode_is_reg(f->inode) || inode_is_dir(f->inode)) ? 0 : -EINVAL;
}

/* Advice about future reads: memory file systems read nothing ahead, so
 * any valid advice is taken and changes nothing (Linux's errors: EBADF,
 * ESPIPE for a pipe, EINVAL for a negative length or unknown advice). */
#define POSIX_FADV_NOREUSE 5
long sys_fadvise64(int fd, long offset, long len, int advice)
{
	struct file *f = fd_get(current, fd);

	struct linux_stat st = { 0 };

	(void)offset;
	if (!f)
		return -EBADF;
	file_stat(f, &st);   /* what it is: a pipe's file has no inode */
	if (S_IFMT_IS(st.st_mode, S_IFIFO))
		return -ESPIPE;
	if (len < 0 || advice < 0 || advice > POSIX_FADV_NOREUSE)
		return -EINVAL;
	return 0;
}

long sys_fdatasync(int fd)
{
	return sys_fsync(fd);
}

long sys_sync(void)
{
	return 0;
}

long sys_syncfs(int fd)
{
	return sys_fsync(fd);
}

long sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fd_get(current, fd);
	return f ? file_ioctl(f, cmd, arg) : -EBADF;
}
