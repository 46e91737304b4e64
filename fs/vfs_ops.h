/*
 * The file system calls' work, on paths and open files, for syscall/ to
 * call with decoded arguments: every check Linux makes (existence, kinds,
 * permissions, the sticky bit, mount points, loops in renames) is here,
 * and the filesystems' inode_ops do the change.
 */
#ifndef BRAMBLE_VFS_OPS_H
#define BRAMBLE_VFS_OPS_H
#include "fs/vfs.h"
#include "fs/file.h"

/* utimensat's special nanoseconds (the kernel's linux/stat.h, not uapi). */
#define UTIME_NOW  ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

/* openat(2) from start: 0 with *out, or -errno. mode is before the umask. */
int vfs_open(struct dentry *start, const char *path, uint32_t flags, uint32_t mode,
	     struct file **out);
int vfs_mknod(struct dentry *start, const char *path, uint32_t mode, uint32_t dev);
int vfs_mkdir(struct dentry *start, const char *path, uint32_t mode);
int vfs_symlink(const char *target, struct dentry *start, const char *path);
/* unlinkat(2): rmdir for AT_REMOVEDIR. */
int vfs_unlink(struct dentry *start, const char *path, bool rmdir);
int vfs_link(struct dentry *old_start, const char *old_path, bool follow,
	     struct dentry *new_start, const char *new_path);
int vfs_rename(struct dentry *old_start, const char *old_path, struct dentry *new_start,
	       const char *new_path, uint32_t flags);
/* readlinkat: bytes into buf (no NUL), or -errno. */
long vfs_readlink(struct dentry *d, char *buf, size_t size);
/* chmod, chown (uid/gid -1: unchanged), utimes, truncate on d. */
int vfs_chmod(struct dentry *d, uint32_t mode);
int vfs_chown(struct dentry *d, uint32_t uid, uint32_t gid);
/* UTIME_OMIT leaves a time; explicit: a time was given (not "now"),
 * which only the owner may set. */
int vfs_utimes(struct dentry *d, const struct linux_timespec *atime,
	       const struct linux_timespec *mtime, bool explicit);
int vfs_truncate(struct dentry *d, uint64_t size);
void vfs_statfs(struct dentry *d, struct linux_statfs *st);
/* access(2) for the real ids (mask MAY_*, 0 = existence). */
int vfs_access(struct dentry *d, int mask);
#endif
