/*
 * /proc/PID: one directory per live process (zombies included, as Linux),
 * its status files, its memory map, its command line and environment read
 * from its memory, and its links: exe, cwd, root and one per open fd.
 */
#include "fs/proc/internal.h"
#include "kernel/cred.h"
#include "fs/proc/text.h"
#include "fs/fdtable.h"
#include "fs/pipe.h"
#include "fs/console.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/exec_strings.h"
#include "mm/vm.h"
#include "mm/uaccess.h"
#include "mm/kalloc.h"
#include "lib/format.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/fcntl.h"
#include <string.h>

/* The console as a controlling terminal: /dev/console's number (5, 1),
 * encoded as Linux's new_encode_dev for /proc/PID/stat's tty_nr. */
#define CONSOLE_MAJOR 5
#define CONSOLE_MINOR 1
#define TTY_NR(ma, mi) ((int)(((mi) & 0xff) | ((ma) << 8) | (((mi) & ~0xffu) << 12)))

#define NS_PER_TICK (1000000000UL / USER_HZ)

struct proc *proc_pid_find(long id)
{
	int pid = PROC_ID_PID(id);

	return pid > 0 ? proc_by_pid(pid) : NULL;
}

/* ---- the values of stat, status and statm ------------------------------------ */

static bool has_mm(const struct proc *p)
{
	return p->mm && p->state != P_ZOMBIE;
}

static uint64_t vma_pages(const struct vma *v)
{
	return (v->end - v->start) >> PAGE_SHIFT;
}

/* The program's text: its executable image pages. */
static bool is_text(const struct vma *v)
{
	return (v->flags & VM_IMAGE) && (v->prot & PROT_EXEC);
}

static void collect(struct proc *p, struct pid_values *v)
{
	memset(v, 0, sizeof(*v));
	v->pid = p->pid;
	v->ppid = p->parent ? p->parent->pid : 0;
	v->pgrp = proc_pgid(p);
	v->session = p->sid;
	v->comm = p->name;
	v->state = p->state == P_ZOMBIE ? 'Z' : p->leader->stopped ? 'T' : p->state == P_RUNNABLE ? 'R' : 'S';
	int fg = 0;
	if (tty_is_controlling(p, &fg)) {
		v->tty_nr = TTY_NR(CONSOLE_MAJOR, CONSOLE_MINOR);
		v->tty_pgrp = fg;   /* 0 without a foreground group, as Linux's pid_nr(NULL) */
	} else {
		v->tty_pgrp = -1;
	}
	/* User and kernel time are not told apart: all is user time. */
	v->utime = proc_cpu_ns(p) / NS_PER_TICK;
	v->cutime = proc_children_cpu_ns(p) / NS_PER_TICK;
	v->threads = 1;
	v->processor = p->cpu;
	/* Linux's task_prio: prio - MAX_RT_PRIO, where a real-time task's prio
	 * is 99 - rt_priority and a normal one's 120 + nice. */
	v->priority = p->rt_priority ? -1 - p->rt_priority : 20 + p->nice;
	v->nice = p->nice;
	v->rt_priority = (unsigned)p->rt_priority;
	v->policy = (unsigned)p->policy;
	v->start_time = p->start_ns / NS_PER_TICK;
	v->rsslim = p->rlim[RLIMIT_RSS].rlim_cur;
	v->sig_pending = p->sig.pending;
	v->sig_blocked = p->sig.blocked;
	for (int sig = 1; sig <= _NSIG; sig++) {
		uint64_t h = p->sighand->action[sig - 1].handler;
		if (h == SIG_IGN)
			v->sig_ignored |= 1ULL << (sig - 1);
		else if (h != SIG_DFL)
			v->sig_caught |= 1ULL << (sig - 1);
	}
	v->sleeping = p->state != P_RUNNABLE;
	v->exit_code = p->state == P_ZOMBIE ? p->wait_status : 0;
	v->umask = p->umask;
	v->uid = p->cred.uid, v->euid = p->cred.euid, v->suid = p->cred.suid, v->fsuid = p->cred.fsuid;
	v->gid = p->cred.gid, v->egid = p->cred.egid, v->sgid = p->cred.sgid, v->fsgid = p->cred.fsgid;
	v->capable = cred_capable_admin(&p->cred);
	v->fd_size = p->files ? p->files->size : 0;
	v->sigq = (unsigned)p->sig.queued + (unsigned)__builtin_popcountll(p->sig.pending & 0x7fffffffULL);
	v->sigq_limit = p->rlim[RLIMIT_SIGPENDING].rlim_cur;
	if (!has_mm(p))
		return;
	struct mm *mm = p->mm;
	v->has_mm = true;
	v->vsize = mm->total_vm * PAGE_SIZE;
	/* Resident pages are not counted: the charge (every private page that
	 * may be touched, the commit limit's figure) stands for them, less
	 * the page tables. An upper bound. */
	v->rss = mm->charged - mm->pt_charged;
	v->start_stack = mm->start_stack;
	v->start_brk = mm->brk_start;
	v->arg_start = mm->arg_start, v->arg_end = mm->arg_end;
	v->env_start = mm->env_start, v->env_end = mm->env_end;
	for (struct vma *a = mm->vmas; a; a = a->next) {
		if (is_text(a)) {
			if (!v->start_code)
				v->start_code = a->start;
			v->end_code = a->end;
			v->vm_exe += vma_pages(a);
		}
		if (a->flags & VM_STACK)
			v->vm_stk += vma_pages(a);
	}
	v->vm_size = v->vm_peak = mm->total_vm;   /* no high-water mark is kept */
	v->vm_rss = v->rss;
	v->vm_hwm = p->maxrss_kb / (PAGE_SIZE / 1024);
	v->vm_data = mm->data_vm;
	v->vm_pte = mm->pt_pages;
}

static int show_stat(struct seq *s, long id)
{
	struct proc *p = proc_pid_find(id);
	struct pid_values v;

	if (!p)
		return -ESRCH;
	collect(p, &v);
	text_pid_stat(s, &v);
	return 0;
}

static int show_status(struct seq *s, long id)
{
	struct proc *p = proc_pid_find(id);
	struct pid_values v;

	if (!p)
		return -ESRCH;
	collect(p, &v);
	text_pid_status(s, &v);
	return 0;
}

static int show_statm(struct seq *s, long id)
{
	struct proc *p = proc_pid_find(id);
	struct pid_values v;

	if (!p)
		return -ESRCH;
	collect(p, &v);
	text_pid_statm(s, &v);
	return 0;
}

static int show_comm(struct seq *s, long id)
{
	struct proc *p = proc_pid_find(id);

	if (!p)
		return -ESRCH;
	seq_printf(s, "%s\n", p->name);
	return 0;
}

/* A write renames the process, as prctl(PR_SET_NAME) (15 bytes at most). */
static long write_comm(long id, const char *buf, size_t n)
{
	struct proc *p = proc_pid_find(id);
	size_t len = 0;

	if (!p)
		return -ESRCH;
	while (len < n && len < sizeof(p->name) - 1 && buf[len] != '\n' && buf[len] != 0)
		len++;
	memcpy(p->name, buf, len);
	p->name[len] = 0;
	return (long)n;
}

/* ---- fail-nth: fault injection for one task (Linux's, Documentation/
 * fault-injection/fault-injection.rst): writing N makes the task's N-th
 * fallible allocation from then on fail; reading gives what is left of
 * the count, 0 once the failure has been injected. ---------------------- */

static int show_fail_nth(struct seq *s, long id)
{
	struct proc *p = proc_pid_find(id);

	if (!p)
		return -ESRCH;
	seq_printf(s, "%u\n", p->fail_nth);
	return 0;
}

/* As kstrtouint(base 0): digits, one optional newline, nothing else. */
static long write_fail_nth(long id, const char *buf, size_t n)
{
	struct proc *p = proc_pid_find(id);
	uint64_t v = 0;
	size_t len = n;
	unsigned base = 10;
	size_t i = 0;

	if (!p)
		return -ESRCH;
	if (len && buf[len - 1] == '\n')
		len--;
	if (len > 1 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len > 1 && buf[0] == '0') {
		base = 8;
		i = 1;
	}
	if (i >= len)
		return -EINVAL;
	for (; i < len; i++) {
		char c = buf[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
		if (d >= base)
			return -EINVAL;
		v = v * base + d;
		if (v > UINT32_MAX)
			return -ERANGE;
	}
	p->fail_nth = (uint32_t)v;
	return (long)n;
}

/* ---- cmdline and environ: the strings in the process's memory ---------------- */

/* [start, end) of p's memory into s; nothing if it cannot be read. */
static int copy_range(struct seq *s, struct proc *p, uint64_t start, uint64_t end)
{
	if (!has_mm(p) || end <= start || end - start > STK_LIM)
		return 0;
	size_t n = (size_t)(end - start);
	if (n > s->size - s->len) {
		s->overflow = true;   /* again with a larger buffer */
		return 0;
	}
	if (copy_from_user(p->mm, s->buf + s->len, uaddr(start), n) < 0)
		return 0;
	s->len += n;
	return 0;
}

/* Linux's get_mm_cmdline: the argument strings; when the last one's NUL has
 * been overwritten (setproctitle), the text up to the first NUL from the
 * arguments on, one page at most. */
static int show_cmdline(struct seq *s, long id)
{
	struct proc *p = proc_pid_find(id);
	char last;

	if (!p)
		return -ESRCH;
	if (!has_mm(p))
		return 0;
	struct mm *mm = p->mm;
	if (mm->arg_end <= mm->arg_start)
		return 0;
	if (copy_from_user(mm, &last, uaddr(mm->arg_end - 1), 1) < 0 || last == 0)
		return copy_range(s, p, mm->arg_start, mm->arg_end);
	uint64_t end = mm->env_end > mm->arg_end ? mm->env_end : mm->arg_end;
	if (end - mm->arg_start > PAGE_SIZE)
		end = mm->arg_start + PAGE_SIZE;
	size_t from = s->len;
	copy_range(s, p, mm->arg_start, end);
	for (size_t i = from; i < s->len; i++)
		if (s->buf[i] == 0) {
			s->len = i;
			break;
		}
	return 0;
}

static int show_environ(struct seq *s, long id)
{
	struct proc *p = proc_pid_find(id);

	if (!p)
		return -ESRCH;
	if (has_mm(p))
		copy_range(s, p, p->mm->env_start, p->mm->env_end);
	return 0;
}

/* ---- maps ------------------------------------------------------------------------ */

/*
 * The path column: [heap], [stack], [vvar] and [vdso] as Linux (the last
 * two the kernel's special mappings, kernel/vdso.h).
 * A file mapping shows the path it was opened by (" (deleted)" once
 * unlinked, as Linux), the program's read-only image the program's path.
 */
static const char *vma_name(const struct proc *p, const struct vma *v, char *buf, size_t size)
{
	const char *special = vm_special_name(v);

	if (special)
		return special;
	if (v->file.ops && v->file.tag && v->file.ops->describe(v->file.tag, buf, size) >= 0)
		return buf;
	if ((v->flags & VM_IMAGE) && p->exe && dentry_path(p->exe, buf, size) >= 0)
		return buf;
	if (v->flags & VM_HEAP)
		return "[heap]";
	if (v->flags & VM_STACK)
		return "[stack]";
	return NULL;
}

static int show_maps(struct seq *s, long id)
{
	struct proc *p = proc_pid_find(id);

	if (!p)
		return -ESRCH;
	if (!has_mm(p))
		return 0;
	char *path = kalloc(FS_PATH_MAX);
	if (!path)
		return -ENOMEM;
	for (struct vma *v = p->mm->vmas; v; v = v->next) {
		struct map_values m = {
			.start = v->start, .end = v->end, .prot = v->prot,
			.shared = v->flags & VM_SHARED,
			.offset = (v->flags & (VM_FILE | VM_SHARED)) ? v->pgoff << PAGE_SHIFT : 0,
			.name = vma_name(p, v, path, FS_PATH_MAX),
		};
		text_map(s, &m);
	}
	kfree(path);
	return 0;
}

static int show_mountinfo(struct seq *s, long id)
{
	if (!proc_pid_find(id))
		return -ESRCH;
	return proc_show_mountinfo(s, id);
}

static int show_mounts(struct seq *s, long id)
{
	if (!proc_pid_find(id))
		return -ESRCH;
	return proc_show_mounts(s, id);
}

/* ---- exe, cwd, root ----------------------------------------------------------- */

static struct dentry *exe_of(long id)
{
	struct proc *p = proc_pid_find(id);
	return p ? p->exe : NULL;
}

static struct dentry *cwd_of(long id)
{
	struct proc *p = proc_pid_find(id);
	return p ? p->cwd : NULL;
}

static struct dentry *root_of(long id)
{
	struct proc *p = proc_pid_find(id);
	return p ? p->root : NULL;
}

static long link_readlink(struct dentry *d, char *buf, size_t size)
{
	return d ? proc_readlink_dentry(d, buf, size) : -ENOENT;
}

static struct dentry *link_magic(struct dentry *d)
{
	return d ? dentry_get(d) : NULL;
}

static long exe_readlink(long id, char *buf, size_t size) { return link_readlink(exe_of(id), buf, size); }
static long cwd_readlink(long id, char *buf, size_t size) { return link_readlink(cwd_of(id), buf, size); }
static long root_readlink(long id, char *buf, size_t size) { return link_readlink(root_of(id), buf, size); }

static struct dentry *exe_magic(long id, struct file **file)
{
	(void)file;
	return link_magic(exe_of(id));
}

static struct dentry *cwd_magic(long id, struct file **file)
{
	(void)file;
	return link_magic(cwd_of(id));
}

static struct dentry *root_magic(long id, struct file **file)
{
	(void)file;
	return link_magic(root_of(id));
}

/* ---- fd/ and fdinfo/ ----------------------------------------------------------- */

static struct file *fd_file(long id, struct proc **pp)
{
	struct proc *p = proc_pid_find(id);

	if (pp)
		*pp = p;
	return p && p->files ? fd_get(p, PROC_ID_FD(id)) : NULL;
}

/* Linux's proc_fd_link mode: r-x for reading, -wx for writing, by the owner. */
static uint32_t fd_mode(long id)
{
	struct file *f = fd_file(id, NULL);
	uint32_t mode = S_IFLNK, acc = f ? f->flags & O_ACCMODE : 0;

	if (acc == O_RDONLY || acc == O_RDWR)
		mode |= 0500;
	if (acc == O_WRONLY || acc == O_RDWR)
		mode |= 0300;
	return mode;
}

/* A file with a name: its path; a pipe(2) end: pipe:[ino]; the only other
 * kind without a name is an eventfd. */
static long fd_readlink(long id, char *buf, size_t size)
{
	struct file *f = fd_file(id, NULL);
	char text[48];
	int n;

	if (!f)
		return -ENOENT;
	if (f->dentry)
		return proc_readlink_dentry(f->dentry, buf, size);
	if (pipe_ino(f))
		n = ksnprintf(text, sizeof(text), "pipe:[%lu]", (unsigned long)pipe_ino(f));
	else
		n = ksnprintf(text, sizeof(text), "anon_inode:[eventfd]");
	return proc_readlink_text(text, (size_t)n, buf, size);
}

static struct dentry *fd_magic(long id, struct file **file)
{
	struct file *f = fd_file(id, NULL);

	if (!f)
		return NULL;
	if (f->dentry)
		return dentry_get(f->dentry);
	if (file)
		*file = file_dup(f);
	return NULL;
}

/* The mount's place in the mount list, from 1 (Linux's ids are arbitrary). */
static int mnt_id(const struct super_block *sb)
{
	int n = 1;

	for (const struct super_block *m = mount_list; m; m = m->next_mount, n++)
		if (m == sb)
			return n;
	return 0;
}

static int show_fdinfo(struct seq *s, long id)
{
	struct proc *p;
	struct file *f = fd_file(id, &p);

	if (!f)
		return p ? -ENOENT : -ESRCH;
	struct fdinfo_values v = {
		.pos = f->pos,
		.flags = f->flags | (fd_cloexec(p->files, PROC_ID_FD(id)) ? O_CLOEXEC : 0),
		.mnt_id = f->dentry ? mnt_id(f->dentry->sb) : 0,
		.ino = f->inode ? f->inode->ino : 0,
	};
	text_fdinfo(s, &v);
	return 0;
}

static const struct proc_entry fd_link_entry = {
	.name = "", .mode = S_IFLNK | 0700, .per_pid = true, .readlink = fd_readlink,
	.magic = fd_magic, .mode_of = fd_mode,
};
static const struct proc_entry fdinfo_file_entry = {
	.name = "", .mode = S_IFREG | 0444, .per_pid = true, .show = show_fdinfo,
};

static int fd_lookup_common(long dir_id, const char *name, size_t len, const struct proc_entry *kind,
			    const struct proc_entry **e, long *id)
{
	uint64_t fd;

	if (!proc_parse_number(name, len, &fd) || fd >= FD_MAX)
		return -ENOENT;
	*id = PROC_FD_ID(PROC_ID_PID(dir_id), fd);
	if (!fd_file(*id, NULL))
		return -ENOENT;
	*e = kind;
	return 0;
}

static int fd_lookup(long dir_id, const char *name, size_t len, const struct proc_entry **e, long *id)
{
	return fd_lookup_common(dir_id, name, len, &fd_link_entry, e, id);
}

static int fdinfo_lookup(long dir_id, const char *name, size_t len, const struct proc_entry **e,
			 long *id)
{
	return fd_lookup_common(dir_id, name, len, &fdinfo_file_entry, e, id);
}

struct next_fd {
	uint64_t from;
	uint64_t found;
	bool any;
};

static void next_fd_fn(unsigned fd, struct file *f, void *arg)
{
	struct next_fd *n = arg;

	(void)f;
	if (fd >= n->from && (!n->any || fd < n->found)) {
		n->found = fd;
		n->any = true;
	}
}

static bool fd_next_common(long dir_id, uint64_t *key, char *name, size_t size,
			   const struct proc_entry *kind, const struct proc_entry **e, long *id)
{
	struct proc *p = proc_pid_find(dir_id);
	struct next_fd n = { *key, 0, false };

	if (!p || !p->files)
		return false;
	fd_for_each(p->files, next_fd_fn, &n);
	if (!n.any)
		return false;
	*key = n.found;
	ksnprintf(name, size, "%u", (unsigned)n.found);
	*e = kind;
	*id = PROC_FD_ID(p->pid, n.found);
	return true;
}

static bool fd_next(long dir_id, uint64_t *key, char *name, size_t size,
		    const struct proc_entry **e, long *id)
{
	return fd_next_common(dir_id, key, name, size, &fd_link_entry, e, id);
}

static bool fdinfo_next(long dir_id, uint64_t *key, char *name, size_t size,
			const struct proc_entry **e, long *id)
{
	return fd_next_common(dir_id, key, name, size, &fdinfo_file_entry, e, id);
}

static const struct proc_dyn fd_dyn = { .lookup = fd_lookup, .next = fd_next };
static const struct proc_dyn fdinfo_dyn = { .lookup = fdinfo_lookup, .next = fdinfo_next };

/* ---- /proc/PID/task: one directory per thread ------------------------------------- */

static const struct proc_entry pid_entry;

/* tid names a live thread of process dir_id's (a task/TID directory is
 * the thread's own /proc/TID view: stat, status, maps, ...). */
static int task_lookup(long dir_id, const char *name, size_t len, const struct proc_entry **e,
		       long *id)
{
	struct proc *g = proc_pid_find(PROC_ID_PID(dir_id));
	uint64_t tid;

	if (!g || !proc_parse_number(name, len, &tid) || tid > INT32_MAX)
		return -ENOENT;
	struct proc *t = proc_pid_find((long)tid);
	if (!t || t->tgid != g->tgid)
		return -ENOENT;
	*e = &pid_entry;
	*id = (long)tid;
	return 0;
}

static bool task_next(long dir_id, uint64_t *key, char *name, size_t size,
		      const struct proc_entry **e, long *id)
{
	struct proc *g = proc_pid_find(PROC_ID_PID(dir_id));
	uint64_t best = 0;
	bool any = false;

	if (!g)
		return false;
	struct proc *t = g->leader;
	do {
		uint64_t tid = (uint64_t)t->pid;
		if (t->state != P_ZOMBIE && tid >= *key && (!any || tid < best)) {
			best = tid;
			any = true;
		}
	} while ((t = t->next_thread) != g->leader);
	if (!any)
		return false;
	*key = best;
	ksnprintf(name, size, "%lu", (unsigned long)best);
	*e = &pid_entry;
	*id = (long)best;
	return true;
}

static const struct proc_dyn task_dyn = { .lookup = task_lookup, .next = task_next };

/* ---- /proc/PID ---------------------------------------------------------------------- */

static const struct proc_entry pid_children[] = {
	{ .name = "task", .mode = S_IFDIR | 0555, .per_pid = true, .dyn = &task_dyn },
	{ .name = "fd", .mode = S_IFDIR | 0500, .per_pid = true, .dyn = &fd_dyn },
	{ .name = "fdinfo", .mode = S_IFDIR | 0500, .per_pid = true, .dyn = &fdinfo_dyn },
	{ .name = "environ", .mode = S_IFREG | 0400, .per_pid = true, .show = show_environ },
	{ .name = "status", .mode = S_IFREG | 0444, .per_pid = true, .show = show_status },
	{ .name = "cmdline", .mode = S_IFREG | 0444, .per_pid = true, .show = show_cmdline },
	{ .name = "stat", .mode = S_IFREG | 0444, .per_pid = true, .show = show_stat },
	{ .name = "statm", .mode = S_IFREG | 0444, .per_pid = true, .show = show_statm },
	{ .name = "maps", .mode = S_IFREG | 0444, .per_pid = true, .show = show_maps },
	{ .name = "mounts", .mode = S_IFREG | 0444, .per_pid = true, .show = show_mounts },
	{ .name = "mountinfo", .mode = S_IFREG | 0444, .per_pid = true, .show = show_mountinfo },
	{ .name = "comm", .mode = S_IFREG | 0644, .per_pid = true, .show = show_comm,
	  .write = write_comm },
	{ .name = "fail-nth", .mode = S_IFREG | 0644, .per_pid = true, .show = show_fail_nth,
	  .write = write_fail_nth, .fresh = true },
	{ .name = "cwd", .mode = S_IFLNK | 0777, .per_pid = true, .readlink = cwd_readlink,
	  .magic = cwd_magic },
	{ .name = "root", .mode = S_IFLNK | 0777, .per_pid = true, .readlink = root_readlink,
	  .magic = root_magic },
	{ .name = "exe", .mode = S_IFLNK | 0777, .per_pid = true, .readlink = exe_readlink,
	  .magic = exe_magic },
};

static const struct proc_entry pid_entry = {
	.name = "", .mode = S_IFDIR | 0555, .per_pid = true,
	.children = pid_children, .nchildren = sizeof(pid_children) / sizeof(pid_children[0]),
};

static int pid_lookup(long dir_id, const char *name, size_t len, const struct proc_entry **e,
		      long *id)
{
	uint64_t pid;

	(void)dir_id;
	if (!proc_parse_number(name, len, &pid) || pid > 0x7fffffff || !proc_pid_find((long)pid))
		return -ENOENT;
	*e = &pid_entry;
	*id = (long)pid;
	return 0;
}

struct next_pid {
	uint64_t from, found;
	bool any;
};

static void next_pid_fn(struct proc *p, void *arg)
{
	struct next_pid *n = arg;
	uint64_t pid = (uint64_t)p->pid;

	if (p->pid != p->tgid)
		return;      /* threads are not listed (Linux lists them in task/) */
	if (pid >= n->from && (!n->any || pid < n->found)) {
		n->found = pid;
		n->any = true;
	}
}

static bool pid_next(long dir_id, uint64_t *key, char *name, size_t size,
		     const struct proc_entry **e, long *id)
{
	struct next_pid n = { *key, 0, false };

	(void)dir_id;
	proc_for_each(next_pid_fn, &n);
	if (!n.any)
		return false;
	*key = n.found;
	ksnprintf(name, size, "%lu", (unsigned long)n.found);
	*e = &pid_entry;
	*id = (long)n.found;
	return true;
}

const struct proc_dyn proc_pid_dyn = { .lookup = pid_lookup, .next = pid_next };
