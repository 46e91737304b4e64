/*
 * Bramble's first process.
 *
 *   init                  the interactive shell (below)
 *   init PROGRAM...       runs the programs, one after another
 *   init tests            runs every regular file of /bin/tests, in name order
 *
 * Without arguments (a plain boot, `make run`), init prints a banner and runs
 * busybox sh on the console as an interactive shell, starting a new one
 * whenever it exits. Each shell gets a session of its own (setsid) with the
 * console as its controlling terminal (TIOCSCTTY), so that it can do job
 * control; when the kernel cannot give it that (no sessions or process
 * groups), the shell is started with job control off (sh +m) instead.
 *   init: starting a shell on the console
 *   init: no job control: <why>                (then sh +m)
 *   init: the shell exited with status <N>; starting a new one
 *   init: the shell was killed by signal <N> (<SIGNAME>); starting a new one
 *
 * With arguments, each is one program to run; a program's own arguments may
 * be given in the same word, separated by spaces ("/bin/cat /hello.txt").
 * A word without a '/' names a program in /bin; the word "tests" stands for
 * every regular file in /bin/tests, in name order (boot with "-- tests":
 * what make test does).
 *
 * For each program init prints what it runs, how it ended and the free
 * memory (sysinfo) before and after. A program fails unless it exits with
 * status 0. The exit status of init is the number of failures (at most 125).
 *
 * The lines printed:
 *   init: running <cmd>
 *   init: cannot execute <path>: <strerror>           (by the child, exit 127)
 *   init: <path> exited with status <N>
 *   init: <path> killed by signal <N> (<SIGNAME>)
 *   init: free memory before <K> KiB, after <K> KiB
 *   init: <N> programs, <F> failed
 * and, when something around the program goes wrong:
 *   init: cannot open /bin/tests: <strerror>
 *   init: cannot fork for <path>: <strerror>
 *   init: cannot wait for <path>: <strerror>
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <stdbool.h>

#define TESTS_DIR "/bin/tests"

extern char **environ;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("init: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		say("out of memory");
		exit(125);
	}
	return p;
}

static const char *signame(int sig)
{
	switch (sig) {
	case SIGHUP: return "SIGHUP";
	case SIGINT: return "SIGINT";
	case SIGQUIT: return "SIGQUIT";
	case SIGILL: return "SIGILL";
	case SIGTRAP: return "SIGTRAP";
	case SIGABRT: return "SIGABRT";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case SIGKILL: return "SIGKILL";
	case SIGUSR1: return "SIGUSR1";
	case SIGSEGV: return "SIGSEGV";
	case SIGUSR2: return "SIGUSR2";
	case SIGPIPE: return "SIGPIPE";
	case SIGALRM: return "SIGALRM";
	case SIGTERM: return "SIGTERM";
	case SIGSTKFLT: return "SIGSTKFLT";
	case SIGCHLD: return "SIGCHLD";
	case SIGCONT: return "SIGCONT";
	case SIGSTOP: return "SIGSTOP";
	case SIGTSTP: return "SIGTSTP";
	case SIGTTIN: return "SIGTTIN";
	case SIGTTOU: return "SIGTTOU";
	case SIGURG: return "SIGURG";
	case SIGXCPU: return "SIGXCPU";
	case SIGXFSZ: return "SIGXFSZ";
	case SIGVTALRM: return "SIGVTALRM";
	case SIGPROF: return "SIGPROF";
	case SIGWINCH: return "SIGWINCH";
	case SIGIO: return "SIGIO";
	case SIGPWR: return "SIGPWR";
	case SIGSYS: return "SIGSYS";
	default: return "unknown signal";
	}
}

static unsigned long long free_kib(void)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return 0;
	return (unsigned long long)si.freeram * (si.mem_unit ? si.mem_unit : 1) / 1024;
}

/* Splits a command word on spaces into a NULL-terminated argv (in place). */
static char **split_words(char *cmd)
{
	size_t n = 0, cap = 4;
	char **argv = xmalloc(cap * sizeof *argv);
	char *save = NULL;

	for (char *w = strtok_r(cmd, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (n + 2 > cap) {
			cap *= 2;
			char **bigger = realloc(argv, cap * sizeof *argv);
			if (!bigger) {
				say("out of memory");
				exit(125);
			}
			argv = bigger;
		}
		argv[n++] = w;
	}
	argv[n] = NULL;
	return argv;
}

/* Runs one command; returns 0 if it exited with status 0. */
static int run(const char *cmd)
{
	char *words = xmalloc(strlen(cmd) + 1);
	char **argv, *path;
	unsigned long long before, after;
	int status, failed = 1;
	pid_t pid, w;

	strcpy(words, cmd);
	argv = split_words(words);
	say("running %s", cmd);
	if (!argv[0]) {
		say("empty command");
		free(argv);
		free(words);
		return 1;
	}
	if (strchr(argv[0], '/')) {
		path = xmalloc(strlen(argv[0]) + 1);
		strcpy(path, argv[0]);
	} else {
		path = xmalloc(strlen(argv[0]) + sizeof "/bin/");
		strcpy(path, "/bin/");
		strcat(path, argv[0]);
	}

	before = free_kib();
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execve(path, argv, environ);
		int e = errno;
		printf("init: cannot execute %s: %s\n", path, strerror(e));
		fflush(stdout);
		_exit(127);
	}
	if (pid < 0) {
		int e = errno;
		after = free_kib();
		say("cannot fork for %s: %s", path, strerror(e));
	} else {
		/*
		 * As process 1, init inherits every orphan: reap them on the way
		 * to the program's own status.
		 */
		int wait_errno = 0;
		for (;;) {
			w = wait4(-1, &status, 0, NULL);
			if (w == pid)
				break;
			if (w < 0 && errno != EINTR) {
				wait_errno = errno;
				break;
			}
		}
		/* Read before anything is printed: printing can take memory. */
		after = free_kib();
		if (w != pid) {
			say("cannot wait for %s: %s", path, strerror(wait_errno));
		} else {
			if (WIFEXITED(status)) {
				say("%s exited with status %d", path, WEXITSTATUS(status));
				failed = WEXITSTATUS(status) != 0;
			} else if (WIFSIGNALED(status)) {
				say("%s killed by signal %d (%s)", path, WTERMSIG(status),
				    signame(WTERMSIG(status)));
			} else {
				say("%s ended with wait status 0x%x", path, (unsigned)status);
			}
		}
	}
	say("free memory before %llu KiB, after %llu KiB", before, after);

	free(path);
	free(argv);
	free(words);
	return failed;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of /bin/tests, as sorted full paths; *count set. */
static char **list_tests(size_t *count, int *err)
{
	DIR *d = opendir(TESTS_DIR);
	struct dirent *de;
	size_t n = 0, cap = 16;
	char **names;

	*count = 0;
	*err = 0;
	if (!d) {
		*err = errno;
		return NULL;
	}
	names = xmalloc(cap * sizeof *names);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == 0 || (de->d_name[1] == '.' && de->d_name[2] == 0)))
			continue;
		char *full = xmalloc(sizeof TESTS_DIR + 1 + strlen(de->d_name));
		strcpy(full, TESTS_DIR "/");
		strcat(full, de->d_name);
		int regular = de->d_type == DT_REG;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;
			regular = stat(full, &st) == 0 && S_ISREG(st.st_mode);
		}
		if (!regular) {
			free(full);
			continue;
		}
		if (n == cap) {
			cap *= 2;
			char **bigger = realloc(names, cap * sizeof *names);
			if (!bigger) {
				say("out of memory");
				exit(125);
			}
			names = bigger;
		}
		names[n++] = full;
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	*count = n;
	return names;
}

static const char banner[] =
	"\n"
	"Welcome to Bramble, a small AArch64 kernel for the Raspberry Pi that runs\n"
	"unmodified static Linux programs. A program that runs out of memory gets\n"
	"ENOMEM and exits cleanly; only the kernel's own heap running dry panics.\n"
	"\n"
	"This is Debian's busybox sh. Try:\n"
	"  oom              allocate until ENOMEM, then exit cleanly\n"
	"  cat /hello.txt   a file of the initramfs\n"
	"  ls /bin          the programs (busybox applets and Bramble's own)\n"
	"  dmesg            the kernel log\n"
	"  uname -a         what the programs are told\n"
	"Quit QEMU with Ctrl-A then X.\n"
	"\n";

/* The Debian image (make rootfs): Debian's bash is /bin/sh, Bramble's own
 * programs are in /bramble/bin, and there is no busybox. */
static const char debian_banner[] =
	"\n"
	"Welcome to Bramble, a small AArch64 kernel for the Raspberry Pi that runs\n"
	"unmodified Linux programs. A program that runs out of memory gets ENOMEM\n"
	"and exits cleanly; only the kernel's own heap running dry panics.\n"
	"\n"
	"This is Debian's bash, with Debian's own dynamically linked programs. Try:\n"
	"  oom                                  allocate until ENOMEM, then exit cleanly\n"
	"  python3 -c 'bytearray(1 << 40)'      Python's MemoryError\n"
	"  ls -l /usr/bin | head                Debian's coreutils\n"
	"  ps aux; free; df                     procps and coreutils reading /proc\n"
	"Quit QEMU with Ctrl-A then X.\n"
	"\n";

static bool debian_image(void)
{
	return access("/bin/busybox", X_OK) != 0 && access("/bramble/bin", X_OK) == 0;
}

/*
 * In the child, before exec: a session of its own with the console as its
 * controlling terminal. Returns NULL if job control will work, else why not.
 */
static const char *take_terminal(void)
{
	if (setsid() < 0)
		return "setsid failed";
	/* 1: take the console even if an earlier shell's session still has it
	 * (init is root, as Linux allows with CAP_SYS_ADMIN). */
	if (ioctl(STDIN_FILENO, TIOCSCTTY, 1) < 0)
		return "TIOCSCTTY failed";
	pid_t fg = tcgetpgrp(STDIN_FILENO);
	if (fg < 0)
		return "tcgetpgrp failed";
	if (fg != getpgrp())
		return "not the terminal's foreground group";
	return NULL;
}

static void set_shell_env(void)
{
	setenv("PATH", debian_image() ? "/usr/bin:/bin:/usr/sbin:/sbin:/bramble/bin" : "/bin:/usr/bin", 1);
	setenv("HOME", "/", 0);
	setenv("TERM", "vt100", 0);
	setenv("SHELL", "/bin/sh", 1);
	setenv("PS1", "bramble:\\w# ", 0);
}

/* Runs the shell (busybox sh, or Debian's bash in the Debian image) on the
 * console for ever, a new one after each exit. */
static void shell_loop(void)
{
	set_shell_env();
	fputs(debian_image() ? debian_banner : banner, stdout);
	fflush(stdout);
	for (;;) {
		struct timespec t0, t1;
		int status;
		pid_t pid, w;

		say("starting a shell on the console");
		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid = fork();
		if (pid == 0) {
			const char *why = take_terminal();
			char *jc[] = { "sh", NULL };
			char *nojc[] = { "sh", "+m", NULL };

			if (why) {
				printf("init: no job control: %s (%s)\n", why, strerror(errno));
				fflush(stdout);
			}
			execve("/bin/sh", why ? nojc : jc, environ);
			printf("init: cannot execute /bin/sh: %s\n", strerror(errno));
			fflush(stdout);
			_exit(127);
		}
		if (pid < 0) {
			say("cannot fork for the shell: %s", strerror(errno));
		} else {
			/* As process 1, init reaps every orphan on the way. */
			do
				w = wait4(-1, &status, 0, NULL);
			while (w != pid && !(w < 0 && errno != EINTR));
			if (w != pid)
				say("cannot wait for the shell: %s", strerror(errno));
			else if (WIFSIGNALED(status))
				say("the shell was killed by signal %d (%s); starting a new one",
				    WTERMSIG(status), signame(WTERMSIG(status)));
			else
				say("the shell exited with status %d; starting a new one",
				    WIFEXITED(status) ? WEXITSTATUS(status) : status);
		}
		/* A shell that cannot start must not make a busy loop of init. */
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (t1.tv_sec - t0.tv_sec < 1)
			sleep(1);
	}
}

int main(int argc, char **argv)
{
	int programs = 0, failed = 0;

	if (argc < 2)
		shell_loop();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "tests") != 0) {
			programs++;
			failed += run(argv[i]);
			continue;
		}
		size_t n;
		int err;
		char **tests = list_tests(&n, &err);

		if (!tests) {
			say("cannot open %s: %s", TESTS_DIR, strerror(err));
			failed++;
		}
		for (size_t k = 0; k < n; k++) {
			programs++;
			failed += run(tests[k]);
			free(tests[k]);
		}
		free(tests);
	}
	say("%d programs, %d failed", programs, failed);
	exit(failed > 125 ? 125 : failed);
}
