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
 * The argument limits are Linux's (checked on Linux): one string of at most
 * 32 pages with its NUL, all of them with their pointers within a quarter of
 * RLIMIT_STACK (2 MiB under 8 MiB), hundreds of thousands of strings fine.
 *
 * Prints "PASS exec.<case>" or "FAIL exec.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>

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

/* ---- the argument limits ------------------------------------------------ */

/* The child of args_case: n copies of a string len long, each intact. */
static int count_child(int argc, char **argv)
{
	int n = atoi(argv[2]);
	size_t len = strtoul(argv[3], NULL, 10);

	if (argc != n + 4)
		return 2;
	for (int i = 4; i < argc; i++)
		if (strlen(argv[i]) != len || argv[i][0] != 'a' || argv[i][len - 1] != 'a')
			return 3;
	return 0;
}

struct args_case {
	const char *name;
	int n;             /* strings */
	size_t len;        /* bytes each, less the NUL */
	long stack;        /* RLIMIT_STACK, or 0 for the default (8 MiB) */
	int want;          /* the errno, or 0: runs */
};

static const char *self_path;

static void exec_args(void *arg)
{
	const struct args_case *c = arg;
	char **av = malloc(((size_t)c->n + 5) * sizeof(char *));
	char *str = malloc(c->len + 1), nbuf[16], lbuf[24];
	char *const envp[] = { NULL };

	if (!av || !str)
		_exit(EXEC_FAILED + ENOMEM);
	if (c->stack) {
		struct rlimit r = { (rlim_t)c->stack, (rlim_t)c->stack };
		if (setrlimit(RLIMIT_STACK, &r) != 0)
			_exit(EXEC_FAILED + (errno & 127));
	}
	memset(str, 'a', c->len);
	str[c->len] = 0;
	snprintf(nbuf, sizeof(nbuf), "%d", c->n);
	snprintf(lbuf, sizeof(lbuf), "%zu", c->len);
	av[0] = "c";
	av[1] = "--count";
	av[2] = nbuf;
	av[3] = lbuf;
	for (int i = 0; i < c->n; i++)
		av[4 + i] = str;
	av[4 + c->n] = NULL;
	execve(self_path, av, envp);
	_exit(EXEC_FAILED + (errno & 127));
}

static void argument_limits(void)
{
	static const struct args_case cases[] = {
		{ "args_5000", 5000, 1, 0, 0 },
		{ "args_200000", 200000, 1, 0, 0 },
		{ "args_400000_e2big", 400000, 1, 0, E2BIG },
		{ "arg_32_pages_with_nul", 1, 131071, 0, 0 },
		{ "arg_past_32_pages_e2big", 1, 131072, 0, E2BIG },
		{ "args_15_of_32_pages", 15, 131071, 0, 0 },
		{ "args_16_of_32_pages_e2big", 16, 131071, 0, E2BIG },
		{ "stack_1m_args_240k", 2, 120000, 1 << 20, 0 },
		{ "stack_1m_args_256k_e2big", 2, 131071, 1 << 20, E2BIG },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct args_case *c = &cases[i];
		int st = in_child(exec_args, (void *)c);
		int e = WIFEXITED(st) && WEXITSTATUS(st) >= EXEC_FAILED ? WEXITSTATUS(st) - EXEC_FAILED : 0;
		if (c->want ? e == c->want : exited_with(st, 0))
			pass(c->name);
		else if (c->want)
			fail(c->name, "expected %s, got %s", ename(c->want), e ? ename(e) : describe(st));
		else
			fail(c->name, "%s", e ? ename(e) : describe(st));
	}
}

/* The child of exec_null_argv: execve with argv NULL. */
static void exec_null_argv(void *self)
{
	syscall(SYS_execve, self, NULL, (char *const[]){ NULL });   /* glibc's execve says nonnull */
	_exit(EXEC_FAILED + (errno & 127));
}

int main(int argc, char **argv)
{
	if (argc == 0)
		return 42;             /* argv NULL reached the program as argc 0 */
	if (argc == 1 && argv[0][0] == 0)
		return 0;              /* argv NULL: Linux gives an empty argv[0] */
	if (argc > 1 && strcmp(argv[1], "--child") == 0)
		return child(argc, argv);
	if (argc > 3 && strcmp(argv[1], "--count") == 0)
		return count_child(argc, argv);

	expect_exec_error("notelf", "/bad/notelf", ENOEXEC);
	expect_exec_error("truncated", "/bad/truncated", ENOEXEC);
	expect_exec_error("wrongarch", "/bad/wrongarch", ENOEXEC);
	expect_exec_error("nonexistent", "/nonexistent/program", ENOENT);
	expect_exec_error("not_executable", "/hello.txt", EACCES);

	/* argv, envp and auxv reach the new program. */
	const char *self = argc > 0 && argv[0] && strchr(argv[0], '/') ? argv[0] : DEFAULT_SELF;
	self_path = self;
	argument_limits();
	int st = in_child(exec_null_argv, (void *)self);
	check(exited_with(st, 0), "null_argv_gets_empty_argv0",
	      exited_with(st, 42) ? "the program got argc 0" : describe(st));
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
