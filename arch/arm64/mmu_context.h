/* Switching translation tables: TTBR0 (user, with its ASID), TTBR1 (kernel). */
#ifndef BRAMBLE_ARM64_MMU_CONTEXT_H
#define BRAMBLE_ARM64_MMU_CONTEXT_H
#include <stdint.h>
#include "arch/arm64/barrier.h"
#include "arch/arm64/sysreg.h"
#include "arch/arm64/tlbflush.h"

/* The TTBR0 value of a table at physical address pgd tagged with asid. */
static inline uint64_t ttbr0_value(uint64_t pgd, uint16_t asid)
{
	return pgd | ((uint64_t)asid << TTBR_ASID_SHIFT);
}

static inline void cpu_set_ttbr0(uint64_t ttbr)
{
	write_sysreg(ttbr, ttbr0_el1);
	isb();
}

/* New kernel tables at physical address pgd; every old translation dropped. */
static inline void cpu_replace_ttbr1(uint64_t pgd)
{
	dsb(ishst);
	write_sysreg(pgd, ttbr1_el1);
	isb();
	local_flush_tlb_all();
}
#endif
