/* The system call table, indexed by Linux's AArch64 (asm-generic) numbers. */
#include "syscall/syscall.h"
#include "kernel/printk.h"

struct syscall_entry {
	syscall_fn fn;
	const char *name;
};

#define E(nr, name) [nr] = { sys_##name, #name }
static const struct syscall_entry table[] = {
	E(17, getcwd), E(23, dup), E(24, dup3), E(25, fcntl), E(29, ioctl),
	E(48, faccessat), E(49, chdir), E(56, openat), E(57, close), E(59, pipe2), E(61, getdents64),
	E(62, lseek), E(63, read), E(64, write), E(65, readv), E(66, writev),
	E(67, pread64), E(71, sendfile), E(78, readlinkat), E(79, newfstatat),
	E(80, fstat), E(93, exit), E(94, exit_group), E(96, set_tid_address),
	E(99, set_robust_list), E(101, nanosleep), E(113, clock_gettime),
	E(114, clock_getres), E(115, clock_nanosleep), E(124, sched_yield),
	E(129, kill), E(130, tkill), E(131, tgkill), E(134, rt_sigaction),
	E(135, rt_sigprocmask), E(160, uname), E(163, getrlimit), E(164, setrlimit),
	E(167, prctl), E(169, gettimeofday), E(172, getpid), E(173, getppid),
	E(174, getuid), E(175, getuid), E(176, getuid), E(177, getuid), E(178, gettid),
	E(179, sysinfo), E(214, brk), E(215, munmap), E(216, mremap), E(220, clone),
	E(221, execve), E(222, mmap), E(226, mprotect), E(233, madvise),
	E(260, wait4), E(261, prlimit64), E(278, getrandom), E(293, rseq),
};

long syscall_dispatch(struct trap_frame *tf)
{
	uint64_t nr = tf->x[8];

	if (nr < ARRAY_SIZE(table) && table[nr].fn)
		return table[nr].fn(tf);
	printk("pid %d (%s): unknown system call %lu: ENOSYS\n", current->pid, current->name,
	       (unsigned long)nr);
	return -ENOSYS;
}
