/*
 * System registers: the bits Bramble sets, and read_sysreg/write_sysreg,
 * the only way C code reaches a system register. Assembler-safe: start.S
 * uses the same constants.
 */
#ifndef BRAMBLE_ARM64_SYSREG_H
#define BRAMBLE_ARM64_SYSREG_H
#include "arch/arm64/const.h"

/* SCTLR_EL1 (v8.0). */
#define SCTLR_EL1_RES1    UL(0x30d00800)
#define SCTLR_ELx_M       BIT(0)            /* MMU on */
#define SCTLR_ELx_C       BIT(2)            /* data cache */
#define SCTLR_ELx_I       BIT(12)           /* instruction cache */
#define SCTLR_EL1_DZE     BIT(14)           /* EL0 may DC ZVA */
#define SCTLR_EL1_UCT     BIT(15)           /* EL0 may read CTR_EL0 */
#define SCTLR_EL1_nTWI    BIT(16)           /* WFI at EL0 not trapped */
#define SCTLR_EL1_nTWE    BIT(18)           /* WFE at EL0 not trapped */
#define SCTLR_EL1_UCI     BIT(26)           /* EL0 may clean caches by VA */
/* As Linux: caches on, and EL0 may use CTR_EL0, DC ZVA, DC CVAU, WFI/WFE. */
#define SCTLR_EL1_MMU_ON  (SCTLR_EL1_RES1 | SCTLR_ELx_M | SCTLR_ELx_C | SCTLR_ELx_I | \
			   SCTLR_EL1_DZE | SCTLR_EL1_UCT | SCTLR_EL1_nTWI | \
			   SCTLR_EL1_nTWE | SCTLR_EL1_UCI)

/* SCR_EL3: EL2 non-secure, AArch64 below, HVC on, SMC off. */
#define SCR_EL3_NS        BIT(0)
#define SCR_EL3_RES1      (BIT(4) | BIT(5))
#define SCR_EL3_SMD       BIT(7)
#define SCR_EL3_HCE       BIT(8)
#define SCR_EL3_RW        BIT(10)
#define SCR_EL3_VALUE     (SCR_EL3_RES1 | SCR_EL3_SMD | SCR_EL3_HCE | SCR_EL3_RW | SCR_EL3_NS)

/* HCR_EL2: EL1 is AArch64. */
#define HCR_EL2_RW        BIT(31)

/* CPTR_EL2 and CPTR_EL3: bits [13:12] and [9:0] set, TFP (bit 10) clear:
 * FP/SIMD is not trapped. */
#define CPTR_ELx_NO_FP_TRAP UL(0x33ff)

/* CPACR_EL1.FPEN: FP/SIMD at EL0 and EL1. */
#define CPACR_EL1_FPEN    (UL(3) << 20)

/* CNTHCTL_EL2: EL1 may use the physical counter and timer. */
#define CNTHCTL_EL1PCTEN  BIT(0)
#define CNTHCTL_EL1PCEN   BIT(1)
/* CNTKCTL_EL1.EL0VCTEN: EL0 reads CNTVCT, as on Linux. */
#define CNTKCTL_EL1_EL0VCTEN BIT(1)
/* The event stream: an event (ending WFE) each time counter bit EVNTI
 * flips. Bit 12 of a 62.5 MHz counter: every 65 us, as Linux's ~10 kHz is
 * there so that no WFE-based wait can sleep for good. */
#define CNTKCTL_EL1_EVNTEN   BIT(2)
#define CNTKCTL_EL1_EVNTI(n) ((n) << 4)
#define CNTKCTL_EL1_VALUE    (CNTKCTL_EL1_EL0VCTEN | CNTKCTL_EL1_EVNTEN | CNTKCTL_EL1_EVNTI(12))
/* CNTV_CTL_EL0. */
#define CNTV_CTL_ENABLE   BIT(0)

/* ID_AA64PFR0_EL1 and ID_AA64ISAR0_EL1 fields (4 bits each). */
#define ID_AA64PFR0_FP_SHIFT      16
#define ID_AA64PFR0_ASIMD_SHIFT   20
#define ID_AA64ISAR0_AES_SHIFT    4
#define ID_AA64ISAR0_SHA1_SHIFT   8
#define ID_AA64ISAR0_SHA2_SHIFT   12
#define ID_AA64ISAR0_CRC32_SHIFT  16
#define ID_AA64ISAR0_ATOMIC_SHIFT 20
#define ID_FIELD(reg, shift)      (((reg) >> (shift)) & 0xf)

/* DCZID_EL0: DC ZVA prohibited; log2 of the block size in words. */
#define DCZID_DZP         BIT(4)
#define DCZID_BS_MASK     UL(0xf)

/* MPIDR_EL1: the affinity fields Aff3..Aff0. */
#define MPIDR_HWID_MASK   UL(0xff00ffffff)

/* TTBRx_EL1: the ASID field. */
#define TTBR_ASID_SHIFT   48

#ifndef __ASSEMBLER__
#include <stdint.h>

#define read_sysreg(r) ({ \
	uint64_t __val; \
	__asm__ volatile("mrs %0, " __stringify(r) : "=r"(__val)); \
	__val; \
})

/* "rZ": a constant 0 is written as xzr. */
#define write_sysreg(v, r) do { \
	uint64_t __val = (uint64_t)(v); \
	__asm__ volatile("msr " __stringify(r) ", %x0" : : "rZ"(__val)); \
} while (0)
#endif

#endif
