/*
 * fault: faults in a user process end that process with the right signal
 * and nothing else: each is provoked in a forked child, and the parent
 * checks how the child ended, then shows it still runs normally itself.
 *
 * Prints "PASS fault.<case>" or "FAIL fault.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG "fault"
#define PAGE 4096UL

/* ---- reporting (the same in every test program) ------------------------ */

static int failures;

static void pass(const char *name)
{
	printf("PASS " PROG ".%s\n", name);
	fflush(stdout);
}

static void fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("FAIL " PROG ".%s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Runs fn(arg) in a forked child, which then exits 0; returns the wait status or -1. */
static int in_child(void (*fn)(void *), void *arg)
{
	int st;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

static const char *describe(int st)
{
	static char buf[96];

	if (st == -1)
		snprintf(buf, sizeof buf, "fork/wait failed: %s", strerror(errno));
	else if (WIFEXITED(st))
		snprintf(buf, sizeof buf, "child exited with status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof buf, "child killed by signal %d (%s)", WTERMSIG(st),
			 sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
	else
		snprintf(buf, sizeof buf, "child wait status 0x%x", (unsigned)st);
	return buf;
}

static void expect_signal(const char *name, int st, int sig)
{
	if (st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == sig)
		pass(name);
	else
		fail(name, "expected SIG%s, %s", sigabbrev_np(sig), describe(st));
}

/* ---- the faults -------------------------------------------------------- */

/*
 * Addresses go through volatile variables: the compiler must neither see a
 * constant NULL (it would put its own trap there) nor drop the access.
 */
static volatile uintptr_t null_addr = 0;
static volatile uintptr_t kernel_text = 0xffffffffc0080000UL;
static volatile uintptr_t kernel_linear = 0xffffff8000000000UL;

static void null_read(void *arg)
{
	(void)arg;
	(void)*(volatile int *)null_addr;
}

static void null_write(void *arg)
{
	(void)arg;
	*(volatile int *)null_addr = 1;
}

static void kernel_write(void *arg)
{
	(void)arg;
	*(volatile uint64_t *)kernel_text = 0;
}

static void kernel_read(void *arg)
{
	(void)arg;
	(void)*(volatile uint64_t *)kernel_linear;
}

static void undefined_instruction(void *arg)
{
	(void)arg;
	__asm__ volatile(".inst 0x00000000" ::: "memory");   /* udf #0 */
}

#define RET_INSN 0xd65f03c0u

static void call(void *code)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)code;
	fn();
}

/* The same page made executable properly: the call returns. */
static void call_after_mprotect(void *code)
{
	__builtin___clear_cache((char *)code, (char *)code + 4);
	if (mprotect(code, PAGE, PROT_READ | PROT_EXEC) != 0)
		_exit(2);
	call(code);
}

static void exit_seven(void *arg)
{
	(void)arg;
	_exit(7);
}

int main(void)
{
	expect_signal("null_read", in_child(null_read, NULL), SIGSEGV);
	expect_signal("null_write", in_child(null_write, NULL), SIGSEGV);
	expect_signal("kernel_write", in_child(kernel_write, NULL), SIGSEGV);
	expect_signal("kernel_read", in_child(kernel_read, NULL), SIGSEGV);
	expect_signal("undefined_instruction", in_child(undefined_instruction, NULL), SIGILL);

	uint32_t *code = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED) {
		fail("exec_nx", "mmap: %s", strerror(errno));
	} else {
		code[0] = RET_INSN;
		expect_signal("exec_nx", in_child(call, code), SIGSEGV);
		int st = in_child(call_after_mprotect, code);
		if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			pass("exec_after_mprotect");
		else if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 2)
			fail("exec_after_mprotect", "mprotect(PROT_READ|PROT_EXEC) failed");
		else
			fail("exec_after_mprotect", "calling a ret on a PROT_EXEC page: %s", describe(st));
		munmap(code, PAGE);
	}

	/* The parent took none of it. */
	int st = in_child(exit_seven, NULL);
	if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 7)
		pass("parent_alive");
	else
		fail("parent_alive", "expected a child exiting with status 7, %s", describe(st));

	return failures ? 1 : 0;
}
