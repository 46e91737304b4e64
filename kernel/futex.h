/*
 * Futexes (Linux's futex(2), kernel/futex/): a process sleeps on a 32-bit
 * word of its memory until another wakes that word. syscall/futex.c
 * decodes futex(2) and calls the operations below; the threads of one
 * process (CLONE_THREAD, several struct proc on one struct mm) meet through
 * the same keys as processes do.
 *
 * Keys: which sleepers a word's wake reaches.
 *   - private (FUTEX_PRIVATE_FLAG): (mm, address). Threads of one mm meet.
 *   - shared, on a MAP_SHARED mapping (shm or file): the physical address
 *     of the word. Pages never move (no swap, no migration), so every
 *     process mapping the page meets there. A stale key (the page unmapped
 *     while someone sleeps) only leaves that sleeper to its timeout or a
 *     signal, as on Linux.
 *   - shared, on a private mapping: (mm, address), marked shared, as
 *     Linux keys anonymous pages; so a shared op never meets a private one
 *     on the same word (mixing them is undefined, and so it is on Linux).
 *     Fork's copy-on-write cannot split such a key: it is by address. (Linux
 *     keys a MAP_PRIVATE file page not yet written by its file, so two
 *     processes could meet there; here they do not.)
 *
 * Waiters: a struct futex_q on the sleeper's kernel stack, in one of a
 * small table of hash buckets, FIFO within a bucket; each sleeps on its own
 * wait queue until its woken flag is set (or a timeout, or a signal). No
 * path allocates, so futex_wait never fails with ENOMEM and fault injection
 * (fail_alloc=N) never reaches here. A waker takes the waiter out of its
 * bucket before waking it; a waiter that stops for any other reason (a
 * timeout, a signal, SIGKILL included) takes itself out before returning,
 * so no queued entry ever outlives its stack (futex_exit_robust checks).
 *
 * Locking: the kernel lock (kernel/spinlock.h) covers the buckets and
 * every waiter: the read of the word, its compare and the queueing in
 * futex_wait are one step no waker can come between, and a waker's
 * unqueue-and-wake is one step too. The user word itself is not the
 * kernel's: threads on other CPUs change it with their own atomics while
 * the kernel looks, so the kernel's read-modify-writes of it (FUTEX_WAKE_OP,
 * a dead owner's robust lock) are atomic too (user_word_update: LDAXR/STLXR
 * on the word's linear-map alias). A plain read racing with a user store
 * is futex_wait's documented race, which the compare settles.
 */
#ifndef BRAMBLE_FUTEX_H
#define BRAMBLE_FUTEX_H
#include "lib/types.h"

struct mm;
struct proc;

#define FUTEX_NR_MAX 0x7fffffff   /* INT_MAX: "wake them all" */

/*
 * FUTEX_WAIT/FUTEX_WAIT_BITSET: sleeps on uaddr of current's memory while
 * it holds val, until woken by a wake whose bitset meets bitset (non-zero),
 * or the clock reaches *deadline (ns since boot; NULL: no timeout).
 * 0 when woken; -EAGAIN if *uaddr != val; -ETIMEDOUT; -EINVAL (unaligned,
 * bitset 0); -EFAULT; on a signal -ERESTARTSYS without a timeout, else
 * -ERESTART_RESTARTBLOCK (restart_syscall waits again to the same deadline,
 * a handler sees EINTR), as Linux.
 */
long futex_wait(uaddr_t uaddr, bool shared, uint32_t val, const uint64_t *deadline, uint32_t bitset);
/* FUTEX_WAKE/FUTEX_WAKE_BITSET: wakes up to nr (at least one, as Linux)
 * of the sleepers on uaddr whose bitset meets bitset: how many, or -errno. */
long futex_wake(uaddr_t uaddr, bool shared, int nr, uint32_t bitset);
/* FUTEX_REQUEUE (cmpval NULL) / FUTEX_CMP_REQUEUE (-EAGAIN unless *uaddr ==
 * *cmpval): wakes nr_wake sleepers of uaddr, moves up to nr_requeue others
 * to uaddr2; returns how many were woken or moved. */
long futex_requeue(uaddr_t uaddr, bool shared, uaddr_t uaddr2, int nr_wake, int nr_requeue,
		   const uint32_t *cmpval);
/* FUTEX_WAKE_OP: applies encoded_op to *uaddr2 and wakes nr_wake on uaddr,
 * and nr_wake2 on uaddr2 if the old value of *uaddr2 passes the compare:
 * the total woken, -ENOSYS for a bad op or compare, -EFAULT, -EINVAL. */
long futex_wake_op(uaddr_t uaddr, bool shared, uaddr_t uaddr2, int nr_wake, int nr_wake2,
		   uint32_t encoded_op);

/*
 * Wakes up to nr sleepers of the word at uaddr in mm (private: its private
 * key; else the shared one). For CLONE_CHILD_CLEARTID at a thread's exit:
 * the caller writes 0 to the word, then calls this with nr 1 and private
 * false (Linux's mm_release wakes the shared key). Returns how many were
 * woken, or -EFAULT / -EINVAL for a bad address.
 */
long futex_wake_user(struct mm *mm, uaddr_t uaddr, int nr, bool private);

/*
 * At the exit (or exec) of p, while p->mm is still its memory: walks the
 * robust list p registered (set_robust_list), as Linux's exit_robust_list.
 * Each lock whose word holds p's tid gets FUTEX_OWNER_DIED (FUTEX_WAITERS
 * kept) and, if it had waiters, one of them is woken. Bounded by
 * ROBUST_LIST_LIMIT entries; any fault ends the walk. Forgets the list.
 */
void futex_exit_robust(struct proc *p);
#endif
