/*
 * What the scheduler, the tick and the parking of other cores ask of the
 * CPU, in their words; the instructions are the arch layer's.
 */
#ifndef BRAMBLE_CPU_H
#define BRAMBLE_CPU_H
#include "lib/types.h"
#include "arch/arm64/arch_timer.h"
#include "arch/arm64/barrier.h"
#include "arch/arm64/cacheflush.h"
#include "arch/arm64/processor.h"
#include "arch/arm64/sysreg.h"

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
	dsb(sy);
	wfi();
}

/* The virtual counter (CNTVCT_EL0), which the virtual timer compares with. */
static inline uint64_t cpu_virtual_count(void)
{
	return arch_counter_get_cntvct();
}

/* Arms the virtual timer to raise its interrupt when CNTVCT reaches cval. */
static inline void cpu_timer_arm(uint64_t cval)
{
	arch_timer_virt_arm(cval);
}

/* The counter value the timer is armed for. */
static inline uint64_t cpu_timer_deadline(void)
{
	return arch_timer_virt_cval();
}

/* Whether the timer is on (armed for a time, or that time has come). */
static inline bool cpu_timer_armed(void)
{
	return arch_timer_virt_armed();
}

/* The timer off: no interrupt until it is armed again. */
static inline void cpu_timer_disarm(void)
{
	arch_timer_virt_disarm();
}

/* This CPU's affinity (MPIDR_EL1 Aff3..Aff0), as the DT's cpu reg values. */
static inline uint64_t cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
}

/* Writes the cache line at p back to memory (for a CPU with caches off), then SEV. */
static inline void cpu_clean_line_and_sev(const void *p)
{
	dc_civac(p);
	dsb(sy);
	sev();
}
#endif
