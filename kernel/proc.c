/*
 * Processes: creation (the first one, fork), exit, wait and kill.
 * Everything a process holds — its address space, kernel stack, files and
 * commit charge — is returned by exit and the parent's wait.
 */
#include "kernel/proc.h"
#include "kernel/exec.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/run_end.h"
#include "lib/format.h"
#include "mm/vm.h"
#include "mm/kalloc.h"
#include "mm/commit.h"
#include "mm/uaccess.h"
#include "fs/file.h"
#include <string.h>
#include "arch/arm64/sysreg.h"

#define WNOHANG 1
#define CLONE_VM             0x00000100
#define CLONE_FS             0x00000200
#define CLONE_FILES          0x00000400
#define CLONE_SIGHAND        0x00000800
#define CLONE_VFORK          0x00004000
#define CLONE_THREAD         0x00010000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID   0x01000000
#define CLONE_SUPPORTED (0xff | CLONE_SETTLS | CLONE_PARENT_SETTID | \
			 CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_VM | CLONE_VFORK)

static struct proc *procs[NPROC];
static int next_pid = 1;
static struct proc *init_proc;

struct proc *proc_by_pid(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i] && procs[i]->pid == pid && procs[i]->state != P_UNUSED)
			return procs[i];
	return NULL;
}

int proc_count(void)
{
	int n = 0;

	for (int i = 0; i < NPROC; i++)
		n += procs[i] != NULL;
	return n;
}

void describe_current(char *buf, size_t size)
{
	if (current)
		ksnprintf(buf, size, "pid %d \"%s\"", current->pid, current->name);
	else
		ksnprintf(buf, size, "boot");
}

void proc_set_name(struct proc *p, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n >= sizeof(p->name))
		n = sizeof(p->name) - 1;
	memcpy(p->name, base, n);
	p->name[n] = 0;
}

static void default_rlimits(struct proc *p)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	p->rlim[RLIMIT_STACK] = (struct rlimit64){ 8UL << 20, RLIM_INFINITY };
	p->rlim[RLIMIT_NOFILE] = (struct rlimit64){ NOFILE, NOFILE };
}

/*
 * A process record with its kernel stack (charged); NULL when out of memory.
 * The first process is essential: its record comes from kmalloc_or_panic.
 */
static struct proc *proc_alloc(bool essential)
{
	int slot = -1;

	for (int i = 0; i < NPROC; i++)
		if (!procs[i]) {
			slot = i;
			break;
		}
	if (slot < 0)
		return NULL;
	struct proc *p = essential ? kmalloc_or_panic(sizeof(*p), 16) : kalloc(sizeof(*p));
	if (!p)
		return NULL;
	if (essential)
		memset(p, 0, sizeof(*p));
	if (commit_charge(1UL << KSTACK_ORDER) < 0) {
		kfree(p);
		return NULL;
	}
	p->kstack = kalloc_pages(KSTACK_ORDER);
	if (!p->kstack) {
		commit_uncharge(1UL << KSTACK_ORDER);
		kfree(p);
		return NULL;
	}
	p->tf = (struct trap_frame *)((char *)p->kstack + KSTACK_SIZE - sizeof(struct trap_frame));
	p->ctx.sp = (uint64_t)p->tf;
	p->ctx.lr = (uint64_t)ret_from_fork;
	p->pid = next_pid++;
	procs[slot] = p;
	return p;
}

/* The last of a process: its kernel stack and record (it is not running). */
static void proc_free(struct proc *p)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i] == p)
			procs[i] = NULL;
	sched_remove(p);
	kfree_pages(p->kstack, KSTACK_ORDER);
	commit_uncharge(1UL << KSTACK_ORDER);
	kfree(p);
}

void proc_start_init(const char *path, int argc, char argv[][BOOTARGS_ARG_LEN], uint64_t fail_alloc_nth)
{
	struct proc *p = proc_alloc(true);
	const char *args[BOOTARGS_MAX_INIT_ARGS + 2];
	int n = 0;
	long err;

	if (!p)
		panic("no memory for the first process");
	init_proc = p;
	run_end_note_start();
	default_rlimits(p);
	p->cwd = 0;
	args[n++] = path;
	for (int i = 0; i < argc && n < BOOTARGS_MAX_INIT_ARGS + 1; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	struct file *con = file_open_console();
	if (!con)
		panic("no memory for the console file");
	for (int fd = 0; fd < 3; fd++)
		fd_install(p, fd ? file_dup(con) : con, false);
	err = exec_kernel(p, path, args);
	if (err < 0)
		panic("cannot run init %s: error %ld", path, -err);
	p->state = P_RUNNABLE;
	sched_add(p);
	/* The first process is not optional: fault injection starts after it. */
	fail_alloc_set(fail_alloc_nth);
	if (fail_alloc_nth)
		printk("Fault injection: fallible allocation #%lu after this will fail\n",
		       (unsigned long)fail_alloc_nth);
	/* Under QEMU -icount shift=0 one ns of virtual time is one instruction. */
	printk("Starting init: %s (%lu ns since reset)\n", path, (unsigned long)uptime_ns());
	schedule();
	panic("init returned to the boot stack");
}

long proc_fork(struct trap_frame *tf, uint64_t flags, uint64_t newsp, uint64_t parent_tid,
	       uint64_t tls, uint64_t child_tid)
{
	struct proc *parent = current, *child;
	int err;

	/* vfork (posix_spawn, system) shares the memory while the parent waits;
	 * threads, which would share it while both run, are not supported. */
	bool vfork = (flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK);
	if ((flags & ~CLONE_SUPPORTED) || ((flags & CLONE_VM) && !vfork))
		return -EINVAL;
	child = proc_alloc(false);
	if (!child)
		return proc_count() >= NPROC ? -EAGAIN : -ENOMEM;
	err = 0;
	child->mm = vfork ? vm_share(parent->mm) : vm_fork(parent->mm, &err);
	if (!child->mm || fd_copy_all(child, parent) < 0) {
		fd_close_all(child);
		vm_put(child->mm);
		proc_free(child);
		return -ENOMEM;
	}
	*child->tf = *tf;
	child->tf->x[0] = 0;
	if (newsp)
		child->tf->sp = newsp;
	memcpy(child->name, parent->name, sizeof(child->name));
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	child->cloexec = parent->cloexec;
	child->cwd = parent->cwd;
	child->sigmask = parent->sigmask;
	child->sig_ignored = parent->sig_ignored;
	child->parent = parent;
	fpsimd_save(&child->fp);
	child->tpidr_el0 = read_sysreg(tpidr_el0);
	if (flags & CLONE_SETTLS)
		child->tpidr_el0 = tls;
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = child_tid;
	uint32_t tid = child->pid;
	if (flags & CLONE_CHILD_SETTID)
		copy_to_user(child->mm, child_tid, &tid, sizeof(tid));
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(parent->mm, parent_tid, &tid, sizeof(tid));
	child->state = P_RUNNABLE;
	sched_add(child);
	if (vfork) {
		child->vfork_parent = parent;
		while (child->vfork_parent)
			sleep_on(parent);
	}
	return child->pid;
}

void proc_vfork_release(struct proc *p)
{
	if (p->vfork_parent) {
		wakeup(p->vfork_parent);
		p->vfork_parent = NULL;
	}
}

/* Orphans go to init, which reaps them. */
static void reparent_children(struct proc *p)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *c = procs[i];
		if (c && c->parent == p) {
			c->parent = init_proc;
			if (c->state == P_ZOMBIE)
				wakeup(init_proc);
		}
	}
}

void proc_exit(int wait_status)
{
	struct proc *p = current;
	struct mm *mm = p->mm;

	fd_close_all(p);
	p->mm = NULL;
	vm_activate(NULL);
	vm_put(mm);
	proc_vfork_release(p);
	if (p == init_proc)
		run_end_init_exited(wait_status);
	reparent_children(p);
	p->wait_status = wait_status;
	p->state = P_ZOMBIE;
	wakeup(p->parent);
	schedule();
	panic("a zombie was scheduled");
}

void proc_fault_kill(int sig, const char *what, uint64_t addr)
{
	printk("pid %d (%s): %s at 0x%lx, pc 0x%lx: killed by signal %d\n", current->pid,
	       current->name, what, (unsigned long)addr, (unsigned long)current->tf->elr, sig);
	proc_exit(sig);
}

/* A zombie child matching pid (-1: any), or NULL; *any says whether one exists. */
static struct proc *find_zombie(long pid, bool *any)
{
	*any = false;
	for (int i = 0; i < NPROC; i++) {
		struct proc *c = procs[i];
		if (!c || c->parent != current || (pid > 0 && c->pid != pid))
			continue;
		*any = true;
		if (c->state == P_ZOMBIE)
			return c;
	}
	return NULL;
}

long proc_wait(long pid, uint64_t ustatus, int options)
{
	if (options & ~(WNOHANG | 0x40000000 /* __WALL */ | 0x80000000 /* __WCLONE */))
		return -EINVAL;
	if (pid < -1 || pid == 0)
		pid = -1;   /* process groups are not kept: any child */
	for (;;) {
		bool any;
		struct proc *z = find_zombie(pid, &any);
		if (z) {
			int st = z->wait_status, zpid = z->pid;
			if (ustatus && copy_to_user(current->mm, ustatus, &st, sizeof(st)) < 0)
				return -EFAULT;
			proc_free(z);
			return zpid;
		}
		if (!any)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		sleep_on(current);
		if (current->killed)
			return -EINTR;
	}
}

static bool ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == 18 /* SIGCONT */ || sig == 23 /* SIGURG */ ||
	       sig == 28 /* SIGWINCH */;
}

long proc_kill(long pid, int sig)
{
	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (pid <= 0)
		pid = current->pid;   /* groups are not kept: the caller's own */
	struct proc *p = proc_by_pid((int)pid);
	if (!p || p->state == P_ZOMBIE)
		return -ESRCH;
	if (!sig || ignored_by_default(sig) || ((p->sig_ignored >> (sig - 1)) & 1))
		return 0;
	/* No handlers run yet: every other signal ends the process. */
	p->killed = sig;
	if (p->state == P_SLEEPING)
		p->state = P_RUNNABLE;
	return 0;
}
