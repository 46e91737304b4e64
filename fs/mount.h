/* Mounting and unmounting (fs/mount.c); the types and table are in fs/vfs.h. */
#ifndef BRAMBLE_MOUNT_H
#define BRAMBLE_MOUNT_H
#include "fs/vfs.h"

/* MS_* flags (linux/mount.h) kept and shown; the rest are accepted. */
#define MS_RDONLY   1
#define MS_NOSUID   2
#define MS_NODEV    4
#define MS_NOEXEC   8
#define MS_REMOUNT  32
#define MS_BIND     4096
#define MS_MOVE     8192
#define MNT_FORCE   1
#define MNT_DETACH  2
#define MNT_EXPIRE  4
#define UMOUNT_NOFOLLOW 8

/* Mounts type on "/" at boot: 0 or -errno. */
int vfs_mount_root(const struct fs_type *type, const char *options);
/* mount(2) of a new instance of type_name on target (a held directory). */
int vfs_mount(const char *source, struct dentry *target, const char *type_name,
	      uint32_t flags, const char *options);
/* umount2(2) of the filesystem whose root is root (held by the caller). */
int vfs_umount(struct dentry *root, bool force);
#endif
