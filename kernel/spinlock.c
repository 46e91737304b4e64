/* Spinlocks and their checks (see kernel/spinlock.h). */
#include "kernel/spinlock.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "kernel/panic.h"
#include "arch/arm64/irqflags.h"

bool lock_checks;
bool kernel_lock_live;
struct spinlock kernel_lock = SPINLOCK_INIT("kernel_lock", LOCK_ORDER_KERNEL);

static void check_before_lock(const struct spinlock *l, const struct cpu *c)
{
	if (!irqs_masked())
		panic("spinlock %s taken with interrupts unmasked", l->name);
	if (l->owner == c->id)
		panic("spinlock %s taken again by CPU %d, which holds it", l->name, c->id);
	if (c->locks_held >> l->order)
		panic("lock order: %s (order %d) taken while holding order mask 0x%x",
		      l->name, l->order, c->locks_held);
}

static void note_locked(struct spinlock *l, struct cpu *c)
{
	if (!lock_checks)
		return;
	l->owner = c->id;
	c->locks_held |= 1u << l->order;
}

void kernel_lock_boot(void)
{
	spin_lock(&kernel_lock);
}

void lock_checks_enable(void)
{
	lock_checks = true;
	note_locked(&kernel_lock, this_cpu());
}

void spin_lock(struct spinlock *l)
{
	struct cpu *c = this_cpu();

	if (lock_checks)
		check_before_lock(l, c);
	uint32_t t = arch_spin_take_ticket(&l->raw);
	uint16_t mine = (uint16_t)(t >> TICKET_SHIFT);
	if ((uint16_t)t != mine) {
		/* Waiting, the CPU still answers what needs no lock: a panic's
		 * stop and another CPU's function call (kernel/smp.c). */
		arch_spin_wait_begin();
		while (arch_spin_wait_owner(&l->raw) != mine)
			smp_poll_while_spinning();
	}
	note_locked(l, c);
}

bool spin_trylock(struct spinlock *l)
{
	struct cpu *c = this_cpu();

	if (lock_checks)
		check_before_lock(l, c);
	if (!arch_spin_trylock(&l->raw))
		return false;
	note_locked(l, c);
	return true;
}

void spin_unlock(struct spinlock *l)
{
	struct cpu *c = this_cpu();

	if (lock_checks) {
		if (l->owner != c->id)
			panic("spinlock %s released by CPU %d, owner %d", l->name, c->id, l->owner);
		c->locks_held &= ~(1u << l->order);
		l->owner = -1;
	}
	arch_spin_unlock(&l->raw);
}

bool spin_held_here(const struct spinlock *l)
{
	return l->owner == this_cpu()->id;
}

void assert_kernel_locked_at(const char *fn)
{
	if (lock_checks && kernel_lock_live && !spin_held_here(&kernel_lock))
		panic("%s: called without the kernel lock on CPU %d", fn, this_cpu()->id);
}
