#ifndef BRAMBLE_TICK_H
#define BRAMBLE_TICK_H
#include "kernel/boot_info.h"
#define TICK_HZ 100
/* Starts the scheduler tick: the virtual timer, through the interrupt
 * controller the DT names. Without one, processes are never preempted. */
void tick_init(const struct boot_info *bi);
/* An IRQ taken from EL0: true when it was the tick (time to reschedule). */
bool tick_irq(void);
#endif
