/* System calls: Linux AArch64 numbers, number in x8, arguments in x0..x5,
 * result (or -errno) in x0. The handlers are declared from one list,
 * syscall/syscalls.h: sys_NAME, typed, user addresses as uaddr_t. */
#ifndef BRAMBLE_SYSCALL_H
#define BRAMBLE_SYSCALL_H
#include "arch/arm64/trap_frame.h"
#include "kernel/proc.h"
#include "lib/uapi/errno.h"

/* Runs call tf->x[8] (ENOSYS, and a rate-limited line, for an unknown one). */
long syscall_dispatch(struct trap_frame *tf);

/* Linux's name of system call nr, or NULL: every AArch64 call, implemented or not. */
const char *syscall_name(uint64_t nr);

#define SC0(nr, name) long sys_##name(void);
#define SC1(nr, name, t1, a1) long sys_##name(t1 a1);
#define SC2(nr, name, t1, a1, t2, a2) long sys_##name(t1 a1, t2 a2);
#define SC3(nr, name, t1, a1, t2, a2, t3, a3) long sys_##name(t1 a1, t2 a2, t3 a3);
#define SC4(nr, name, t1, a1, t2, a2, t3, a3, t4, a4) \
	long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4);
#define SC5(nr, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);
#define SC6(nr, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6);
#define SCF0(nr, name) long sys_##name(struct trap_frame *tf);
#define SCF2(nr, name, t1, a1, t2, a2) long sys_##name(struct trap_frame *tf, t1 a1, t2 a2);
#define SCF5(nr, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	long sys_##name(struct trap_frame *tf, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);
#include "syscall/syscalls.h"
/* A struct timespec from user memory as nanoseconds (UINT64_MAX past the
 * range): 0, -EFAULT, or -EINVAL for a negative or unnormalised one. */
long timespec_from_user(uaddr_t uts, uint64_t *ns);
/*
 * The table the entry path reads (kernel/traps.c): each call's thunk and
 * how it is run. A locked call runs under the kernel lock; a lockless one
 * (SCU0) without it; a frame call (SCFn, SCR3) reads or replaces the
 * registers themselves, so the entry saves all of them first.
 */
enum syscall_kind { SYSCALL_UNKNOWN, SYSCALL_LOCKED, SYSCALL_LOCKLESS, SYSCALL_FRAME };

struct syscall_entry {
	long (*fn)(struct trap_frame *tf);
	unsigned long kind;       /* enum syscall_kind; a word, so one ldp loads both */
};

/* Above every number Linux's AArch64 (asm-generic) list has used. */
#define SYSCALL_TABLE_SIZE 512
extern const struct syscall_entry syscall_table[SYSCALL_TABLE_SIZE];

/* Call nr's entry (kind SYSCALL_UNKNOWN for a number Bramble lacks):
 * inline, a compare and a load on the path of every system call. */
static inline struct syscall_entry syscall_lookup(uint64_t nr)
{
	return nr < SYSCALL_TABLE_SIZE ? syscall_table[nr]
				       : (struct syscall_entry){ NULL, SYSCALL_UNKNOWN };
}
#endif
