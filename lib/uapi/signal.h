/* Signal numbers, dispositions, sigprocmask's how and sigaction flags
 * (asm-generic/signal.h, signal-defs.h). */
#ifndef BRAMBLE_UAPI_SIGNAL_H
#define BRAMBLE_UAPI_SIGNAL_H
#include "lib/types.h"
#define SIGHUP     1
#define SIGINT     2
#define SIGQUIT    3
#define SIGILL     4
#define SIGTRAP    5
#define SIGABRT    6
#define SIGBUS     7
#define SIGFPE     8
#define SIGKILL    9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31
#define SIGRTMIN  32
#define _NSIG     64

#define SIG_DFL 0   /* sa_handler values (Linux casts them to a handler pointer) */
#define SIG_IGN 1

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

#define SIGRTMAX  64
#define SA_UNSUPPORTED 0x00000400
#define SA_EXPOSE_TAGBITS 0x00000800

/* sigaltstack */
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ   5120     /* arm64 */

/* si_code values (asm-generic/siginfo.h) */
#define SI_USER     0
#define SI_KERNEL   0x80
#define SI_QUEUE    (-1)
#define SI_TIMER    (-2)
#define SI_TKILL    (-6)
#define ILL_ILLOPC  1
#define FPE_INTDIV  1
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN  1
#define BUS_ADRERR  2
#define TRAP_BRKPT  1
#define CLD_EXITED  1
#define CLD_KILLED  2
#define CLD_DUMPED  3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* sigevent notify */
#define SIGEV_SIGNAL 0
#define SIGEV_NONE   1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4

/* waitid idtype */
#define P_ALL  0
#define P_PID  1
#define P_PGID 2
#define P_PIDFD 3

/* struct sigaction as the arm64 kernel takes it (no sa_restorer-last trick). */
struct linux_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

struct linux_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

/* siginfo_t: 128 bytes; the union's fields at 16. */
struct linux_siginfo {
	int32_t si_signo, si_errno, si_code, pad0;
	union {
		struct { int32_t pid; uint32_t uid; int32_t status; int32_t pad; int64_t utime, stime; } chld;
		struct { int32_t pid; uint32_t uid; uint64_t value; } rt;
		struct { int32_t tid; int32_t overrun; uint64_t value; } timer;
		struct { uint64_t addr; } fault;
		uint8_t raw[112];
	} u;
};

struct linux_sigevent {
	uint64_t sigev_value;
	int32_t sigev_signo;
	int32_t sigev_notify;
	int32_t tid;
	int32_t pad[11];
};

/* asm/sigcontext.h and asm/ucontext.h */
#define FPSIMD_MAGIC 0x46508001
struct linux_aarch64_ctx {
	uint32_t magic, size;
};
struct linux_fpsimd_context {
	struct linux_aarch64_ctx head;
	uint32_t fpsr, fpcr;
	__uint128_t vregs[32];
};
struct linux_sigcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp, pc, pstate;
	uint8_t reserved[4096] __attribute__((aligned(16)));
};
struct linux_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct linux_stack uc_stack;
	uint64_t uc_sigmask;
	uint8_t unused[1024 / 8 - 8];
	struct linux_sigcontext uc_mcontext;
};
struct linux_rt_sigframe {
	struct linux_siginfo info;
	struct linux_ucontext uc;
};
#endif
