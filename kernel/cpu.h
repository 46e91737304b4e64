/*
 * The few CPU instructions the scheduler needs, in one place (to move into
 * the arch layer with the rest of the inline assembly).
 */
#ifndef BRAMBLE_CPU_H
#define BRAMBLE_CPU_H
#include "kernel/types.h"

/*
 * Waits for an interrupt with interrupts still masked (PSTATE.I set, as the
 * kernel always runs). A pending IRQ ends WFI whatever PSTATE.I says (Arm ARM,
 * "Wait for Interrupt"), so the caller checks for work, then waits, then
 * services the interrupt controller itself: an interrupt that arrives between
 * the check and the WFI stays pending and WFI returns at once, so no wake-up
 * is lost, and no interrupt is ever taken at EL1. (Linux's cpu_do_idle does
 * the same, then unmasks to take the interrupt through the vector.)
 */
static inline void cpu_wait_for_interrupt(void)
{
	__asm__ volatile("dsb sy\n wfi" : : : "memory");
}

/* The virtual counter (CNTVCT_EL0), which the virtual timer compares with. */
static inline uint64_t cpu_virtual_count(void)
{
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

/* Arms the virtual timer to raise its interrupt when CNTVCT reaches cval. */
static inline void cpu_timer_arm(uint64_t cval)
{
	__asm__ volatile("msr cntv_cval_el0, %0\n msr cntv_ctl_el0, %1\n isb"
			 : : "r"(cval), "r"(1UL) : "memory");
}

/* This CPU's affinity (MPIDR_EL1 Aff3..Aff0), as the DT's cpu reg values. */
static inline uint64_t cpu_mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v & 0xff00ffffffUL;
}

/* Writes the cache line at p back to memory (for a CPU with caches off), then SEV. */
static inline void cpu_clean_line_and_sev(const void *p)
{
	__asm__ volatile("dc civac, %0\n dsb sy\n sev" : : "r"(p) : "memory");
}
#endif
