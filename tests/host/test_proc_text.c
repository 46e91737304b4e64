/* Host tests of /proc's text buffer and its formatters (fs/proc/seq.c, text.c). */
#include "fs/proc/seq.h"
#include "fs/proc/text.h"
#include "lib/uapi/mman.h"
#include "tests/host/check.h"
#include <string.h>

static char buf[8192];

static const char *text(struct seq *s)
{
	buf[s->len < sizeof(buf) ? s->len : sizeof(buf) - 1] = 0;
	return buf;
}

#define SAME(name, s, want) \
	check(!(s)->overflow && strcmp(text(s), want) == 0, name, "got '%s', want '%s'", text(s), want)

static int count_fields(const char *t)
{
	int n = 0;
	for (bool in = false; *t; t++) {
		bool sp = *t == ' ' || *t == '\n';
		if (!sp && !in)
			n++;
		in = !sp;
	}
	return n;
}

static const char *names(unsigned bit)
{
	static const char *const n[] = { "fp", "asimd", "evtstrm", "aes" };
	return bit < 4 ? n[bit] : NULL;
}

int main(void)
{
	struct seq s;

	seq_init(&s, buf, sizeof(buf));
	seq_printf(&s, "%s=%d %lu %5s|", "a", -3, (unsigned long)18446744073709551615UL, "x");
	seq_putc(&s, 'c');
	seq_puts(&s, "d");
	SAME("proc.seq.printf", &s, "a=-3 18446744073709551615     x|cd");

	char small[8];
	seq_init(&s, small, sizeof(small));
	seq_printf(&s, "%s", "0123456789");
	check(s.overflow && s.len == 8 && memcmp(small, "01234567", 8) == 0, "proc.seq.overflow",
	      "overflow %d len %zu", s.overflow, s.len);
	seq_init(&s, small, sizeof(small));
	seq_write(&s, "0123456", 7);
	check(!s.overflow && s.len == 7, "proc.seq.fits", "overflow %d len %zu", s.overflow, s.len);

	seq_init(&s, buf, sizeof(buf));
	seq_escape(&s, "a b\tc\\d\ne", " \t\n\\");
	SAME("proc.seq.escape", &s, "a\\040b\\011c\\134d\\012e");

	seq_init(&s, buf, sizeof(buf));
	seq_setwidth(&s, 6);
	seq_puts(&s, "ab");
	seq_pad(&s, '|');
	SAME("proc.seq.pad", &s, "ab    |");

	seq_init(&s, buf, sizeof(buf));
	seq_sigset(&s, "SigBlk:\t", 1UL << 16 | 1);
	SAME("proc.seq.sigset", &s, "SigBlk:\t0000000000010001\n");

	struct meminfo_values mi = { .total = 1014800, .free = 123, .commit_limit = 7,
				     .heap_total = 4096, .heap_free = 1000 };
	seq_init(&s, buf, sizeof(buf));
	text_meminfo(&s, &mi);
	check(strncmp(text(&s), "MemTotal:        1014800 kB\nMemFree:             123 kB\n", 55) == 0,
	      "proc.meminfo.head", "got '%.60s'", text(&s));
	check(strstr(text(&s), "\nCommitLimit:           7 kB\n") &&
	      strstr(text(&s), "\nKernelHeapTotal:    4096 kB\nKernelHeapFree:     1000 kB\n"),
	      "proc.meminfo.lines", "got '%s'", text(&s));

	seq_init(&s, buf, sizeof(buf));
	text_uptime(&s, 12345678901ULL, 5000000000ULL);
	SAME("proc.uptime", &s, "12.34 5.00\n");

	uint64_t avg[3] = { 2048, 1024 + 20, 0 };
	seq_init(&s, buf, sizeof(buf));
	text_loadavg(&s, avg, 1, 5, 42);
	SAME("proc.loadavg", &s, "1.00 0.51 0.00 1/5 42\n");

	struct stat_values st = { .ncpu = 2, .cpu = { { 150, 0, 30 }, { 7, 0, 173 } }, .intr = 9,
				  .ctxt = 77, .processes = 5, .running = 1 };
	seq_init(&s, buf, sizeof(buf));
	text_stat(&s, &st);
	SAME("proc.stat", &s, "cpu  157 0 0 203 0 0 0 0 0 0\ncpu0 150 0 0 30 0 0 0 0 0 0\n"
	     "cpu1 7 0 0 173 0 0 0 0 0 0\n"
	     "intr 9\nctxt 77\nbtime 0\nprocesses 5\nprocs_running 1\nprocs_blocked 0\n"
	     "softirq 0 0 0 0 0 0 0 0 0 0 0\n");

	struct cpuinfo_values ci = { .cpu = 0, .timer_hz = 62500000, .hwcaps = 0xb,
				     .midr = 0x410fd034, .hwcap_name = names };
	seq_init(&s, buf, sizeof(buf));
	text_cpuinfo(&s, &ci);
	SAME("proc.cpuinfo", &s, "processor\t: 0\nBogoMIPS\t: 125.00\nFeatures\t: fp asimd aes\n"
	     "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\n"
	     "CPU part\t: 0xd03\nCPU revision\t: 4\n\n");

	seq_init(&s, buf, sizeof(buf));
	text_mount(&s, "proc", "/proc", "proc", 2 | 4 | 8 | (1u << 21), "");
	text_mount(&s, "none", "/my dir", "tmpfs", 1, ",size=1024k,mode=1777");
	SAME("proc.mounts", &s, "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
	     "none /my\\040dir tmpfs ro,size=1024k,mode=1777 0 0\n");

	/* proc_pid_mountinfo(5)'s example shape: IDs, major:minor, root, point,
	 * per-mount options, "-", type, source, super options. */
	seq_init(&s, buf, sizeof(buf));
	text_mountinfo(&s, 1, 1, (0u << 20) | 1, "/", "tmpfs", "tmpfs", 0, ",size=100%,mode=755");
	text_mountinfo(&s, 3, 1, (0u << 20) | 3, "/my dir", "proc", "proc", 1 | 2 | 4 | 8, "");
	SAME("proc.mountinfo", &s, "1 1 0:1 / / rw - tmpfs tmpfs rw,size=100%,mode=755\n"
	     "3 1 0:3 / /my\\040dir ro,nosuid,nodev,noexec - proc proc ro\n");

	struct meminfo_values mv = { .free = 400, .cached = 8, .shmem = 8, .page_tables = 12,
				     .kernel_stack = 64 };
	seq_init(&s, buf, sizeof(buf));
	text_vmstat(&s, &mv);
	SAME("proc.vmstat", &s, "nr_free_pages 100\nnr_file_pages 2\nnr_shmem 2\n"
	     "nr_page_table_pages 3\nnr_kernel_stack 64\npgpgin 0\npgpgout 0\npswpin 0\npswpout 0\n");

	struct pid_values pv = {
		.pid = 7, .ppid = 1, .pgrp = 7, .session = 1, .comm = "sh", .state = 'S',
		.tty_nr = 0x501, .tty_pgrp = 7, .utime = 3, .threads = 1, .start_time = 250,
		.priority = 25, .nice = 5,
		.has_mm = true, .vsize = 1 << 20, .rss = 12, .rsslim = UINT64_MAX,
		.sig_blocked = 1 << 1, .sig_caught = 1UL << 16 | 1UL << 40, .sleeping = true,
		.umask = 022, .fd_size = 64, .vm_peak = 256, .vm_size = 256, .vm_rss = 12,
		.vm_data = 5, .vm_stk = 33, .vm_exe = 100, .vm_pte = 3, .sigq_limit = 1024,
	};
	seq_init(&s, buf, sizeof(buf));
	text_pid_stat(&s, &pv);
	check(count_fields(text(&s)) == 52, "proc.pid.stat-52-fields", "%d fields in '%s'",
	      count_fields(text(&s)), text(&s));
	check(strncmp(text(&s), "7 (sh) S 1 7 1 1281 7 0 0 0 0 0 3 0 0 0 25 5 1 0 250 1048576 12 "
		      "18446744073709551615 0 0 0 0 0 0 2 0 65536 1 0 0 17 0 0 0 0 0 0 ", 123) == 0,
	      "proc.pid.stat", "got '%s'", text(&s));

	/* A real-time process: priority -1 - rt_priority, then rt_priority and policy. */
	struct pid_values rt = pv;
	rt.priority = -51, rt.nice = 0, rt.rt_priority = 50, rt.policy = 2;
	seq_init(&s, buf, sizeof(buf));
	text_pid_stat(&s, &rt);
	check(strstr(text(&s), " 0 0 0 3 0 0 0 -51 0 1 0 250 ") &&
	      strstr(text(&s), " 1 0 0 17 0 50 2 0 0 0 "), "proc.pid.stat-rt", "got '%s'", text(&s));

	seq_init(&s, buf, sizeof(buf));
	text_pid_status(&s, &pv);
	check(strncmp(text(&s), "Name:\tsh\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t7\nNgid:\t0\n"
		      "Pid:\t7\nPPid:\t1\nTracerPid:\t0\nUid:\t0\t0\t0\t0\n", 90) == 0 &&
	      strstr(text(&s), "\nVmSize:\t    1024 kB\n") && strstr(text(&s), "\nVmStk:\t     132 kB\n") &&
	      strstr(text(&s), "\nSigCgt:\t0000010000010000\n") && strstr(text(&s), "\nGroups:\t \n"),
	      "proc.pid.status", "got '%s'", text(&s));

	seq_init(&s, buf, sizeof(buf));
	text_pid_statm(&s, &pv);
	SAME("proc.pid.statm", &s, "256 12 0 100 0 38 0\n");

	struct map_values m1 = { 0x7fefefc000, 0x7fefefd000, PROT_READ | PROT_EXEC, false, 0, 0, 0,
				 0, "[vdso]" };
	struct map_values m2 = { 0x10000, 0x11000, PROT_READ | PROT_WRITE, true, 0x3000, 8, 2, 173,
				 NULL };
	seq_init(&s, buf, sizeof(buf));
	text_map(&s, &m1);
	text_map(&s, &m2);
	/* show_map_vma: the name starts at index 73 (setwidth 72, then a space), as
	 * "7ffd8a1e0000-7ffd8a201000 rw-p 00000000 00:00 0" + 26 spaces + "[stack]". */
	const char *nl = strchr(text(&s), '\n');
	check(nl && strncmp(text(&s), "7fefefc000-7fefefd000 r-xp 00000000 00:00 0 ", 44) == 0 &&
	      strncmp(text(&s) + 73, "[vdso]\n", 7) == 0 && strspn(text(&s) + 44, " ") == 29 &&
	      strcmp(nl + 1, "00010000-00011000 rw-s 00003000 08:02 173 \n") == 0,
	      "proc.pid.maps", "got '%s'", text(&s));

	struct fdinfo_values fi = { 5, 02 | 02000000, 1, 9 };
	seq_init(&s, buf, sizeof(buf));
	text_fdinfo(&s, &fi);
	SAME("proc.pid.fdinfo", &s, "pos:\t5\nflags:\t02000002\nmnt_id:\t1\nino:\t9\n");
	return check_exit_status();
}
