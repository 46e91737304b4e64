/*
 * procfs as a filesystem: the super block, the root directory and its
 * fixed names, and the operations every procfs inode shares (see
 * fs/proc/internal.h): lookup and readdir over an entry's children,
 * text generated at open, symlinks and magic links.
 */
#include "fs/proc/internal.h"
#include "kernel/proc.h"
#include "mm/kalloc.h"
#include "mm/page_alloc.h"
#include "mm/uaccess.h"
#include "lib/uapi/errno.h"
#include <string.h>

#define PROC_TEXT_MAX (1024 * 1024)   /* the largest text one open may make */

static const struct inode_ops proc_dir_iops;
static const struct file_ops proc_dir_fops, proc_file_fops, proc_none_fops;
static const struct inode_ops proc_file_iops, proc_symlink_iops, proc_magic_iops;

/* ---- the root directory ----------------------------------------------------- */

static const struct proc_entry root_children[] = {
	{ .name = "self", .mode = S_IFLNK | 0777, .readlink = proc_self_readlink },
	{ .name = "thread-self", .mode = S_IFLNK | 0777, .readlink = proc_thread_self_readlink },
	{ .name = "meminfo", .mode = S_IFREG | 0444, .show = proc_show_meminfo },
	{ .name = "vmstat", .mode = S_IFREG | 0444, .show = proc_show_vmstat },
	{ .name = "uptime", .mode = S_IFREG | 0444, .show = proc_show_uptime },
	{ .name = "loadavg", .mode = S_IFREG | 0444, .show = proc_show_loadavg },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = proc_show_stat },
	{ .name = "cpuinfo", .mode = S_IFREG | 0444, .show = proc_show_cpuinfo },
	{ .name = "version", .mode = S_IFREG | 0444, .show = proc_show_version },
	{ .name = "mounts", .mode = S_IFREG | 0444, .show = proc_show_mounts },
	{ .name = "filesystems", .mode = S_IFREG | 0444, .show = proc_show_filesystems },
	{ .name = "kheapinfo", .mode = S_IFREG | 0444, .show = proc_show_kheapinfo },
	{ .name = "allocsites", .mode = S_IFREG | 0444, .show = proc_show_allocsites },
	{ .name = "irq_latency", .mode = S_IFREG | 0644, .show = proc_show_irq_latency,
	  .write = proc_write_irq_latency },
	{ .name = "sys", .mode = S_IFDIR | 0555, .children = proc_sys_children,
	  .nchildren = PROC_SYS_NCHILDREN },
};

const struct proc_entry proc_root_entry = {
	.name = "", .mode = S_IFDIR | 0555,
	.children = root_children, .nchildren = sizeof(root_children) / sizeof(root_children[0]),
	.dyn = &proc_pid_dyn,
};

/* ---- helpers ------------------------------------------------------------------ */

long proc_readlink_text(const char *text, size_t len, char *buf, size_t size)
{
	if (len > size)
		len = size;
	memcpy(buf, text, len);
	return (long)len;
}

long proc_readlink_dentry(struct dentry *d, char *buf, size_t size)
{
	char *path = kalloc(FS_PATH_MAX);
	long len;

	if (!path)
		return -ENOMEM;
	len = dentry_path(d, path, FS_PATH_MAX);
	if (len >= 0)
		len = proc_readlink_text(path, (size_t)len, buf, size);
	kfree(path);
	return len;
}

bool proc_parse_number(const char *name, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 10 || (name[0] == '0' && len > 1))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(name[i] - '0');
	}
	*out = v;
	return true;
}

/* A stable inode number for (entry, id): the same in stat and getdents. */
static uint64_t proc_ino(const struct proc_entry *e, long id)
{
	uint64_t h = (uint64_t)(uintptr_t)e * 0x9e3779b97f4a7c15ULL ^ (uint64_t)id * 0xff51afd7ed558ccdULL;

	h ^= h >> 29;
	h &= 0x7fffffff;
	return h ? h : 1;
}

static uint32_t entry_mode(const struct proc_entry *e, long id)
{
	return e->mode_of ? e->mode_of(id) : e->mode;
}

static bool entry_alive(const struct proc_entry *e, long id)
{
	return !e->per_pid || proc_pid_find(id);
}

static struct inode *proc_inode(struct super_block *sb, const struct proc_entry *e, long id)
{
	uint32_t mode = entry_mode(e, id);
	struct inode *i = inode_new(sb, mode);

	if (!i)
		return NULL;
	i->ino = proc_ino(e, id);
	i->uid = i->gid = 0;   /* no credentials yet: every process is root */
	i->priv = (void *)e;
	i->priv_id = id;
	i->size = 0;           /* as Linux: /proc files have no size */
	if (S_IFMT_IS(mode, S_IFDIR)) {
		i->nlink = 2;
		i->iops = &proc_dir_iops;
		i->fops = &proc_dir_fops;
	} else if (S_IFMT_IS(mode, S_IFLNK)) {
		i->nlink = 1;
		i->iops = e->magic ? &proc_magic_iops : &proc_symlink_iops;
		i->fops = &proc_none_fops;
	} else {
		i->nlink = 1;
		i->iops = &proc_file_iops;
		i->fops = &proc_file_fops;
	}
	return i;
}

/* ---- directories ------------------------------------------------------------ */

static int proc_lookup(struct inode *dir, struct dentry *d)
{
	const struct proc_entry *de = dir->priv, *e = NULL;
	long id = dir->priv_id;

	if (!entry_alive(de, id))
		return -ENOENT;
	for (size_t k = 0; k < de->nchildren && !e; k++) {
		const struct proc_entry *c = &de->children[k];
		if (strlen(c->name) == d->len && memcmp(c->name, d->name, d->len) == 0)
			e = c;
	}
	if (!e && de->dyn) {
		int err = de->dyn->lookup(dir->priv_id, d->name, d->len, &e, &id);
		if (err)
			return err;
	}
	if (!e)
		return -ENOENT;
	struct inode *i = proc_inode(dir->sb, e, id);
	if (!i)
		return -ENOMEM;
	dentry_attach(d, i);
	return 0;
}

static unsigned dtype(uint32_t mode)
{
	return (mode & S_IFMT) >> 12;   /* Linux's S_DT: DT_DIR 4, DT_REG 8, DT_LNK 10 */
}

/*
 * Positions: 0 ".", 1 "..", then the fixed children, then the dynamic
 * names at 2 + nchildren + key (the pid or fd), so a listing resumes
 * after the last name returned even when names come and go between calls.
 */
static int proc_readdir(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->inode;
	const struct proc_entry *de = dir->priv;
	long id = dir->priv_id;
	uint64_t base = 2 + de->nchildren;

	if (!entry_alive(de, id))
		return -ENOENT;
	if (f->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, dir->ino, dtype(S_IFDIR)))
			return 0;
		f->pos = 1;
	}
	if (f->pos == 1) {
		struct dentry *parent = f->dentry ? f->dentry->parent : NULL;
		uint64_t ino = parent && parent->inode ? parent->inode->ino : dir->ino;
		if (!ctx->emit(ctx, "..", 2, ino, dtype(S_IFDIR)))
			return 0;
		f->pos = 2;
	}
	for (; f->pos < base; f->pos++) {
		const struct proc_entry *c = &de->children[f->pos - 2];
		if (!ctx->emit(ctx, c->name, strlen(c->name), proc_ino(c, id), dtype(entry_mode(c, id))))
			return 0;
	}
	if (!de->dyn)
		return 0;
	uint64_t key = f->pos - base;
	char name[24];
	const struct proc_entry *e;
	long eid;
	while (de->dyn->next(id, &key, name, sizeof(name), &e, &eid)) {
		if (!ctx->emit(ctx, name, strlen(name), proc_ino(e, eid), dtype(entry_mode(e, eid))))
			return 0;
		f->pos = base + ++key;
	}
	return 0;
}

static long proc_dir_llseek(struct file *f, long off, uint32_t whence)
{
	return generic_llseek(f, off, whence, UINT32_MAX);
}

static const struct inode_ops proc_dir_iops = { .lookup = proc_lookup };
static const struct file_ops proc_dir_fops = {
	.readdir = proc_readdir,
	.llseek = proc_dir_llseek,
};

/* ---- files: the text made at open ------------------------------------------- */

static int proc_file_open(struct inode *i, struct file *f)
{
	const struct proc_entry *e = i->priv;
	size_t size = PAGE_SIZE;

	f->priv = NULL;
	f->priv_len = 0;
	if (!e->show)
		return 0;   /* write-only */
	if (!entry_alive(e, i->priv_id))
		return -ESRCH;
	if (e->fresh)
		return 0;   /* made at each read */
	for (;;) {
		char *buf = kalloc(size);
		struct seq s;
		if (!buf)
			return -ENOMEM;
		seq_init(&s, buf, size);
		int err = e->show(&s, i->priv_id);
		if (err) {
			kfree(buf);
			return err;
		}
		if (!s.overflow) {
			f->priv = buf;
			f->priv_len = s.len;
			return 0;
		}
		kfree(buf);
		if (size >= PROC_TEXT_MAX)
			return -ENOMEM;
		size *= 2;
	}
}

static long proc_file_read(struct file *f, uaddr_t buf, uint64_t n, uint64_t *pos)
{
	const struct proc_entry *e = f->inode->priv;

	if (e->show && e->fresh) {
		char text[PROC_FRESH_MAX];
		struct seq s;
		seq_init(&s, text, sizeof(text));
		int err = e->show(&s, f->inode->priv_id);
		if (err)
			return err;
		return read_from_buffer(buf, n, pos, text, s.len);
	}
	return read_from_buffer(buf, n, pos, f->priv, f->priv_len);
}

static long proc_file_write(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	const struct proc_entry *e = f->inode->priv;
	char buf[256];

	if (!e->write)
		return -EINVAL;
	if (n > sizeof(buf))
		n = sizeof(buf);
	if (copy_from_user(current->mm, buf, ubuf, n) < 0)
		return -EFAULT;
	long r = e->write(f->inode->priv_id, buf, n);
	if (r > 0)
		*pos += (uint64_t)r;
	return r;
}

static long proc_file_llseek(struct file *f, long off, uint32_t whence)
{
	return generic_llseek(f, off, whence, f->priv_len);
}

static void proc_file_release(struct file *f)
{
	kfree(f->priv);
	f->priv = NULL;
}

static const struct file_ops proc_file_fops = {
	.open = proc_file_open,
	.read = proc_file_read,
	.write = proc_file_write,
	.llseek = proc_file_llseek,
	.release = proc_file_release,
};
static const struct inode_ops proc_file_iops = { 0 };
static const struct file_ops proc_none_fops = { 0 };

/* ---- symlinks and magic links ---------------------------------------------- */

static long proc_readlink(struct dentry *d, char *buf, size_t size)
{
	const struct proc_entry *e = d->inode->priv;

	if (!entry_alive(e, d->inode->priv_id))
		return -ENOENT;
	return e->readlink(d->inode->priv_id, buf, size);
}

static struct dentry *proc_magic_link(struct dentry *d, struct file **file)
{
	const struct proc_entry *e = d->inode->priv;

	if (!entry_alive(e, d->inode->priv_id))
		return NULL;
	return e->magic(d->inode->priv_id, file);
}

static const struct inode_ops proc_symlink_iops = { .readlink = proc_readlink };
static const struct inode_ops proc_magic_iops = {
	.readlink = proc_readlink,
	.magic_link = proc_magic_link,
};

/* ---- the super block ---------------------------------------------------------- */

static void proc_evict(struct inode *i)
{
	(void)i;   /* entries are static tables: nothing to free */
}

static int proc_show_options(struct super_block *sb, char *buf, size_t size)
{
	(void)sb;
	if (size)
		buf[0] = 0;
	return 0;
}

static void procfs_kill_sb(struct super_block *sb)
{
	(void)sb;
}

static const struct super_ops proc_super_ops = {
	.evict = proc_evict,
	.show_options = proc_show_options,
	.kill = procfs_kill_sb,
};

/* Linux's options (hidepid=, gid=, subset=) would only restrict what is
 * shown; Bramble has one user, so any options are accepted and ignored. */
static int proc_mount(const char *options, struct super_block **out)
{
	struct super_block *sb = sb_new(&proc_fs_type, &proc_super_ops, &proc_dir_iops,
					&proc_dir_fops, PROC_SUPER_MAGIC, 0555);

	(void)options;
	if (!sb)
		return -ENOMEM;
	sb->make_inodes_on_demand = true;
	strcpy(sb->source, "proc");
	struct inode *root = sb->root->inode;
	root->priv = (void *)&proc_root_entry;
	root->priv_id = 0;
	root->uid = root->gid = 0;
	*out = sb;
	return 0;
}

const struct fs_type proc_fs_type = {
	.name = "proc",
	.nodev = true,
	.mount = proc_mount,
};
