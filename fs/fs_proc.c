/* A process's file-system state (fs/fs_proc.h). */
#include "fs/fs_proc.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/panic.h"
#include "lib/uapi/fcntl.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/sched.h"

#define DEFAULT_UMASK 022

/* A cwd pins its filesystem (umount is EBUSY), as an open file does; so
 * does the executable (Linux's mm->exe_file), whose inode must not
 * outlive its super block. */
static void hold_dir(struct dentry *d)
{
	dentry_get(d);
	d->sb->users++;
}

static void drop_dir(struct dentry *d)
{
	if (!d)
		return;
	d->sb->users--;
	dentry_put(d);
}

void fs_proc_init(struct proc *p)
{
	struct dentry *con;
	struct file *f;

	if (!(p->files = fdtable_new()))
		panic("no memory for the first process's files");
	p->files->owner = p->pid;
	p->root = dentry_get(fs_root);
	hold_dir(fs_root);
	p->cwd = fs_root;
	p->umask = DEFAULT_UMASK;
	/* The console as fds 0, 1 and 2; not yet its controlling terminal. */
	if (namei(fs_root, "/dev/console", LOOKUP_FOLLOW, &con, NULL) < 0)
		panic("no /dev/console");
	if (file_open_dentry(con, O_RDWR | O_NOCTTY, &f) < 0)
		panic("cannot open /dev/console");
	dentry_put(con);
	for (int fd = 0; fd < 3; fd++)
		fd_install(p, fd ? file_dup(f) : f, false);
}

int fs_proc_fork(struct proc *child, struct proc *parent, uint64_t flags)
{
	if (flags & CLONE_FILES) {
		child->files = parent->files;
		child->files->refs++;
	} else if (!(child->files = fdtable_copy(parent->files))) {
		return -ENOMEM;
	} else {
		child->files->owner = (flags & CLONE_THREAD) ? parent->tgid : child->pid;
	}
	if (flags & CLONE_FS)
		child->fs_group = parent->fs_group;
	child->root = dentry_get(parent->root);
	hold_dir(parent->cwd);
	child->cwd = parent->cwd;
	if (parent->exe)
		hold_dir(parent->exe);
	child->exe = parent->exe;
	child->umask = parent->umask;
	return 0;
}

void fs_proc_exit(struct proc *p)
{
	fdtable_put(p->files);
	p->files = NULL;
	drop_dir(p->cwd);
	p->cwd = NULL;
	if (p->root)
		dentry_put(p->root);
	p->root = NULL;
	drop_dir(p->exe);
	p->exe = NULL;
}

static void chdir_one(struct proc *p, struct dentry *d)
{
	struct dentry *old = p->cwd;

	hold_dir(d);
	p->cwd = d;
	drop_dir(old);
}

struct fs_change {
	int group;
	struct dentry *cwd;
	uint32_t umask;
	bool set_umask;
};

static void change_one(struct proc *q, void *arg)
{
	struct fs_change *c = arg;

	if (q->fs_group != c->group || !q->cwd)
		return;
	if (c->cwd)
		chdir_one(q, c->cwd);
	if (c->set_umask)
		q->umask = c->umask;
}

/* The processes sharing p's fs state (CLONE_FS) all see the change. */
void fs_proc_chdir(struct proc *p, struct dentry *d)
{
	struct fs_change c = { p->fs_group, d, 0, false };

	proc_for_each(change_one, &c);
}

void fs_proc_set_umask(struct proc *p, uint32_t mask)
{
	struct fs_change c = { p->fs_group, NULL, mask, true };

	proc_for_each(change_one, &c);
}

void fs_proc_unshare_fs(struct proc *p)
{
	p->fs_group = p->pid;
}

int fs_proc_unshare_files(struct proc *p)
{
	if (p->files->refs == 1)
		return 0;
	struct fdtable *t = fdtable_copy(p->files);
	if (!t)
		return -ENOMEM;
	t->owner = p->tgid;
	fdtable_put(p->files);
	p->files = t;
	return 0;
}

void fs_proc_set_exe(struct proc *p, struct dentry *d)
{
	struct dentry *old = p->exe;

	hold_dir(d);
	p->exe = d;
	drop_dir(old);
}
