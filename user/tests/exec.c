/*
 * exec: execve refuses what is not an AArch64 ELF executable with the Linux
 * error, and passes argv, envp and the auxiliary vector to what it runs.
 *
 * Expects the initramfs: /bad/notelf (text), /bad/truncated (the first 100
 * bytes of an ELF), /bad/wrongarch (an ELF with e_machine x86-64), all
 * executable, and /hello.txt (not executable).
 *
 * Every execve is made in a forked child, so that one which wrongly
 * succeeds cannot replace this program. For argv/envp the program runs
 * itself as
 *   <argv0 "bramble-child"> --child <its path> "two words"   env BRAMBLE=1
 * and that child checks what it was given.
 *
 * Prints "PASS exec.<case>" or "FAIL exec.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/auxv.h>

#define PROG "exec"
#define DEFAULT_SELF "/bin/tests/exec"
#define CHILD_ARGV0 "bramble-child"
#define CHILD_WORDS "two words"

#include "check.h"

extern char **environ;

/* ---- the child: what the new program was given ------------------------- */

static int child(int argc, char **argv)
{
	const char *self = argc > 2 ? argv[2] : "";

	if (argc == 4 && strcmp(argv[0], CHILD_ARGV0) == 0 && strcmp(argv[1], "--child") == 0 &&
	    strcmp(argv[3], CHILD_WORDS) == 0 && argv[4] == NULL)
		pass("child_argv");
	else
		fail("child_argv", "argc %d, argv[0] \"%s\", argv[3] \"%s\"", argc, argv[0],
		     argc > 3 ? argv[3] : "(none)");

	int nenv = 0;
	while (environ && environ[nenv])
		nenv++;
	const char *b = getenv("BRAMBLE");
	if (nenv == 1 && strcmp(environ[0], "BRAMBLE=1") == 0 && b && strcmp(b, "1") == 0)
		pass("child_envp");
	else
		fail("child_envp", "%d variables, the first \"%s\"", nenv, nenv ? environ[0] : "(none)");

	unsigned long pagesz = getauxval(AT_PAGESZ);
	if (pagesz == 4096)
		pass("child_auxv_pagesz");
	else
		fail("child_auxv_pagesz", "AT_PAGESZ is %lu", pagesz);

	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	int nonzero = 0;
	if (rnd)
		for (int i = 0; i < 16; i++)
			nonzero |= rnd[i];
	if (rnd && nonzero)
		pass("child_auxv_random");
	else
		fail("child_auxv_random", rnd ? "the 16 AT_RANDOM bytes are all zero" : "no AT_RANDOM");

	const char *execfn = (const char *)getauxval(AT_EXECFN);
	if (execfn && strcmp(execfn, self) == 0)
		pass("child_auxv_execfn");
	else
		fail("child_auxv_execfn", "AT_EXECFN is \"%s\", execve was given \"%s\"",
		     execfn ? execfn : "(none)", self);

	return failures ? 1 : 0;
}

/* ---- the parent -------------------------------------------------------- */

/*
 * The child of try_exec: execve(path), a failure reported as exit status
 * EXEC_FAILED + errno. A program that is wrongly run gets /hello.txt as its
 * argument, so that it has something to read other than the console.
 */
#define EXEC_FAILED 128

static void exec_path(void *path)
{
	char *const argv[] = { path, "/hello.txt", NULL };
	char *const envp[] = { NULL };

	execve(path, argv, envp);
	_exit(EXEC_FAILED + (errno & 127));
}

/*
 * execve(path) in a child. Returns the errno, 0 if execve succeeded (*st
 * then tells how the program ended), or -1 if fork or wait failed.
 */
static int try_exec(const char *path, int *st)
{
	*st = in_child(exec_path, (void *)path);
	if (*st == -1)
		return -1;
	if (WIFEXITED(*st) && WEXITSTATUS(*st) >= EXEC_FAILED)
		return WEXITSTATUS(*st) - EXEC_FAILED;
	return 0;
}

static void expect_exec_error(const char *name, const char *path, int want)
{
	int st = 0;
	int e = try_exec(path, &st);

	if (e == want)
		pass(name);
	else if (e == 0)
		fail(name, "execve(\"%s\") succeeded, expected %s; the program: %s", path,
		     ename(want), describe(st));
	else if (e < 0)
		fail(name, "fork/wait failed: %s", strerror(errno));
	else
		fail(name, "execve(\"%s\") failed with %s (%s), expected %s", path, ename(e),
		     strerror(e), ename(want));
}

/* The child of exec_self: runs this program as the --child above. */
static void exec_self(void *self)
{
	char *const cargv[] = { CHILD_ARGV0, "--child", self, CHILD_WORDS, NULL };
	char *const cenvp[] = { "BRAMBLE=1", NULL };

	execve(self, cargv, cenvp);
	fail("exec_self", "execve(\"%s\"): %s", (char *)self, strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--child") == 0)
		return child(argc, argv);

	expect_exec_error("notelf", "/bad/notelf", ENOEXEC);
	expect_exec_error("truncated", "/bad/truncated", ENOEXEC);
	expect_exec_error("wrongarch", "/bad/wrongarch", ENOEXEC);
	expect_exec_error("nonexistent", "/nonexistent/program", ENOENT);
	expect_exec_error("not_executable", "/hello.txt", EACCES);

	/* argv, envp and auxv reach the new program. */
	const char *self = argc > 0 && argv[0] && strchr(argv[0], '/') ? argv[0] : DEFAULT_SELF;
	pid_t pid = start_child(exec_self, (void *)self);
	if (pid < 0) {
		fail("exec_self", "fork: %s", strerror(errno));
	} else {
		int st = wait_for(pid);
		if (exited_with(st, 0))
			pass("exec_self");
		else if (exited_with(st, 127))
			failures++;        /* the child said why */
		else
			fail("exec_self", "the program run with --child: %s", describe(st));
	}

	return failures ? 1 : 0;
}
