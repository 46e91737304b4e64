/*
 * fault: faults in a user process end that process with the right signal
 * and nothing else: each is provoked in a forked child, and the parent
 * checks how the child ended, then shows it still runs normally itself.
 *
 * Prints "PASS fault.<case>" or "FAIL fault.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/mman.h>

#define PROG "fault"
#include "check.h"

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
		if (exited_with(st, 0))
			pass("exec_after_mprotect");
		else if (exited_with(st, 2))
			fail("exec_after_mprotect", "mprotect(PROT_READ|PROT_EXEC) failed");
		else
			fail("exec_after_mprotect", "calling a ret on a PROT_EXEC page: %s", describe(st));
		munmap(code, PAGE);
	}

	/* The parent took none of it. */
	int st = in_child(exit_seven, NULL);
	if (exited_with(st, 7))
		pass("parent_alive");
	else
		fail("parent_alive", "expected a child exiting with status 7, %s", describe(st));

	return failures ? 1 : 0;
}
