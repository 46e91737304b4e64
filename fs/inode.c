/* Inodes and dentries: their references, and the dentry tree (fs/vfs.h). */
#include "fs/vfs.h"
#include "kernel/proc.h"
#include "mm/kalloc.h"
#include "lib/printk.h"
#include "lib/uapi/errno.h"
#include <string.h>

struct linux_timespec fs_now(void)
{
	uint64_t ns = uptime_ns();

	return (struct linux_timespec){ (int64_t)(ns / 1000000000u), (int64_t)(ns % 1000000000u) };
}

struct inode *inode_new(struct super_block *sb, uint32_t mode)
{
	struct inode *i = kalloc(sizeof(*i));

	if (!i)
		return NULL;
	i->refs = 1;
	i->mode = mode;
	i->sb = sb;
	i->ino = ++sb->next_ino;
	i->atime = i->mtime = i->ctime = fs_now();
	if (current) {
		i->uid = proc_fsuid(current);
		i->gid = proc_fsgid(current);
	}
	return i;
}

struct inode *inode_get(struct inode *i)
{
	i->refs++;
	return i;
}

void inode_put(struct inode *i)
{
	/* Every name of an inode is a dentry holding a reference: at none,
	 * nothing names it and nothing has it open. */
	if (!i || --i->refs)
		return;
	if (i->sb->ops->evict)
		i->sb->ops->evict(i);
	kfree(i);
}

void inode_touch(struct inode *i)
{
	i->mtime = i->ctime = fs_now();
}

void inode_stat(const struct inode *i, struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = ((MAJOR(i->sb->dev) & 0xfff) << 8) | (MINOR(i->sb->dev) & 0xff) |
		     ((uint64_t)(MINOR(i->sb->dev) & ~0xffu) << 12);
	st->st_ino = i->ino;
	st->st_mode = i->mode;
	st->st_nlink = i->nlink;
	st->st_uid = i->uid;
	st->st_gid = i->gid;
	/* Linux's new_encode_dev for the 32-bit dev_t userspace sees. */
	st->st_rdev = ((MAJOR(i->rdev) & 0xfff) << 8) | (MINOR(i->rdev) & 0xff) |
		      ((uint64_t)(MINOR(i->rdev) & ~0xffu) << 12);
	st->st_size = (int64_t)i->size;
	st->st_blksize = 4096;
	st->st_blocks = (int64_t)i->blocks;
	st->st_atime = i->atime.tv_sec;
	st->st_atime_nsec = (uint64_t)i->atime.tv_nsec;
	st->st_mtime = i->mtime.tv_sec;
	st->st_mtime_nsec = (uint64_t)i->mtime.tv_nsec;
	st->st_ctime = i->ctime.tv_sec;
	st->st_ctime_nsec = (uint64_t)i->ctime.tv_nsec;
}

/* ---- dentries ---------------------------------------------------------------- */

/* FNV-1a: cheap, and good enough to skip most names on a lookup. */
static uint32_t name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t k = 0; k < len; k++)
		h = (h ^ (uint8_t)name[k]) * 16777619u;
	return h;
}

struct dentry *dentry_new(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = kalloc(sizeof(*d) + len + 1);

	if (!d)
		return NULL;
	d->refs = 1;
	d->parent = parent ? dentry_get(parent) : d;
	d->sb = parent ? parent->sb : NULL;
	d->len = d->cap = (uint16_t)len;
	d->name = d->iname;
	memcpy(d->name, name, len);
	d->hash = name_hash(name, len);
	return d;
}

struct dentry *dentry_get(struct dentry *d)
{
	d->refs++;
	return d;
}

void dentry_put(struct dentry *d)
{
	while (d && --d->refs == 0) {
		struct dentry *parent = d->parent == d ? NULL : d->parent;
		if (d->inode)
			inode_put(d->inode);
		if (d->name != d->iname)
			kfree(d->name);
		kfree(d);
		d = parent;     /* a child held its parent: iterate, not recurse */
	}
}

void dentry_attach(struct dentry *d, struct inode *i)
{
	d->inode = i;
}

/* Appends d to its parent's children (no reference taken). */
static void link_sibling(struct dentry *d)
{
	struct dentry *p = d->parent;

	d->order = p->last_child ? p->last_child->order + 1 : 2;  /* 0, 1: "." and ".." */
	d->prev = p->last_child;
	d->next = NULL;
	if (p->last_child)
		p->last_child->next = d;
	else
		p->first_child = d;
	p->last_child = d;
	d->in_tree = true;
}

void dentry_add(struct dentry *d)
{
	link_sibling(d);
	dentry_get(d);
}

static void unlink_sibling(struct dentry *d)
{
	struct dentry *p = d->parent;

	if (d->prev)
		d->prev->next = d->next;
	else
		p->first_child = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		p->last_child = d->prev;
	d->prev = d->next = NULL;
	d->in_tree = false;
}

void dentry_remove(struct dentry *d)
{
	if (!d->in_tree)
		return;
	unlink_sibling(d);
	dentry_put(d);
}

struct dentry *dentry_find_child(struct dentry *dir, const char *name, size_t len)
{
	uint32_t h = name_hash(name, len);

	for (struct dentry *c = dir->first_child; c; c = c->next)
		if (c->hash == h && c->len == len && memcmp(c->name, name, len) == 0)
			return dentry_get(c);
	return NULL;
}

int dentry_move(struct dentry *d, struct dentry *new_parent, const char *name, size_t len)
{
	char *room = d->name;

	if (len > d->cap && !(room = kalloc(len + 1)))
		return -ENOMEM;
	unlink_sibling(d);              /* the tree's reference stays */
	if (new_parent != d->parent) {
		struct dentry *old = d->parent;
		d->parent = dentry_get(new_parent);
		dentry_put(old);
	}
	if (room != d->name) {
		if (d->name != d->iname)
			kfree(d->name);
		d->name = room;
		d->cap = (uint16_t)len;
	}
	d->len = (uint16_t)len;
	memcpy(d->name, name, len);
	d->name[len] = 0;
	d->hash = name_hash(name, len);
	link_sibling(d);
	return 0;
}

struct dentry *dentry_follow_mounts(struct dentry *d)
{
	while (d->mounted)
		d = d->mounted->root;
	return d;
}

/* The covered dentry of a root (for ".." and paths), or d. */
static struct dentry *up_from_root(struct dentry *d)
{
	while (d->parent == d && d->sb && d->sb->covered)
		d = d->sb->covered;
	return d;
}

long dentry_path(struct dentry *d, char *buf, size_t size)
{
	struct dentry *root = current && current->root ? current->root : fs_root;
	const char deleted[] = " (deleted)";
	bool gone = !d->in_tree && d->parent != d;
	size_t at = size;

	if (size < 2)
		return -ENAMETOOLONG;
	buf[--at] = 0;
	if (gone) {
		if (at < sizeof(deleted) - 1)
			return -ENAMETOOLONG;
		at -= sizeof(deleted) - 1;
		memcpy(buf + at, deleted, sizeof(deleted) - 1);
	}
	for (d = up_from_root(d); d != root && d->parent != d; d = up_from_root(d->parent)) {
		if (at < (size_t)d->len + 1)
			return -ENAMETOOLONG;
		at -= d->len;
		memcpy(buf + at, d->name, d->len);
		buf[--at] = '/';
	}
	if (at == size - 1 - (gone ? sizeof(deleted) - 1 : 0))
		buf[--at] = '/';
	size_t len = size - 1 - at;
	memmove(buf, buf + at, len + 1);
	return (long)len;
}
