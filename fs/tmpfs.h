/*
 * tmpfs: files in memory, Bramble's root filesystem and /dev, /dev/shm.
 * Names live in the dentry tree; file contents in a page store
 * (mm/page_store.h) charged to the commit limit and capped by the mount's
 * size= (default: half of RAM, as Linux). A write that cannot get a page
 * is ENOSPC, or a short count; nothing written before is lost.
 */
#ifndef BRAMBLE_TMPFS_H
#define BRAMBLE_TMPFS_H
#include "fs/vfs.h"
#include "mm/vm_object.h"

#define TMPFS_MAGIC 0x01021994

extern const struct fs_type tmpfs_fs_type;
extern const struct fs_type devtmpfs_fs_type;

/* Pages of file data held by every tmpfs mount (meminfo's Shmem, Cached). */
uint64_t tmpfs_pages_used(void);
/* A new unnamed regular file (memfd_create, O_TMPFILE) on sb's mount, held. */
struct inode *tmpfs_new_file(struct super_block *sb, uint32_t mode);
/* Kernel-side reads and writes of a tmpfs regular file (exec, unpacking
 * the initramfs): bytes done or -errno. */
long tmpfs_kernel_read(struct inode *i, void *buf, uint64_t n, uint64_t pos);
long tmpfs_kernel_write(struct inode *i, const void *buf, uint64_t n, uint64_t pos);
/* Makes the n pages from pa, whole pages of file data the caller allocated
 * (the boot's initramfs pages), the file's pages idx.., charged as pages a
 * write fills would be; the file grows to cover them. 0, or -errno
 * (-ENOSPC over size= or the commit limit) with the first *done pages the
 * file's and the others still the caller's. */
int tmpfs_adopt_pages(struct inode *i, uint64_t idx, phys_addr_t pa, uint64_t n, uint64_t *done);
/* memfd_create(2): a new unnamed file, open read-write: 0 or -errno. */
struct file;
int memfd_open(struct file **out);
/* Makes memfd's own tmpfs instance (boot). */
void memfd_init(void);
/* Whether i is a tmpfs regular file (mappable, readable by exec). */
bool tmpfs_is_file(const struct inode *i);
/* The mapping object of a tmpfs regular file, named by name (a dentry,
 * held by each mapping) in /proc/PID/maps. */
struct vm_object tmpfs_vm_object(struct inode *i, struct dentry *name);
#endif
