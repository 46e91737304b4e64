/*
 * Interrupt controllers, as far as the kernel uses them: each CPU's timer
 * interrupt, the console UART's, and one inter-processor interrupt,
 * enabled, acknowledged and ended. The device tree says which controller
 * the timer's interrupt goes to (struct boot_info.timer_intc).
 *
 * Every call acts for the CPU that makes it: enable routes the interrupt
 * to it, ack reads its pending one. A CPU is named to send_ipi by its
 * number on the controller, which on the Pi 3, the Pi 4 and QEMU virt (one
 * cluster) is its MPIDR Aff0.
 */
#ifndef BRAMBLE_IRQ_CHIP_H
#define BRAMBLE_IRQ_CHIP_H
#include <stdint.h>
#include <stdbool.h>

struct irq_chip {
	const char *name;
	/* This CPU's side of the controller (a GIC's CPU interface); may be NULL. */
	void (*init_cpu)(void);
	/* Routes interrupt irq to this CPU and enables it. */
	void (*enable)(uint32_t irq);
	/* The pending interrupt (acknowledged), or -1 for none. */
	int (*ack)(void);
	void (*end)(uint32_t irq);
	/* Raises the IPI on each CPU of hw_mask (bit n: the controller's CPU n). */
	void (*send_ipi)(uint32_t hw_mask);
	uint32_t ipi_irq;          /* the number ack returns for it */
};

/* Each returns NULL when the controller cannot be used. */
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
