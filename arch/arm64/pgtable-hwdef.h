/*
 * Translation tables as the hardware reads them: 4 KiB granule, 39-bit VAs,
 * three levels (L1 entries map 1 GiB, L2 2 MiB, L3 4 KiB), and the
 * descriptor bits. Assembler-safe: start.S builds its tables with these.
 */
#ifndef BRAMBLE_ARM64_PGTABLE_HWDEF_H
#define BRAMBLE_ARM64_PGTABLE_HWDEF_H
#include "arch/arm64/const.h"

#define PT_LEVELS       3
#define PTRS_PER_TABLE  512
#define L1_SHIFT        30
#define L2_SHIFT        21
#define L3_SHIFT        12
#define L1_SIZE         (UL(1) << L1_SHIFT)
#define L2_SIZE         (UL(1) << L2_SHIFT)    /* a block */
/* The shift of the VA bits that index a table at level (1..3). */
#define PT_LEVEL_SHIFT(level) (L3_SHIFT + 9 * (PT_LEVELS - (level)))

/* Descriptors. */
#define PTE_VALID       BIT(0)
#define PTE_BLOCK       UL(1)                  /* L1/L2 block */
#define PTE_TABLE       UL(3)                  /* L1/L2 table */
#define PTE_PAGE        UL(3)                  /* L3 page */
#define PTE_TYPE_MASK   UL(3)                  /* which of the three an entry is */
#define PTE_ATTR(i)     ((i) << 2)             /* AttrIndx: a MAIR_EL1 slot */
#define PTE_USER        BIT(6)                 /* AP[1]: EL0 access */
#define PTE_RDONLY      BIT(7)                 /* AP[2] */
#define PTE_SH_INNER    (UL(3) << 8)
#define PTE_AF          BIT(10)
#define PTE_NG          BIT(11)
#define PTE_PXN         BIT(53)
#define PTE_UXN         BIT(54)
#define PTE_ADDR_MASK   UL(0x0000fffffffff000)

/* TCR_EL1: TxSZ, the walks' cacheability and shareability, the granules. */
#define TCR_T0SZ(bits)  (64 - (bits))
#define TCR_T1SZ(bits)  ((64 - (bits)) << 16)
#define TCR_IRGN0_WBWA  BIT(8)
#define TCR_ORGN0_WBWA  BIT(10)
#define TCR_SH0_INNER   (UL(3) << 12)
#define TCR_IRGN1_WBWA  BIT(24)
#define TCR_ORGN1_WBWA  BIT(26)
#define TCR_SH1_INNER   (UL(3) << 28)
#define TCR_TG1_4K      (UL(2) << 30)          /* TG0 = 0 is 4 KiB */
#define TCR_IPS_SHIFT   32                     /* 3 bits: ID_AA64MMFR0_EL1.PARange */
#define TCR_ASID16      BIT(36)

#endif
