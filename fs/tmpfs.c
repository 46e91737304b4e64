/* tmpfs (fs/tmpfs.h): directories, files, symlinks, device and FIFO nodes. */
#include "fs/tmpfs.h"
#include "fs/file.h"
#include "fs/special.h"
#include "kernel/proc.h"
#include "mm/page_store.h"
#include "mm/kalloc.h"
#include "mm/mmu.h"
#include "mm/uvm.h"
#include "mm/uaccess.h"
#include "lib/format.h"
#include "lib/ctype.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/fcntl.h"
#include "lib/panic.h"
#include <string.h>

#define MAX_FILE_SIZE    INT64_MAX          /* MAX_LFS_FILESIZE */

struct tmpfs_sb {
	struct page_quota quota;        /* size= in pages */
	uint64_t max_inodes, inodes;    /* nr_inodes= */
	uint32_t mode;                  /* of the root */
};

struct tmpfs_file {
	struct page_store pages;
	int shared_maps;                /* MAP_SHARED mappings of it */
};

static uint64_t data_pages;             /* over every mount */
#define UNLIMITED UINT64_MAX            /* size=0, nr_inodes=0 */

static const struct inode_ops dir_iops, file_iops, link_iops;
static const struct file_ops dir_fops, file_fops;
static const struct super_ops tmpfs_sops;

uint64_t tmpfs_pages_used(void)
{
	return data_pages;
}

static struct tmpfs_sb *info(const struct super_block *sb)
{
	return sb->priv;
}

static struct tmpfs_file *file_of(const struct inode *i)
{
	return i->priv;
}

bool tmpfs_is_file(const struct inode *i)
{
	return i->sb->ops == &tmpfs_sops && inode_is_reg(i);
}

/* ---- inodes -------------------------------------------------------------------- */

/* A new inode of the kind mode says, counted against nr_inodes. */
static struct inode *new_inode(struct super_block *sb, uint32_t mode, uint32_t rdev, int *err)
{
	struct tmpfs_sb *t = info(sb);
	struct inode *i;

	*err = -ENOSPC;
	if (t->inodes >= t->max_inodes)
		return NULL;
	*err = -ENOMEM;
	if (!(i = inode_new(sb, mode)))
		return NULL;
	switch (mode & S_IFMT) {
	case S_IFREG:
		if (!(i->priv = kalloc(sizeof(struct tmpfs_file)))) {
			kfree(i);
			return NULL;
		}
		i->iops = &file_iops;
		i->fops = &file_fops;
		break;
	case S_IFDIR:
		i->iops = &dir_iops;
		i->fops = &dir_fops;
		break;
	case S_IFLNK:
		i->iops = &link_iops;
		break;
	default:
		/* Devices, FIFOs and sockets: what opening them gives. */
		i->iops = &file_iops;
		i->fops = special_file_ops(mode, rdev);
		i->rdev = rdev;
		break;
	}
	t->inodes++;
	return i;
}

static void truncate_pages(struct inode *i, uint64_t first)
{
	struct tmpfs_file *tf = file_of(i);
	uint64_t before = tf->pages.pages;

	if (tf->shared_maps)
		vm_object_unmap_from(i, first);
	page_store_truncate(&tf->pages, first, &info(i->sb)->quota);
	data_pages -= before - tf->pages.pages;
	i->blocks = tf->pages.pages * (PAGE_SIZE / 512);
}

static void tmpfs_evict(struct inode *i)
{
	if (inode_is_reg(i)) {
		truncate_pages(i, 0);
		kfree(i->priv);
	} else if (inode_is_symlink(i)) {
		kfree(i->priv);
	}
	info(i->sb)->inodes--;
}

/* Gives d a new inode and links it in dir. */
static int make_node(struct inode *dir, struct dentry *d, uint32_t mode, uint32_t rdev,
		     struct inode **out)
{
	int err;
	struct inode *i = new_inode(dir->sb, mode, rdev, &err);

	if (!i)
		return err;
	/* Linux's inode_init_owner: a setgid directory passes its group on. */
	if (dir->mode & S_ISGID) {
		i->gid = dir->gid;
		if (inode_is_dir(i))
			i->mode |= S_ISGID;
	}
	i->nlink = inode_is_dir(i) ? 2 : 1;
	dentry_attach(d, i);
	dentry_add(d);
	inode_touch(dir);
	if (out)
		*out = i;
	return 0;
}

static int tmpfs_create(struct inode *dir, struct dentry *d, uint32_t mode, uint32_t rdev)
{
	return make_node(dir, d, mode, rdev, NULL);
}

static int tmpfs_mkdir(struct inode *dir, struct dentry *d, uint32_t mode)
{
	int err = make_node(dir, d, S_IFDIR | (mode & 07777), 0, NULL);

	if (!err)
		dir->nlink++;
	return err;
}

static int tmpfs_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	size_t len = strlen(target);
	char *copy = kalloc(len + 1);
	struct inode *i;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, target, len + 1);
	int err = make_node(dir, d, S_IFLNK | 0777, 0, &i);
	if (err) {
		kfree(copy);
		return err;
	}
	i->priv = copy;
	i->size = len;
	return 0;
}

static int tmpfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *i = old->inode;

	i->nlink++;
	i->ctime = fs_now();
	dentry_attach(d, inode_get(i));
	dentry_add(d);
	inode_touch(dir);
	return 0;
}

static void drop_name(struct inode *dir, struct dentry *d)
{
	struct inode *i = d->inode;

	if (inode_is_dir(i)) {
		i->nlink = 0;
		dir->nlink--;
	} else {
		i->nlink--;
	}
	i->ctime = fs_now();
	inode_touch(dir);
	dentry_remove(d);
}

static int tmpfs_unlink(struct inode *dir, struct dentry *d)
{
	drop_name(dir, d);
	return 0;
}

static int tmpfs_rmdir(struct inode *dir, struct dentry *d)
{
	if (d->first_child)
		return -ENOTEMPTY;
	drop_name(dir, d);
	return 0;
}

/* Swaps two names (RENAME_EXCHANGE): each dentry moves to the other's place. */
static int exchange(struct inode *odir, struct dentry *od, struct inode *ndir, struct dentry *nd)
{
	char oname[FS_NAME_MAX + 1];
	struct dentry *op = dentry_get(od->parent);
	size_t olen = od->len;
	int err;

	memcpy(oname, od->name, olen);
	if ((err = dentry_move(od, nd->parent, nd->name, nd->len))) {
		dentry_put(op);
		return err;
	}
	if ((err = dentry_move(nd, op, oname, olen))) {
		/* Put od back where it was: its old name fits its old room. */
		dentry_move(od, op, oname, olen);
		dentry_put(op);
		return err;
	}
	dentry_put(op);
	if (odir != ndir && inode_is_dir(od->inode) != inode_is_dir(nd->inode)) {
		int delta = inode_is_dir(od->inode) ? 1 : -1;
		ndir->nlink += delta;
		odir->nlink -= delta;
	}
	inode_touch(odir);
	inode_touch(ndir);
	return 0;
}

static int tmpfs_rename(struct inode *odir, struct dentry *od, struct inode *ndir,
			struct dentry *nd, uint32_t flags)
{
	if (flags & RENAME_EXCHANGE)
		return exchange(odir, od, ndir, nd);
	if (nd->inode && inode_is_dir(nd->inode) && nd->first_child)
		return -ENOTEMPTY;
	struct dentry *target = nd->inode ? dentry_find_child(nd->parent, nd->name, nd->len) : NULL;
	int err = dentry_move(od, nd->parent, nd->name, nd->len);
	if (err) {
		dentry_put(target);
		return err;
	}
	if (target) {
		drop_name(ndir, target);
		dentry_put(target);
	}
	if (inode_is_dir(od->inode) && odir != ndir) {
		odir->nlink--;
		ndir->nlink++;
	}
	od->inode->ctime = fs_now();
	inode_touch(odir);
	inode_touch(ndir);
	return 0;
}

/* ftruncate/truncate: holes read as zeros, so shrinking clears the tail
 * of the last page kept. */
static int set_size(struct inode *i, uint64_t size)
{
	if (!inode_is_reg(i))
		return inode_is_dir(i) ? -EISDIR : -EINVAL;
	if (size > MAX_FILE_SIZE)
		return -EFBIG;
	if (size < i->size) {
		truncate_pages(i, (size + PAGE_SIZE - 1) / PAGE_SIZE);
		phys_addr_t pa;
		if (size % PAGE_SIZE && !page_store_get(&file_of(i)->pages, size / PAGE_SIZE, NULL, &pa) && pa)
			memset((uint8_t *)phys_to_virt(pa) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
	}
	i->size = size;
	inode_touch(i);
	return 0;
}

static int tmpfs_setattr(struct dentry *d, const struct iattr *a)
{
	struct inode *i = d->inode;

	if (a->valid & ATTR_SIZE) {
		int err = set_size(i, a->size);
		if (err)
			return err;
	}
	if (a->valid & ATTR_MODE)
		i->mode = (i->mode & S_IFMT) | (a->mode & 07777);
	if (a->valid & ATTR_UID)
		i->uid = a->uid;
	if (a->valid & ATTR_GID)
		i->gid = a->gid;
	if (a->valid & ATTR_ATIME)
		i->atime = a->atime;
	if (a->valid & ATTR_MTIME)
		i->mtime = a->mtime;
	i->ctime = (a->valid & ATTR_CTIME) ? a->ctime : fs_now();
	return 0;
}

static long tmpfs_readlink(struct dentry *d, char *buf, size_t size)
{
	struct inode *i = d->inode;
	size_t n = i->size < size ? i->size : size;

	memcpy(buf, i->priv, n);
	return (long)n;
}

/* ---- regular files ---------------------------------------------------------- */

/* A copy from the user that failed part-way may have left bytes in the
 * page past the file's end: they must stay zeros (a later truncate up
 * shows them). page is the page at offset at, k bytes were asked for. */
static void clear_past_end(const struct inode *i, uint8_t *page, uint64_t at, uint64_t k)
{
	uint64_t from = i->size > at ? i->size - at : 0;

	if (from < k)
		memset(page + from, 0, k - from);
}

/* Moves n bytes between a file's pages and buf (user or kernel) at pos;
 * writes fill holes. Bytes done, or -errno when none were. */
static long file_io(struct inode *i, uaddr_t ubuf, void *kbuf, uint64_t n, uint64_t pos, bool write)
{
	struct tmpfs_file *tf = file_of(i);
	struct page_quota *q = write ? &info(i->sb)->quota : NULL;
	uint64_t done = 0;
	long err = 0;

	while (done < n) {
		uint64_t at = pos + done, off = at % PAGE_SIZE;
		uint64_t k = PAGE_SIZE - off < n - done ? PAGE_SIZE - off : n - done;
		phys_addr_t pa;
		uint64_t before = tf->pages.pages;
		if ((err = page_store_get(&tf->pages, at / PAGE_SIZE, q, &pa)))
			break;
		data_pages += tf->pages.pages - before;
		uint8_t *page = pa ? (uint8_t *)phys_to_virt(pa) + off : NULL;
		if (write && !page) {
			err = -EIO;     /* a filled hole always has a page */
			break;
		}
		if (kbuf) {
			if (write)
				memcpy(page, (uint8_t *)kbuf + done, k);
			else if (page)
				memcpy((uint8_t *)kbuf + done, page, k);
			else
				memset((uint8_t *)kbuf + done, 0, k);
		} else if (write) {
			err = copy_from_user(current->mm, page, uaddr_add(ubuf, done), k);
			if (err)
				clear_past_end(i, page, at, k);
		} else {
			const void *src = page ? page : phys_to_virt(zero_page());
			err = copy_to_user(current->mm, uaddr_add(ubuf, done), src, k);
		}
		if (err) {
			err = -EFAULT;
			break;
		}
		done += k;
	}
	if (write) {
		i->blocks = tf->pages.pages * (PAGE_SIZE / 512);
		if (done && pos + done > i->size)
			i->size = pos + done;
		if (done)
			inode_touch(i);
	}
	return done ? (long)done : err;
}

static long clamp_read(const struct inode *i, uint64_t pos, uint64_t n)
{
	if (pos >= i->size)
		return 0;
	return (long)(n < i->size - pos ? n : i->size - pos);
}

static long file_read_op(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	long k = clamp_read(f->inode, *pos, n);

	if (k <= 0)
		return k;
	long r = file_io(f->inode, ubuf, NULL, (uint64_t)k, *pos, false);
	if (r > 0)
		*pos += (uint64_t)r;
	return r;
}

static long file_write_op(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	struct inode *i = f->inode;
	uint64_t at = (f->flags & O_APPEND) ? i->size : *pos;

	if (!n)
		return 0;
	if (at >= MAX_FILE_SIZE)
		return -EFBIG;
	if (n > MAX_FILE_SIZE - at)
		n = MAX_FILE_SIZE - at;
	long r = file_io(i, ubuf, NULL, n, at, true);
	if (r > 0)
		*pos = at + (uint64_t)r;
	return r;
}

static long file_kread_op(struct file *f, void *buf, uint64_t n, uint64_t *pos)
{
	long r = tmpfs_kernel_read(f->inode, buf, n, *pos);

	if (r > 0)
		*pos += (uint64_t)r;
	return r;
}

static long file_kwrite_op(struct file *f, const void *buf, uint64_t n, uint64_t *pos)
{
	if (*pos >= MAX_FILE_SIZE)
		return -EFBIG;
	long r = tmpfs_kernel_write(f->inode, buf, n, *pos);

	if (r > 0)
		*pos += (uint64_t)r;
	return r;
}

/*
 * SEEK_DATA and SEEK_HOLE as Linux's shmem: a page the file holds is data,
 * a missing one a hole, and the end of the file is a hole too; an offset
 * outside the file is ENXIO, and so is SEEK_DATA with no data after it.
 */
static long seek_data_hole(struct file *f, long off, bool data)
{
	uint64_t size = f->inode->size;

	if (off < 0 || (uint64_t)off >= size)
		return -ENXIO;
	uint64_t idx = page_store_seek(&file_of(f->inode)->pages, (uint64_t)off >> PAGE_SHIFT, data);
	uint64_t at = idx == UINT64_MAX || idx > (size >> PAGE_SHIFT) ? size : idx << PAGE_SHIFT;
	if (at < (uint64_t)off)
		at = (uint64_t)off;      /* off lies in the page found */
	if (data && at >= size)
		return -ENXIO;
	f->pos = at;
	return (long)at;
}

static long file_llseek_op(struct file *f, long off, uint32_t whence)
{
	if (whence == SEEK_DATA || whence == SEEK_HOLE)
		return seek_data_hole(f, off, whence == SEEK_DATA);
	return generic_llseek(f, off, whence, f->inode->size);
}

long tmpfs_kernel_read(struct inode *i, void *buf, uint64_t n, uint64_t pos)
{
	long k = clamp_read(i, pos, n);

	return k <= 0 ? k : file_io(i, uaddr(0), buf, (uint64_t)k, pos, false);
}

long tmpfs_kernel_write(struct inode *i, const void *buf, uint64_t n, uint64_t pos)
{
	return n ? file_io(i, uaddr(0), (void *)buf, n, pos, true) : 0;
}

int tmpfs_adopt_pages(struct inode *i, uint64_t idx, phys_addr_t pa, uint64_t n, uint64_t *done)
{
	struct tmpfs_file *tf = file_of(i);
	int err = page_store_put_run(&tf->pages, idx, &info(i->sb)->quota, pa, n, done);

	data_pages += *done;
	i->blocks = tf->pages.pages * (PAGE_SIZE / 512);
	if (*done && i->size < (idx + *done) * PAGE_SIZE)
		i->size = (idx + *done) * PAGE_SIZE;
	return err;
}

/* ---- mappings ------------------------------------------------------------------ */

static int object_page(void *obj, uint64_t idx, bool alloc, phys_addr_t *pa)
{
	struct inode *i = obj;
	struct tmpfs_file *tf = file_of(i);

	if (idx >= (i->size + PAGE_SIZE - 1) / PAGE_SIZE)
		return -EFAULT;
	uint64_t before = tf->pages.pages;
	int err = page_store_get(&tf->pages, idx, alloc ? &info(i->sb)->quota : NULL, pa);
	data_pages += tf->pages.pages - before;
	i->blocks = tf->pages.pages * (PAGE_SIZE / 512);
	return err;
}

static uint64_t object_size(void *obj)
{
	return ((struct inode *)obj)->size;
}

/* A mapping holds the file's filesystem as an open file does (umount's
 * EBUSY): its inode cannot outlive the super block. */
static void object_get(void *obj)
{
	struct inode *i = obj;

	inode_get(i)->sb->users++;
}

static void object_put(void *obj)
{
	struct inode *i = obj;

	i->sb->users--;
	inode_put(i);
}

static void object_mapped(void *obj, int delta)
{
	file_of(obj)->shared_maps += delta;
}

/* The tag is the dentry the file was opened by: its path names the mapping. */
static long object_describe(void *tag, char *buf, size_t size)
{
	return dentry_path(tag, buf, size);
}

static void object_tag_get(void *tag)
{
	dentry_get(tag);
}

static void object_tag_put(void *tag)
{
	dentry_put(tag);
}

static const struct vm_object_ops object_ops = {
	.page = object_page, .size = object_size, .get = object_get, .put = object_put,
	.mapped = object_mapped, .describe = object_describe, .tag_get = object_tag_get,
	.tag_put = object_tag_put,
};

struct vm_object tmpfs_vm_object(struct inode *i, struct dentry *name)
{
	return (struct vm_object){ &object_ops, i, name };
}

/* ---- directories ---------------------------------------------------------------- */

static unsigned dirent_type(const struct inode *i)
{
	return (i->mode & S_IFMT) >> 12;    /* DT_* are the S_IF* bits shifted */
}

/* Positions 0 and 1 are "." and ".."; then the children by their order. */
static int dir_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *d = f->dentry;

	if (f->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, d->inode->ino, 4))
			return 0;
		f->pos = 1;
	}
	if (f->pos == 1) {
		struct dentry *up = d->parent;
		if (up == d && d->sb->covered)
			up = d->sb->covered->parent;
		if (!ctx->emit(ctx, "..", 2, up->inode->ino, 4))
			return 0;
		f->pos = 2;
	}
	for (struct dentry *c = d->first_child; c; c = c->next) {
		if (c->order < f->pos || !c->inode)
			continue;
		if (!ctx->emit(ctx, c->name, c->len, c->inode->ino, dirent_type(c->inode)))
			return 0;
		f->pos = c->order + 1;
	}
	return 0;
}

static long dir_llseek(struct file *f, long off, uint32_t whence)
{
	return generic_llseek(f, off, whence, 0);
}

static const struct inode_ops dir_iops = {
	.create = tmpfs_create, .mkdir = tmpfs_mkdir, .symlink = tmpfs_symlink,
	.link = tmpfs_link, .unlink = tmpfs_unlink, .rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename, .setattr = tmpfs_setattr,
};
static const struct inode_ops file_iops = { .setattr = tmpfs_setattr };
static const struct inode_ops link_iops = { .setattr = tmpfs_setattr, .readlink = tmpfs_readlink };
static const struct file_ops dir_fops = { .readdir = dir_readdir, .llseek = dir_llseek };
static const struct file_ops file_fops = {
	.read = file_read_op, .write = file_write_op, .llseek = file_llseek_op,
	.kread = file_kread_op, .kwrite = file_kwrite_op,
};

struct inode *tmpfs_new_file(struct super_block *sb, uint32_t mode)
{
	int err;

	return new_inode(sb, S_IFREG | (mode & 07777), 0, &err);
}

/* ---- memfd ------------------------------------------------------------------------- */

/* memfd_create's files live on a tmpfs instance of their own, never
 * mounted (Linux's shm_mnt). */
static struct super_block *memfd_sb;

void memfd_init(void)
{
	/* Unbounded but for the commit limit, as Linux's internal shm mount. */
	if (tmpfs_fs_type.mount("size=0,nr_inodes=0", &memfd_sb))
		panic("no memory for memfd's tmpfs");
}

int memfd_open(struct file **out)
{
	struct inode *i = tmpfs_new_file(memfd_sb, 0777);
	struct dentry *d = i ? dentry_new(memfd_sb->root, "memfd", 5) : NULL;
	if (!d) {
		if (i)
			inode_put(i);
		return -ENOMEM;
	}
	dentry_attach(d, i);
	int err = file_open_dentry(d, O_RDWR, out);
	dentry_put(d);
	return err;
}

/* ---- the filesystem ------------------------------------------------------------- */

static void tmpfs_statfs(struct super_block *sb, struct linux_statfs *st)
{
	struct tmpfs_sb *t = info(sb);

	/* size=0 and nr_inodes=0 mean no limit; statfs then says 0, as Linux. */
	if (t->quota.limit != UNLIMITED) {
		st->f_blocks = t->quota.limit;
		st->f_bfree = st->f_bavail = t->quota.limit - t->quota.used;
	}
	if (t->max_inodes != UNLIMITED) {
		st->f_files = t->max_inodes;
		st->f_ffree = t->max_inodes - t->inodes;
	}
}

static int tmpfs_show_options(struct super_block *sb, char *buf, size_t size)
{
	struct tmpfs_sb *t = info(sb);

	int n = 0;

	if (t->quota.limit != UNLIMITED)
		n += ksnprintf(buf + n, size - (size_t)n, ",size=%luk",
			       (unsigned long)(t->quota.limit * (PAGE_SIZE / 1024)));
	if (t->max_inodes != UNLIMITED && (size_t)n < size)
		n += ksnprintf(buf + n, size - (size_t)n, ",nr_inodes=%lu", (unsigned long)t->max_inodes);
	if ((size_t)n < size)
		n += ksnprintf(buf + n, size - (size_t)n, ",mode=%o", (unsigned)t->mode);
	return n < (int)size ? n : (int)size - 1;
}

static void tmpfs_kill(struct super_block *sb)
{
	kfree(sb->priv);
}

static const struct super_ops tmpfs_sops = {
	.evict = tmpfs_evict, .statfs = tmpfs_statfs, .show_options = tmpfs_show_options,
	.kill = tmpfs_kill,
};

/* A number with an optional k/m/g suffix (or % of RAM for size=): 0 or -EINVAL. */
static int tmpfs_parse_size(const char *s, size_t len, bool percent_ok, uint64_t ram, uint64_t *out)
{
	uint64_t v = 0;
	size_t k = 0;

	if (!len)
		return -EINVAL;
	for (; k < len && digit_value(s[k]) < 10; k++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)digit_value(s[k]);
	}
	if (k == 0)
		return -EINVAL;
	unsigned shift = 0;
	if (k + 1 == len) {
		switch (s[k]) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		case '%':
			if (!percent_ok || v > 100)
				return -EINVAL;
			*out = ram / 100 * v;
			return 0;
		default: return -EINVAL;
		}
	} else if (k != len) {
		return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static bool option_is(const char *opt, size_t len, const char *name, const char **val, size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || memcmp(opt, name, n) != 0 || opt[n] != '=')
		return false;
	*val = opt + n + 1;
	*vlen = len - n - 1;
	return true;
}

/* size=, nr_inodes=, mode= (uid=, gid= too), comma-separated. */
static int parse_options(const char *opts, struct tmpfs_sb *t)
{
	struct page_stats ps;

	page_alloc_stats(&ps);
	uint64_t ram = ps.total_pages * PAGE_SIZE;
	while (opts && *opts) {
		const char *end = strchr(opts, ',');
		size_t len = end ? (size_t)(end - opts) : strlen(opts), vlen;
		const char *val;
		uint64_t v;
		if (!len) {
		} else if (option_is(opts, len, "size", &val, &vlen)) {
			if (tmpfs_parse_size(val, vlen, true, ram, &v))
				return -EINVAL;
			t->quota.limit = v ? (v + PAGE_SIZE - 1) / PAGE_SIZE : UNLIMITED;
		} else if (option_is(opts, len, "nr_inodes", &val, &vlen)) {
			if (tmpfs_parse_size(val, vlen, false, ram, &v))
				return -EINVAL;
			t->max_inodes = v ? v : UNLIMITED;
		} else if (option_is(opts, len, "mode", &val, &vlen)) {
			uint32_t m = 0;
			for (size_t k = 0; k < vlen; k++) {
				int dv = digit_value(val[k]);
				if (dv >= 8 || m > 07777)
					return -EINVAL;
				m = m * 8 + (uint32_t)dv;
			}
			if (!vlen || m > 07777)
				return -EINVAL;
			t->mode = m;
		} else if (!option_is(opts, len, "uid", &val, &vlen) &&
			   !option_is(opts, len, "gid", &val, &vlen)) {
			return -EINVAL;
		}
		opts = end ? end + 1 : NULL;
	}
	return 0;
}

/* Inodes (with their names) live in the kernel heap: the default bound
 * keeps tmpfs from taking more than half of it. */
static uint64_t default_max_inodes(void)
{
	struct kheap_stats hs;

	kheap_stats(&hs);
	return hs.total / 2 / 512;
}

static int tmpfs_mount(const char *options, struct super_block **out)
{
	struct tmpfs_sb *t = kalloc(sizeof(*t));
	struct page_stats ps;

	if (!t)
		return -ENOMEM;
	page_alloc_stats(&ps);
	t->quota.limit = ps.total_pages / 2;
	t->max_inodes = default_max_inodes();
	t->mode = 01777;
	int err = parse_options(options, t);
	if (err) {
		kfree(t);
		return err;
	}
	struct super_block *sb = sb_new(&tmpfs_fs_type, &tmpfs_sops, &dir_iops, &dir_fops,
					TMPFS_MAGIC, t->mode);
	if (!sb) {
		kfree(t);
		return -ENOMEM;
	}
	sb->priv = t;
	t->inodes = 1;
	*out = sb;
	return 0;
}

const struct fs_type tmpfs_fs_type = { .name = "tmpfs", .nodev = true, .mount = tmpfs_mount };

/* devtmpfs is a tmpfs mount that the kernel fills with device nodes at boot. */
static int devtmpfs_mount(const char *options, struct super_block **out)
{
	int err = tmpfs_mount(options ? options : "mode=755", out);

	if (!err)
		(*out)->type = &devtmpfs_fs_type;
	return err;
}

const struct fs_type devtmpfs_fs_type = { .name = "devtmpfs", .nodev = true, .mount = devtmpfs_mount };
