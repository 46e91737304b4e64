/*
 * Host tests of procfs's directory walk and open (fs/proc/root.c) over a
 * fake VFS and a fake process list: getdents resumes after the last name
 * returned while pids come and go, lookups make inodes with Linux's
 * modes, and a text larger than the first buffer is made again.
 */
#include "fs/proc/internal.h"
#include "kernel/proc.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"
#include "tests/host/check.h"
#include <stdlib.h>
#include <string.h>

/* ---- the fake VFS and kernel ------------------------------------------------ */

struct proc *current;
static struct super_block fake_sb;

struct inode *inode_new(struct super_block *sb, uint32_t mode)
{
	struct inode *i = calloc(1, sizeof(*i));
	i->refs = 1;
	i->sb = sb;
	i->mode = mode;
	i->uid = 1000;
	return i;
}

void dentry_attach(struct dentry *d, struct inode *i) { d->inode = i; }
struct dentry *dentry_get(struct dentry *d) { d->refs++; return d; }
long dentry_path(struct dentry *d, char *buf, size_t size) { (void)d; (void)size; strcpy(buf, "/x"); return 2; }
void *kalloc_at(size_t size, struct alloc_site *site) { (void)site; return calloc(1, size); }
void kfree(void *p) { free(p); }
int copy_from_user(struct mm *mm, void *dst, uaddr_t src, size_t n) { (void)mm; (void)dst; (void)src; (void)n; return -EFAULT; }
long generic_llseek(struct file *f, long off, uint32_t whence, uint64_t size) { (void)whence; (void)size; f->pos = (uint64_t)off; return off; }

long read_from_buffer(uaddr_t ubuf, uint64_t n, uint64_t *pos, const void *data, uint64_t len)
{
	(void)ubuf; (void)data;
	uint64_t k = *pos < len ? (len - *pos < n ? len - *pos : n) : 0;
	*pos += k;
	return (long)k;
}

struct super_block *sb_new(const struct fs_type *type, const struct super_ops *ops,
			   const struct inode_ops *dir_iops, const struct file_ops *dir_fops,
			   uint32_t magic, uint32_t mode)
{
	struct super_block *sb = &fake_sb;
	struct dentry *root = calloc(1, sizeof(*root) + 1);
	sb->type = type, sb->ops = ops, sb->magic = magic;
	root->parent = root;
	root->sb = sb;
	root->inode = inode_new(sb, S_IFDIR | mode);
	root->inode->iops = dir_iops;
	root->inode->fops = dir_fops;
	root->inode->ino = 1;
	sb->root = root;
	return sb;
}

/* Live pids: a set the test changes between getdents calls. */
static bool alive[100];
struct proc *proc_pid_find(long id)
{
	static struct proc p;
	int pid = PROC_ID_PID(id);
	return pid > 0 && pid < 100 && alive[pid] ? &p : NULL;
}

static const struct proc_entry pid_dir = { .name = "", .mode = S_IFDIR | 0555, .per_pid = true };

static int fake_pid_lookup(long dir_id, const char *name, size_t len, const struct proc_entry **e, long *id)
{
	uint64_t pid;
	(void)dir_id;
	if (!proc_parse_number(name, len, &pid) || !proc_pid_find((long)pid))
		return -ENOENT;
	*e = &pid_dir;
	*id = (long)pid;
	return 0;
}

static bool fake_pid_next(long dir_id, uint64_t *key, char *name, size_t size,
			  const struct proc_entry **e, long *id)
{
	(void)dir_id;
	for (uint64_t pid = *key; pid < 100; pid++)
		if (alive[pid]) {
			*key = pid;
			snprintf(name, size, "%lu", (unsigned long)pid);
			*e = &pid_dir;
			*id = (long)pid;
			return true;
		}
	return false;
}

const struct proc_dyn proc_pid_dyn = { .lookup = fake_pid_lookup, .next = fake_pid_next };

/* A text of 10000 bytes: more than the first buffer (one page). */
int proc_show_meminfo(struct seq *s, long id)
{
	(void)id;
	for (int i = 0; i < 1000; i++)
		seq_puts(s, "0123456789");
	return 0;
}

static int show_small(struct seq *s, long id) { (void)id; seq_puts(s, "hi\n"); return 0; }
int proc_show_uptime(struct seq *s, long id) { return show_small(s, id); }
int proc_show_loadavg(struct seq *s, long id) { return show_small(s, id); }
int proc_show_stat(struct seq *s, long id) { return show_small(s, id); }
int proc_show_cpuinfo(struct seq *s, long id) { return show_small(s, id); }
int proc_show_version(struct seq *s, long id) { return show_small(s, id); }
int proc_show_mounts(struct seq *s, long id) { return show_small(s, id); }
int proc_show_filesystems(struct seq *s, long id) { return show_small(s, id); }
long proc_self_readlink(long id, char *buf, size_t size) { (void)id; return proc_readlink_text("7", 1, buf, size); }
long proc_thread_self_readlink(long id, char *buf, size_t size) { (void)id; return proc_readlink_text("7/task/7", 8, buf, size); }
int proc_show_kheapinfo(struct seq *s, long id) { return show_small(s, id); }
int proc_show_vmstat(struct seq *s, long id) { return show_small(s, id); }
int proc_show_allocsites(struct seq *s, long id) { return show_small(s, id); }
int proc_show_irq_latency(struct seq *s, long id) { return show_small(s, id); }
long proc_write_irq_latency(long id, const char *buf, size_t n) { (void)id, (void)buf; return (long)n; }
const struct proc_entry proc_sys_children[PROC_SYS_NCHILDREN] = {
	{ .name = "kernel", .mode = S_IFDIR | 0555 }, { .name = "vm", .mode = S_IFDIR | 0555 },
};

/* ---- a getdents with room for `room` names ---------------------------------- */

struct listing {
	struct dir_context ctx;
	int room;
	char names[64][16];
	unsigned types[64];
	int n;
};

static bool emit(struct dir_context *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
	struct listing *l = (struct listing *)ctx;
	(void)ino;
	if (l->room == 0)
		return false;
	l->room--;
	snprintf(l->names[l->n], sizeof(l->names[0]), "%.*s", (int)len, name);
	l->types[l->n++] = type;
	return true;
}

static void list(struct file *f, struct listing *l, int room)
{
	l->ctx.emit = emit;
	l->room = room;
	f->inode->fops->readdir(f, &l->ctx);
}

static struct dentry *made[16];
static int nmade;

static struct dentry *lookup(struct dentry *dir, const char *name, int *err)
{
	struct dentry *d = calloc(1, sizeof(*d) + strlen(name) + 1);
	d->name = d->iname;
	strcpy(d->name, name);
	d->len = (uint16_t)strlen(name);
	d->parent = dir;
	d->sb = dir->sb;
	*err = dir->inode->iops->lookup(dir->inode, d);
	made[nmade++] = d;
	return d;
}

int main(void)
{
	struct super_block *sb;
	check(proc_fs_type.mount(NULL, &sb) == 0 && sb->magic == PROC_SUPER_MAGIC &&
	      sb->make_inodes_on_demand && strcmp(proc_fs_type.name, "proc") == 0 && proc_fs_type.nodev,
	      "procfs.mount", "mount failed");

	alive[1] = alive[5] = alive[9] = true;
	struct file f = { .dentry = sb->root, .inode = sb->root->inode };
	struct listing l = { 0 };
	list(&f, &l, 17);   /* ".", "..", self, thread-self, 12 files, sys: 17 names */
	check(l.n == 17 && strcmp(l.names[0], ".") == 0 && strcmp(l.names[1], "..") == 0 &&
	      strcmp(l.names[2], "self") == 0 && l.types[2] == 10 && strcmp(l.names[3], "thread-self") == 0 &&
	      l.types[3] == 10 && strcmp(l.names[16], "sys") == 0 && l.types[16] == 4 && l.types[4] == 8,
	      "procfs.readdir.fixed", "%d names, [2] %s", l.n, l.names[2]);
	list(&f, &l, 1);
	check(l.n == 18 && strcmp(l.names[17], "1") == 0, "procfs.readdir.first-pid", "%d %s", l.n, l.names[17]);
	list(&f, &l, 1);
	check(l.n == 19 && strcmp(l.names[18], "5") == 0, "procfs.readdir.resume", "%d %s", l.n, l.names[18]);
	alive[3] = true;    /* new, below the cursor: not in this pass, as Linux */
	alive[5] = false;   /* listed already, then gone */
	alive[9] = false;   /* gone before it was listed */
	alive[20] = true;   /* new, above the cursor */
	list(&f, &l, 10);
	check(l.n == 20 && strcmp(l.names[19], "20") == 0, "procfs.readdir.gone-and-new", "%d %s", l.n, l.names[19]);
	list(&f, &l, 10);
	check(l.n == 20, "procfs.readdir.end", "%d", l.n);
	f.pos = 0;
	l.n = 0;
	list(&f, &l, 64);
	check(l.n == 20 && strcmp(l.names[17], "1") == 0 && strcmp(l.names[18], "3") == 0 &&
	      strcmp(l.names[19], "20") == 0, "procfs.readdir.rewind", "%d", l.n);

	int err;
	struct dentry *d = lookup(sb->root, "meminfo", &err);
	check(!err && d->inode && d->inode->mode == (S_IFREG | 0444) && d->inode->uid == 0,
	      "procfs.lookup.file", "err %d", err);
	struct file mf = { .dentry = d, .inode = d->inode };
	err = d->inode->fops->open(d->inode, &mf);
	check(!err && mf.priv_len == 10000 && memcmp(mf.priv, "0123456789", 10) == 0,
	      "procfs.open.regenerates", "err %d len %lu", err, (unsigned long)mf.priv_len);
	uint64_t pos = 9990;
	check(d->inode->fops->read(&mf, uaddr(0), 100, &pos) == 10 && pos == 10000,
	      "procfs.read.tail", "pos %lu", (unsigned long)pos);
	d->inode->fops->release(&mf);

	d = lookup(sb->root, "20", &err);
	check(!err && d->inode->mode == (S_IFDIR | 0555) && d->inode->priv_id == 20, "procfs.lookup.pid",
	      "err %d", err);
	d = lookup(sb->root, "9", &err);
	check(err == -ENOENT, "procfs.lookup.dead-pid", "err %d", err);
	d = lookup(sb->root, "020", &err);
	check(err == -ENOENT, "procfs.lookup.leading-zero", "err %d", err);
	d = lookup(sb->root, "self", &err);
	char buf[8];
	check(!err && d->inode->mode == (S_IFLNK | 0777) && d->inode->iops->readlink(d, buf, sizeof(buf)) == 1 &&
	      buf[0] == '7' && !d->inode->iops->magic_link, "procfs.self", "err %d", err);
	for (int i = 0; i < nmade; i++) {
		free(made[i]->inode);
		free(made[i]);
	}
	free(sb->root->inode);
	free(sb->root);
	return check_exit_status();
}
