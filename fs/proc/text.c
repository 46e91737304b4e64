/* The text of /proc's files, as Linux 6.1 writes them (see fs/proc/text.h). */
#include "fs/proc/text.h"
#include "lib/uapi/mman.h"

#define NSEC_PER_SEC 1000000000UL

/* ---- /proc/meminfo (fs/proc/meminfo.c) ------------------------------------ */

/* show_val_kb: the label padded to 16 columns, the value to 8. */
static void kb(struct seq *s, const char *label, uint64_t v)
{
	seq_printf(s, "%-16s%8lu kB\n", label, (unsigned long)v);
}

void text_meminfo(struct seq *s, const struct meminfo_values *v)
{
	kb(s, "MemTotal:", v->total);
	kb(s, "MemFree:", v->free);
	kb(s, "MemAvailable:", v->available);
	kb(s, "Buffers:", 0);
	kb(s, "Cached:", v->cached);
	kb(s, "SwapCached:", 0);
	/* No LRU lists: nothing is ever reclaimed or swapped. */
	kb(s, "Active:", 0);
	kb(s, "Inactive:", 0);
	kb(s, "Active(anon):", 0);
	kb(s, "Inactive(anon):", 0);
	kb(s, "Active(file):", 0);
	kb(s, "Inactive(file):", 0);
	kb(s, "Unevictable:", 0);
	kb(s, "Mlocked:", 0);
	kb(s, "SwapTotal:", 0);
	kb(s, "SwapFree:", 0);
	kb(s, "Dirty:", 0);
	kb(s, "Writeback:", 0);
	kb(s, "AnonPages:", 0);
	kb(s, "Mapped:", 0);
	kb(s, "Shmem:", v->shmem);
	kb(s, "KReclaimable:", 0);
	kb(s, "Slab:", v->slab);
	kb(s, "SReclaimable:", 0);
	kb(s, "SUnreclaim:", v->slab);
	kb(s, "KernelStack:", v->kernel_stack);
	kb(s, "PageTables:", v->page_tables);
	kb(s, "SecPageTables:", 0);
	kb(s, "NFS_Unstable:", 0);
	kb(s, "Bounce:", 0);
	kb(s, "WritebackTmp:", 0);
	kb(s, "CommitLimit:", v->commit_limit);
	kb(s, "Committed_AS:", v->committed);
	kb(s, "VmallocTotal:", 0);
	kb(s, "VmallocUsed:", 0);
	kb(s, "VmallocChunk:", 0);
	kb(s, "Percpu:", 0);
	kb(s, "KernelHeapTotal:", v->heap_total);
	kb(s, "KernelHeapFree:", v->heap_free);
}

/* ---- /proc/uptime, /proc/loadavg, /proc/stat ----------------------------- */

void text_vmstat(struct seq *s, const struct meminfo_values *v)
{
	uint64_t kb = 4;   /* a page */

	seq_printf(s, "nr_free_pages %lu\n", (unsigned long)(v->free / kb));
	seq_printf(s, "nr_file_pages %lu\n", (unsigned long)(v->cached / kb));
	seq_printf(s, "nr_shmem %lu\n", (unsigned long)(v->shmem / kb));
	seq_printf(s, "nr_page_table_pages %lu\n", (unsigned long)(v->page_tables / kb));
	seq_printf(s, "nr_kernel_stack %lu\n", (unsigned long)v->kernel_stack);   /* in KiB, as Linux */
	/* No block device and no swap: nothing is ever paged in or out. */
	seq_puts(s, "pgpgin 0\npgpgout 0\npswpin 0\npswpout 0\n");
}

void text_uptime(struct seq *s, uint64_t uptime_ns, uint64_t idle_ns)
{
	seq_printf(s, "%lu.%02lu %lu.%02lu\n",
		   (unsigned long)(uptime_ns / NSEC_PER_SEC),
		   (unsigned long)(uptime_ns % NSEC_PER_SEC / (NSEC_PER_SEC / 100)),
		   (unsigned long)(idle_ns / NSEC_PER_SEC),
		   (unsigned long)(idle_ns % NSEC_PER_SEC / (NSEC_PER_SEC / 100)));
}

#define FSHIFT 11
#define FIXED_1 (1UL << FSHIFT)
#define LOAD_INT(x) ((unsigned long)((x) >> FSHIFT))
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

void text_loadavg(struct seq *s, const uint64_t avg[3], int running, int total, int last_pid)
{
	uint64_t a[3];

	for (int i = 0; i < 3; i++)
		a[i] = avg[i] + FIXED_1 / 200;   /* get_avenrun's rounding */
	seq_printf(s, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%d %d\n",
		   LOAD_INT(a[0]), LOAD_FRAC(a[0]), LOAD_INT(a[1]), LOAD_FRAC(a[1]),
		   LOAD_INT(a[2]), LOAD_FRAC(a[2]), (unsigned)running, total, last_pid);
}

static void cpu_times(struct seq *s, const struct stat_cpu_times *t)
{
	/* user nice system idle iowait irq softirq steal guest guest_nice */
	seq_printf(s, " %lu 0 %lu %lu 0 0 0 0 0 0\n", (unsigned long)t->user,
		   (unsigned long)t->system, (unsigned long)t->idle);
}

void text_stat(struct seq *s, const struct stat_values *v)
{
	struct stat_cpu_times all = { 0, 0, 0 };

	for (int i = 0; i < v->ncpu; i++) {
		all.user += v->cpu[i].user;
		all.system += v->cpu[i].system;
		all.idle += v->cpu[i].idle;
	}
	seq_puts(s, "cpu ");
	cpu_times(s, &all);
	for (int i = 0; i < v->ncpu; i++) {
		seq_printf(s, "cpu%d", i);
		cpu_times(s, &v->cpu[i]);
	}
	/* The per-interrupt counts are not kept: the total only. */
	seq_printf(s, "intr %lu\n", (unsigned long)v->intr);
	seq_printf(s, "ctxt %lu\nbtime %lu\nprocesses %lu\nprocs_running %u\nprocs_blocked %u\n",
		   (unsigned long)v->ctxt, (unsigned long)v->btime, (unsigned long)v->processes,
		   (unsigned)v->running, (unsigned)v->blocked);
	seq_puts(s, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
}

/* ---- /proc/cpuinfo (arch/arm64/kernel/cpuinfo.c c_show) ------------------- */

#define MIDR_REVISION(m)    ((unsigned)((m) & 0xf))
#define MIDR_PARTNUM(m)     ((unsigned)(((m) >> 4) & 0xfff))
#define MIDR_VARIANT(m)     ((unsigned)(((m) >> 20) & 0xf))
#define MIDR_IMPLEMENTOR(m) ((unsigned)(((m) >> 24) & 0xff))

void text_cpuinfo(struct seq *s, const struct cpuinfo_values *v)
{
	/* loops_per_jiffy is the timer's rate over HZ, as arm64 calibrates it. */
	uint64_t lpj = v->timer_hz / USER_HZ;

	seq_printf(s, "processor\t: %d\n", v->cpu);
	seq_printf(s, "BogoMIPS\t: %lu.%02lu\n", (unsigned long)(lpj / (500000 / USER_HZ)),
		   (unsigned long)(lpj / (5000 / USER_HZ) % 100));
	seq_puts(s, "Features\t:");
	for (unsigned bit = 0; bit < 64; bit++) {
		const char *name = v->hwcap_name ? v->hwcap_name(bit) : NULL;
		if ((v->hwcaps >> bit & 1) && name)
			seq_printf(s, " %s", name);
	}
	seq_puts(s, "\n");
	seq_printf(s, "CPU implementer\t: 0x%02x\n", MIDR_IMPLEMENTOR(v->midr));
	seq_printf(s, "CPU architecture: 8\n");
	seq_printf(s, "CPU variant\t: 0x%x\n", MIDR_VARIANT(v->midr));
	seq_printf(s, "CPU part\t: 0x%03x\n", MIDR_PARTNUM(v->midr));
	seq_printf(s, "CPU revision\t: %u\n\n", MIDR_REVISION(v->midr));
}

/* ---- /proc/mounts (fs/proc_namespace.c show_vfsmnt) ------------------------ */

/* mount(2)'s flags (Linux's MS_*, include/uapi/linux/mount.h). */
#define MS_RDONLY      1u
#define MS_NOSUID      2u
#define MS_NODEV       4u
#define MS_NOEXEC      8u
#define MS_SYNCHRONOUS 16u
#define MS_DIRSYNC     128u
#define MS_NOATIME     1024u
#define MS_NODIRATIME  2048u
#define MS_RELATIME    (1u << 21)

/* " rw" or " ro", then ",nosuid" and the other flags' words. */
static void mount_flags(struct seq *s, uint32_t ms_flags)
{
	static const struct { uint32_t flag; const char *word; } words[] = {
		{ MS_SYNCHRONOUS, ",sync" }, { MS_DIRSYNC, ",dirsync" },
		{ MS_NOSUID, ",nosuid" }, { MS_NODEV, ",nodev" }, { MS_NOEXEC, ",noexec" },
		{ MS_NOATIME, ",noatime" }, { MS_NODIRATIME, ",nodiratime" },
		{ MS_RELATIME, ",relatime" },
	};

	seq_puts(s, ms_flags & MS_RDONLY ? " ro" : " rw");
	for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (ms_flags & words[i].flag)
			seq_puts(s, words[i].word);
}

void text_mount(struct seq *s, const char *source, const char *mountpoint, const char *type,
		uint32_t ms_flags, const char *options)
{
	seq_escape(s, source && *source ? source : "none", " \t\n\\");
	seq_putc(s, ' ');
	seq_escape(s, mountpoint, " \t\n\\");
	seq_putc(s, ' ');
	seq_escape(s, type, " \t\n\\");
	mount_flags(s, ms_flags);
	if (options)
		seq_puts(s, options);
	seq_puts(s, " 0 0\n");
}

void text_mountinfo(struct seq *s, int id, int parent, uint32_t dev, const char *mountpoint,
		    const char *type, const char *source, uint32_t ms_flags, const char *options)
{
	seq_printf(s, "%d %d %u:%u / ", id, parent, (unsigned)(dev >> 20), (unsigned)(dev & 0xfffff));
	seq_escape(s, mountpoint, " \t\n\\");
	mount_flags(s, ms_flags);
	seq_puts(s, " - ");
	seq_escape(s, type, " \t\n\\");
	seq_putc(s, ' ');
	seq_escape(s, source && *source ? source : "none", " \t\n\\");
	seq_puts(s, ms_flags & MS_RDONLY ? " ro" : " rw");
	if (options)
		seq_puts(s, options);
	seq_putc(s, '\n');
}

/* ---- /proc/PID/stat, status, statm (fs/proc/array.c, task_mmu.c) ---------- */

/* Linux's get_task_state. */
static const char *state_name(char state)
{
	switch (state) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default:  return "X (dead)";
	}
}

void text_pid_stat(struct seq *s, const struct pid_values *v)
{
	bool mm = v->has_mm;

	seq_printf(s, "%d (%s) %c", v->pid, v->comm, v->state);
	seq_printf(s, " %d %d %d %d %d", v->ppid, v->pgrp, v->session, v->tty_nr, v->tty_pgrp);
	/* flags min_flt cmin_flt maj_flt cmaj_flt */
	seq_puts(s, " 0 0 0 0 0");
	seq_printf(s, " %lu %lu %ld %ld", (unsigned long)v->utime, (unsigned long)v->stime,
		   (long)v->cutime, (long)v->cstime);
	/* priority nice num_threads itrealvalue */
	seq_printf(s, " %d %d %d 0", v->priority, v->nice, v->threads);
	seq_printf(s, " %lu %lu %lu %lu", (unsigned long)v->start_time,
		   (unsigned long)(mm ? v->vsize : 0), (unsigned long)(mm ? v->rss : 0),
		   (unsigned long)v->rsslim);
	seq_printf(s, " %lu %lu %lu", (unsigned long)(mm ? v->start_code : 0),
		   (unsigned long)(mm ? v->end_code : 0), (unsigned long)(mm ? v->start_stack : 0));
	/* kstkesp kstkeip: 0 unless dumping core, as Linux */
	seq_puts(s, " 0 0");
	seq_printf(s, " %lu %lu %lu %lu", (unsigned long)((v->sig_pending | v->sig_shared_pending) & 0x7fffffffUL),
		   (unsigned long)(v->sig_blocked & 0x7fffffffUL),
		   (unsigned long)(v->sig_ignored & 0x7fffffffUL),
		   (unsigned long)(v->sig_caught & 0x7fffffffUL));
	/* wchan nswap cnswap exit_signal (SIGCHLD) processor */
	seq_printf(s, " %d 0 0 17 %d", v->sleeping ? 1 : 0, v->processor);
	/* rt_priority policy delayacct_blkio_ticks guest_time cguest_time */
	seq_printf(s, " %u %u 0 0 0", v->rt_priority, v->policy);
	if (mm)
		seq_printf(s, " %lu %lu %lu %lu %lu %lu %lu", (unsigned long)v->start_data,
			   (unsigned long)v->end_data, (unsigned long)v->start_brk,
			   (unsigned long)v->arg_start, (unsigned long)v->arg_end,
			   (unsigned long)v->env_start, (unsigned long)v->env_end);
	else
		seq_puts(s, " 0 0 0 0 0 0 0");
	seq_printf(s, " %d\n", v->exit_code);
}

/* SEQ_PUT_DEC: pages as kB, right-aligned in 8. */
static void vm_line(struct seq *s, const char *label, uint64_t pages)
{
	seq_printf(s, "%s\t%8lu kB\n", label, (unsigned long)(pages * 4));
}

static void task_name(struct seq *s, const char *comm)
{
	for (; *comm; comm++) {
		if (*comm == '\n')
			seq_puts(s, "\\n");
		else if (*comm == '\\')
			seq_puts(s, "\\\\");
		else
			seq_putc(s, *comm);
	}
}

void text_pid_status(struct seq *s, const struct pid_values *v)
{
	seq_puts(s, "Name:\t");
	task_name(s, v->comm);
	seq_printf(s, "\nUmask:\t0%03o\n", v->umask & 0777);
	seq_printf(s, "State:\t%s\n", state_name(v->state));
	seq_printf(s, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", v->pid, v->pid,
		   v->ppid);
	seq_printf(s, "Uid:\t%u\t%u\t%u\t%u\n", v->uid, v->euid, v->suid, v->fsuid);
	seq_printf(s, "Gid:\t%u\t%u\t%u\t%u\n", v->gid, v->egid, v->sgid, v->fsgid);
	seq_printf(s, "FDSize:\t%u\n", v->fd_size);
	seq_puts(s, "Groups:\t \n");   /* no supplementary groups; Linux's trailing space */
	seq_printf(s, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", v->pid, v->pid,
		   v->pgrp, v->session);
	if (v->has_mm) {
		vm_line(s, "VmPeak:", v->vm_peak);
		vm_line(s, "VmSize:", v->vm_size);
		vm_line(s, "VmLck:", 0);
		vm_line(s, "VmPin:", 0);
		vm_line(s, "VmHWM:", v->vm_hwm);
		vm_line(s, "VmRSS:", v->vm_rss);
		vm_line(s, "RssAnon:", v->vm_rss);
		vm_line(s, "RssFile:", 0);
		vm_line(s, "RssShmem:", 0);
		vm_line(s, "VmData:", v->vm_data);
		vm_line(s, "VmStk:", v->vm_stk);
		vm_line(s, "VmExe:", v->vm_exe);
		vm_line(s, "VmLib:", 0);
		vm_line(s, "VmPTE:", v->vm_pte);
		vm_line(s, "VmSwap:", 0);
		seq_puts(s, "CoreDumping:\t0\n");
	}
	seq_printf(s, "Threads:\t%d\n", v->threads);
	seq_printf(s, "SigQ:\t%u/%lu\n", v->sigq, (unsigned long)v->sigq_limit);
	seq_sigset(s, "SigPnd:\t", v->sig_pending);
	seq_sigset(s, "ShdPnd:\t", v->sig_shared_pending);
	seq_sigset(s, "SigBlk:\t", v->sig_blocked);
	seq_sigset(s, "SigIgn:\t", v->sig_ignored);
	seq_sigset(s, "SigCgt:\t", v->sig_caught);
	/* Root has all 41 capabilities of 6.1 (CAP_LAST_CAP 40); a process
	 * that left euid 0 has none, as Linux without keepcaps; the bounding
	 * set stays full. */
	seq_printf(s, "CapInh:\t0000000000000000\nCapPrm:\t%s\nCapEff:\t%s\n",
		   v->capable ? "000001ffffffffff" : "0000000000000000",
		   v->capable ? "000001ffffffffff" : "0000000000000000");
	seq_puts(s, "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n");
	seq_puts(s, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
	/* PR_GET_SPECULATION_CTRL is not implemented: Linux's word for that. */
	seq_puts(s, "Speculation_Store_Bypass:\tunknown\nSpeculationIndirectBranch:\tunknown\n");
	seq_puts(s, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
	seq_puts(s, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
}

void text_pid_statm(struct seq *s, const struct pid_values *v)
{
	if (!v->has_mm) {
		seq_puts(s, "0 0 0 0 0 0 0\n");
		return;
	}
	seq_printf(s, "%lu %lu 0 %lu 0 %lu 0\n", (unsigned long)v->vm_size, (unsigned long)v->vm_rss,
		   (unsigned long)v->vm_exe, (unsigned long)(v->vm_data + v->vm_stk));
}

/* ---- /proc/PID/maps (task_mmu.c show_map_vma) ------------------------------ */

void text_map(struct seq *s, const struct map_values *m)
{
	seq_setwidth(s, 25 + sizeof(void *) * 6 - 1);
	seq_printf(s, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", (unsigned long)m->start,
		   (unsigned long)m->end, m->prot & PROT_READ ? 'r' : '-',
		   m->prot & PROT_WRITE ? 'w' : '-', m->prot & PROT_EXEC ? 'x' : '-',
		   m->shared ? 's' : 'p', (unsigned long)m->offset, m->major, m->minor,
		   (unsigned long)m->ino);
	if (m->name) {
		seq_pad(s, ' ');
		seq_puts(s, m->name);
	}
	seq_putc(s, '\n');
}

/* ---- /proc/PID/fdinfo/N (fs/proc/fd.c seq_show) ---------------------------- */

void text_fdinfo(struct seq *s, const struct fdinfo_values *v)
{
	seq_printf(s, "pos:\t%ld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n", (long)v->pos, v->flags,
		   v->mnt_id, (unsigned long)v->ino);
}
