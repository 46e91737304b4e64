/*
 * Spinlocks, and the kernel lock.
 *
 * Bramble's kernel runs under one lock, the kernel lock (Linux 2.0's "big
 * kernel lock"): user code runs on every CPU at once, kernel code on one
 * CPU at a time. A CPU takes it on every entry from EL0 (kernel/traps.c) and
 * in its idle loop, and lets it go on the way back to EL0 and around the
 * idle loop's WFI. A task that sleeps inside the kernel keeps the lock for
 * the CPU: the switch hands it to the next task, which lets it go when it
 * returns to EL0 (or to the idle thread, which lets it go in WFI). So every
 * structure the kernel shares (the process table, run queue, VFS, pipes,
 * the tty, futexes, signals, timers, the page allocator, kernel heap and
 * commit charge) is protected by it, and the rules of the one-CPU kernel
 * (kernel/wait.h: no wake-up lost between a check and a sleep) hold as
 * they were.
 *
 * The kernel runs with interrupts masked, so every lock is taken with them
 * masked (Linux's spin_lock_irqsave, always): an interrupt handler runs only
 * where the kernel lock was taken for it.
 *
 * Lock order (a lock may be taken only while holding locks earlier in it):
 *   1. kernel_lock     everything shared, as above
 *   2. console_lock    the UART and the line being printed (kernel/printk.c),
 *                      so a panicking CPU's dump and another CPU's one line
 *                      do not interleave
 * When lock checks are on (vm_check=on, as every QEMU test boots), taking
 * a lock out of order, taking one this CPU holds, releasing one it does not,
 * and running kernel code that needs the kernel lock without it panic.
 */
#ifndef BRAMBLE_SPINLOCK_H
#define BRAMBLE_SPINLOCK_H
#include "lib/types.h"
#include "arch/arm64/spinlock.h"

enum lock_order { LOCK_ORDER_KERNEL = 1, LOCK_ORDER_CONSOLE = 2 };

struct spinlock {
	arch_spinlock_t raw;
	int owner;               /* logical CPU holding it, -1 for none */
	int order;               /* enum lock_order */
	const char *name;
};

#define SPINLOCK_INIT(nm, ord) { ARCH_SPIN_LOCK_UNLOCKED, -1, (ord), (nm) }

/* The owner and the held-locks mask are kept only while lock checks
 * are on (they cost every kernel entry a few instructions). */
extern bool lock_checks;

void spin_lock(struct spinlock *l);
bool spin_trylock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
/* Whether this CPU holds l (known only while lock checks are on). */
bool spin_held_here(const struct spinlock *l);

extern struct spinlock kernel_lock;

/*
 * Every kernel entry takes it: the uncontended case is inline, a few
 * instructions. With one CPU online (nosmp, maxcpus=1, a DT with one CPU)
 * there is nobody to exclude: the boot CPU took it once in kmain and keeps
 * it, and these are a load and a branch (make bench's single-CPU figures).
 * kernel_lock_live is set before a second CPU starts and never cleared.
 */
extern bool kernel_lock_live;

/* The lock itself, for a caller that has looked at kernel_lock_live. */
static inline void lock_kernel_live(void)
{
	if (lock_checks || !arch_spin_trylock(&kernel_lock.raw))
		spin_lock(&kernel_lock);
}

static inline void unlock_kernel_live(void)
{
	if (lock_checks)
		spin_unlock(&kernel_lock);
	else
		arch_spin_unlock(&kernel_lock.raw);
}

static inline void lock_kernel(void)
{
	if (kernel_lock_live)
		lock_kernel_live();
}

static inline void unlock_kernel(void)
{
	if (kernel_lock_live)
		unlock_kernel_live();
}

/* Turns the checks on, adopting the locks this CPU holds already (the
 * kernel lock, taken before the command line was read). */
void lock_checks_enable(void);
/* kmain's first act: the kernel lock, for good unless another CPU comes. */
void kernel_lock_boot(void);

/* With lock checks on: panics unless this CPU holds the kernel lock. */
void assert_kernel_locked_at(const char *fn);
#define assert_kernel_locked() assert_kernel_locked_at(__func__)
#endif
