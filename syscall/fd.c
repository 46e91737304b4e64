/* File descriptors: close, dup, dup3, fcntl, pipe2 (over fs/fdtable.h). */
#include "syscall/syscall.h"
#include "fs/file.h"
#include "fs/fdtable.h"
#include "fs/fs_proc.h"
#include "fs/pipe.h"
#include "fs/locks.h"
#include "mm/uaccess.h"
#include "lib/uapi/fcntl.h"
#include "lib/irq_window.h"

static uint64_t nofile(void)
{
	return current->rlim[RLIMIT_NOFILE].rlim_cur;
}

long sys_close(int fd)
{
	return fd_close(current, fd);
}

/* Closes, or marks close-on-exec, every open fd in [first, last]; with
 * CLOSE_RANGE_UNSHARE on a table of its own first (Linux's order). */
long sys_close_range(uint32_t first, uint32_t last, uint32_t flags)
{
	if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last)
		return -EINVAL;
	if (flags & CLOSE_RANGE_UNSHARE) {
		long err = fs_proc_unshare_files(current);
		if (err)
			return err;
	}
	for (uint64_t fd = first; fd <= last && fd < current->files->size; fd++) {
		if (!fd_get(current, (long)fd))
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			fd_set_cloexec(current->files, (unsigned)fd, true);
		else
			fd_close(current, (long)fd);
		irq_window();   /* up to FD_MAX of them: let interrupts in */
	}
	return 0;
}

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
	fds[1] = fds[0] < 0 ? fds[0] : fd_install(current, wr, flags & O_CLOEXEC);
	if (fds[1] >= 0 && copy_to_user(current->mm, ufds, fds, sizeof(fds)) == 0)
		return 0;
	err = fds[1] >= 0 ? -EFAULT : fds[1];
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

/* F_DUPFD, dup: the lowest free fd >= min. */
static long dup_from(struct file *f, unsigned long min, bool cloexec)
{
	if (min >= nofile() || min >= FD_MAX)
		return -EINVAL;
	int fd = fd_install_from(current->files, file_dup(f), cloexec, (unsigned)min, nofile());
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_dup(int oldfd)
{
	struct file *f = fd_get(current, oldfd);
	long fd;

	if (!f)
		return -EBADF;
	fd = dup_from(f, 0, false);
	return fd == -EINVAL ? -EMFILE : fd;
}

/* As Linux: the flags and oldfd == newfd are checked before either fd. */
long sys_dup3(int oldfd, int newfd, int flags)
{
	struct file *f;

	if ((flags & ~O_CLOEXEC) || oldfd == newfd)
		return -EINVAL;
	if (!(f = fd_get(current, oldfd)))
		return -EBADF;
	if (newfd < 0)
		return -EBADF;
	return fd_install_at(current->files, (unsigned)newfd, f, flags & O_CLOEXEC, nofile());
}

/* fcntl's record locks: the user's struct flock in and (F_GETLK) out. */
static long file_lock(struct file *f, unsigned int cmd, uaddr_t ulock)
{
	struct linux_flock fl;
	bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;

	if (copy_from_user(current->mm, &fl, ulock, sizeof(fl)) < 0)
		return -EFAULT;
	long err = posix_lock(f, current->tgid, cmd, &fl);
	if (!err && get && copy_to_user(current->mm, ulock, &fl, sizeof(fl)) < 0)
		return -EFAULT;
	return err;
}

long sys_flock(int fd, int op)
{
	struct file *f = fd_get(current, fd);

	if (!f)
		return -EBADF;
	if (f->flags & O_PATH)
		return -EBADF;
	return flock_lock(f, op);
}

long sys_fcntl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fd_get(current, fd);

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return dup_from(f, arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_cloexec(current->files, (unsigned)fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(current->files, (unsigned)fd, arg & FD_CLOEXEC);
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
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return file_lock(f, cmd, uaddr(arg));
	case F_GETPIPE_SZ:
		return f->pipe && !f->inode ? 4096 : -EBADF;
	default:
		return -EINVAL;
	}
}
