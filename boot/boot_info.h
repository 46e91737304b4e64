/*
 * struct boot_info: everything the kernel learns from the device tree.
 * dt.c fills it once at boot; after that nothing else knows a DTB exists.
 * Board differences live here, not in #ifdefs.
 */
#ifndef BRAMBLE_BOOT_INFO_H
#define BRAMBLE_BOOT_INFO_H
#include "lib/types.h"

#define BI_MAX_MEM 16
#define BI_MAX_RSV 32
#define BI_MAX_CPUS 8
#define BI_NAME_LEN 64

enum uart_kind { UART_NONE = 0, UART_PL011, UART_MINI };

/* A device node we keep for later (interrupt controller, timer). */
struct dev_info {
	bool found;
	char compatible[BI_NAME_LEN]; /* first compatible string */
	phys_addr_t phys;             /* first reg, translated; 0 if no reg */
	uint64_t size;
	phys_addr_t phys2;            /* second reg (a GIC's CPU interface), or 0 */
	uint64_t size2;
	char path[BI_NAME_LEN];
};

/*
 * A device's interrupt as the DT gives it: the controller it goes to, the
 * specifier's cells (a GIC's <type number flags>, the BCM2835 ARMCTRL's
 * <bank number>), and when that controller is itself chained to another
 * (the ARMCTRL raising the BCM2836 local controller's GPU interrupt) that
 * parent and the first cell of the controller's own interrupts.
 */
struct irq_info {
	bool found;
	uint32_t ncells, cell[3];
	struct dev_info ctl;
	bool chained;
	struct dev_info parent;
	uint32_t parent_irq;
};

/* A UART node: its kind, its registers in CPU physical address space. */
struct uart_info {
	enum uart_kind kind;
	phys_addr_t phys;      /* CPU physical address, after every parent's ranges */
	uint64_t size;
	uint32_t clock_hz;     /* from clock-frequency if present, else 0 */
	char path[BI_NAME_LEN]; /* full node path, e.g. /soc/serial@7e215040 */
	struct irq_info irq;   /* its interrupt (found false: none described) */
};

struct boot_info {
	phys_addr_t dtb_phys;
	uint32_t dtb_size;
	char model[BI_NAME_LEN];

	struct phys_range mem[BI_MAX_MEM];  /* /memory reg, zero-sized entries dropped */
	int nmem;
	struct phys_range rsv[BI_MAX_RSV];  /* /memreserve/ then /reserved-memory */
	int nrsv;

	char bootargs[512];
	phys_addr_t initrd_start, initrd_end;  /* both 0 when there is none */
	/* The bootloader's randomness, /chosen rng-seed and kaslr-seed (QEMU
	 * virt, U-Boot), folded into 64 bits; seed_bytes 0: none given. */
	uint64_t rng_seed;
	uint32_t seed_bytes;

	struct uart_info console;  /* the UART /chosen/stdout-path names (kind NONE if none) */
	struct uart_info pl011;    /* first enabled arm,pl011 node (kind NONE if none) */
	struct uart_info mini;     /* first enabled brcm,bcm2835-aux-uart node */

	struct dev_info intc;      /* the root's interrupt-parent */
	struct dev_info timer;     /* arm,armv8-timer (or arm,armv7-timer) */
	struct dev_info timer_intc; /* the controller the timer's interrupts go to */
	bool timer_virq_found;
	uint32_t timer_virq;       /* the virtual timer's interrupt, as timer_intc numbers it
				    * (a GIC's INTID: PPI n is 16 + n) */

	/* The /cpus/cpu@N nodes, in DT order: MPIDR (reg), how to start each
	 * (enable-method), and a spin table's cpu-release-addr. Nodes with
	 * status "disabled" or without a usable reg are left out. */
	struct cpu_info {
		uint64_t mpidr;
		enum cpu_enable { CPU_ENABLE_NONE = 0, CPU_ENABLE_SPIN_TABLE, CPU_ENABLE_PSCI } method;
		phys_addr_t release;   /* spin table: 8-byte slot; 0 if none given */
	} cpu[BI_MAX_CPUS];
	int ncpu;
	/* /psci "method": how PSCI calls reach the firmware. */
	enum psci_conduit { PSCI_NONE = 0, PSCI_HVC, PSCI_SMC } psci;
};

/*
 * Parses the flattened device tree at fdt (at most max_size bytes are readable
 * there) into *bi. dtb_phys is recorded as given. Returns 0 on success, or -1
 * with *err set to a clear one-line reason ("bad magic", "truncated: ...",
 * "no usable memory", ...). Never crashes on a corrupt blob.
 */
int dt_parse(const void *fdt, size_t max_size, phys_addr_t dtb_phys,
	     struct boot_info *bi, const char **err);

#endif
