/* The generic timer: the physical counter for time, the EL1 virtual timer
 * (CNTV) for the tick. */
#ifndef BRAMBLE_ARM64_ARCH_TIMER_H
#define BRAMBLE_ARM64_ARCH_TIMER_H
#include <stdint.h>
#include <stdbool.h>
#include "arch/arm64/barrier.h"
#include "arch/arm64/sysreg.h"

/* CNTPCT_EL0, read after the instructions before it (isb). */
static inline uint64_t arch_counter_get_cntpct(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/* CNTFRQ_EL0: the counter's frequency in Hz. */
/* The virtual counter, which the virtual timer compares with. */
static inline uint64_t arch_counter_get_cntvct(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

/* Arms the virtual timer to fire when the virtual counter reaches cval. */
static inline void arch_timer_virt_arm(uint64_t cval)
{
	write_sysreg(cval, cntv_cval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
}

/* The counter value the virtual timer fires at (CNTV_CVAL_EL0). */
static inline uint64_t arch_timer_virt_cval(void)
{
	return read_sysreg(cntv_cval_el0);
}

/* Whether the virtual timer is enabled (armed, or firing). */
static inline bool arch_timer_virt_armed(void)
{
	return (read_sysreg(cntv_ctl_el0) & CNTV_CTL_ENABLE) != 0;
}

static inline void arch_timer_virt_disarm(void)
{
	write_sysreg(0, cntv_ctl_el0);
	isb();
}

static inline uint64_t arch_timer_get_cntfrq(void)
{
	return read_sysreg(cntfrq_el0);
}

/* Fires the virtual timer's interrupt ticks counter ticks from now. */
static inline void arch_timer_virt_start(uint64_t ticks)
{
	write_sysreg(ticks, cntv_tval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
}
#endif
