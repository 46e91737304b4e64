/* Futexes: keys, hash buckets of waiters, the operations, robust lists
 * (see kernel/futex.h for the semantics and the locking). */
#include "kernel/futex.h"
#include "kernel/proc.h"
#include "kernel/wait.h"
#include "kernel/timer.h"
#include "kernel/signal.h"
#include "kernel/panic.h"
#include "lib/printk.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/futex.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include <stddef.h>

#define FUTEX_BUCKETS 64          /* a power of two */

/* Which word: space is the mm (0 for a physical address), addr the user
 * or physical address; shared tells a shared op's mm key from a private one. */
struct futex_key {
	uintptr_t space;
	uint64_t addr;
	bool shared;
};

/* One sleeper, on its kernel stack for the length of its futex_wait. */
struct futex_q {
	struct futex_key key;
	uint32_t bitset;
	bool queued;                  /* in a bucket (cleared by whoever unqueues) */
	bool woken;                   /* by a wake, not a timeout or a signal */
	struct wait_queue wq;         /* it alone sleeps here */
	struct proc *proc;
	struct futex_q *prev, *next;
};

struct futex_bucket {
	struct futex_q *head, *tail;
};

static struct futex_bucket buckets[FUTEX_BUCKETS];

/* ---- keys ------------------------------------------------------------- */

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->space == b->space && a->addr == b->addr && a->shared == b->shared;
}

static struct futex_bucket *bucket_of(const struct futex_key *k)
{
	uint64_t h = (k->addr >> 2) ^ ((uint64_t)k->space >> 4);

	h *= 0x9e3779b97f4a7c15ULL;   /* Fibonacci hashing: the top bits mix all */
	return &buckets[h >> 58];
}

_Static_assert(FUTEX_BUCKETS == 64, "bucket_of takes the top 6 bits");

/*
 * The key of the word at uaddr in mm: 0, -EINVAL unaligned, -EFAULT. A
 * private key needs only a user address (Linux's access_ok): the read of
 * the word finds a bad one. A shared key needs the page (faulted in).
 */
static int get_key(struct mm *mm, uaddr_t uaddr, bool shared, struct futex_key *k)
{
	uint64_t a = uaddr_val(uaddr);

	if (a % sizeof(uint32_t))
		return -EINVAL;
	if (!mm || !user_range_ok(uaddr, sizeof(uint32_t)))
		return -EFAULT;
	*k = (struct futex_key){ (uintptr_t)mm, a, shared };
	if (!shared)
		return 0;
	struct vma *v = vm_find(mm, a);
	phys_addr_t pa = v ? vm_user_page(mm, a, false) : 0;
	if (!pa)
		return -EFAULT;
	if (v->flags & VM_SHARED)
		*k = (struct futex_key){ 0, pa, true };
	return 0;
}

/* ---- buckets ---------------------------------------------------------- */

static void enqueue(struct futex_q *q)
{
	struct futex_bucket *b = bucket_of(&q->key);

	q->next = NULL;
	q->prev = b->tail;
	if (b->tail)
		b->tail->next = q;
	else
		b->head = q;
	b->tail = q;
	q->queued = true;
}

static void unqueue(struct futex_q *q)
{
	struct futex_bucket *b = bucket_of(&q->key);

	if (!q->queued)
		return;
	if (q->prev)
		q->prev->next = q->next;
	else
		b->head = q->next;
	if (q->next)
		q->next->prev = q->prev;
	else
		b->tail = q->prev;
	q->prev = q->next = NULL;
	q->queued = false;
}

/* Out of its bucket first: once woken it may return and free its stack. */
static void wake_q(struct futex_q *q)
{
	unqueue(q);
	q->woken = true;
	wake_up(&q->wq);
}

/* Moves q to key k (its bucket's tail), but in place within one bucket so
 * that a walk of that bucket does not meet it again. */
static void requeue_q(struct futex_q *q, const struct futex_key *k)
{
	if (bucket_of(&q->key) == bucket_of(k)) {
		q->key = *k;
		return;
	}
	unqueue(q);
	q->key = *k;
	enqueue(q);
}

/* Wakes up to nr sleepers on k whose bitset meets bitset; as Linux, the
 * count is checked after a wake, so nr <= 0 still wakes one. */
static long wake_key(const struct futex_key *k, int nr, uint32_t bitset)
{
	struct futex_bucket *b = bucket_of(k);
	long woken = 0;

	for (struct futex_q *q = b->head, *next; q; q = next) {
		next = q->next;
		if (!key_eq(&q->key, k) || !(q->bitset & bitset))
			continue;
		wake_q(q);
		if (++woken >= nr)
			break;
	}
	return woken;
}

/* Debugging: a process that is exiting can have no waiter queued (its
 * futex_wait would have taken it out before returning to exit). */
static void check_not_queued(const struct proc *p)
{
	for (int i = 0; i < FUTEX_BUCKETS; i++)
		for (const struct futex_q *q = buckets[i].head; q; q = q->next)
			if (q->proc == p)
				panic("futex: pid %d exits with a queued waiter", p->pid);
}

/* ---- user words ------------------------------------------------------- */

static int get_word(struct mm *mm, uaddr_t uaddr, uint32_t *v)
{
	return copy_from_user(mm, v, uaddr, sizeof(*v)) < 0 ? -EFAULT : 0;
}

/* ---- wait ------------------------------------------------------------- */

static long wait_restart(void);

/* Sleeps on q until woken, the deadline, or a signal: 0, -ETIMEDOUT, -ERESTARTSYS. */
static long sleep_on(struct futex_q *q, const uint64_t *deadline)
{
	struct timer t;
	long err;

	if (deadline)
		timer_add(&t, *deadline, &q->wq);
	err = wait_event(&q->wq, q->woken || (deadline && uptime_ns() >= *deadline));
	if (deadline)
		timer_cancel(&t);
	unqueue(q);                   /* a timeout or a signal: still queued */
	if (q->woken)
		return 0;                 /* a wake wins over both, as Linux */
	return err ? err : -ETIMEDOUT;
}

long futex_wait(uaddr_t uaddr, bool shared, uint32_t val, const uint64_t *deadline, uint32_t bitset)
{
	struct futex_q q = { .bitset = bitset, .proc = current, .wq = WAIT_QUEUE_INIT };
	uint32_t cur;
	long err;

	if (!bitset)
		return -EINVAL;
	if ((err = get_key(current->mm, uaddr, shared, &q.key)))
		return err;
	/* Read, compare and queue with nothing in between (kernel/futex.h). */
	if ((err = get_word(current->mm, uaddr, &cur)))
		return err;
	if (cur != val)
		return -EAGAIN;
	enqueue(&q);
	err = sleep_on(&q, deadline);
	if (err != -ERESTARTSYS || !deadline)
		return err;
	/* A timed wait resumes to the same deadline (Linux's futex_wait_restart). */
	current->restart.fn = wait_restart;
	current->restart.deadline = *deadline;
	current->restart.futex.uaddr = uaddr;
	current->restart.futex.val = val;
	current->restart.futex.bitset = bitset;
	current->restart.futex.shared = shared;
	return -ERESTART_RESTARTBLOCK;
}

static long wait_restart(void)
{
	uint64_t deadline = current->restart.deadline;

	return futex_wait(current->restart.futex.uaddr, current->restart.futex.shared,
			  current->restart.futex.val, &deadline, current->restart.futex.bitset);
}

/* ---- wake, requeue, wake_op ------------------------------------------ */

long futex_wake(uaddr_t uaddr, bool shared, int nr, uint32_t bitset)
{
	struct futex_key k;
	int err;

	if (!bitset)
		return -EINVAL;
	if ((err = get_key(current->mm, uaddr, shared, &k)))
		return err;
	return wake_key(&k, nr, bitset);
}

long futex_wake_user(struct mm *mm, uaddr_t uaddr, int nr, bool private)
{
	struct futex_key k;
	int err;

	if ((err = get_key(mm, uaddr, !private, &k)))
		return err;
	return wake_key(&k, nr, FUTEX_BITSET_MATCH_ANY);
}

long futex_requeue(uaddr_t uaddr, bool shared, uaddr_t uaddr2, int nr_wake, int nr_requeue,
		   const uint32_t *cmpval)
{
	struct futex_key k1, k2;
	uint32_t cur;
	long count = 0;
	int err;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	if ((err = get_key(current->mm, uaddr, shared, &k1)) ||
	    (err = get_key(current->mm, uaddr2, shared, &k2)))
		return err;
	if (cmpval) {
		if ((err = get_word(current->mm, uaddr, &cur)))
			return err;
		if (cur != *cmpval)
			return -EAGAIN;
	}
	struct futex_bucket *b = bucket_of(&k1);
	for (struct futex_q *q = b->head, *next; q; q = next) {
		next = q->next;
		if (count - nr_wake >= nr_requeue)
			break;
		if (!key_eq(&q->key, &k1))
			continue;
		if (++count <= nr_wake)
			wake_q(q);            /* requeue wakes ignore the bitset, as Linux */
		else
			requeue_q(q, &k2);
	}
	return count;
}

struct wake_op_arg {
	unsigned int op;
	uint32_t oparg;
};

static uint32_t wake_op_new(uint32_t old, const void *arg)
{
	const struct wake_op_arg *a = arg;

	switch (a->op) {
	case FUTEX_OP_SET:  return a->oparg;
	case FUTEX_OP_ADD:  return old + a->oparg;
	case FUTEX_OP_OR:   return old | a->oparg;
	case FUTEX_OP_ANDN: return old & ~a->oparg;
	default:            return old ^ a->oparg;   /* FUTEX_OP_XOR */
	}
}

/* The encoded op's operation on *uaddr2 (oldval out): 0, -ENOSYS, -EFAULT.
 * Atomic on the word: threads on other CPUs may be changing it with their
 * own atomics right now (Linux's arch_futex_atomic_op_inuser). */
static int apply_op(uaddr_t uaddr2, uint32_t encoded_op, uint32_t *oldval)
{
	struct wake_op_arg a = { (encoded_op >> 28) & 7, (encoded_op >> 12) & 0xfff };
	uint32_t now;

	if (a.oparg & 0x800)
		a.oparg |= 0xfffff000u;     /* 12 bits, signed */
	if (encoded_op & ((uint32_t)FUTEX_OP_OPARG_SHIFT << 28))
		a.oparg = 1u << (a.oparg & 31);   /* Linux masks a bad shift, with a warning */
	if (get_word(current->mm, uaddr2, &now))
		return -EFAULT;
	if (a.op > FUTEX_OP_XOR)
		return -ENOSYS;
	return user_word_update(current->mm, uaddr2, wake_op_new, &a, oldval) ? -EFAULT : 0;
}

/* The compare of the old value: 1 or 0, or -ENOSYS (the op stays done, as Linux). */
static int compare_op(uint32_t encoded_op, uint32_t oldval)
{
	int32_t cmparg = (int32_t)(encoded_op & 0xfff);
	int32_t old = (int32_t)oldval;

	if (cmparg & 0x800)
		cmparg -= 0x1000;
	switch ((encoded_op >> 24) & 0xf) {
	case FUTEX_OP_CMP_EQ: return old == cmparg;
	case FUTEX_OP_CMP_NE: return old != cmparg;
	case FUTEX_OP_CMP_LT: return old < cmparg;
	case FUTEX_OP_CMP_LE: return old <= cmparg;
	case FUTEX_OP_CMP_GT: return old > cmparg;
	case FUTEX_OP_CMP_GE: return old >= cmparg;
	default: return -ENOSYS;
	}
}

long futex_wake_op(uaddr_t uaddr, bool shared, uaddr_t uaddr2, int nr_wake, int nr_wake2,
		   uint32_t encoded_op)
{
	struct futex_key k1, k2;
	uint32_t oldval;
	int err, hit;

	if ((err = get_key(current->mm, uaddr, shared, &k1)) ||
	    (err = get_key(current->mm, uaddr2, shared, &k2)))
		return err;
	if ((err = apply_op(uaddr2, encoded_op, &oldval)))
		return err;
	if ((hit = compare_op(encoded_op, oldval)) < 0)
		return hit;
	long woken = wake_key(&k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (hit)
		woken += wake_key(&k2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	return woken;
}

/* ---- robust lists ----------------------------------------------------- */

/* One user pointer of the list: the entry, and bit 0 (a PI lock). */
static int fetch_entry(struct mm *mm, uaddr_t at, uint64_t *entry, bool *pi)
{
	uint64_t v;

	if (copy_from_user(mm, &v, at, sizeof(v)) < 0)
		return -EFAULT;
	*entry = v & ~1ULL;
	*pi = v & 1;
	return 0;
}

/*
 * Linux's handle_futex_death for the word at uaddr of dying p: -1 stops
 * the walk (a bad word). A pending unlock (owner already 0) may have left
 * a waiter unwoken: wake one. A lock p holds gets OWNER_DIED (WAITERS
 * kept); its waiters' first is woken (PI locks: no waking, no PI here).
 * The owner's change is one atomic update of the word (Linux's cmpxchg):
 * the process's other threads may be taking the lock on other CPUs.
 */
static uint32_t owner_died(uint32_t v, const void *arg)
{
	uint32_t dying = *(const uint32_t *)arg;

	return (v & FUTEX_TID_MASK) == dying ? (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED : v;
}

static int futex_death(struct proc *p, uint64_t word, bool pi, bool pending)
{
	uaddr_t w = uaddr(word);
	uint32_t v, dying = (uint32_t)p->pid;

	if (word % sizeof(uint32_t) || user_word_update(p->mm, w, owner_died, &dying, &v))
		return -1;
	uint32_t owner = v & FUTEX_TID_MASK;
	if (pending && !pi && !owner) {
		futex_wake_user(p->mm, w, 1, false);
		return 0;
	}
	if (owner != dying)
		return 0;
	if (!pi && (v & FUTEX_WAITERS))
		futex_wake_user(p->mm, w, 1, false);
	return 0;
}

#define HEAD_FIELD(f) offsetof(struct linux_robust_list_head, f)

/* Linux's exit_robust_list: every user access checked, the list bounded. */
static void walk_robust_list(struct proc *p, uint64_t head)
{
	uint64_t entry, next, pending;
	int64_t offset;
	bool pi, next_pi, pending_pi;
	int limit = ROBUST_LIST_LIMIT;

	if (fetch_entry(p->mm, uaddr(head + HEAD_FIELD(list)), &entry, &pi) ||
	    copy_from_user(p->mm, &offset, uaddr(head + HEAD_FIELD(futex_offset)), sizeof(offset)) < 0 ||
	    fetch_entry(p->mm, uaddr(head + HEAD_FIELD(list_op_pending)), &pending, &pending_pi))
		return;
	while (entry != head) {
		/* The next one first: the death may let another process free this one. */
		int rc = fetch_entry(p->mm, uaddr(entry), &next, &next_pi);
		if (entry != pending && futex_death(p, entry + (uint64_t)offset, pi, false))
			return;
		if (rc)
			return;
		entry = next;
		pi = next_pi;
		if (!--limit)
			break;
	}
	if (pending)
		futex_death(p, pending + (uint64_t)offset, pending_pi, true);
}

void futex_exit_robust(struct proc *p)
{
	uint64_t head = uaddr_val(p->robust_list);

	check_not_queued(p);
	p->robust_list = uaddr(0);
	p->robust_list_len = 0;
	if (head && p->mm)
		walk_robust_list(p, head);
}
