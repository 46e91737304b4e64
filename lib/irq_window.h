/*
 * Interrupts inside long kernel loops. The kernel runs with interrupts
 * masked; a loop whose length a user chooses (a walk over page tables, an
 * address space freed, a big copy) checks at each step whether one is
 * pending (arch irq_pending) and, if so, calls irq_window, which takes it
 * (tick_irq, as the idle loop does), so none waits longer than one step.
 * A task switch cannot happen there (the loop's state is half changed):
 * a reschedule the interrupt asked for is made on the way back to EL0
 * (kernel/irq_window.h). Provided by kernel/irq_window.c; declared here so
 * that mm/ and fs/ loops can call it.
 */
#ifndef BRAMBLE_LIB_IRQ_WINDOW_H
#define BRAMBLE_LIB_IRQ_WINDOW_H

void irq_window(void);
#endif
