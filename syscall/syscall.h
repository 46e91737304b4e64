/* System calls: Linux AArch64 numbers, number in x8, arguments in x0..x5,
 * result (or -errno) in x0. */
#ifndef BRAMBLE_SYSCALL_H
#define BRAMBLE_SYSCALL_H
#include "arch/arm64/trap_frame.h"
#include "kernel/proc.h"
#include "kernel/errno.h"

#define ARG(n) (tf->x[n])
typedef long (*syscall_fn)(struct trap_frame *tf);

long syscall_dispatch(struct trap_frame *tf);

#define SYSCALL(name) long sys_##name(struct trap_frame *tf)
/* fs.c */
SYSCALL(read); SYSCALL(write); SYSCALL(readv); SYSCALL(writev); SYSCALL(pread64);
SYSCALL(openat); SYSCALL(close); SYSCALL(lseek); SYSCALL(fstat); SYSCALL(newfstatat);
SYSCALL(getdents64); SYSCALL(ioctl); SYSCALL(sendfile); SYSCALL(readlinkat);
SYSCALL(dup); SYSCALL(dup3); SYSCALL(fcntl); SYSCALL(faccessat); SYSCALL(getcwd);
SYSCALL(chdir); SYSCALL(pipe2);
/* mm.c */
SYSCALL(brk); SYSCALL(mmap); SYSCALL(munmap); SYSCALL(mprotect); SYSCALL(mremap);
SYSCALL(madvise);
/* proc.c */
SYSCALL(exit); SYSCALL(exit_group); SYSCALL(clone); SYSCALL(execve); SYSCALL(wait4);
SYSCALL(getpid); SYSCALL(getppid); SYSCALL(gettid); SYSCALL(getuid); SYSCALL(kill);
SYSCALL(tgkill); SYSCALL(tkill); SYSCALL(set_tid_address); SYSCALL(set_robust_list);
SYSCALL(prlimit64); SYSCALL(getrlimit); SYSCALL(setrlimit); SYSCALL(rt_sigaction);
SYSCALL(rt_sigprocmask); SYSCALL(sched_yield); SYSCALL(prctl);
/* misc.c */
SYSCALL(uname); SYSCALL(clock_gettime); SYSCALL(gettimeofday); SYSCALL(nanosleep);
SYSCALL(clock_nanosleep); SYSCALL(getrandom); SYSCALL(sysinfo); SYSCALL(rseq);
SYSCALL(clock_getres);
#endif
