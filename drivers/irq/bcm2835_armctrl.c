/*
 * The BCM2835 "ARMCTRL" interrupt controller (brcm,bcm2836-armctrl-ic on a
 * Pi 2/3): the VideoCore peripherals' interrupts (the UARTs among them), in
 * banks the DT numbers <bank n>: 0 the basic bank, 1 GPU interrupts 0-31,
 * 2 GPU 32-63. It is chained: any enabled pending interrupt raises the
 * BCM2836 local controller's GPU interrupt (local number 8) on core 0.
 */
#include "drivers/irq/irq_chip.h"
#include "drivers/uart/uart.h"

#define PENDING_BASIC 0x00
#define PENDING_1     0x04
#define PENDING_2     0x08
#define ENABLE_1      0x10
#define ENABLE_2      0x14
#define ENABLE_BASIC  0x18
#define DISABLE_1     0x1c
#define DISABLE_2     0x20
#define DISABLE_BASIC 0x24

static uintptr_t base;

static const uint32_t pending_reg[3] = { PENDING_BASIC, PENDING_1, PENDING_2 };
static const uint32_t enable_reg[3] = { ENABLE_BASIC, ENABLE_1, ENABLE_2 };
static const uint32_t disable_reg[3] = { DISABLE_BASIC, DISABLE_1, DISABLE_2 };

bool armctrl_init(uintptr_t b)
{
	if (!b)
		return false;
	base = b;
	for (int i = 0; i < 3; i++)       /* nothing but what we ask for */
		mmio_write32(base + disable_reg[i], 0xffffffffu);
	return true;
}

bool armctrl_enable(uint32_t bank, uint32_t n)
{
	if (!base || bank > 2 || n > 31)
		return false;
	mmio_write32(base + enable_reg[bank], 1u << n);
	return true;
}

bool armctrl_pending(uint32_t bank, uint32_t n)
{
	if (!base || bank > 2 || n > 31)
		return false;
	return (mmio_read32(base + pending_reg[bank]) >> n) & 1;
}
