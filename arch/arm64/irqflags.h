/* Interrupt masking: the kernel runs with D, A, I and F masked. */
#ifndef BRAMBLE_ARM64_IRQFLAGS_H
#define BRAMBLE_ARM64_IRQFLAGS_H
#include "lib/types.h"
#include "arch/arm64/const.h"
#include "arch/arm64/pstate.h"

/* Masks debug, SError, IRQ and FIQ. */
static inline void local_daif_mask(void)
{
	__asm__ volatile("msr daifset, #" __stringify(DAIF_ALL) : : : "memory");
}

/* Unmasks them all. */
static inline void local_daif_unmask(void)
{
	__asm__ volatile("msr daifclr, #" __stringify(DAIF_ALL) : : : "memory");
}
/* Whether IRQs are masked here (PSTATE.I). */
static inline int irqs_masked(void)
{
	unsigned long daif;

	__asm__ volatile("mrs %0, daif" : "=r"(daif));
	return (daif & PSR_I_BIT) != 0;
}

#define ISR_EL1_F (1UL << 6)
#define ISR_EL1_I (1UL << 7)

/* Whether an IRQ or FIQ is pending at this CPU, masked or not (ISR_EL1). */
static inline bool irq_pending(void)
{
	unsigned long isr;

	__asm__ volatile("mrs %0, isr_el1" : "=r"(isr));
	return (isr & (ISR_EL1_I | ISR_EL1_F)) != 0;
}
#endif
