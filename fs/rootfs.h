/* The root file system at boot (fs/rootfs.c). */
#ifndef BRAMBLE_ROOTFS_H
#define BRAMBLE_ROOTFS_H
#include "lib/types.h"

/* Mounts tmpfs on "/", unpacks the cpio archive into it, adds the standard
 * directories and mounts /dev, /dev/shm and /proc. 0 with *files (entries
 * unpacked), -EINVAL for a corrupt archive, -ENAMETOOLONG for a symlink
 * target of PATH_MAX bytes or more or -ENOSPC past the root tmpfs's inode or
 * size limit (*files: that entry). Panics when memory cannot hold the boot
 * files. */
int rootfs_init(const void *cpio, size_t size, int *files);
/* Unpacks the cpio archive under root (a tmpfs directory): 0 with *files
 * (entries unpacked, the root included), -EINVAL for a corrupt archive, or
 * -ENOMEM / -ENOSPC / -ENAMETOOLONG with *files the entry that failed (what
 * was made before it stays). */
struct dentry;
int rootfs_unpack(const void *cpio, size_t size, struct dentry *root, int *files);
#endif
