/*
 * Interrupt controllers, as far as the kernel uses them: one per-CPU timer
 * interrupt, enabled, acknowledged and ended. The device tree says which
 * controller the timer's interrupt goes to (struct boot_info.timer_intc).
 */
#ifndef BRAMBLE_IRQ_CHIP_H
#define BRAMBLE_IRQ_CHIP_H
#include <stdint.h>
#include <stdbool.h>

struct irq_chip {
	const char *name;
	/* Routes interrupt irq to this CPU and enables it. */
	void (*enable)(uint32_t irq);
	/* The pending interrupt (acknowledged), or -1 for none. */
	int (*ack)(void);
	void (*end)(uint32_t irq);
};

/* Each returns NULL when the controller cannot be used. base2 is the
 * second register block (a GIC's CPU interface). */
const struct irq_chip *gic_v2_init(uintptr_t dist, uintptr_t cpu);
const struct irq_chip *bcm2836_l1_init(uintptr_t base);
/* The BCM2836 local controller's number for the GPU interrupt (the ARMCTRL's output). */
#define BCM2836_L1_GPU_IRQ 8

/* The BCM2835 ARMCTRL, chained behind the local controller's GPU interrupt:
 * init disables every source; enable and pending take the DT's <bank n>. */
bool armctrl_init(uintptr_t base);
bool armctrl_enable(uint32_t bank, uint32_t n);
bool armctrl_pending(uint32_t bank, uint32_t n);
#endif
