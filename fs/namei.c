/*
 * Path resolution, in one place: ".", "..", symlinks (40 in one walk, as
 * Linux's MAXSYMLINKS), mount points both ways, trailing slashes, and the
 * search permission of every directory passed through.
 *
 * The walk keeps the unresolved rest of the path in one buffer; following
 * a symlink puts its target in front of the rest, so nesting costs no
 * stack (a kernel stack is 16 KiB).
 */
#include "fs/vfs.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/cred.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"
#include <string.h>

struct walk {
	char *buf;              /* FS_PATH_MAX bytes: the rest of the path at buf + at */
	size_t at;
	struct dentry *cur;     /* held */
	int links;
};

static struct dentry *caller_root(void)
{
	return current && current->root ? current->root : fs_root;
}

int inode_permission(const struct inode *i, int mask)
{
	if (!current)
		return 0;       /* the kernel at boot */
	return cred_permission(&current->cred, i->mode, i->uid, i->gid, mask);
}

struct dentry *lookup_child(struct dentry *dir, const char *name, size_t len, int *err)
{
	struct dentry *d = dentry_find_child(dir, name, len);

	*err = 0;
	if (d)
		return d;
	if (!(d = dentry_new(dir, name, len))) {
		*err = -ENOMEM;
		return NULL;
	}
	if (dir->inode->iops && dir->inode->iops->lookup) {
		int r = dir->inode->iops->lookup(dir->inode, d);
		if (r && r != -ENOENT) {
			dentry_put(d);
			*err = r;
			return NULL;
		}
	}
	return d;
}

/* ".." from d, within the caller's root, across mounts. */
static struct dentry *parent_of(struct dentry *d)
{
	struct dentry *root = caller_root();

	for (;;) {
		if (d == root)
			return d;
		if (d->parent != d)
			return dentry_follow_mounts(d->parent);
		if (!d->sb || !d->sb->covered)
			return d;
		d = d->sb->covered;
	}
}

static void walk_move(struct walk *w, struct dentry *to)
{
	struct dentry *old = w->cur;

	w->cur = dentry_get(to);
	dentry_put(old);
}

/* Replaces the walk's rest with target + "/" + rest (the link's target in
 * front): 0 or -errno. The rest starts at rest_at. */
static int splice_link(struct walk *w, struct dentry *link, size_t rest_at)
{
	size_t rest_len = strlen(w->buf + rest_at);
	char *rest_copy;

	if (rest_len + 2 >= FS_PATH_MAX)
		return -ENAMETOOLONG;
	/* The rest goes to the buffer's end, the target in front of it. */
	rest_copy = w->buf + FS_PATH_MAX - rest_len - 1;
	memmove(rest_copy, w->buf + rest_at, rest_len + 1);
	size_t room = FS_PATH_MAX - rest_len - 2;
	if (!link->inode->iops || !link->inode->iops->readlink)
		return -EINVAL;
	long n = link->inode->iops->readlink(link, w->buf, room);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	if ((size_t)n >= room)
		return -ENAMETOOLONG;
	/* A target's own trailing slash must still count ("f/" names a
	 * directory): no slash of ours after the target when nothing follows. */
	if (rest_len)
		w->buf[n++] = '/';
	memmove(w->buf + n, rest_copy, rest_len + 1);
	w->at = 0;
	if (w->buf[0] == '/')
		walk_move(w, caller_root());
	return 0;
}

/* Follows the symlink `link` met in the walk (rest of the path at
 * rest_at): 0, or 1 when a magic link gave a file (*file), or -errno. */
static int follow_link(struct walk *w, struct dentry *link, size_t rest_at, bool last,
		       struct file **file)
{
	if (++w->links > FS_MAXSYMLINKS)
		return -ELOOP;
	if (link->inode->iops && link->inode->iops->magic_link) {
		struct file *f = NULL;
		struct dentry *to = link->inode->iops->magic_link(link, &f);
		if (to) {
			walk_move(w, dentry_follow_mounts(to));
			dentry_put(to);
			w->at = rest_at;
			return 0;
		}
		if (!f)
			return -ENOENT;
		if (!last || !file) {
			file_put(f);
			return last ? -ENXIO : -ENOTDIR;
		}
		*file = f;
		return 1;
	}
	return splice_link(w, link, rest_at);
}

/* The walk over w->buf from w->cur: see namei(). */
static int walk_path(struct walk *w, uint32_t flags, struct file **file)
{
	for (;;) {
		char *p = w->buf + w->at;
		while (*p == '/')
			p++;
		if (!*p)
			return 0;
		size_t len = 0;
		while (p[len] && p[len] != '/')
			len++;
		if (len > FS_NAME_MAX)
			return -ENAMETOOLONG;
		size_t rest_at = (size_t)(p - w->buf) + len;
		const char *q = p + len;
		while (*q == '/')
			q++;
		bool last = !*q, trailing = last && p[len] == '/';

		if (!inode_is_dir(w->cur->inode))
			return -ENOTDIR;
		int err = inode_permission(w->cur->inode, MAY_EXEC);
		if (err)
			return err;
		w->at = rest_at;
		if (len == 1 && p[0] == '.')
			continue;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			walk_move(w, parent_of(w->cur));
			continue;
		}
		struct dentry *child = lookup_child(w->cur, p, len, &err);
		if (!child)
			return err;
		if (!child->inode) {
			dentry_put(child);
			return -ENOENT;
		}
		struct dentry *next = dentry_follow_mounts(child);
		if (inode_is_symlink(next->inode) && (!last || (flags & LOOKUP_FOLLOW) || trailing)) {
			err = follow_link(w, next, rest_at, last, file);
			dentry_put(child);
			if (err)
				return err;     /* 1: a magic link's file */
			continue;
		}
		if (trailing && !inode_is_dir(next->inode)) {
			dentry_put(child);
			return -ENOTDIR;     /* "file/", also as a link's target */
		}
		walk_move(w, next);
		dentry_put(child);
	}
}

/* Walks path[0..len) from start. */
static int namei_len(struct dentry *start, const char *path, size_t len, uint32_t flags,
		     struct dentry **out, struct file **file)
{
	struct walk w = { 0 };
	bool trailing = len && path[len - 1] == '/';

	*out = NULL;
	if (file)
		*file = NULL;
	if (!len && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	if (len >= FS_PATH_MAX)
		return -ENAMETOOLONG;
	if (!(w.buf = kalloc(FS_PATH_MAX)))
		return -ENOMEM;
	memcpy(w.buf, path, len);
	w.cur = dentry_get(len && path[0] == '/' ? caller_root() : start);
	int err = walk_path(&w, flags, file);
	if (err == 0 && (trailing || (flags & LOOKUP_DIRECTORY)) && !inode_is_dir(w.cur->inode))
		err = -ENOTDIR;
	kfree(w.buf);
	if (err) {
		dentry_put(w.cur);
		return err > 0 ? 0 : err;
	}
	*out = w.cur;
	return 0;
}

int namei(struct dentry *start, const char *path, uint32_t flags, struct dentry **out,
	  struct file **file)
{
	return namei_len(start, path, strlen(path), flags, out, file);
}

int namei_parent(struct dentry *start, const char *path, struct dentry **parent,
		 const char **name, size_t *len)
{
	size_t end = strlen(path), slash;

	*parent = NULL;
	if (!end)
		return -ENOENT;
	while (end > 1 && path[end - 1] == '/')
		end--;
	for (slash = end; slash > 0 && path[slash - 1] != '/'; slash--)
		;
	*name = path + slash;
	*len = end - slash;
	if (*len > FS_NAME_MAX)
		return -ENAMETOOLONG;
	if (slash == 0)
		return namei_len(start, ".", 1, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, parent, NULL);
	int err = namei_len(start, path, slash, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, parent, NULL);
	if (err)
		return err;
	if (*len == 1 && path[0] == '/' && slash == 1 && end == 1)
		*len = 0;       /* the path is "/" itself */
	return 0;
}
