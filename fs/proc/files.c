/*
 * The system-wide files of /proc and /proc/sys: the values gathered from
 * the allocators, the scheduler's counters, the CPU and the mount table,
 * written by fs/proc/text.c.
 */
#include "fs/proc/internal.h"
#include "fs/tmpfs.h"
#include "fs/proc/text.h"
#include "kernel/sched.h"
#include "kernel/percpu.h"
#include "kernel/proc.h"
#include "kernel/kstat.h"
#include "kernel/tick.h"
#include "kernel/uts.h"
#include "mm/vm.h"
#include "mm/kalloc.h"
#include "mm/kheap.h"
#include "mm/commit.h"
#include "mm/page_alloc.h"
#include "arch/arm64/hwcap.h"
#include "lib/printk.h"
#include "lib/format.h"
#include "lib/uapi/errno.h"
#include <string.h>

#define PAGE_KB (PAGE_SIZE / 1024)

/* ---- /proc/meminfo ------------------------------------------------------------- */

/* Page-table pages of every address space, each counted once (a vfork
 * child shares its parent's). */
static void add_page_tables(struct proc *p, void *arg)
{
	if (p->mm && !(p->vfork_parent && p->vfork_parent->mm == p->mm))
		*(uint64_t *)arg += p->mm->pt_pages;
}

/* The allocators' figures, in KiB, for meminfo and vmstat. */
static void gather_meminfo(struct meminfo_values *v)
{
	struct page_stats ps;
	struct kheap_stats hs;
	uint64_t pt = 0;

	memset(v, 0, sizeof(*v));
	page_alloc_stats(&ps);
	kheap_stats(&hs);
	proc_for_each(add_page_tables, &pt);
	v->total = ps.total_pages * PAGE_KB;
	v->free = ps.free_pages * PAGE_KB;
	/* Nothing is reclaimable (no swap, no page cache to drop): what is
	 * free is what is available. */
	v->available = v->free;
	v->cached = v->shmem = tmpfs_pages_used() * PAGE_KB;
	v->slab = hs.used / 1024;
	v->kernel_stack = (uint64_t)proc_count() * (KSTACK_SIZE / 1024);
	v->page_tables = pt * PAGE_KB;
	v->commit_limit = commit_limit() * PAGE_KB;
	v->committed = commit_used() * PAGE_KB;
	v->heap_total = hs.total / 1024;
	v->heap_free = hs.free / 1024;
}

int proc_show_meminfo(struct seq *s, long id)
{
	struct meminfo_values v;

	(void)id;
	gather_meminfo(&v);
	text_meminfo(s, &v);
	return 0;
}

int proc_show_vmstat(struct seq *s, long id)
{
	struct meminfo_values v;

	(void)id;
	gather_meminfo(&v);
	text_vmstat(s, &v);
	return 0;
}

/* ---- /proc/uptime, /proc/loadavg, /proc/stat --------------------------------- */

static uint64_t idle_ns(void)
{
	uint64_t ms, wakeups;

	tick_idle_stats(&ms, &wakeups);
	return ms * 1000000;
}

int proc_show_uptime(struct seq *s, long id)
{
	(void)id;
	text_uptime(s, uptime_ns(), idle_ns());
	return 0;
}

int proc_show_loadavg(struct seq *s, long id)
{
	struct kstat_counts c;
	uint64_t avg[3];

	(void)id;
	kstat_loadavg(avg);
	kstat_counts(&c);
	text_loadavg(s, avg, kstat_nr_running(), proc_count(), c.last_pid);
	return 0;
}

/*
 * One CPU runs Bramble (the others are parked): its time is either idle
 * (the scheduler's WFI) or spent for processes, and user and kernel time
 * are not told apart (kernel/proc.h), so all of that counts as user time.
 * There is no real-time clock: the boot time is the epoch, 0.
 */
int proc_show_stat(struct seq *s, long id)
{
	struct kstat_counts c;
	struct stat_values v = { 0 };

	(void)id;
	kstat_counts(&c);
	v.ncpu = nr_cpus_online < STAT_MAX_CPUS ? nr_cpus_online : STAT_MAX_CPUS;
	for (int i = 0; i < v.ncpu; i++) {
		uint64_t busy, idle;
		cpu_times(i, &busy, &idle);
		/* User and kernel time are not told apart: all of it is user's. */
		v.cpu[i].user = busy / (1000000000 / USER_HZ);
		v.cpu[i].idle = idle / (1000000000 / USER_HZ);
	}
	v.intr = c.irqs;
	v.ctxt = c.context_switches;
	v.processes = c.forks;
	v.running = kstat_nr_running();
	v.btime = 0;
	text_stat(s, &v);
	return 0;
}

/* ---- /proc/cpuinfo, /proc/version -------------------------------------------- */

/* The online CPUs, as Linux lists them. A MIDR is read on its own CPU:
 * the one reading stands for all (the Pi's four cores are one kind). */
int proc_show_cpuinfo(struct seq *s, long id)
{
	struct cpuinfo_values v = {
		.cpu = 0, .timer_hz = timer_freq(), .hwcaps = cpu_hwcaps(),
		.midr = cpu_midr(), .hwcap_name = cpu_hwcap_name,
	};

	(void)id;
	for (v.cpu = 0; v.cpu < nr_cpus_online; v.cpu++)
		text_cpuinfo(s, &v);
	return 0;
}

/* init/version.c's linux_proc_banner, with uname's release and version. */
int proc_show_version(struct seq *s, long id)
{
	(void)id;
	seq_printf(s, "%s version %s (bramble@%s) (gcc (GCC) %s) %s\n", UTS_SYSNAME, UTS_RELEASE,
		   uts_hostname(), __VERSION__, UTS_VERSION);
	return 0;
}

/* ---- /proc/mounts, /proc/filesystems ----------------------------------------- */

/* One line per mount, in mount order: line() gets the mount point's path
 * and the file system's options (",size=...", or ""). */
typedef void mount_line_fn(struct seq *s, const struct super_block *sb, const char *path,
			   const char *opts);

static int show_mount_table(struct seq *s, mount_line_fn *line)
{
	char *path = kalloc(FS_PATH_MAX);
	char opts[256];

	if (!path)
		return -ENOMEM;
	for (struct super_block *sb = mount_list; sb; sb = sb->next_mount) {
		if (!sb->covered || dentry_path(sb->covered, path, FS_PATH_MAX) < 0)
			strcpy(path, "/");
		opts[0] = 0;
		if (sb->ops && sb->ops->show_options && sb->ops->show_options(sb, opts, sizeof(opts)) < 0)
			opts[0] = 0;
		opts[sizeof(opts) - 1] = 0;
		line(s, sb, path, opts);
	}
	kfree(path);
	return 0;
}

static void mounts_line(struct seq *s, const struct super_block *sb, const char *path,
			const char *opts)
{
	text_mount(s, sb->source, path, sb->type->name, sb->flags, opts);
}

/* Its parent is the mount its mount point lies in (itself for "/"). */
static void mountinfo_line(struct seq *s, const struct super_block *sb, const char *path,
			   const char *opts)
{
	int parent = sb->covered && sb->covered->sb ? sb->covered->sb->mnt_id : sb->mnt_id;

	text_mountinfo(s, sb->mnt_id, parent, sb->dev, path, sb->type->name, sb->source,
		       sb->flags, opts);
}

int proc_show_mounts(struct seq *s, long id)
{
	(void)id;
	return show_mount_table(s, mounts_line);
}

int proc_show_mountinfo(struct seq *s, long id)
{
	(void)id;
	return show_mount_table(s, mountinfo_line);
}

static void one_type(const struct fs_type *t, void *arg)
{
	seq_printf(arg, "%s\t%s\n", t->nodev ? "nodev" : "", t->name);
}

int proc_show_filesystems(struct seq *s, long id)
{
	(void)id;
	fs_for_each_type(one_type, s);
	return 0;
}

/* ---- /proc/self ---------------------------------------------------------------- */

/* /proc/self names the process (a thread's is its group's), as Linux. */
long proc_self_readlink(long id, char *buf, size_t size)
{
	char text[16];
	int n = ksnprintf(text, sizeof(text), "%d", current->tgid);

	(void)id;
	return proc_readlink_text(text, (size_t)n, buf, size);
}

/* /proc/thread-self: the calling thread's directory, PID/task/TID. */
long proc_thread_self_readlink(long id, char *buf, size_t size)
{
	char text[40];
	int n = ksnprintf(text, sizeof(text), "%d/task/%d", current->tgid, current->pid);

	(void)id;
	return proc_readlink_text(text, (size_t)n, buf, size);
}

/* ---- /proc/sys -------------------------------------------------------------------- */

/* The commit limit is always enforced: Linux's OVERCOMMIT_NEVER. */
static int show_overcommit(struct seq *s, long id)
{
	(void)id;
	seq_puts(s, "2\n");
	return 0;
}

static int show_ostype(struct seq *s, long id)
{
	(void)id;
	seq_puts(s, UTS_SYSNAME "\n");
	return 0;
}

static int show_osrelease(struct seq *s, long id)
{
	(void)id;
	seq_puts(s, UTS_RELEASE "\n");
	return 0;
}

static int show_kversion(struct seq *s, long id)
{
	(void)id;
	seq_puts(s, UTS_VERSION "\n");
	return 0;
}

static int show_hostname(struct seq *s, long id)
{
	(void)id;
	seq_printf(s, "%s\n", uts_hostname());
	return 0;
}

static int show_domainname(struct seq *s, long id)
{
	(void)id;
	seq_printf(s, "%s\n", uts_domainname());
	return 0;
}

/* A write sets the name, as sethostname: up to the first newline, at most
 * 64 bytes (Linux's proc_dostring takes one write from position 0). */
static size_t name_len(const char *buf, size_t n)
{
	size_t len = 0;

	while (len < n && buf[len] != '\n' && buf[len] != 0)
		len++;
	return len;
}

static long write_hostname(long id, const char *buf, size_t n)
{
	size_t len = name_len(buf, n);

	(void)id;
	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	uts_set_hostname(buf, len);
	return (long)n;
}

static long write_domainname(long id, const char *buf, size_t n)
{
	size_t len = name_len(buf, n);

	(void)id;
	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	uts_set_domainname(buf, len);
	return (long)n;
}

static const struct proc_entry sys_kernel_children[] = {
	{ .name = "ostype", .mode = S_IFREG | 0444, .show = show_ostype },
	{ .name = "osrelease", .mode = S_IFREG | 0444, .show = show_osrelease },
	{ .name = "version", .mode = S_IFREG | 0444, .show = show_kversion },
	{ .name = "hostname", .mode = S_IFREG | 0644, .show = show_hostname,
	  .write = write_hostname },
	{ .name = "domainname", .mode = S_IFREG | 0644, .show = show_domainname,
	  .write = write_domainname },
};

static const struct proc_entry sys_vm_children[] = {
	{ .name = "overcommit_memory", .mode = S_IFREG | 0444, .show = show_overcommit },
};

const struct proc_entry proc_sys_children[PROC_SYS_NCHILDREN] = {
	{ .name = "kernel", .mode = S_IFDIR | 0555, .children = sys_kernel_children,
	  .nchildren = sizeof(sys_kernel_children) / sizeof(sys_kernel_children[0]) },
	{ .name = "vm", .mode = S_IFDIR | 0555, .children = sys_vm_children,
	  .nchildren = sizeof(sys_vm_children) / sizeof(sys_vm_children[0]) },
};
