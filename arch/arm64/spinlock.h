/*
 * Ticket spinlocks on the A53's exclusives (ldaxr/stxr; the A53 has no LSE
 * atomics), as Linux's arm64 ticket lock before qspinlock: the low half is
 * the ticket being served, the high half the next ticket to hand out, so
 * CPUs get the lock in the order they asked. A waiter sleeps in WFE between
 * looks; the owner's store-release to the lock word clears every waiter's
 * exclusive monitor, which is an event that ends their WFE.
 */
#ifndef BRAMBLE_ARM64_SPINLOCK_H
#define BRAMBLE_ARM64_SPINLOCK_H
#include <stdint.h>
#include <stdbool.h>

typedef struct {
	volatile uint32_t val;      /* owner ticket (bits 0-15), next ticket (16-31) */
} arch_spinlock_t;

#define ARCH_SPIN_LOCK_UNLOCKED { 0 }
#define TICKET_SHIFT 16

/* Takes a ticket; returns it (in the low half) and the owner then (high half
 * swapped down), so the caller sees at once whether it holds the lock. */
static inline uint32_t arch_spin_take_ticket(arch_spinlock_t *l)
{
	uint32_t old, tmp, fail;

	__asm__ volatile(
		"	prfm	pstl1strm, %3\n"
		"1:	ldaxr	%w0, %3\n"
		"	add	%w1, %w0, %w4\n"
		"	stxr	%w2, %w1, %3\n"
		"	cbnz	%w2, 1b\n"
		: "=&r"(old), "=&r"(tmp), "=&r"(fail), "+Q"(l->val)
		: "I"(1 << TICKET_SHIFT)
		: "memory");
	return old;
}

/* Sets this CPU's event register, so the first arch_spin_wait_owner's WFE
 * falls through to its first look. */
static inline void arch_spin_wait_begin(void)
{
	__asm__ volatile("sevl" : : : "memory");
}

/* Waits for an event, then reads the ticket now being served with acquire
 * semantics. The exclusive load arms this CPU's monitor on the lock word,
 * so the owner's release is the event that ends the next WFE. */
static inline uint16_t arch_spin_wait_owner(arch_spinlock_t *l)
{
	uint32_t owner;

	__asm__ volatile(
		"	wfe\n"
		"	ldaxrh	%w0, %1\n"
		: "=&r"(owner)
		: "Q"(*(volatile uint16_t *)&l->val)
		: "memory");
	return (uint16_t)owner;
}

/* true if the lock was free and is now ours. */
static inline bool arch_spin_trylock(arch_spinlock_t *l)
{
	uint32_t old, tmp, fail;

	__asm__ volatile(
		"	prfm	pstl1strm, %3\n"
		"1:	ldaxr	%w0, %3\n"
		"	eor	%w1, %w0, %w0, ror #16\n"
		"	cbnz	%w1, 2f\n"
		"	add	%w0, %w0, %w4\n"
		"	stxr	%w2, %w0, %3\n"
		"	cbnz	%w2, 1b\n"
		"2:\n"
		: "=&r"(old), "=&r"(tmp), "=&r"(fail), "+Q"(l->val)
		: "I"(1 << TICKET_SHIFT)
		: "memory");
	return tmp == 0;
}

/* Serves the next ticket: a store-release of the owner half alone. */
/* The owner half goes to the next ticket (as Linux's: a 16-bit add, its
 * carry dropped by the halfword store). */
static inline void arch_spin_unlock(arch_spinlock_t *l)
{
	uint16_t *owner = (uint16_t *)&l->val;
	uint32_t tmp;

	__asm__ volatile(
		"	ldrh	%w1, %0\n"
		"	add	%w1, %w1, #1\n"
		"	stlrh	%w1, %0\n"
		: "+Q"(*owner), "=&r"(tmp) : : "memory");
}

static inline bool arch_spin_is_locked(const arch_spinlock_t *l)
{
	uint32_t v = l->val;

	return (v >> TICKET_SHIFT) != (v & 0xffff);
}
#endif
