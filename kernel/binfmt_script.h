/*
 * "#!" scripts, as Linux's fs/binfmt_script.c: the parse of the first line.
 * Pure (no file system), so the host tests compile it alone
 * (tests/host/test_script.c); kernel/exec.c reads the file and rebuilds the
 * arguments from the answer.
 */
#ifndef BRAMBLE_BINFMT_SCRIPT_H
#define BRAMBLE_BINFMT_SCRIPT_H
#include "lib/types.h"

#define BINPRM_BUF_SIZE 256        /* the bytes of a file exec looks at (Linux's) */
/* Linux's exec_binprm loop: a file found past depth 5 is -ELOOP, so a
 * chain of five scripts runs and a sixth fails (its comment says "4
 * levels"; checked on a Linux host). */
#define BINPRM_MAX_DEPTH 5

struct script_interp {
	char interp[BINPRM_BUF_SIZE];  /* the interpreter's path */
	char arg[BINPRM_BUF_SIZE];     /* its one optional argument, inner spaces kept */
	bool has_arg;
};

/* Whether the file's first bytes make it a script ("#!"). */
bool script_is_script(const char *buf, size_t len);
/* Parses the "#!" line of buf, the file's first len bytes (at most
 * BINPRM_BUF_SIZE are looked at): 0, or -ENOEXEC if buf is no script, names
 * no interpreter, or (with no newline within the buffer) ends before a
 * space, tab or NUL shows that the interpreter's name is complete. */
int script_parse(const char *buf, size_t len, struct script_interp *out);
#endif
