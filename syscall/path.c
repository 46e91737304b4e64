/*
 * System calls on paths: open, create, remove, rename, link, attributes,
 * the working directory. Each decodes its arguments (the path, the *at()
 * start directory, the flags) and calls fs/vfs_ops.h.
 */
#include "syscall/syscall.h"
#include "fs/vfs_ops.h"
#include "fs/fdtable.h"
#include "fs/fs_proc.h"
#include "mm/uaccess.h"
#include "mm/kalloc.h"
#include "lib/uapi/fcntl.h"
#include <string.h>

/* access(2) modes: glibc's <unistd.h> names them, the kernel's uapi does not. */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* A user path in a new kernel buffer (kfree it): 0 or -errno (-EFAULT,
 * -ENAMETOOLONG for 4096 bytes or more, -ENOMEM). */
long path_from_user(uaddr_t upath, char **out)
{
	char *buf = kalloc(FS_PATH_MAX);
	long n;

	if (!buf)
		return -ENOMEM;
	n = strncpy_from_user(current->mm, buf, upath, FS_PATH_MAX);
	if (n < 0) {
		kfree(buf);
		return n;
	}
	*out = buf;
	return 0;
}

/* Where a relative path starts: the cwd, or dirfd's directory (held). */
long start_dir(int dirfd, const char *path, struct dentry **out)
{
	if (path[0] == '/' || dirfd == AT_FDCWD) {
		*out = dentry_get(current->cwd);
		return 0;
	}
	struct file *f = fd_get(current, dirfd);
	if (!f)
		return -EBADF;
	if (!f->dentry || (*path && !inode_is_dir(f->dentry->inode)))
		return -ENOTDIR;
	*out = dentry_get(f->dentry);
	return 0;
}

/* The path and start of an *at() call; an empty path is ENOENT unless
 * empty_ok (AT_EMPTY_PATH). */
static long at_args(int dirfd, uaddr_t upath, bool empty_ok, char **path, struct dentry **start)
{
	long err = path_from_user(upath, path);

	if (err)
		return err;
	if (!**path && !empty_ok)
		err = -ENOENT;
	else
		err = start_dir(dirfd, *path, start);
	if (err)
		kfree(*path);
	return err;
}

static void at_done(char *path, struct dentry *start)
{
	dentry_put(start);
	kfree(path);
}

/* Resolves an *at() path to a held dentry: AT_SYMLINK_NOFOLLOW and
 * AT_EMPTY_PATH as in flags. */
long resolve_at(int dirfd, uaddr_t upath, int flags, struct dentry **out)
{
	char *path;
	struct dentry *start;
	long err = at_args(dirfd, upath, flags & AT_EMPTY_PATH, &path, &start);

	if (err)
		return err;
	err = namei(start, path, ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
		    ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), out, NULL);
	at_done(path, start);
	return err;
}

long sys_openat(int dirfd, uaddr_t upath, int flags, unsigned int mode)
{
	char *path;
	struct dentry *start;
	struct file *f;
	long err = at_args(dirfd, upath, false, &path, &start);

	if (err)
		return err;
	err = vfs_open(start, path, (uint32_t)flags, mode, &f);
	at_done(path, start);
	if (err)
		return err;
	long fd = fd_install(current, f, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_mknodat(int dirfd, uaddr_t upath, uint32_t mode, uint32_t dev)
{
	char *path;
	struct dentry *start;
	long err = at_args(dirfd, upath, false, &path, &start);

	if (err)
		return err;
	/* The user's dev_t (new_encode_dev) to the kernel's MKDEV. */
	uint32_t major = (dev & 0xfff00) >> 8, minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
	err = vfs_mknod(start, path, mode, MKDEV(major, minor));
	at_done(path, start);
	return err;
}

long sys_mkdirat(int dirfd, uaddr_t upath, uint32_t mode)
{
	char *path;
	struct dentry *start;
	long err = at_args(dirfd, upath, false, &path, &start);

	if (err)
		return err;
	err = vfs_mkdir(start, path, mode);
	at_done(path, start);
	return err;
}

long sys_unlinkat(int dirfd, uaddr_t upath, int flags)
{
	char *path;
	struct dentry *start;
	long err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	if ((err = at_args(dirfd, upath, false, &path, &start)))
		return err;
	err = vfs_unlink(start, path, flags & AT_REMOVEDIR);
	at_done(path, start);
	return err;
}

long sys_symlinkat(uaddr_t utarget, int dirfd, uaddr_t upath)
{
	char *target, *path;
	struct dentry *start;
	long err = path_from_user(utarget, &target);

	if (err)
		return err;
	if (!(err = at_args(dirfd, upath, false, &path, &start))) {
		err = vfs_symlink(target, start, path);
		at_done(path, start);
	}
	kfree(target);
	return err;
}

long sys_linkat(int olddirfd, uaddr_t uold, int newdirfd, uaddr_t unew, int flags)
{
	char *oldp, *newp;
	struct dentry *ostart, *nstart;
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((err = at_args(olddirfd, uold, flags & AT_EMPTY_PATH, &oldp, &ostart)))
		return err;
	if (!(err = at_args(newdirfd, unew, false, &newp, &nstart))) {
		if (!*oldp) {
			/* AT_EMPTY_PATH: link the file dirfd names. */
			err = vfs_link(ostart, ".", false, nstart, newp);
			if (!inode_is_dir(ostart->inode) || err != -EPERM)
				err = *oldp ? err : vfs_link(ostart, "", false, nstart, newp);
		} else {
			err = vfs_link(ostart, oldp, flags & AT_SYMLINK_FOLLOW, nstart, newp);
		}
		at_done(newp, nstart);
	}
	at_done(oldp, ostart);
	return err;
}

long sys_renameat2(int olddirfd, uaddr_t uold, int newdirfd, uaddr_t unew, uint32_t flags)
{
	char *oldp, *newp;
	struct dentry *ostart, *nstart;
	long err;

	if ((err = at_args(olddirfd, uold, false, &oldp, &ostart)))
		return err;
	if (!(err = at_args(newdirfd, unew, false, &newp, &nstart))) {
		err = vfs_rename(ostart, oldp, nstart, newp, flags);
		at_done(newp, nstart);
	}
	at_done(oldp, ostart);
	return err;
}

long sys_renameat(int olddirfd, uaddr_t uold, int newdirfd, uaddr_t unew)
{
	return sys_renameat2(olddirfd, uold, newdirfd, unew, 0);
}

long sys_readlinkat(int dirfd, uaddr_t upath, uaddr_t buf, int bufsiz)
{
	struct dentry *d;
	long r;

	if (bufsiz <= 0)
		return -EINVAL;
	if ((r = resolve_at(dirfd, upath, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &d)))
		return r;
	char *text = kalloc(FS_PATH_MAX);
	if (!text) {
		dentry_put(d);
		return -ENOMEM;
	}
	r = vfs_readlink(d, text, FS_PATH_MAX);
	if (r > bufsiz)
		r = bufsiz;
	if (r > 0 && copy_to_user(current->mm, buf, text, (size_t)r) < 0)
		r = -EFAULT;
	kfree(text);
	dentry_put(d);
	return r;
}

static long access_at(int dirfd, uaddr_t upath, int mode, int flags)
{
	struct dentry *d;
	long r;

	if (mode & ~(F_OK | R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = resolve_at(dirfd, upath, flags, &d)))
		return r;
	/* R_OK, W_OK, X_OK are MAY_READ, MAY_WRITE, MAY_EXEC. */
	r = vfs_access(d, mode);
	dentry_put(d);
	return r;
}

long sys_faccessat(int dirfd, uaddr_t upath, int mode)
{
	return access_at(dirfd, upath, mode, 0);
}

long sys_faccessat2(int dirfd, uaddr_t upath, int mode, int flags)
{
	return access_at(dirfd, upath, mode, flags);
}

/* ---- attributes --------------------------------------------------------------------- */

/* The dentry an f*() call acts on: the file's (O_PATH files too). */
static long fd_dentry(int fd, struct dentry **out)
{
	struct file *f = fd_get(current, fd);

	if (!f)
		return -EBADF;
	if (!f->dentry)
		return -EINVAL;
	*out = dentry_get(f->dentry);
	return 0;
}

long sys_fchmod(int fd, uint32_t mode)
{
	struct dentry *d;
	long r = fd_dentry(fd, &d);

	if (r)
		return r;
	r = vfs_chmod(d, mode);
	dentry_put(d);
	return r;
}

long sys_fchmodat(int dirfd, uaddr_t upath, uint32_t mode)
{
	struct dentry *d;
	long r = resolve_at(dirfd, upath, 0, &d);

	if (r)
		return r;
	r = vfs_chmod(d, mode);
	dentry_put(d);
	return r;
}

long sys_fchown(int fd, uint32_t uid, uint32_t gid)
{
	struct dentry *d;
	long r = fd_dentry(fd, &d);

	if (r)
		return r;
	r = vfs_chown(d, uid, gid);
	dentry_put(d);
	return r;
}

long sys_fchownat(int dirfd, uaddr_t upath, uint32_t uid, uint32_t gid, int flags)
{
	struct dentry *d;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = resolve_at(dirfd, upath, flags, &d)))
		return r;
	r = vfs_chown(d, uid, gid);
	dentry_put(d);
	return r;
}

/* A timespec of utimensat: UTIME_NOW becomes now (*given false); 0 or -errno. */
static long time_arg(struct linux_timespec *t, bool *given)
{
	if (t->tv_nsec == UTIME_NOW) {
		*t = fs_now();
		return 0;
	}
	if (t->tv_nsec != UTIME_OMIT)
		*given = true;
	if (t->tv_nsec == UTIME_OMIT)
		return 0;
	return t->tv_nsec < 0 || t->tv_nsec >= 1000000000 ? -EINVAL : 0;
}

long sys_utimensat(int dirfd, uaddr_t upath, uaddr_t utimes, int flags)
{
	struct linux_timespec t[2] = { { 0, 0 }, { 0, 0 } };
	struct dentry *d;
	long r;
	bool now = uaddr_is_null(utimes);

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (now) {
		t[0] = t[1] = (struct linux_timespec){ 0, UTIME_NOW };
	} else if (copy_from_user(current->mm, t, utimes, sizeof(t)) < 0) {
		return -EFAULT;
	}
	bool given = false;
	if ((r = time_arg(&t[0], &given)) || (r = time_arg(&t[1], &given)))
		return r;
	if (t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
		return 0;
	/* utimensat(fd, NULL, ...) is futimens. */
	if (uaddr_is_null(upath)) {
		if (dirfd == AT_FDCWD)
			return -EFAULT;
		r = fd_dentry(dirfd, &d);
	} else {
		r = resolve_at(dirfd, upath, flags, &d);
	}
	if (r)
		return r;
	r = vfs_utimes(d, &t[0], &t[1], given);
	dentry_put(d);
	return r;
}

long sys_truncate(uaddr_t upath, long length)
{
	struct dentry *d;
	long r;

	if (length < 0)
		return -EINVAL;
	if ((r = resolve_at(AT_FDCWD, upath, 0, &d)))
		return r;
	r = inode_is_dir(d->inode) ? -EISDIR : inode_permission(d->inode, MAY_WRITE);
	if (!r)
		r = vfs_truncate(d, (uint64_t)length);
	dentry_put(d);
	return r;
}

long sys_ftruncate(int fd, long length)
{
	struct file *f = fd_get(current, fd);

	if (!f)
		return -EBADF;
	if (length < 0)
		return -EINVAL;
	if (f->flags & O_PATH)
		return -EBADF;
	if (!f->dentry || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;     /* as Linux: not open for writing, or no file */
	return vfs_truncate(f->dentry, (uint64_t)length);
}

long sys_umask(int mask)
{
	uint32_t old = current->umask;

	fs_proc_set_umask(current, (uint32_t)mask & 0777);
	return old;
}

/* ---- the working directory ------------------------------------------------------------- */

long sys_chdir(uaddr_t upath)
{
	struct dentry *d;
	long r = resolve_at(AT_FDCWD, upath, 0, &d);

	if (r)
		return r;
	if (!inode_is_dir(d->inode))
		r = -ENOTDIR;
	else if (!(r = inode_permission(d->inode, MAY_EXEC)))
		fs_proc_chdir(current, d);
	dentry_put(d);
	return r;
}

long sys_fchdir(int fd)
{
	struct file *f = fd_get(current, fd);

	if (!f)
		return -EBADF;
	if (!f->dentry || !inode_is_dir(f->inode))
		return -ENOTDIR;
	long r = inode_permission(f->inode, MAY_EXEC);
	if (!r)
		fs_proc_chdir(current, f->dentry);
	return r;
}

long sys_getcwd(uaddr_t ubuf, size_t size)
{
	char *buf = kalloc(FS_PATH_MAX);
	long len;

	if (!buf)
		return -ENOMEM;
	if (!current->cwd->in_tree && current->cwd->parent != current->cwd)
		len = -ENOENT;      /* removed: Linux answers ENOENT */
	else
		len = dentry_path(current->cwd, buf, FS_PATH_MAX);
	if (len >= 0 && (uint64_t)len + 1 > size)
		len = -ERANGE;
	if (len >= 0 && copy_to_user(current->mm, ubuf, buf, (size_t)len + 1) < 0)
		len = -EFAULT;
	kfree(buf);
	return len < 0 ? len : len + 1;
}
