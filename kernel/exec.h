#ifndef BRAMBLE_EXEC_H
#define BRAMBLE_EXEC_H
#include "lib/types.h"

struct proc;
/* Replaces p's program with path; argv is a kernel NULL-terminated array. */
long exec_kernel(struct proc *p, const char *path, const char *const argv[]);
/* execve(2) for the current process. */
long sys_execve_impl(uaddr_t upath, uaddr_t uargv, uaddr_t uenvp);
#endif
