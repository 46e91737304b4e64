/*
 * A kernel stack overflowed: the EL1 exception entry found SP in a guard
 * (arch/arm64/vectors.S check_kernel_stack), moved to this CPU's overflow
 * stack and saved the frame there. The dump names the task whose stack it
 * was; nothing returns from here.
 */
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/proc.h"
#include "lib/printk.h"

#define OVERFLOW_STACK_SIZE (1UL << OVERFLOW_STACK_SHIFT)

/* One per CPU, used only on the way to the panic; vectors.S indexes it by
 * struct cpu's id. */
uint8_t overflow_stacks[NR_CPUS][OVERFLOW_STACK_SIZE] __attribute__((aligned(16)));

void handle_kernel_stack_overflow(struct trap_frame *tf) __attribute__((noreturn));

void handle_kernel_stack_overflow(struct trap_frame *tf)
{
	char cur[48];

	panic_begin();
	describe_current(cur, sizeof(cur));
	kprintf("KERNEL PANIC: kernel stack overflow in %s\n", cur);
	/* The SP at the exception may still be on the stack: it is the frame
	 * the entry was to push (or the store that faulted) that reaches below.
	 * Either way the stack is the one above the 2 * KSTACK_SIZE boundary
	 * under SP (arch/arm64/memory.h). */
	uintptr_t stack = ALIGN_DOWN(tf->sp, 2 * KSTACK_SIZE) + KSTACK_SIZE;
	kprintf("  sp %016lx, far %016lx: below the stack [%016lx-%016lx) is its guard\n",
		(unsigned long)tf->sp, (unsigned long)tf->far, (unsigned long)stack,
		(unsigned long)(stack + KSTACK_SIZE));
	panic_dump_regs(tf);
	panic_backtrace(tf->elr, tf->x[29]);
	panic_end();
}
