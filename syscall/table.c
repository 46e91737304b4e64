/*
 * The dispatcher, generated from syscall/syscalls.h: the one place that
 * unpacks x0..x5 into each handler's typed arguments, and the table indexed
 * by Linux's AArch64 (asm-generic) numbers.
 */
#include "syscall/syscall.h"
#include "lib/printk.h"
#include "kernel/klog.h"

/* Each thunk only loads registers and tail-calls its handler: with no
 * frame of its own (it never appears in a backtrace) it costs one branch. */
#define THUNK static __attribute__((optimize("omit-frame-pointer"))) long
#define X(n) tf->x[n]
/* Each argument type of the list, from its register: Linux's truncation
 * for the narrow ones, uaddr() for user addresses. */
#define REG_int(v)      ((int)(v))
#define REG_long(v)     ((long)(v))
#define REG_uint32_t(v) ((uint32_t)(v))
#define REG_uint64_t(v) ((uint64_t)(v))
#define REG_size_t(v)   ((size_t)(v))
#define REG_uaddr_t(v)  uaddr(v)
#define SC0(nr, name) \
	THUNK call_##name(struct trap_frame *tf) { (void)tf; return sys_##name(); }
#define SC1(nr, name, t1, a1) \
	THUNK call_##name(struct trap_frame *tf) { return sys_##name(REG_##t1(X(0))); }
#define SC2(nr, name, t1, a1, t2, a2) \
	THUNK call_##name(struct trap_frame *tf) \
	{ return sys_##name(REG_##t1(X(0)), REG_##t2(X(1))); }
#define SC3(nr, name, t1, a1, t2, a2, t3, a3) \
	THUNK call_##name(struct trap_frame *tf) \
	{ return sys_##name(REG_##t1(X(0)), REG_##t2(X(1)), REG_##t3(X(2))); }
#define SC4(nr, name, t1, a1, t2, a2, t3, a3, t4, a4) \
	THUNK call_##name(struct trap_frame *tf) \
	{ return sys_##name(REG_##t1(X(0)), REG_##t2(X(1)), REG_##t3(X(2)), REG_##t4(X(3))); }
#define SC5(nr, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	THUNK call_##name(struct trap_frame *tf) \
	{ return sys_##name(REG_##t1(X(0)), REG_##t2(X(1)), REG_##t3(X(2)), REG_##t4(X(3)), REG_##t5(X(4))); }
#define SC6(nr, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	THUNK call_##name(struct trap_frame *tf) \
	{ return sys_##name(REG_##t1(X(0)), REG_##t2(X(1)), REG_##t3(X(2)), REG_##t4(X(3)), REG_##t5(X(4)), REG_##t6(X(5))); }
#define SCF0(nr, name) \
	THUNK call_##name(struct trap_frame *tf) { return sys_##name(tf); }
#define SCF2(nr, name, t1, a1, t2, a2) \
	THUNK call_##name(struct trap_frame *tf) \
	{ return sys_##name(tf, REG_##t1(X(0)), REG_##t2(X(1))); }
#define SCF5(nr, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	THUNK call_##name(struct trap_frame *tf) \
	{ return sys_##name(tf, REG_##t1(X(0)), REG_##t2(X(1)), REG_##t3(X(2)), REG_##t4(X(3)), REG_##t5(X(4))); }
#include "syscall/syscalls.h"

/* The table: each call's thunk and its kind (syscall/syscall.h). */
#define ENTRY(nr, name, kind) [nr] = { call_##name, (kind) },
#define SC0(nr, name) ENTRY(nr, name, SYSCALL_LOCKED)
#define SC1(nr, name, ...) SC0(nr, name)
#define SC2(nr, name, ...) SC0(nr, name)
#define SC3(nr, name, ...) SC0(nr, name)
#define SC4(nr, name, ...) SC0(nr, name)
#define SC5(nr, name, ...) SC0(nr, name)
#define SC6(nr, name, ...) SC0(nr, name)
#define SCU0(nr, name) ENTRY(nr, name, SYSCALL_LOCKLESS)
#define SCF0(nr, name) ENTRY(nr, name, SYSCALL_FRAME)
#define SCF2(nr, name, ...) SCF0(nr, name)
#define SCF5(nr, name, ...) SCF0(nr, name)
#define SCR3(nr, name, ...) SCF0(nr, name)
const struct syscall_entry syscall_table[SYSCALL_TABLE_SIZE] = {
#include "syscall/syscalls.h"
};

/* Every name of asm-generic/unistd.h, generated at build time
 * (scripts/gen-syscall-names): LINUX_NR(nr, name) lines. */
#define LINUX_NR(nr, name) [nr] = #name,
static const char *const linux_names[] = {
#include "linux_syscalls.h"
};

const char *syscall_name(uint64_t nr)
{
	return nr < ARRAY_SIZE(linux_names) ? linux_names[nr] : NULL;
}

static struct ratelimit unknown_ratelimit = RATELIMIT_INIT(5, 10);

/* Out of line, so that the path of every known call saves nothing. */
static long __attribute__((noinline, cold)) unknown_syscall(uint64_t nr)
{
	const char *name;

	/* A program that loops on a missing call must not flood the console:
	 * Linux's printk_ratelimit, 10 lines per 5 s, then a count. */
	if (!ratelimit(&unknown_ratelimit, "unknown system call"))
		return -ENOSYS;
	if ((name = syscall_name(nr)))
		printk(KERN_WARNING "pid %d (%s): unknown system call %lu (%s): ENOSYS\n",
		       current->pid, current->name, (unsigned long)nr, name);
	else
		printk(KERN_WARNING "pid %d (%s): unknown system call %lu: ENOSYS\n",
		       current->pid, current->name, (unsigned long)nr);
	return -ENOSYS;
}

long syscall_dispatch(struct trap_frame *tf)
{
	uint64_t nr = tf->x[8];
	struct syscall_entry e = syscall_lookup(nr);

	return e.kind != SYSCALL_UNKNOWN ? e.fn(tf) : unknown_syscall(nr);
}
