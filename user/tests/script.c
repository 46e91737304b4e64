/*
 * script: exec of "#!" scripts (Linux's fs/binfmt_script.c), from the
 * initramfs's /scripts (scripts/mkinitramfs). The interpreter gets argv =
 * [interpreter, its optional argument, the script's path as exec was
 * given it, the old argv[1...]]; five scripts deep still run, a sixth is
 * ELOOP; a missing interpreter is ENOENT. This program is also the
 * interpreter of /scripts/argv.sh: with SCRIPT_PRINT_ARGV set it prints its
 * argv as [a][b]... and exits. Every expectation was also run on a Linux
 * host (the same scripts under another root, ROOT).
 *
 * Prints "PASS script.<case>" or "FAIL script.<case>: <why>" and exits 0
 * only if all passed.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#define PROG "script"
#include "check.h"

#ifndef ROOT
#define ROOT ""        /* where /scripts and /bin are: "" but on a host */
#endif
#define SCRIPTS ROOT "/scripts/"
#define ME ROOT "/bin/tests/script"
#define PRINT_ARGV "SCRIPT_PRINT_ARGV"
#define EXEC_FAILED 100  /* + errno: the child's exit status when execve failed */

static void print_argv(char **argv)
{
	for (; *argv; argv++)
		printf("[%s]", *argv);
	putchar('\n');
}

struct run {
	const char *dir;       /* chdir there first, or NULL */
	const char *path;
	char *const *argv;
	int out[2];
};

static void exec_child(void *arg)
{
	struct run *r = arg;

	dup2(r->out[1], 1);
	close(r->out[0]);
	if (r->dir && chdir(r->dir) < 0)
		_exit(EXEC_FAILED);
	execv(r->path, r->argv);
	_exit(EXEC_FAILED + errno);
}

/* Runs path with argv in a child: its output into out (NUL-terminated), its wait status. */
static int run(const char *dir, const char *path, char *const argv[], char *out, size_t size)
{
	struct run r = { dir, path, argv, { -1, -1 } };
	size_t n = 0;
	ssize_t got;

	if (pipe(r.out) < 0)
		return -1;
	pid_t pid = start_child(exec_child, &r);
	close(r.out[1]);
	while (n + 1 < size && (got = read(r.out[0], out + n, size - 1 - n)) > 0)
		n += (size_t)got;
	out[n] = 0;
	close(r.out[0]);
	return wait_for(pid);
}

/* Passes name if path ran, exited 0 and printed want. */
static void expect_output(const char *name, const char *dir, const char *path,
			  char *const argv[], const char *want)
{
	char out[512];
	int st = run(dir, path, argv, out, sizeof(out));

	if (!exited_with(st, 0))
		fail(name, "%s, output [%s]", describe(st), out);
	else if (strcmp(out, want))
		fail(name, "printed [%s], expected [%s]", out, want);
	else
		pass(name);
}

/* Passes name if exec of path failed with errno want. */
static void expect_exec_error(const char *name, const char *path, int want)
{
	char out[512];
	char *argv[] = { "x", NULL };
	int st = run(NULL, path, argv, out, sizeof(out));

	if (exited_with(st, EXEC_FAILED + want))
		pass(name);
	else if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) > EXEC_FAILED)
		fail(name, "exec failed with %s, expected %s", ename(WEXITSTATUS(st) - EXEC_FAILED),
		     ename(want));
	else
		fail(name, "expected %s, %s", ename(want), describe(st));
}

int main(int argc, char **argv)
{
	(void)argc;
	if (getenv(PRINT_ARGV)) {
		print_argv(argv);
		return 0;
	}
	expect_output("shell", NULL, SCRIPTS "hello.sh", (char *[]){ "hello.sh", NULL },
		      "hello from a script\n");
	/* busybox echo: its argv[0] is the interpreter, the argument names the applet. */
	expect_output("busybox-echo", NULL, SCRIPTS "echo.sh",
		      (char *[]){ "zero", "x", "y z", NULL }, SCRIPTS "echo.sh x y z\n");
	if (setenv(PRINT_ARGV, "1", 1) < 0) {
		fail("setenv", "%s", strerror(errno));
		return 1;
	}
	expect_output("argv", NULL, SCRIPTS "argv.sh", (char *[]){ "zero", "x", NULL },
		      "[" ME "][a  b][" SCRIPTS "argv.sh][x]\n");
	expect_output("argv-path-as-given", SCRIPTS, "./argv.sh", (char *[]){ "zero", NULL },
		      "[" ME "][a  b][./argv.sh]\n");
	expect_output("argv-empty", NULL, SCRIPTS "argv.sh", (char *[]){ NULL },
		      "[" ME "][a  b][" SCRIPTS "argv.sh]\n");
	expect_output("nested", NULL, SCRIPTS "nested.sh", (char *[]){ "zero", "x", NULL },
		      "[" ME "][a  b][" SCRIPTS "argv.sh][" SCRIPTS "nested.sh][x]\n");
	unsetenv(PRINT_ARGV);
	expect_output("five-deep", NULL, SCRIPTS "deep5.sh", (char *[]){ "deep5.sh", NULL }, "");
	expect_exec_error("six-deep", SCRIPTS "deep6.sh", ELOOP);
	expect_exec_error("loop", SCRIPTS "loop.sh", ELOOP);
	expect_exec_error("no-interpreter-file", SCRIPTS "noint.sh", ENOENT);
	expect_exec_error("no-interpreter-named", SCRIPTS "empty.sh", ENOEXEC);
	return failures ? 1 : 0;
}
