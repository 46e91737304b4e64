/*
 * dynamic: a dynamically linked program (PT_INTERP /lib/ld-linux-aarch64.so.1,
 * libc.so.6 from /lib/aarch64-linux-gnu), run through its interpreter. The
 * auxiliary vector is Linux's: AT_BASE is where the interpreter was loaded,
 * AT_ENTRY and AT_PHDR are the program's, AT_PLATFORM says "aarch64",
 * AT_MINSIGSTKSZ fits a signal frame; the C library is really shared (its
 * pages are the loaded libc.so.6, found by dl_iterate_phdr and dlopen), and
 * signals, threads of the library, and exec of a missing interpreter work.
 */
#define _GNU_SOURCE
#define PROG "dynamic"
#include "check.h"
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>

extern char _start[];

static int saw_libc, saw_ld;

static int each_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	if (strstr(info->dlpi_name, "libc.so.6"))
		saw_libc = 1;
	if (strstr(info->dlpi_name, "ld-linux-aarch64.so.1"))
		saw_ld = 1;
	return 0;
}

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	got = sig;
}

/* An ELF that names an interpreter that is not there: ENOENT, as Linux. */
static void exec_missing_interp(void)
{
	static const char path[] = "/tmp/dynamic-missing-interp";
	int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	char buf[65536];
	ssize_t n;

	if (in < 0 || out < 0) {
		fail("missing-interp", "cannot copy the program: %s", strerror(errno));
		return;
	}
	/* Our own PT_INTERP, made to name a path that does not exist. */
	ElfW(Ehdr) eh;
	ElfW(Phdr) ph;
	int ok = 0;
	off_t interp_off = 0;
	if (pread(in, &eh, sizeof(eh), 0) == sizeof(eh))
		for (int i = 0; i < eh.e_phnum; i++)
			if (pread(in, &ph, sizeof(ph), (off_t)(eh.e_phoff + (size_t)i * sizeof(ph))) == sizeof(ph) &&
			    ph.p_type == PT_INTERP) {
				interp_off = (off_t)ph.p_offset;
				ok = 1;
			}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			ok = 0;
	/* The same length, NUL included: a path that names nothing. */
	if (ok && pwrite(out, "/lib/ld-linux-aarch64.so.9", 27, interp_off) != 27)
		ok = 0;
	close(in);
	close(out);
	if (!ok) {
		fail("missing-interp", "no PT_INTERP to change");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL };
		execv(path, argv);
		_exit(errno);
	}
	int st;
	waitpid(pid, &st, 0);
	unlink(path);
	if (exited_with(st, ENOENT))
		pass("missing-interp");
	else
		fail("missing-interp", "exec gave %s, expected ENOENT (status %d)", describe(st), WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	(void)argc;
	unsigned long base = getauxval(AT_BASE), entry = getauxval(AT_ENTRY);
	unsigned long phdr = getauxval(AT_PHDR), minsig = getauxval(AT_MINSIGSTKSZ);
	const char *platform = (const char *)getauxval(AT_PLATFORM);

	check(base != 0, "at-base", "AT_BASE is 0: no interpreter was loaded");
	check(entry == (unsigned long)_start, "at-entry", "AT_ENTRY is not the program's _start");
	check(phdr && ((ElfW(Phdr) *)phdr)->p_type == PT_PHDR, "at-phdr",
	      "AT_PHDR does not point at the program's headers");
	check(getauxval(AT_PHENT) == sizeof(ElfW(Phdr)), "at-phent", "AT_PHENT is not 56");
	check(platform && !strcmp(platform, "aarch64"), "at-platform", "AT_PLATFORM is not aarch64");
	check(minsig >= 1024 && minsig <= 16384, "at-minsigstksz", "AT_MINSIGSTKSZ out of range");
	check(getauxval(AT_EXECFN) && !strcmp((char *)getauxval(AT_EXECFN), argv[0]), "at-execfn",
	      "AT_EXECFN is not the path run");

	dl_iterate_phdr(each_object, NULL);
	check(saw_libc && saw_ld, "libraries-loaded", "libc.so.6 or ld-linux is not in the link map");
	void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	check(h && dlsym(h, "printf") == (void *)printf, "dlsym", "dlsym(printf) is not the printf called");

	char *p = malloc(1 << 20);
	check(p != NULL, "malloc", "malloc(1 MiB) failed");
	free(p);

	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	check(got == SIGUSR1, "signal", "the handler did not run");

	exec_missing_interp();
	printf("dynamic: hello from a dynamically linked program\n");
	return failures ? 1 : 0;
}
