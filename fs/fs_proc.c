/* A process's file-system state (fs/fs_proc.h). */
#include "fs/fs_proc.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/panic.h"
#include "lib/uapi/fcntl.h"
#include "lib/uapi/errno.h"

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

int fs_proc_fork(struct proc *child, struct proc *parent)
{
	if (!(child->files = fdtable_copy(parent->files)))
		return -ENOMEM;
	child->files->owner = child->pid;
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

void fs_proc_chdir(struct proc *p, struct dentry *d)
{
	struct dentry *old = p->cwd;

	hold_dir(d);
	p->cwd = d;
	drop_dir(old);
}

void fs_proc_set_exe(struct proc *p, struct dentry *d)
{
	struct dentry *old = p->exe;

	hold_dir(d);
	p->exe = d;
	drop_dir(old);
}
