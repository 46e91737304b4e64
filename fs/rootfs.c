/*
 * The root at boot, as Linux's rootfs: a tmpfs on "/" filled from the
 * initramfs cpio, then the directories and files programs expect, and the
 * mounts of /dev (devtmpfs with the character devices), /dev/shm (tmpfs),
 * /proc (procfs).
 */
#include "fs/rootfs.h"
#include "fs/initramfs.h"
#include "fs/tmpfs.h"
#include "fs/mount.h"
#include "fs/special.h"
#include "fs/proc/proc_fs.h"
#include "kernel/panic.h"
#include "mm/kalloc.h"
#include "mm/boot_mem.h"
#include "mm/mmu.h"
#include "lib/printk.h"
#include "lib/uapi/errno.h"
#include <string.h>

/* The initramfs's whole pages of file data become the file's pages where
 * the archive has them page-aligned and they are the boot's held initrd
 * pages (scripts/mkinitramfs aligns them): no copy. Anything else is
 * copied: the part past the last whole page, and every byte of an archive
 * with its data unaligned (as cpio makes them) or not the boot's. */
static long adopt_pages(struct inode *i, const uint8_t *data, uint64_t size)
{
	phys_addr_t pa = virt_to_phys(data);
	uint64_t got, done;

	if (pa % PAGE_SIZE || !(got = boot_mem_claim_initrd_pages(pa, size / PAGE_SIZE)))
		return 0;
	int err = tmpfs_adopt_pages(i, 0, pa, got, &done);
	if (err) {
		boot_mem_unclaim_initrd_pages(pa + done * PAGE_SIZE, got - done);
		return err;
	}
	return (long)(got * PAGE_SIZE);
}

static int write_file_data(struct inode *i, const uint8_t *data, uint64_t size)
{
	long kept = adopt_pages(i, data, size);

	if (kept < 0)
		return (int)kept;
	uint64_t rest = size - (uint64_t)kept;
	long w = rest ? tmpfs_kernel_write(i, data + kept, rest, (uint64_t)kept) : 0;
	if (w != (long)rest)
		return w < 0 ? (int)w : -ENOSPC;
	return 0;
}

/* made[k]: node k's dentry; old[k]: whether it was there before the
 * unpacking (the root, or a directory the root already had). The archive's
 * names are unique in their directory, so only under an old directory can
 * a name already exist: there alone is it looked up. */
struct unpacking {
	struct dentry **made;
	bool *old;
	char *scratch;
};

/* The cpio node's name as a dentry under made[]: creates what it is. */
static int unpack_node(const struct cpio_tree *t, int k, struct unpacking *u)
{
	const struct cpio_node *n = &t->nodes[k];
	struct dentry **made = u->made, *parent = made[n->parent];
	struct inode *dir = parent->inode;
	struct dentry *d = u->old[n->parent] ? dentry_find_child(parent, n->name, n->name_len) : NULL;
	char *scratch = u->scratch;
	int err = 0;

	u->old[k] = d != NULL;
	if (d) {             /* a directory the root already has */
		made[k] = d;
		dentry_put(d);
		return 0;
	}
	if (!(d = dentry_new(parent, n->name, n->name_len)))
		return -ENOMEM;
	/* A hard link: the same inode as an earlier node with its ino. */
	for (int j = 1; n->nlink > 1 && cpio_is_reg(n) && j < k; j++) {
		const struct cpio_node *o = &t->nodes[j];
		if (o->ino == n->ino && o->dev_major == n->dev_major && o->dev_minor == n->dev_minor &&
		    made[j] && made[j]->inode && cpio_is_reg(o)) {
			err = dir->iops->link(made[j], dir, d);
			goto done;
		}
	}
	switch (n->mode & S_IFMT) {
	case S_IFDIR:
		err = dir->iops->mkdir(dir, d, n->mode);
		break;
	case S_IFLNK:
		if (n->size >= FS_PATH_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		if (n->size)    /* an empty target has no data (NULL) */
			memcpy(scratch, n->data, n->size);
		scratch[n->size] = 0;
		err = dir->iops->symlink(dir, d, scratch);
		break;
	case S_IFREG:
		err = dir->iops->create(dir, d, n->mode, 0);
		if (!err && n->size)
			err = write_file_data(d->inode, n->data, n->size);
		break;
	default:
		err = dir->iops->create(dir, d, n->mode,
					MKDEV(n->rdev_major, n->rdev_minor));
		break;
	}
done:
	if (!err) {
		struct inode *i = d->inode;
		i->mode = (i->mode & S_IFMT) | (n->mode & 07777);
		i->uid = n->uid;
		i->gid = n->gid;
		i->mtime = i->ctime = i->atime = (struct linux_timespec){ n->mtime, 0 };
		made[k] = d;
	}
	dentry_put(d);
	return err;
}

/* mkdir -p of one level under fs_root: the dentry (the tree holds it). */
static struct dentry *ensure_dir(struct dentry *parent, const char *name, uint32_t mode)
{
	struct dentry *d = dentry_find_child(parent, name, strlen(name));

	if (d) {
		dentry_put(d);
		return d;
	}
	if (!(d = dentry_new(parent, name, strlen(name))) ||
	    parent->inode->iops->mkdir(parent->inode, d, mode))
		panic("rootfs: cannot make /%s", name);
	dentry_put(d);
	return d;
}

static void ensure_file(struct dentry *parent, const char *name, const char *text)
{
	struct dentry *d = dentry_find_child(parent, name, strlen(name));

	if (d) {
		dentry_put(d);
		return;
	}
	if (!(d = dentry_new(parent, name, strlen(name))) ||
	    parent->inode->iops->create(parent->inode, d, S_IFREG | 0644, 0) ||
	    tmpfs_kernel_write(d->inode, text, strlen(text), 0) != (long)strlen(text))
		panic("rootfs: cannot make %s", name);
	dentry_put(d);
}

static void ensure_link(struct dentry *parent, const char *name, const char *target)
{
	struct dentry *d = dentry_find_child(parent, name, strlen(name));

	if (d) {
		dentry_put(d);
		return;
	}
	if (!(d = dentry_new(parent, name, strlen(name))) ||
	    parent->inode->iops->symlink(parent->inode, d, target))
		panic("rootfs: cannot make link %s", name);
	dentry_put(d);
}

static void make_device(const struct chrdev *c, void *arg)
{
	struct dentry *dev = arg, *d = dentry_new(dev, c->name, strlen(c->name));

	if (!d || dev->inode->iops->create(dev->inode, d, S_IFCHR | c->mode, c->dev))
		panic("devtmpfs: cannot make /dev/%s", c->name);
	dentry_put(d);
}

/* What Linux programs expect to find in a root. */
static void populate(void)
{
	struct dentry *r = fs_root;

	ensure_dir(r, "bin", 0755);
	ensure_dir(r, "dev", 0755);
	ensure_dir(r, "proc", 0555);
	ensure_dir(r, "sys", 0555);
	ensure_dir(r, "mnt", 0755);
	ensure_dir(r, "root", 0700);
	ensure_dir(ensure_dir(r, "usr", 0755), "bin", 0755);
	struct dentry *tmp = ensure_dir(r, "tmp", 01777);
	tmp->inode->mode = S_IFDIR | 01777;
	struct dentry *etc = ensure_dir(r, "etc", 0755);
	ensure_file(etc, "passwd", "root:x:0:0:root:/root:/bin/sh\n");
	ensure_file(etc, "group", "root:x:0:\n");
	ensure_file(etc, "hostname", "bramble\n");
	ensure_file(etc, "profile", "export PATH=/bin:/usr/bin\nexport HOME=/root\nPS1='# '\n");
}

/* devtmpfs on /dev with the devices and the links Linux's udev makes. */
static void mount_dev(void)
{
	struct dentry *dev;

	if (namei(fs_root, "/dev", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dev, NULL) ||
	    vfs_mount("devtmpfs", dev, "devtmpfs", 0, NULL))
		panic("cannot mount devtmpfs on /dev");
	struct dentry *root = dentry_follow_mounts(dev);
	dentry_put(dev);       /* the tree holds both */
	chrdev_for_each(make_device, root);
	ensure_link(root, "fd", "/proc/self/fd");
	ensure_link(root, "stdin", "/proc/self/fd/0");
	ensure_link(root, "stdout", "/proc/self/fd/1");
	ensure_link(root, "stderr", "/proc/self/fd/2");
	struct dentry *shm = ensure_dir(root, "shm", 01777);
	shm->inode->mode = S_IFDIR | 01777;
	if (vfs_mount("tmpfs", shm, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"))
		panic("cannot mount tmpfs on /dev/shm");
}

static void mount_proc(void)
{
	struct dentry *proc;


	if (namei(fs_root, "/proc", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &proc, NULL) ||
	    vfs_mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		panic("cannot mount proc on /proc");
	dentry_put(proc);
}

static bool rootfs_essential;

static void *boot_alloc(size_t size)
{
	return kmalloc_or_panic(size, 16);
}

/* At boot these are must-succeed: a kernel heap too small for them is
 * the heap's OOM dump, not an unpacking error. rootfs_unpack without the
 * boot (the host tests) may fail. */
static void *unpack_alloc(size_t n)
{
	return rootfs_essential ? boot_alloc(n) : kalloc_boot(n);
}

/* rootfs_unpack of an archive cpio_count counted n nodes in. */
static int unpack_counted(const void *cpio, size_t size, int n, struct dentry *root, int *files)
{
	struct cpio_tree t;
	void *(*alloc)(size_t) = unpack_alloc;
	struct cpio_node *nodes = alloc((size_t)n * sizeof(*nodes));
	struct unpacking u = { alloc((size_t)n * sizeof(*u.made)), alloc((size_t)n * sizeof(*u.old)),
			       alloc(FS_PATH_MAX) };
	int err = nodes && u.made && u.old && u.scratch ? cpio_parse(cpio, size, &t, nodes, n) : -ENOMEM;
	if (!err) {
		u.made[0] = root;
		u.old[0] = true;
		for (int k = 1; k < t.count && !err; k++)
			if ((err = unpack_node(&t, k, &u)))
				*files = k;     /* the entry that failed */
		if (!err)
			*files = t.count;
	}
	kfree(u.scratch);
	kfree(u.old);
	kfree(u.made);
	kfree(nodes);
	return err;
}

int rootfs_unpack(const void *cpio, size_t size, struct dentry *root, int *files)
{
	int n = cpio_count(cpio, size);

	*files = 0;
	return n < 0 ? n : unpack_counted(cpio, size, n, root, files);
}

int rootfs_init(const void *cpio, size_t size, int *files)
{
	int n = cpio_count(cpio, size);

	*files = 0;
	if (n < 0)
		return n;
	fs_register(&tmpfs_fs_type);
	fs_register(&devtmpfs_fs_type);
	fs_register(&proc_fs_type);
	/* size=100%: the boot files must fit whatever the RAM (Linux keeps its
	 * rootfs to half, and fails to unpack a larger initramfs). */
	if (vfs_mount_root(&tmpfs_fs_type, "mode=755,size=100%"))
		panic("cannot mount the root tmpfs");
	/* Boot cannot go on without its files. */
	rootfs_essential = true;
	int err = unpack_counted(cpio, size, n, fs_root, files);
	rootfs_essential = false;
	if (err == -EINVAL || err == -ENAMETOOLONG || err == -ENOSPC)
		return err;          /* bad input or a limit of tmpfs, not a lack of memory */
	if (err)
		panic("the initramfs does not fit in memory (entry %d, error %d)", *files, -err);
	populate();
	mount_dev();
	mount_proc();
	memfd_init();
	return 0;
}
