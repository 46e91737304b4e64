/*
 * Kernel stacks in their own virtual area, each with an unmapped guard
 * below it, as Linux's vmap'd stacks (CONFIG_VMAP_STACK): an overflow faults
 * on the guard instead of writing over whatever lies below, and the EL1
 * exception entry recognises it (arch/arm64/vectors.S, kernel/stack_overflow.c).
 */
#ifndef BRAMBLE_KERNEL_KSTACK_H
#define BRAMBLE_KERNEL_KSTACK_H
#include "lib/types.h"

/* The area's page tables, made once at boot (a panic without memory). */
void kstack_init(void);

/* A KSTACK_SIZE stack (its lowest address; zeroed), or NULL: no memory
 * (the pages come from kalloc_pages, a fallible site) or no free slot. */
void *kstack_alloc(void);
/* Unmaps a stack kstack_alloc gave (TLBs flushed) and frees its pages. No
 * CPU may be running on it. */
void kstack_free(void *stack);

/* Whether addr lies in the area (a stack or a guard). */
bool kstack_in_area(uintptr_t addr);
#endif
