/* Describing files: stat, statx, statfs, getdents64; mount and umount2. */
#include "syscall/syscall.h"
#include "fs/vfs_ops.h"
#include "fs/fdtable.h"
#include "fs/mount.h"
#include "kernel/cred.h"
#include "mm/uaccess.h"
#include "mm/kalloc.h"
#include "lib/uapi/fcntl.h"
#include <string.h>

_Static_assert(sizeof(struct linux_stat) == 128, "struct stat is 128 bytes on arm64");
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx is 256 bytes");
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs is 120 bytes on arm64");

long path_from_user(uaddr_t upath, char **out);
long resolve_at(int dirfd, uaddr_t upath, int flags, struct dentry **out);

static long put_stat(uaddr_t ubuf, const struct linux_stat *st)
{
	return copy_to_user(current->mm, ubuf, st, sizeof(*st)) < 0 ? -EFAULT : 0;
}

long sys_fstat(int fd, uaddr_t statbuf)
{
	struct file *f = fd_get(current, fd);
	struct linux_stat st;

	if (!f)
		return -EBADF;
	file_stat(f, &st);
	return put_stat(statbuf, &st);
}

/* stat of an *at() path; AT_EMPTY_PATH with "" is dirfd's file. */
static long stat_at(int dirfd, uaddr_t upath, int flags, struct linux_stat *st)
{
	struct dentry *d;
	long r;

	if (flags & AT_EMPTY_PATH) {
		char c;
		if (copy_from_user(current->mm, &c, upath, 1) < 0)
			return -EFAULT;
		if (!c) {
			struct file *f = dirfd == AT_FDCWD ? NULL : fd_get(current, dirfd);
			if (dirfd == AT_FDCWD) {
				inode_stat(current->cwd->inode, st);
				return 0;
			}
			if (!f)
				return -EBADF;
			file_stat(f, st);
			return 0;
		}
	}
	if ((r = resolve_at(dirfd, upath, flags & AT_SYMLINK_NOFOLLOW, &d)))
		return r;
	inode_stat(d->inode, st);
	dentry_put(d);
	return 0;
}

long sys_newfstatat(int dirfd, uaddr_t upath, uaddr_t statbuf, int flags)
{
	struct linux_stat st;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if ((r = stat_at(dirfd, upath, flags, &st)))
		return r;
	return put_stat(statbuf, &st);
}

static struct linux_statx_timestamp stx_time(int64_t sec, uint64_t nsec)
{
	return (struct linux_statx_timestamp){ sec, (uint32_t)nsec, 0 };
}

long sys_statx(int dirfd, uaddr_t upath, int flags, uint32_t mask, uaddr_t ubuf)
{
	struct linux_stat st;
	struct linux_statx sx;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED))
		return -EINVAL;
	if ((r = stat_at(dirfd, upath, flags, &st)))
		return r;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = (uint32_t)st.st_blksize;
	sx.stx_nlink = st.st_nlink;
	sx.stx_uid = st.st_uid;
	sx.stx_gid = st.st_gid;
	sx.stx_mode = (uint16_t)st.st_mode;
	sx.stx_ino = st.st_ino;
	sx.stx_size = (uint64_t)st.st_size;
	sx.stx_blocks = (uint64_t)st.st_blocks;
	sx.stx_atime = stx_time(st.st_atime, st.st_atime_nsec);
	sx.stx_mtime = stx_time(st.st_mtime, st.st_mtime_nsec);
	sx.stx_ctime = stx_time(st.st_ctime, st.st_ctime_nsec);
	sx.stx_rdev_major = (uint32_t)((st.st_rdev >> 8) & 0xfff);
	sx.stx_rdev_minor = (uint32_t)((st.st_rdev & 0xff) | ((st.st_rdev >> 12) & 0xfff00));
	sx.stx_dev_major = (uint32_t)((st.st_dev >> 8) & 0xfff);
	sx.stx_dev_minor = (uint32_t)((st.st_dev & 0xff) | ((st.st_dev >> 12) & 0xfff00));
	return copy_to_user(current->mm, ubuf, &sx, sizeof(sx)) < 0 ? -EFAULT : 0;
}

static long put_statfs(struct dentry *d, uaddr_t ubuf)
{
	struct linux_statfs st;

	vfs_statfs(d, &st);
	return copy_to_user(current->mm, ubuf, &st, sizeof(st)) < 0 ? -EFAULT : 0;
}

long sys_statfs(uaddr_t upath, uaddr_t ubuf)
{
	struct dentry *d;
	long r = resolve_at(AT_FDCWD, upath, 0, &d);

	if (r)
		return r;
	r = put_statfs(d, ubuf);
	dentry_put(d);
	return r;
}

long sys_fstatfs(int fd, uaddr_t ubuf)
{
	struct file *f = fd_get(current, fd);

	if (!f)
		return -EBADF;
	if (!f->dentry)
		return -EINVAL;    /* pipes, eventfds: Linux names their pseudo filesystems */
	return put_statfs(f->dentry, ubuf);
}

/* ---- getdents64 --------------------------------------------------------------------- */

struct dirent_buf {
	struct dir_context ctx;
	struct file *f;
	uaddr_t ubuf;
	uint64_t room, used;
	uint64_t last;           /* offset of the last record written, or ~0 */
	long err;
};

/* d_off of the last record: the directory's position after it, known once
 * the filesystem has moved f->pos on (as glibc's telldir reads it). */
static bool finish_last(struct dirent_buf *b)
{
	uint64_t pos = b->f->pos;

	if (b->last == UINT64_MAX)
		return true;
	if (copy_to_user(current->mm, uaddr_add(b->ubuf, b->last + 8), &pos, 8) < 0) {
		b->err = -EFAULT;
		return false;
	}
	return true;
}

/* One linux_dirent64; false (not consumed) when it does not fit. */
static bool emit_dirent(struct dir_context *ctx, const char *name, size_t len, uint64_t ino,
			unsigned type)
{
	struct dirent_buf *b = (struct dirent_buf *)ctx;
	uint8_t rec[8 + 8 + 2 + 1 + FS_NAME_MAX + 1 + 7];
	size_t reclen = ALIGN_UP(19 + len + 1, 8);
	uint16_t rl = (uint16_t)reclen;
	uint64_t next = 0;

	if (reclen > b->room - b->used) {
		if (!b->used)
			b->err = -EINVAL;
		return false;
	}
	if (!finish_last(b))
		return false;
	memset(rec, 0, reclen);
	memcpy(rec, &ino, 8);
	memcpy(rec + 8, &next, 8);        /* d_off: set by finish_last */
	memcpy(rec + 16, &rl, 2);
	rec[18] = (uint8_t)type;
	memcpy(rec + 19, name, len);
	if (copy_to_user(current->mm, uaddr_add(b->ubuf, b->used), rec, reclen) < 0) {
		b->err = -EFAULT;
		return false;
	}
	b->last = b->used;
	b->used += reclen;
	return true;
}

long sys_getdents64(int fd, uaddr_t ubuf, unsigned int count)
{
	struct file *f = fd_get(current, fd);
	struct dirent_buf b = { { emit_dirent }, f, ubuf, count, 0, UINT64_MAX, 0 };

	if (!f)
		return -EBADF;
	if (!f->ops->readdir)
		return -ENOTDIR;
	if (!user_range_ok(ubuf, count))
		return -EFAULT;
	int err = file_readdir(f, &b.ctx);
	if (b.used && finish_last(&b))
		return (long)b.used;
	return err ? err : b.err;
}

/* ---- mount and umount2 --------------------------------------------------------------- */

static long string_arg(uaddr_t u, char **out, size_t max)
{
	*out = NULL;
	if (uaddr_is_null(u))
		return 0;
	char *buf = kalloc(max);
	if (!buf)
		return -ENOMEM;
	long n = strncpy_from_user(current->mm, buf, u, max);
	if (n < 0) {
		kfree(buf);
		return n == -ENAMETOOLONG ? -EINVAL : n;
	}
	*out = buf;
	return 0;
}

long sys_mount(uaddr_t usource, uaddr_t utarget, uaddr_t utype, uint64_t flags, uaddr_t udata)
{
	char *source = NULL, *type = NULL, *data = NULL;
	struct dentry *target;
	long r;

	if (!cred_capable_setid(&current->cred))
		return -EPERM;     /* CAP_SYS_ADMIN: root */
	if ((r = resolve_at(AT_FDCWD, utarget, 0, &target)))
		return r;
	if (flags & (MS_BIND | MS_MOVE | MS_REMOUNT)) {
		r = -EINVAL;        /* one mount per filesystem: no binds or moves */
		goto out;
	}
	if ((r = string_arg(usource, &source, 64)) || (r = string_arg(utype, &type, 64)) ||
	    (r = string_arg(udata, &data, 4096)))
		goto out;
	if (!type) {
		r = -EINVAL;
		goto out;
	}
	r = vfs_mount(source ? source : "none", target, type,
		      (uint32_t)flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC), data);
out:
	kfree(source);
	kfree(type);
	kfree(data);
	dentry_put(target);
	return r;
}

long sys_umount2(uaddr_t utarget, int flags)
{
	struct dentry *d;
	long r;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (!cred_capable_setid(&current->cred))
		return -EPERM;
	if ((r = resolve_at(AT_FDCWD, utarget, (flags & UMOUNT_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0, &d)))
		return r;
	r = vfs_umount(d, flags & MNT_FORCE);
	dentry_put(d);
	return r;
}
