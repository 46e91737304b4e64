/* Interrupts taken inside long kernel loops (lib/irq_window.h). */
#include "kernel/irq_window.h"
#include "kernel/tick.h"
#include "kernel/proc.h"
#include "arch/arm64/irqflags.h"

void irq_window(void)
{
	if (irq_pending() && tick_irq())
		this_cpu()->resched = true;
}

void irq_window_resched_now(void)
{
	this_cpu()->resched = false;
	yield();
}
