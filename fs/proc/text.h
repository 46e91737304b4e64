/*
 * The text of /proc's files from plain values, field for field as Linux
 * 6.1 formats them (fs/proc/meminfo.c, stat.c, uptime.c, loadavg.c,
 * array.c, task_mmu.c; arch/arm64/kernel/cpuinfo.c). The files that
 * gather the values (fs/proc/files.c, pid.c) read the kernel's state;
 * these functions only write, so they are host-tested.
 */
#ifndef BRAMBLE_PROC_TEXT_H
#define BRAMBLE_PROC_TEXT_H
#include "fs/proc/seq.h"

#define USER_HZ 100   /* clock ticks of /proc's times (AT_CLKTCK) */

/* ---- system-wide files ---------------------------------------------------- */

/* All in KiB. */
struct meminfo_values {
	uint64_t total, free, available;
	uint64_t cached, shmem;          /* tmpfs pages (Linux counts them in both) */
	uint64_t slab;                   /* the kernel heap's used bytes (unreclaimable) */
	uint64_t kernel_stack, page_tables;
	uint64_t commit_limit, committed;
	uint64_t heap_total, heap_free;  /* Bramble's own lines */
};
void text_meminfo(struct seq *s, const struct meminfo_values *v);
/* /proc/vmstat from the same figures (in pages; no swap, no block I/O). */
void text_vmstat(struct seq *s, const struct meminfo_values *v);

void text_uptime(struct seq *s, uint64_t uptime_ns, uint64_t idle_ns);
/* avg: fixed point with 11 fraction bits (kernel/kstat.h). */
void text_loadavg(struct seq *s, const uint64_t avg[3], int running, int total, int last_pid);

#define STAT_MAX_CPUS 8
struct stat_cpu_times {
	uint64_t user, system, idle;     /* USER_HZ ticks */
};
struct stat_values {
	int ncpu;                        /* the cpuN lines; "cpu " is their sum */
	struct stat_cpu_times cpu[STAT_MAX_CPUS];
	uint64_t intr, ctxt, btime, processes;
	int running, blocked;
};
void text_stat(struct seq *s, const struct stat_values *v);

struct cpuinfo_values {
	int cpu;
	uint64_t timer_hz;               /* CNTFRQ: BogoMIPS as arm64 Linux derives it */
	uint64_t hwcaps;                 /* AT_HWCAP */
	uint64_t midr;
	const char *(*hwcap_name)(unsigned bit);
};
/* One CPU's block, ending with an empty line. */
void text_cpuinfo(struct seq *s, const struct cpuinfo_values *v);

/* One /proc/mounts line: source, mount point, type, the mount flags
 * (MS_RDONLY, MS_NOSUID, ...: rw/ro and Linux's option words) and the
 * filesystem's own options (each with a leading comma; may be ""). */
/* One line of /proc/PID/mountinfo (proc_pid_mountinfo(5)): IDs, device,
 * root "/", mount point, per-mount options, "-", type, source, the super
 * block's options (rw or ro, then options, which starts with ','). */
void text_mountinfo(struct seq *s, int id, int parent, uint32_t dev, const char *mountpoint,
		    const char *type, const char *source, uint32_t ms_flags, const char *options);
void text_mount(struct seq *s, const char *source, const char *mountpoint, const char *type,
		uint32_t ms_flags, const char *options);

/* ---- per process ----------------------------------------------------------- */

struct pid_values {
	int pid, ppid, pgrp, session;
	const char *comm;
	char state;                      /* R S T Z */
	int tty_nr, tty_pgrp;            /* 0 and -1 without a controlling terminal */
	uint64_t utime, stime, cutime, cstime;   /* USER_HZ ticks */
	int threads;
	int processor;                   /* the CPU it runs or last ran on */
	int priority, nice;              /* Linux's task_prio (20 + nice, or -1 - rt priority) */
	unsigned rt_priority, policy;
	uint64_t start_time;             /* USER_HZ ticks after boot */
	bool has_mm;                     /* zombies have none: their memory fields are 0 */
	uint64_t vsize;                  /* bytes */
	uint64_t rss;                    /* pages */
	uint64_t rsslim;
	uint64_t start_code, end_code, start_stack;
	uint64_t start_data, end_data, start_brk, arg_start, arg_end, env_start, env_end;
	uint64_t sig_pending, sig_shared_pending, sig_blocked, sig_ignored, sig_caught;
	bool sleeping;                   /* wchan: 1 when not running */
	int exit_code;                   /* its wait status, once a zombie */
	/* status */
	uint32_t umask;
	uint32_t uid, euid, suid, fsuid;   /* the credentials, as Linux's Uid: line */
	uint32_t gid, egid, sgid, fsgid;
	bool capable;                      /* root's capabilities (euid 0) */
	unsigned fd_size;
	/* pages */
	uint64_t vm_peak, vm_size, vm_hwm, vm_rss, vm_data, vm_stk, vm_exe, vm_pte;
	unsigned sigq;
	uint64_t sigq_limit;
};
void text_pid_stat(struct seq *s, const struct pid_values *v);
void text_pid_status(struct seq *s, const struct pid_values *v);
/* size resident shared text lib data dt, in pages */
void text_pid_statm(struct seq *s, const struct pid_values *v);

struct map_values {
	uint64_t start, end;
	uint32_t prot;                   /* PROT_* */
	bool shared;
	uint64_t offset;                 /* bytes into its object */
	uint32_t major, minor;
	uint64_t ino;
	const char *name;                /* [heap], [stack], a path, or NULL */
};
void text_map(struct seq *s, const struct map_values *m);

struct fdinfo_values {
	uint64_t pos;
	uint32_t flags;                  /* open flags, O_CLOEXEC added for a close-on-exec fd */
	int mnt_id;
	uint64_t ino;
};
void text_fdinfo(struct seq *s, const struct fdinfo_values *v);
#endif
