/*
 * TLB maintenance. Each helper first makes the table writes before it
 * visible to the walker (dsb ishst) and ends with the invalidation complete
 * and the pipeline resynchronised (dsb, isb).
 */
#ifndef BRAMBLE_ARM64_TLBFLUSH_H
#define BRAMBLE_ARM64_TLBFLUSH_H
#include <stdint.h>
#include "arch/arm64/barrier.h"
#include "arch/arm64/sysreg.h"

/* The operand of a TLBI by ASID, or by ASID and page. */
#define TLBI_ASID(asid)      ((uint64_t)(asid) << TTBR_ASID_SHIFT)
#define TLBI_VA(va)          ((uint64_t)(va) >> 12)

#define __tlbi(op)           __asm__ volatile("tlbi " #op : : : "memory")
#define __tlbi_arg(op, arg)  __asm__ volatile("tlbi " #op ", %0" : : "r"(arg) : "memory")

/* Every entry of one ASID, on every CPU of the inner shareable domain. */
static inline void flush_tlb_asid(uint16_t asid)
{
	dsb(ishst);
	__tlbi_arg(aside1is, TLBI_ASID(asid));
	dsb(ish);
	isb();
}

/* One page of one ASID (last level only), on every CPU. */
static inline void flush_tlb_page(uint16_t asid, uint64_t va)
{
	dsb(ishst);
	__tlbi_arg(vale1is, TLBI_VA(va) | TLBI_ASID(asid));
	dsb(ish);
	isb();
}

/* Pages [start, end) of one ASID (last level only), on every CPU: one
 * barrier pair for the whole range. */
static inline void flush_tlb_range(uint16_t asid, uint64_t start, uint64_t end)
{
	dsb(ishst);
	for (uint64_t va = start; va < end; va += 1UL << 12)
		__tlbi_arg(vale1is, TLBI_VA(va) | TLBI_ASID(asid));
	dsb(ish);
	isb();
}

/* Kernel (global) pages [start, end), every ASID, last level only, on every
 * CPU: a kernel mapping removed. */
static inline void flush_tlb_kernel_range(uint64_t start, uint64_t end)
{
	dsb(ishst);
	for (uint64_t va = start; va < end; va += 1UL << 12)
		__tlbi_arg(vaale1is, TLBI_VA(va));
	dsb(ish);
	isb();
}

/* Everything this CPU cached for EL1&0 (after a TTBR1 switch). */
static inline void local_flush_tlb_all(void)
{
	__tlbi(vmalle1);
	dsb(ish);
	isb();
}
#endif
