/* "#!" parsing (kernel/binfmt_script.c), against Linux's load_script: every
 * expectation here was also run as a script on a Linux host (an interpreter
 * that prints its argv), with the same answer. */
#include "kernel/binfmt_script.h"
#include "lib/uapi/errno.h"
#include "check.h"
#include <string.h>

static struct script_interp si;

/* Parses the first n bytes of s (n 0: strlen). */
static int parse(const char *s, size_t n)
{
	memset(&si, 'Z', sizeof(si));
	return script_parse(s, n ? n : strlen(s), &si);
}

static void expect(const char *name, const char *s, size_t n, const char *interp, const char *arg)
{
	int r = parse(s, n);
	if (r != 0) {
		check(0, name, "returned %d", r);
		return;
	}
	check(!strcmp(si.interp, interp) && si.has_arg == (arg != NULL) &&
	      (!arg || !strcmp(si.arg, arg)), name, "interp [%s] arg %s[%s]", si.interp,
	      si.has_arg ? "" : "(none) ", si.has_arg ? si.arg : "");
}

static void expect_enoexec(const char *name, const char *s, size_t n)
{
	int r = parse(s, n);
	check(r == -ENOEXEC, name, "returned %d (interp [%s])", r, r ? "" : si.interp);
}

int main(void)
{
	char big[400];

	expect("script.plain", "#!/bin/sh\necho hi\n", 0, "/bin/sh", NULL);
	expect("script.arg-inner-spaces-kept", "#! \t/bin/pa  a b\t c \t \nrest\n", 0, "/bin/pa",
	       "a b\t c");
	expect("script.tabs-around-arg", "#!/bin/pa\t\t-x  y  \t\n", 0, "/bin/pa", "-x  y");
	expect("script.trailing-space-no-arg", "#!/bin/sh   \n", 0, "/bin/sh", NULL);
	expect("script.no-newline-short-file", "#!/bin/pa", 0, "/bin/pa", NULL);
	/* A space then the file's end: Linux passes an empty argument. */
	expect("script.space-at-eof-empty-arg", "#!/bin/pa ", 0, "/bin/pa", "");
	expect("script.nul-ends-arg", "#!/bin/pa x\0y\n", 14, "/bin/pa", "x");
	expect("script.nul-after-name", "#!/bin/pa\0 x\n", 13, "/bin/pa", NULL);
	expect("script.space-nul", "#!/bin/pa \0x\n", 13, "/bin/pa", "");
	expect("script.busybox-echo", "#!/bin/busybox echo\n", 0, "/bin/busybox", "echo");
	expect_enoexec("script.not-a-script", "\177ELF", 4);
	expect_enoexec("script.one-byte", "#", 1);
	expect_enoexec("script.empty-line", "#!\n", 0);
	expect_enoexec("script.only-spaces", "#!   \n", 0);
	/* No newline: the NUL padding after the spaces is taken for an empty
	 * name, whose exec then fails (Linux: EACCES, as here). */
	expect("script.only-spaces-no-newline", "#!   ", 0, "", NULL);
	expect("script.bare-hash-bang", "#!", 0, "", NULL);

	/* A long argument with no newline in the buffer: cut, and the
	 * buffer's last byte dropped (242 of the 243 a's). */
	memset(big, 'a', sizeof(big));
	memcpy(big, "#!/bin/pa ", 10);
	parse(big, sizeof(big));
	check(si.has_arg && strlen(si.arg) == BINPRM_BUF_SIZE - 10 - 1 && si.arg[0] == 'a',
	      "script.long-arg-cut", "arg length %zu", strlen(si.arg));
	/* The interpreter's name itself cut by the buffer: refused. */
	memset(big, 'p', sizeof(big));
	memcpy(big, "#!/bin/", 7);
	expect_enoexec("script.long-name-refused", big, sizeof(big));
	/* Name, then spaces to the buffer's end, then a byte in its last slot:
	 * that byte is dropped, and with it the argument. */
	memset(big, ' ', sizeof(big));
	memcpy(big, "#!/bin/pa", 9);
	big[BINPRM_BUF_SIZE - 1] = 'x';
	expect("script.last-byte-dropped", big, BINPRM_BUF_SIZE, "/bin/pa", NULL);
	/* A newline within the buffer: the line is whole, whatever follows. */
	memset(big, 'q', sizeof(big));
	memcpy(big, "#!/bin/pa -f\n", 13);
	expect("script.newline-then-more", big, sizeof(big), "/bin/pa", "-f");
	check(script_is_script("#!", 2) && !script_is_script("#", 1) &&
	      !script_is_script("!#", 2), "script.is-script", "");
	return check_exit_status();
}
