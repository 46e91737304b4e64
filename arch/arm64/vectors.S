/*
 * The exception vector table. Every entry saves a struct trap_frame on the
 * kernel stack and calls trap_dispatch(frame, kind); returning from it
 * restores the frame and erets. A synchronous exception from EL0 saves a
 * light frame first (arch/arm64/trap_frame.h): system calls and data
 * aborts, the exceptions programs take most, are run on it and return
 * through el0_return_light unless their C side asks for the whole frame.
 */
#include "arch/arm64/trap_frame.h"
#include "arch/arm64/pstate.h"
#include "asm-offsets.h"
#include "arch/arm64/esr.h"
#include "arch/arm64/memory.h"

/* x0..x19 into the trap frame at \base. */
.macro store_x0_x19 base
	stp	x0, x1, [\base, #TF_X(0)]
	stp	x2, x3, [\base, #TF_X(2)]
	stp	x4, x5, [\base, #TF_X(4)]
	stp	x6, x7, [\base, #TF_X(6)]
	stp	x8, x9, [\base, #TF_X(8)]
	stp	x10, x11, [\base, #TF_X(10)]
	stp	x12, x13, [\base, #TF_X(12)]
	stp	x14, x15, [\base, #TF_X(14)]
	stp	x16, x17, [\base, #TF_X(16)]
	stp	x18, x19, [\base, #TF_X(18)]
.endm

.macro store_x20_x27 base
	stp	x20, x21, [\base, #TF_X(20)]
	stp	x22, x23, [\base, #TF_X(22)]
	stp	x24, x25, [\base, #TF_X(24)]
	stp	x26, x27, [\base, #TF_X(26)]
.endm

/* x20..x28: what a light frame leaves out. */
.macro store_x20_x28 base
	store_x20_x27 \base
	str	x28, [\base, #TF_X(28)]
.endm

/* x0..x17 back from the trap frame at \base: what both returns to EL0
 * restore alike (the light one keeps x19..x28 in their registers). */
.macro load_x0_x17 base
	ldp	x0, x1, [\base, #TF_X(0)]
	ldp	x2, x3, [\base, #TF_X(2)]
	ldp	x4, x5, [\base, #TF_X(4)]
	ldp	x6, x7, [\base, #TF_X(6)]
	ldp	x8, x9, [\base, #TF_X(8)]
	ldp	x10, x11, [\base, #TF_X(10)]
	ldp	x12, x13, [\base, #TF_X(12)]
	ldp	x14, x15, [\base, #TF_X(14)]
	ldp	x16, x17, [\base, #TF_X(16)]
.endm

/* x0..x29 into the trap frame at \base. */
.macro store_x0_x29 base
	store_x0_x19 \base
	store_x20_x27 \base
	stp	x28, x29, [\base, #TF_X(28)]
.endm

/* ELR, SPSR, ESR and FAR into the trap frame at \base, through \t0 and \t1. */
.macro store_el1_sysregs base, t0, t1
	mrs	\t0, elr_el1
	mrs	\t1, spsr_el1
	stp	\t0, \t1, [\base, #TF_ELR]
	mrs	\t0, esr_el1
	mrs	\t1, far_el1
	stp	\t0, \t1, [\base, #TF_ESR]
.endm

.macro save_frame el
	sub	sp, sp, #TF_SIZE
	store_x0_x29 sp
	save_frame_rest \el
.endm

/* The frame after x0..x29: x30, the interrupted SP, the exception registers. */
.macro save_frame_rest el
	.if \el == 0
	mrs	x21, sp_el0
	.else
	add	x21, sp, #TF_SIZE
	.endif
	stp	x30, x21, [sp, #TF_X(30)]
	store_el1_sysregs sp, x22, x23
	.if \el == 0
	mov	x29, #0			// user frames are not ours to walk
	mrs	x24, tpidr_el1		// SP_EL0 is current in the kernel
	ldr	x24, [x24, #CPU_CURR]	// (arch/arm64/current.h); x22 keeps ESR
	msr	sp_el0, x24
	.endif				// from EL1, x29 chains to the interrupted code
.endm

/*
 * From EL1 on SP_EL1, before anything is stored: is the frame's lowest
 * address still on a kernel stack? Every kernel stack has its top aligned
 * to twice its size and its guard below it (arch/arm64/memory.h), so SP's
 * bit KSTACK_SHIFT is 1 on a stack and 0 in a guard: one test, as Linux
 * arm64's kernel_ventry. No register is free yet, so SP and x0 trade
 * values by adding and subtracting, and are as they were when it passes.
 * Failing, it leaves for el1_stack_overflow, which must not push onto the
 * stack that overflowed.
 */
.macro check_kernel_stack
	sub	sp, sp, #TF_SIZE
	add	sp, sp, x0		// sp = frame + x0
	sub	x0, sp, x0		// x0 = frame
	tbz	x0, #KSTACK_SHIFT, el1_stack_overflow
	sub	x0, sp, x0		// x0 = x0
	sub	sp, sp, x0		// sp = frame
.endm

/* The light frame of a synchronous exception from EL0: x0..x19, x29,
 * x30, SP_EL0, ELR, SPSR (ESR and FAR are saved by el0_sync_other: no
 * reader of a system call's frame looks at them). x20..x28 keep the
 * user's values through the C code; x0..x8 the arguments and number of a
 * system call, for el0_sync. ESR stays in x12. */
.macro save_light_frame_el0
	sub	sp, sp, #TF_SIZE
	store_x0_x19 sp
	stp	x29, x30, [sp, #TF_X(29)]
	mrs	x9, sp_el0
	mrs	x10, elr_el1
	mrs	x11, spsr_el1
	str	x9, [sp, #TF_SP]
	stp	x10, x11, [sp, #TF_ELR]
	mrs	x12, esr_el1
	mov	x29, #0			// user frames are not ours to walk
	mrs	x13, tpidr_el1		// SP_EL0 is current in the kernel
	ldr	x13, [x13, #CPU_CURR]
	msr	sp_el0, x13
.endm

.macro vector_entry kind, el
	.balign 0x80
.Lentry\@:
	.if \el == 1 && \kind >= 4	// EL1h: the kernel on its own stack
	check_kernel_stack
	store_x0_x29 sp
	mov	x1, #\kind
	b	el1h_save_rest
	.elseif \kind == 8
	save_light_frame_el0
	b	el0_sync            // EL0 synchronous: system calls first
	.else
	save_frame \el
	mov	x0, sp
	mov	x1, #\kind
	b	trap_common_\el
	.endif
	.if (. - .Lentry\@) > 0x80
	.error "a vector entry is longer than its 0x80 bytes"
	.endif
.endm

	.text
	.balign 0x800
	.global vectors
vectors:
	vector_entry 0, 1
	vector_entry 1, 1
	vector_entry 2, 1
	vector_entry 3, 1
	vector_entry 4, 1
	vector_entry 5, 1
	vector_entry 6, 1
	vector_entry 7, 1
	vector_entry 8, 0
	vector_entry 9, 0
	vector_entry 10, 0
	vector_entry 11, 0
	vector_entry 12, 0
	vector_entry 13, 0
	vector_entry 14, 0
	vector_entry 15, 0

/* The rest of an EL1h entry, out of line (with the stack check the whole
 * would fill the vector's 32 instructions); x1 holds the kind. */
el1h_save_rest:
	save_frame_rest 1
	mov	x0, sp
trap_common_1:
	bl	trap_dispatch
	b	trap_return

/*
 * check_kernel_stack failed: x0 is the frame's address in the guard, SP that
 * plus the interrupted x0. The frame goes on this CPU's overflow stack
 * (kernel/stack_overflow.c: overflow_stacks[id], reached through TPIDR_EL1's
 * struct cpu), with the SP that overflowed; TPIDR_EL0 and TPIDRRO_EL0 (the
 * task's TLS, lost: this ends in a panic) hold the two values meanwhile.
 */
el1_stack_overflow:
	msr	tpidr_el0, x0			// the frame address that overflowed
	sub	x0, sp, x0
	msr	tpidrro_el0, x0			// the interrupted x0
	mrs	x0, tpidr_el1
	ldr	w0, [x0, #CPU_ID]
	add	x0, x0, #1
	lsl	x0, x0, #OVERFLOW_STACK_SHIFT
	mov	sp, x0
	adrp	x0, overflow_stacks
	add	x0, x0, :lo12:overflow_stacks
	add	sp, sp, x0			// the top of overflow_stacks[id]
	mrs	x0, tpidrro_el0
	save_frame 1
	mrs	x21, tpidr_el0
	add	x21, x21, #TF_SIZE
	str	x21, [sp, #TF_SP]		// the SP at the exception
	mov	x0, sp
	bl	handle_kernel_stack_overflow	// does not return
1:	b	1b

/*
 * From EL0, on the light frame. System calls first, the path every program
 * takes most (Linux's el0_svc): x8 is the number, x0..x5 the arguments.
 * The table (syscall/syscall.h) says how each is run: a lockless call is
 * called from here and returns at once (no lock; nothing it does makes
 * signal work, and what other CPUs make comes with an IPI, taken as soon
 * as this CPU is back at EL0); a locked one goes through trap_syscall; a
 * frame call or an unknown number through trap_el0_slow on the whole
 * frame. Data aborts go to trap_el0_data_abort. trap_syscall and
 * trap_el0_data_abort return EL0_RETURN (kernel/traps.c), or what
 * trap_el0_slow is to do once x20..x28 are in the frame, which they still
 * hold: the C code preserved them.
 */
el0_sync:
	lsr	x9, x12, #ESR_ELx_EC_SHIFT
	cmp	x9, #ESR_ELx_EC_SVC64
	b.ne	el0_sync_other
	cmp	x8, #SYSCALL_TABLE_SIZE
	b.hs	el0_svc_frame
	adrp	x9, syscall_table
	add	x9, x9, :lo12:syscall_table
	add	x9, x9, x8, lsl #4
	ldp	x10, x11, [x9]		// the thunk, the kind
	mov	x0, sp
	cmp	x11, #SYSCALL_KIND_LOCKED
	b.ne	el0_svc_unlocked
	mov	x1, x10
	bl	trap_syscall
	cbnz	w0, el0_slow
	/* fall through */

/* The return from a light frame to EL0: x20..x28 are the user's already. */
el0_return_light:
	ldp	x10, x11, [sp, #TF_ELR]
	ldr	x9, [sp, #TF_SP]
	msr	elr_el1, x10
	msr	spsr_el1, x11
	msr	sp_el0, x9
	load_x0_x17 sp
	ldr	x18, [sp, #TF_X(18)]
	ldp	x29, x30, [sp, #TF_X(29)]
	add	sp, sp, #TF_SIZE
	eret

el0_svc_unlocked:
	cmp	x11, #SYSCALL_KIND_LOCKLESS
	b.ne	el0_svc_frame
	blr	x10
	str	x0, [sp, #TF_X(0)]
	b	el0_return_light
el0_svc_frame:
	mov	w0, #EL0_SYSCALL_FRAME
	b	el0_slow

el0_sync_other:
	mrs	x10, far_el1
	stp	x12, x10, [sp, #TF_ESR]
	cmp	x9, #ESR_ELx_EC_DABT_LOW	// a data abort: most often a demand fault
	b.ne	2f
	mov	x0, sp
	bl	trap_el0_data_abort
	cbnz	w0, el0_slow
	b	el0_return_light
2:	store_x20_x28 sp		// anything else: the whole frame, as every vector
	mov	x0, sp
	mov	x1, #8
	bl	trap_dispatch
	b	trap_return

el0_slow:
	store_x20_x28 sp
	mov	w1, w0
	mov	x0, sp
	bl	trap_el0_slow
	b	trap_return

trap_common_0:
	bl	trap_dispatch
	/* fall through */

	.global trap_return
trap_return:
	ldp	x22, x23, [sp, #TF_ELR]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	and	x23, x23, #PSR_MODE_MASK	// returning to EL0t?
	cbnz	x23, 1f
	ldr	x21, [sp, #TF_SP]
	msr	sp_el0, x21
1:	load_x0_x17 sp
	ldp	x18, x19, [sp, #TF_X(18)]
	ldp	x20, x21, [sp, #TF_X(20)]
	ldp	x22, x23, [sp, #TF_X(22)]
	ldp	x24, x25, [sp, #TF_X(24)]
	ldp	x26, x27, [sp, #TF_X(26)]
	ldp	x28, x29, [sp, #TF_X(28)]
	ldr	x30, [sp, #TF_X(30)]
	add	sp, sp, #TF_SIZE
	eret

/* void save_current_regs(struct trap_frame *tf) */
	.global save_current_regs
save_current_regs:
	store_x0_x29 x0
	mov	x1, sp
	stp	x30, x1, [x0, #TF_X(30)]
	store_el1_sysregs x0, x1, x2
	ret
