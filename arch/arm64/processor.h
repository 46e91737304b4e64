/* Waiting for events and interrupts. */
#ifndef BRAMBLE_ARM64_PROCESSOR_H
#define BRAMBLE_ARM64_PROCESSOR_H

static inline void wfe(void)
{
	__asm__ volatile("wfe" : : : "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

static inline void sev(void)
{
	__asm__ volatile("sev" : : : "memory");
}
#endif
