/*
 * Filesystem types and the mount table. Each mount is its own super block,
 * mounted on one dentry (fs/vfs.h explains the shape); mount(2) and
 * umount2(2) change the table.
 */
#include "fs/mount.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"
#include <string.h>

#define MAX_FS_TYPES 8

struct super_block *mount_list;
struct dentry *fs_root;
static const struct fs_type *fs_types[MAX_FS_TYPES];
static uint32_t next_anon_dev = 1;

void fs_register(const struct fs_type *type)
{
	for (int k = 0; k < MAX_FS_TYPES; k++)
		if (!fs_types[k]) {
			fs_types[k] = type;
			return;
		}
}

const struct fs_type *fs_type_find(const char *name)
{
	for (int k = 0; k < MAX_FS_TYPES && fs_types[k]; k++)
		if (strcmp(fs_types[k]->name, name) == 0)
			return fs_types[k];
	return NULL;
}

void fs_for_each_type(void (*fn)(const struct fs_type *t, void *arg), void *arg)
{
	for (int k = 0; k < MAX_FS_TYPES && fs_types[k]; k++)
		fn(fs_types[k], arg);
}

static int next_mnt_id = 1;   /* under the kernel lock, as the mount list */

struct super_block *sb_new(const struct fs_type *type, const struct super_ops *ops,
			   const struct inode_ops *dir_iops, const struct file_ops *dir_fops,
			   uint32_t magic, uint32_t mode)
{
	struct super_block *sb = kalloc(sizeof(*sb));

	if (!sb)
		return NULL;
	sb->type = type;
	sb->ops = ops;
	sb->magic = magic;
	struct inode *i = inode_new(sb, S_IFDIR | (mode & 07777));
	struct dentry *root = i ? dentry_new(NULL, "/", 1) : NULL;
	if (!root) {
		if (i)
			kfree(i);
		kfree(sb);
		return NULL;
	}
	i->iops = dir_iops;
	i->fops = dir_fops;
	i->nlink = 2;
	i->uid = i->gid = 0;
	root->sb = sb;
	dentry_attach(root, i);
	sb->root = root;
	sb->dev = MKDEV(0, next_anon_dev++);
	sb->mnt_id = next_mnt_id++;
	return sb;
}

/* Every dentry of sb still in its tree, children first (umount). */
static void drop_tree(struct dentry *d)
{
	while (d->first_child) {
		struct dentry *c = d->first_child;
		drop_tree(c);
		dentry_remove(c);
	}
}

/* Links sb into the tree on target (a directory) and the mount list. */
static void attach_mount(struct super_block *sb, struct dentry *target)
{
	target = dentry_follow_mounts(target);
	sb->covered = dentry_get(target);
	target->mounted = sb;
	struct super_block **pp = &mount_list;
	while (*pp)
		pp = &(*pp)->next_mount;
	*pp = sb;
}

int vfs_mount_root(const struct fs_type *type, const char *options)
{
	struct super_block *sb;
	int err = type->mount(options, &sb);

	if (err)
		return err;
	strcpy(sb->source, "tmpfs");   /* Linux says "rootfs", which df hides */
	fs_root = sb->root;
	mount_list = sb;
	return 0;
}

int vfs_mount(const char *source, struct dentry *target, const char *type_name,
	      uint32_t flags, const char *options)
{
	const struct fs_type *type = fs_type_find(type_name);
	struct super_block *sb;

	if (!type)
		return -ENODEV;
	if (!inode_is_dir(target->inode))
		return -ENOTDIR;
	int err = type->mount(options, &sb);
	if (err)
		return err;
	sb->flags = flags;
	size_t n = strlen(source);
	if (n >= sizeof(sb->source))
		n = sizeof(sb->source) - 1;
	memcpy(sb->source, source, n);
	attach_mount(sb, target);
	return 0;
}

/* Whether any mount sits inside sb (umount's EBUSY). */
static bool has_submounts(const struct super_block *sb)
{
	for (const struct super_block *m = mount_list; m; m = m->next_mount)
		if (m->covered && m->covered->sb == sb)
			return true;
	return false;
}

int vfs_umount(struct dentry *root, bool force)
{
	struct super_block *sb = root->sb;

	(void)force;   /* MNT_FORCE: nothing to abort on a memory filesystem */
	if (root != sb->root || !sb->covered)
		return -EINVAL;      /* not a mount point, or "/" itself */
	if (sb->users > 0 || has_submounts(sb))
		return -EBUSY;       /* open files or a cwd inside, or mounts on it */
	struct super_block **pp = &mount_list;
	while (*pp != sb)
		pp = &(*pp)->next_mount;
	*pp = sb->next_mount;
	sb->covered->mounted = NULL;
	dentry_put(sb->covered);
	drop_tree(sb->root);
	/* The root's inode goes now, while sb is there to evict it: the
	 * caller still holds the root dentry (umount2 drops it after). */
	struct inode *ri = sb->root->inode;
	sb->root->inode = NULL;
	inode_put(ri);
	if (sb->ops->kill)
		sb->ops->kill(sb);
	dentry_put(sb->root);
	kfree(sb);
	return 0;
}
