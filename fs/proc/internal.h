/*
 * procfs inside: a tree of entries. Every inode procfs makes stands for one
 * entry (inode->priv) and one number (inode->priv_id): the pid for the
 * files of /proc/PID, the pid and the fd (PROC_FD_ID) under fd/ and
 * fdinfo/, 0 elsewhere. Directories have fixed children and may have
 * dynamic ones (pids, fds) that a proc_dyn names and counts.
 */
#ifndef BRAMBLE_PROC_INTERNAL_H
#define BRAMBLE_PROC_INTERNAL_H
#include "fs/proc/proc_fs.h"
#include "fs/proc/seq.h"
#include "fs/file.h"

struct proc;
struct proc_entry;

#define PROC_FD_ID(pid, fd)  (((long)(fd) << 32) | (long)(uint32_t)(pid))
#define PROC_ID_PID(id)      ((int)((id) & 0xffffffff))
#define PROC_ID_FD(id)       ((unsigned)((uint64_t)(id) >> 32))
#define PROC_FRESH_MAX 64

/* A directory's names beyond its fixed children, in rising key order (the
 * key is the pid or the fd: readdir's cursor past the fixed entries). */
struct proc_dyn {
	/* The entry and number name stands for in directory dir_id, or -ENOENT. */
	int (*lookup)(long dir_id, const char *name, size_t len, const struct proc_entry **e,
		      long *id);
	/* The first name with a key >= *key: *key, its name (NUL-terminated),
	 * entry and number; false when there is none. */
	bool (*next)(long dir_id, uint64_t *key, char *name, size_t size,
		     const struct proc_entry **e, long *id);
};

struct proc_entry {
	const char *name;
	uint32_t mode;                          /* S_IF* | permissions */
	/* Per-process entries: gone (-ENOENT on lookup, -ESRCH on open) once
	 * the process is. */
	bool per_pid;
	/* Regular files: the text, into s (generated again into a larger
	 * buffer when it overflows); 0 or -errno. */
	int (*show)(struct seq *s, long id);
	/* show's text is made again at every read, into PROC_FRESH_MAX bytes
	 * on the stack: for a value that changes under its reader without
	 * any allocation to read it (fail-nth). */
	bool fresh;
	/* Writable files (sysctl-like): the new value; bytes taken or -errno. */
	long (*write)(long id, const char *buf, size_t n);
	/* Symlinks: the target text, no NUL, truncated to size; length or -errno. */
	long (*readlink)(long id, char *buf, size_t size);
	/* Magic links: what the link stands for (inode_ops.magic_link). */
	struct dentry *(*magic)(long id, struct file **file);
	/* The mode when it depends on the object (fd links), or NULL. */
	uint32_t (*mode_of)(long id);
	/* Directories. */
	const struct proc_entry *children;
	size_t nchildren;
	const struct proc_dyn *dyn;
};

/* fs/proc/root.c */
extern const struct proc_entry proc_root_entry;
/* Copies text (len bytes) into a readlink buffer: the length copied. */
long proc_readlink_text(const char *text, size_t len, char *buf, size_t size);
/* A readlink of a dentry's path (dentry_path), truncated to size. */
long proc_readlink_dentry(struct dentry *d, char *buf, size_t size);
/* Parses a decimal name without sign or leading zeros: false if it is not one. */
bool proc_parse_number(const char *name, size_t len, uint64_t *out);

/* fs/proc/files.c: the system-wide entries, /proc/sys. */
#define PROC_SYS_NCHILDREN 2
extern const struct proc_entry proc_sys_children[PROC_SYS_NCHILDREN];
int proc_show_meminfo(struct seq *s, long id);
int proc_show_uptime(struct seq *s, long id);
int proc_show_loadavg(struct seq *s, long id);
int proc_show_stat(struct seq *s, long id);
int proc_show_cpuinfo(struct seq *s, long id);
int proc_show_version(struct seq *s, long id);
int proc_show_mounts(struct seq *s, long id);
int proc_show_mountinfo(struct seq *s, long id);
int proc_show_vmstat(struct seq *s, long id);
int proc_show_filesystems(struct seq *s, long id);
long proc_self_readlink(long id, char *buf, size_t size);
long proc_thread_self_readlink(long id, char *buf, size_t size);

/* fs/proc/allocsites.c: the allocation sites. */
int proc_show_kheapinfo(struct seq *s, long id);
int proc_show_allocsites(struct seq *s, long id);

/* fs/proc/irq_latency.c: the timer interrupts' lateness. */
int proc_show_irq_latency(struct seq *s, long id);
long proc_write_irq_latency(long id, const char *buf, size_t n);

/* fs/proc/pid.c: /proc/PID. */
extern const struct proc_dyn proc_pid_dyn;
/* The live (or zombie) process pid, or NULL. */
struct proc *proc_pid_find(long id);
#endif
