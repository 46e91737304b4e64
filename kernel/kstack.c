/*
 * The kernel-stack area (arch/arm64/memory.h): KSTACK_AREA_SIZE of kernel
 * virtual space cut into slots of twice KSTACK_SIZE, the lower half of each
 * never mapped (the guard), the upper half mapped to KSTACK_SIZE of pages
 * while the slot is in use. Linux engineers will know the shape: vmap'd
 * stacks, THREAD_ALIGN = 2 * THREAD_SIZE, the overflow test on SP's bit.
 *
 * Why an area of its own and not a guard page in the linear map: the linear
 * map is made of 2 MiB blocks, and a guard there would mean splitting a
 * block for every stack (and merging back), changing live translations of
 * memory other CPUs use. Here a stack's mapping is private to it; the cost
 * is one page-table walk and a TLB flush of four pages per process.
 *
 * Locking: the slots are changed only under the kernel lock (fork, reaping,
 * CPU bring-up all hold it).
 */
#include "kernel/kstack.h"
#include "mm/kalloc.h"
#include "mm/mmu.h"
#include "kernel/proc.h"
#include "kernel/percpu.h"
#include "lib/panic.h"

#define KSTACK_SLOT_SIZE (2 * KSTACK_SIZE)
#define KSTACK_SLOTS (KSTACK_AREA_SIZE / KSTACK_SLOT_SIZE)

/* Every process and every CPU's idle thread can have one. */
_Static_assert(KSTACK_SLOTS >= NPROC + NR_CPUS, "the kernel-stack area is too small");
_Static_assert(KSTACK_SIZE == (4096UL << KSTACK_ORDER), "KSTACK_ORDER and KSTACK_SHIFT disagree");

/* The pages behind each slot's stack (linear-map address), NULL when free. */
static void *slot_pages[KSTACK_SLOTS];

static uintptr_t slot_stack(unsigned i)
{
	return KSTACK_AREA_BASE + (uintptr_t)i * KSTACK_SLOT_SIZE + KSTACK_SIZE;
}

void kstack_init(void)
{
	if (mmu_prepare_kernel_tables(KSTACK_AREA_BASE, KSTACK_AREA_SIZE) < 0)
		panic("no page tables for the kernel-stack area");
}

void *kstack_alloc(void)
{
	unsigned i = 0;

	while (i < KSTACK_SLOTS && slot_pages[i])
		i++;
	if (i == KSTACK_SLOTS)
		return NULL;
	void *pages = kalloc_pages(KSTACK_ORDER);
	if (!pages)
		return NULL;
	/* The tables exist since kstack_init: mapping cannot fail. */
	if (mmu_map_kernel_pages(slot_stack(i), virt_to_phys(pages), KSTACK_SIZE,
				 PROT_KERNEL_RW) < 0)
		panic("kstack: slot %u has no page tables", i);
	slot_pages[i] = pages;
	return (void *)slot_stack(i);
}

void kstack_free(void *stack)
{
	uintptr_t va = (uintptr_t)stack;
	unsigned i = (unsigned)((va - KSTACK_AREA_BASE) / KSTACK_SLOT_SIZE);

	if (!kstack_in_area(va) || va != slot_stack(i) || !slot_pages[i])
		panic("kstack_free: %lx is not a kernel stack", (unsigned long)va);
	mmu_unmap_kernel_pages(va, KSTACK_SIZE);
	kfree_pages(slot_pages[i], KSTACK_ORDER);
	slot_pages[i] = NULL;
}

bool kstack_in_area(uintptr_t addr)
{
	return addr >= KSTACK_AREA_BASE && addr - KSTACK_AREA_BASE < KSTACK_AREA_SIZE;
}
