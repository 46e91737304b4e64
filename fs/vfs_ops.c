/* The file system calls' checks and changes (fs/vfs_ops.h). */
#include "fs/vfs_ops.h"
#include "fs/mount.h"
#include "fs/tmpfs.h"
#include "fs/pipe.h"
#include "mm/kalloc.h"
#include "kernel/proc.h"
#include "kernel/cred.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/fcntl.h"
#include <string.h>

#define O_TMPFILE_BIT    020000000
#define UTIME_OMIT_NS    UTIME_OMIT

static bool is_dot_or_dotdot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

static bool read_only(const struct dentry *d)
{
	return d->sb->flags & MS_RDONLY;
}

/* The sticky bit (/tmp): only the owner of the file or the directory, or
 * root, may remove or rename a name in it. */
static int sticky_check(const struct inode *dir, const struct inode *i)
{
	uint32_t uid = proc_fsuid(current);

	if (!(dir->mode & S_ISVTX) || cred_capable_fs(&current->cred) || uid == i->uid || uid == dir->uid)
		return 0;
	return -EPERM;
}

/* A removed directory takes no new names (Linux's IS_DEADDIR). */
static bool is_dead_dir(const struct dentry *d)
{
	return !d->in_tree && d->parent != d && !d->sb->make_inodes_on_demand;
}

static int may_create_in(struct dentry *dir)
{
	if (is_dead_dir(dir))
		return -ENOENT;
	if (read_only(dir))
		return -EROFS;
	/* A removed directory (Linux's IS_DEADDIR): a name in it would hold
	 * it and itself forever. */
	if (inode_is_dir(dir->inode) && dir->inode->nlink == 0)
		return -ENOENT;
	return inode_permission(dir->inode, MAY_WRITE | MAY_EXEC);
}

/* The parent and the (negative or positive) child for a create or remove
 * of path's last component: 0 with both held, or -errno. */
static int lookup_last(struct dentry *start, const char *path, struct dentry **parent,
		       struct dentry **child, const char **name, size_t *len)
{
	int err = namei_parent(start, path, parent, name, len);

	if (err)
		return err;
	if (*len == 0 || is_dot_or_dotdot(*name, *len)) {
		*child = NULL;
		return 0;      /* the caller says which error fits */
	}
	*child = lookup_child(*parent, *name, *len, &err);
	if (!*child) {
		dentry_put(*parent);
		return err;
	}
	return 0;
}

static void put_both(struct dentry *a, struct dentry *b)
{
	dentry_put(a);
	dentry_put(b);
}

/* Runs make(dir, d, ...) for a new name: the common part of mknod, mkdir,
 * symlink and O_CREAT. */
static int create_at(struct dentry *start, const char *path, bool dir_ok, struct dentry **out,
		     int (*make)(struct dentry *parent, struct dentry *d, const void *arg),
		     const void *arg)
{
	struct dentry *parent, *d;
	const char *name;
	size_t len;
	int err = lookup_last(start, path, &parent, &d, &name, &len);

	if (err)
		return err;
	if (!d) {
		dentry_put(parent);
		return -EEXIST;             /* "/", "." or ".." */
	}
	if (d->inode)
		err = -EEXIST;
	else if (!dir_ok && name[len] == '/')
		err = -ENOENT;              /* a trailing slash names a directory */
	else if (!(err = may_create_in(parent)))
		err = make(parent, d, arg);
	if (!err && out)
		*out = dentry_get(d);
	put_both(parent, d);
	return err;
}

struct node_args { uint32_t mode, dev; };

static int make_node(struct dentry *parent, struct dentry *d, const void *arg)
{
	const struct node_args *a = arg;
	const struct inode_ops *ops = parent->inode->iops;

	if (!ops || !ops->create)
		return -EPERM;
	return ops->create(parent->inode, d, a->mode, a->dev);
}

static int make_dir(struct dentry *parent, struct dentry *d, const void *arg)
{
	const struct inode_ops *ops = parent->inode->iops;

	if (!ops || !ops->mkdir)
		return -EPERM;
	return ops->mkdir(parent->inode, d, *(const uint32_t *)arg);
}

static int make_symlink(struct dentry *parent, struct dentry *d, const void *arg)
{
	const struct inode_ops *ops = parent->inode->iops;

	if (!ops || !ops->symlink)
		return -EPERM;
	return ops->symlink(parent->inode, d, arg);
}

static uint32_t apply_umask(uint32_t mode)
{
	return mode & ~current->umask & 07777;
}

int vfs_mknod(struct dentry *start, const char *path, uint32_t mode, uint32_t dev)
{
	uint32_t type = mode & S_IFMT;
	struct node_args a = { (type ? type : S_IFREG) | apply_umask(mode), dev };

	if (type == S_IFDIR)
		return -EPERM;
	if (type && type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	if ((type == S_IFCHR || type == S_IFBLK) && !cred_capable_fs(&current->cred))
		return -EPERM;
	return create_at(start, path, false, NULL, make_node, &a);
}

int vfs_mkdir(struct dentry *start, const char *path, uint32_t mode)
{
	uint32_t m = mode & ~current->umask & 01777;

	return create_at(start, path, true, NULL, make_dir, &m);
}

int vfs_symlink(const char *target, struct dentry *start, const char *path)
{
	if (!*target)
		return -ENOENT;
	return create_at(start, path, false, NULL, make_symlink, target);
}

/* ---- open ------------------------------------------------------------------------ */

static int open_checks(struct dentry *d, uint32_t flags)
{
	struct inode *i = d->inode;
	uint32_t acc = flags & O_ACCMODE;
	int mask = 0;

	if (inode_is_symlink(i))
		return -ELOOP;                  /* O_NOFOLLOW on a symlink */
	if ((flags & O_DIRECTORY) && !inode_is_dir(i))
		return -ENOTDIR;
	if (inode_is_dir(i) && (acc != O_RDONLY || (flags & (O_TRUNC | O_CREAT))))
		return -EISDIR;
	if (acc == O_RDONLY || acc == O_RDWR)
		mask |= MAY_READ;
	if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC))
		mask |= MAY_WRITE;
	if (acc == 3)
		return -EINVAL;
	if ((mask & MAY_WRITE) && read_only(d) && !S_IFMT_IS(i->mode, S_IFCHR) &&
	    !S_IFMT_IS(i->mode, S_IFIFO))
		return -EROFS;
	return inode_permission(i, mask);
}

/* O_CREAT through a symlink to nothing creates its target, as Linux (the
 * link's text from the link's directory; up to 40 links in a chain). */
static int create_through_link(struct dentry *start, const char *path,
			       const struct node_args *a, struct dentry **out)
{
	char *target = kalloc(FS_PATH_MAX);
	struct dentry *dir = NULL, *link = NULL;
	int err = -ENOENT;

	if (!target)
		return -ENOMEM;
	err = namei(start, path, 0, &link, NULL);
	if (err || !inode_is_symlink(link->inode)) {
		err = err ? err : -ENOENT;   /* a lookup's own error (ENOMEM) stands */
		goto out;
	}
	dir = dentry_get(link->parent);
	for (int n = 0; n < FS_MAXSYMLINKS; n++) {
		long len = vfs_readlink(link, target, FS_PATH_MAX - 1);
		if (len <= 0) {
			err = len < 0 ? (int)len : -ENOENT;
			goto out;
		}
		target[len] = 0;
		err = create_at(dir, target, false, out, make_node, a);
		if (err != -EEXIST)
			goto out;
		/* The target exists after all (a race), or is itself a link. */
		struct dentry *next = NULL;
		if (!namei(dir, target, LOOKUP_FOLLOW, out, NULL)) {
			err = 0;
			goto out;
		}
		err = namei(dir, target, 0, &next, NULL);
		if (err || !inode_is_symlink(next->inode)) {
			if (next)
				dentry_put(next);
			err = err ? err : -ENOENT;
			goto out;
		}
		dentry_put(link);
		link = next;
		dentry_put(dir);
		dir = dentry_get(link->parent);
	}
	err = -ELOOP;
out:
	if (link)
		dentry_put(link);
	if (dir)
		dentry_put(dir);
	kfree(target);
	return err;
}

/* O_CREAT: the existing file, or a new regular file. */
static int open_create(struct dentry *start, const char *path, uint32_t flags, uint32_t mode,
		       struct dentry **out)
{
	struct node_args a = { S_IFREG | apply_umask(mode), 0 };
	int err = create_at(start, path, false, out, make_node, &a);

	if (err != -EEXIST || (flags & O_EXCL))
		return err == -ENOENT && path[strlen(path) - 1] == '/' ? -EISDIR : err;
	err = namei(start, path, (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, out, NULL);
	if (err == -ENOENT && !(flags & O_NOFOLLOW))
		err = create_through_link(start, path, &a, out);
	return err;
}

/* O_TMPFILE: an unnamed file in the directory path names. */
static int open_tmpfile(struct dentry *start, const char *path, uint32_t flags, uint32_t mode,
			struct file **out)
{
	struct dentry *dir, *d;
	uint32_t acc = flags & O_ACCMODE;
	int err;

	if ((flags & O_TMPFILE) != O_TMPFILE || (acc != O_WRONLY && acc != O_RDWR) || (flags & O_CREAT))
		return -EINVAL;
	if ((err = namei(start, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir, NULL)))
		return err;
	if (dir->sb->magic != TMPFS_MAGIC)
		err = -EOPNOTSUPP;
	else
		err = may_create_in(dir);
	struct inode *i = err ? NULL : tmpfs_new_file(dir->sb, apply_umask(mode));
	if (!err && !i)
		err = -ENOSPC;
	d = i ? dentry_new(dir, "#tmpfile", 8) : NULL;
	if (i && !d) {
		inode_put(i);
		err = -ENOMEM;
	}
	if (d) {
		dentry_attach(d, i);
		err = file_open_dentry(d, flags & ~(uint32_t)(O_TMPFILE | O_CREAT | O_EXCL | O_TRUNC), out);
		dentry_put(d);
	}
	dentry_put(dir);
	return err;
}

int vfs_open(struct dentry *start, const char *path, uint32_t flags, uint32_t mode,
	     struct file **out)
{
	struct dentry *d = NULL;
	struct file *magic = NULL;
	int err;

	if (flags & O_TMPFILE_BIT)
		return open_tmpfile(start, path, flags, mode, out);
	if (flags & O_PATH) {
		uint32_t lf = ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			      ((flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0);
		if ((err = namei(start, path, lf, &d, NULL)))
			return err;
		struct file *f = file_new(NULL, flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
		if (!f) {
			dentry_put(d);
			return -ENOMEM;
		}
		static const struct file_ops path_ops;
		f->ops = &path_ops;
		f->dentry = d;
		f->inode = inode_get(d->inode);
		d->sb->users++;
		*out = f;
		return 0;
	}
	if (flags & O_CREAT)
		err = open_create(start, path, flags, mode, &d);
	else
		err = namei(start, path, ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			    ((flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0), &d, &magic);
	if (err)
		return err;
	if (magic) {            /* /proc/PID/fd/N of a file without a name */
		if (!pipe_ino(magic)) {
			*out = magic;   /* an eventfd: that file */
			return 0;
		}
		/* A pipe: a new end of it, as Linux opens the pipe's inode. */
		err = pipe_reopen(magic, flags & ~(uint32_t)(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY), out);
		file_put(magic);
		return err;
	}
	if (!(err = open_checks(d, flags)) && (flags & O_TRUNC) && inode_is_reg(d->inode))
		err = vfs_truncate(d, 0);
	if (!err)
		err = file_open_dentry(d, flags & ~(uint32_t)(O_CREAT | O_EXCL | O_TRUNC), out);
	dentry_put(d);
	return err;
}

/* ---- removing and renaming ---------------------------------------------------------- */

static bool is_mountpoint(const struct dentry *d)
{
	return d->mounted != NULL;
}

int vfs_unlink(struct dentry *start, const char *path, bool rmdir)
{
	struct dentry *parent, *d;
	const char *name;
	size_t len;
	int err = lookup_last(start, path, &parent, &d, &name, &len);

	if (err)
		return err;
	if (!d) {
		dentry_put(parent);
		if (!rmdir)
			return -EISDIR;     /* "/", "." or "..": a directory */
		return len == 1 ? -EINVAL : len == 0 ? -EBUSY : -ENOTEMPTY;
	}
	struct inode *dir = parent->inode, *i = d->inode;
	if (!i)
		err = -ENOENT;
	else if (rmdir && !inode_is_dir(i))
		err = -ENOTDIR;
	else if (!rmdir && inode_is_dir(i))
		err = -EISDIR;
	else if (!rmdir && name[len] == '/')
		err = -ENOTDIR;
	else if ((err = may_create_in(parent)) || (err = sticky_check(dir, i)))
		;
	else if (is_mountpoint(d) || (rmdir && d == current->root))
		err = -EBUSY;
	else if (!dir->iops || !(rmdir ? dir->iops->rmdir : dir->iops->unlink))
		err = -EPERM;
	else
		err = rmdir ? dir->iops->rmdir(dir, d) : dir->iops->unlink(dir, d);
	put_both(parent, d);
	return err;
}

int vfs_link(struct dentry *old_start, const char *old_path, bool follow,
	     struct dentry *new_start, const char *new_path)
{
	struct dentry *old, *parent, *d;
	const char *name;
	size_t len;
	int err = namei(old_start, old_path, follow ? LOOKUP_FOLLOW : 0, &old, NULL);

	if (err)
		return err;
	if ((err = lookup_last(new_start, new_path, &parent, &d, &name, &len))) {
		dentry_put(old);
		return err;
	}
	if (!d)
		err = -EEXIST;
	else if (d->inode)
		err = -EEXIST;
	else if (inode_is_dir(old->inode))
		err = -EPERM;
	else if (old->sb != parent->sb)
		err = -EXDEV;
	else if (!(err = may_create_in(parent))) {
		const struct inode_ops *ops = parent->inode->iops;
		err = ops && ops->link ? ops->link(old, parent->inode, d) : -EPERM;
	}
	if (d)
		dentry_put(d);
	put_both(parent, old);
	return err;
}

/* Whether a is b or one of b's ancestors (a directory into itself). */
static bool is_ancestor(const struct dentry *a, const struct dentry *b)
{
	for (; b->parent != b; b = b->parent)
		if (a == b)
			return true;
	return a == b;
}

static int rename_checks(struct dentry *op, struct dentry *od, struct dentry *np,
			 struct dentry *nd, uint32_t flags)
{
	struct inode *oi = od->inode, *ni = nd->inode;
	int err;

	if (!oi)
		return -ENOENT;
	if (op->sb != np->sb)
		return -EXDEV;
	if ((flags & RENAME_EXCHANGE) && !ni)
		return -ENOENT;
	if ((flags & RENAME_NOREPLACE) && ni)
		return -EEXIST;
	if ((err = may_create_in(op)) || (err = may_create_in(np)))
		return err;
	if ((err = sticky_check(op->inode, oi)) || (ni && (err = sticky_check(np->inode, ni))))
		return err;
	if (is_mountpoint(od) || (ni && is_mountpoint(nd)))
		return -EBUSY;
	if (inode_is_dir(oi) && is_ancestor(od, np))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && inode_is_dir(ni) && is_ancestor(nd, op))
		return -EINVAL;
	if (ni && !(flags & RENAME_EXCHANGE)) {
		if (inode_is_dir(oi) && !inode_is_dir(ni))
			return -ENOTDIR;
		if (!inode_is_dir(oi) && inode_is_dir(ni))
			return -EISDIR;
	}
	return 0;
}

int vfs_rename(struct dentry *old_start, const char *old_path, struct dentry *new_start,
	       const char *new_path, uint32_t flags)
{
	struct dentry *op, *od, *np, *nd;
	const char *oname, *nname;
	size_t olen, nlen;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;     /* whiteouts are for overlay filesystems */
	if ((err = lookup_last(old_start, old_path, &op, &od, &oname, &olen)))
		return err;
	if (!od) {
		dentry_put(op);
		return -EBUSY;
	}
	if ((err = lookup_last(new_start, new_path, &np, &nd, &nname, &nlen))) {
		put_both(op, od);
		return err;
	}
	if (!nd)
		err = -EBUSY;
	else if (od == nd || (od->inode && od->inode == nd->inode && !(flags & RENAME_EXCHANGE)))
		err = od->inode ? 0 : -ENOENT;     /* the same file: nothing to do */
	else if (!od->inode)
		err = -ENOENT;
	else if (((oname[olen] == '/') || (nname[nlen] == '/')) && !inode_is_dir(od->inode))
		err = -ENOTDIR;
	else if (!(err = rename_checks(op, od, np, nd, flags))) {
		const struct inode_ops *ops = op->inode->iops;
		err = ops && ops->rename ? ops->rename(op->inode, od, np->inode, nd, flags) : -EPERM;
	}
	put_both(op, od);
	put_both(np, nd);
	return err;
}

long vfs_readlink(struct dentry *d, char *buf, size_t size)
{
	struct inode *i = d->inode;

	if (!inode_is_symlink(i) || !i->iops || !i->iops->readlink)
		return -EINVAL;
	return i->iops->readlink(d, buf, size);
}

/* ---- attributes ---------------------------------------------------------------------- */

static int setattr(struct dentry *d, const struct iattr *a)
{
	const struct inode_ops *ops = d->inode->iops;

	if (read_only(d))
		return -EROFS;
	return ops && ops->setattr ? ops->setattr(d, a) : -EPERM;
}

static bool owner_or_root(const struct inode *i)
{
	return cred_owner_or_capable(&current->cred, i->uid);
}

int vfs_chmod(struct dentry *d, uint32_t mode)
{
	struct iattr a = { .valid = ATTR_MODE, .mode = mode & 07777 };

	if (!owner_or_root(d->inode))
		return -EPERM;
	/* Linux clears setgid for a non-member non-root owner. */
	if (!cred_capable_fs(&current->cred) && !cred_in_group(&current->cred, d->inode->gid))
		a.mode &= ~(uint32_t)S_ISGID;
	return setattr(d, &a);
}

int vfs_chown(struct dentry *d, uint32_t uid, uint32_t gid)
{
	struct inode *i = d->inode;
	struct iattr a = { .valid = 0 };
	bool root = cred_capable_fs(&current->cred);

	if (uid != UINT32_MAX) {
		if (!root && uid != i->uid)
			return -EPERM;
		a.valid |= ATTR_UID;
		a.uid = uid;
	}
	if (gid != UINT32_MAX) {
		/* The owner may give the file to a group it is in. */
		if (!root && gid != i->gid &&
		    (i->uid != proc_fsuid(current) || !cred_in_group(&current->cred, gid)))
			return -EPERM;
		a.valid |= ATTR_GID;
		a.gid = gid;
	}
	/* A chown by anyone clears set-user-ID (and setgid with group exec). */
	if (a.valid && !inode_is_dir(i) && (i->mode & (S_ISUID | S_ISGID))) {
		a.valid |= ATTR_MODE;
		a.mode = i->mode & ~(uint32_t)S_ISUID;
		if (i->mode & 010)
			a.mode &= ~(uint32_t)S_ISGID;
	}
	return setattr(d, &a);
}

int vfs_utimes(struct dentry *d, const struct linux_timespec *atime,
	       const struct linux_timespec *mtime, bool explicit)
{
	struct iattr a = { .valid = 0 };

	/* Setting times to now needs write permission or ownership; setting
	 * them to given values needs ownership. */
	if (!owner_or_root(d->inode)) {
		if (explicit || inode_permission(d->inode, MAY_WRITE))
			return explicit ? -EPERM : -EACCES;
	}
	if (atime && atime->tv_nsec != UTIME_OMIT_NS) {
		a.valid |= ATTR_ATIME;
		a.atime = *atime;
	}
	if (mtime && mtime->tv_nsec != UTIME_OMIT_NS) {
		a.valid |= ATTR_MTIME;
		a.mtime = *mtime;
	}
	return setattr(d, &a);
}

int vfs_truncate(struct dentry *d, uint64_t size)
{
	struct iattr a = { .valid = ATTR_SIZE, .size = size };

	if (inode_is_dir(d->inode))
		return -EISDIR;
	if (!inode_is_reg(d->inode))
		return -EINVAL;
	return setattr(d, &a);
}

void vfs_statfs(struct dentry *d, struct linux_statfs *st)
{
	struct super_block *sb = d->sb;

	memset(st, 0, sizeof(*st));
	st->f_type = sb->magic;
	st->f_bsize = st->f_frsize = 4096;
	st->f_namelen = FS_NAME_MAX;
	st->f_fsid[0] = (int32_t)sb->dev;
	st->f_flags = 0x20 | ((sb->flags & MS_RDONLY) ? 1 : 0);   /* ST_VALID */
	if (sb->ops->statfs)
		sb->ops->statfs(sb, st);
}

int vfs_access(struct dentry *d, int mask)
{
	if ((mask & MAY_WRITE) && read_only(d) && !S_IFMT_IS(d->inode->mode, S_IFCHR))
		return -EROFS;
	return mask ? inode_permission(d->inode, mask) : 0;
}
