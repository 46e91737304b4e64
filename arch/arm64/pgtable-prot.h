/*
 * Descriptor attribute sets, and the software bits Bramble keeps in user
 * page descriptors (bits 55..58 are ignored by the hardware).
 */
#ifndef BRAMBLE_ARM64_PGTABLE_PROT_H
#define BRAMBLE_ARM64_PGTABLE_PROT_H
#include "arch/arm64/pgtable-hwdef.h"
#include "arch/arm64/memory.h"

/* Normal memory (write-back, inner shareable) and Device-nGnRE, accessed. */
#define PROT_NORMAL        (PTE_AF | PTE_SH_INNER | PTE_ATTR(MT_NORMAL))
#define PROT_DEVICE_nGnRE  (PTE_AF | PTE_ATTR(MT_DEVICE_nGnRE))

/* The kernel's sets. */
#define PROT_KERNEL_RW     (PROT_NORMAL | PTE_PXN | PTE_UXN)
#define PROT_KERNEL_RO     (PROT_KERNEL_RW | PTE_RDONLY)
#define PROT_KERNEL_RX     (PROT_NORMAL | PTE_RDONLY | PTE_UXN)
#define PROT_DEVICE        (PROT_DEVICE_nGnRE | PTE_PXN | PTE_UXN)

/* A user page: not global (ASID-tagged), EL0-accessible, never EL1-executable. */
#define PROT_USER          (PROT_NORMAL | PTE_NG | PTE_USER | PTE_PXN)

#define PTE_SW_OWNED       BIT(55)   /* the page is freed with the mapping */
#define PTE_SW_NONE        BIT(56)   /* holds a page, but PROT_NONE: not valid */

#endif
