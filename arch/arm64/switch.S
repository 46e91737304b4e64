/* Context switch: callee-saved registers and the stack; FP/SIMD state. */
#include "asm-offsets.h"       /* CTX_*, FPSIMD_*: from struct context, struct fpsimd_state */

	.text
/* void cpu_switch(struct context *prev, struct context *next) */
	.global cpu_switch
cpu_switch:
	stp	x19, x20, [x0, #CTX_X19]
	stp	x21, x22, [x0, #CTX_X21]
	stp	x23, x24, [x0, #CTX_X23]
	stp	x25, x26, [x0, #CTX_X25]
	stp	x27, x28, [x0, #CTX_X27]
	stp	x29, x30, [x0, #CTX_FP]
	mov	x9, sp
	str	x9, [x0, #CTX_SP]
	ldp	x19, x20, [x1, #CTX_X19]
	ldp	x21, x22, [x1, #CTX_X21]
	ldp	x23, x24, [x1, #CTX_X23]
	ldp	x25, x26, [x1, #CTX_X25]
	ldp	x27, x28, [x1, #CTX_X27]
	ldp	x29, x30, [x1, #CTX_FP]
	ldr	x9, [x1, #CTX_SP]
	mov	sp, x9
	ret

/* A new process starts here, its stack pointing at its trap frame, the
 * kernel lock handed to it by the switch (kernel/sched.c schedule_tail). */
	.global ret_from_fork
ret_from_fork:
	bl	schedule_tail
	b	trap_return

/* void fpsimd_save(struct fpsimd_state *s): all 32 Q registers, FPSR, FPCR. */
	.global fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #FPSIMD_V0]
	stp	q2, q3, [x0, #(FPSIMD_V0 + 32)]
	stp	q4, q5, [x0, #(FPSIMD_V0 + 64)]
	stp	q6, q7, [x0, #(FPSIMD_V0 + 96)]
	stp	q8, q9, [x0, #(FPSIMD_V0 + 128)]
	stp	q10, q11, [x0, #(FPSIMD_V0 + 160)]
	stp	q12, q13, [x0, #(FPSIMD_V0 + 192)]
	stp	q14, q15, [x0, #(FPSIMD_V0 + 224)]
	stp	q16, q17, [x0, #(FPSIMD_V0 + 256)]
	stp	q18, q19, [x0, #(FPSIMD_V0 + 288)]
	stp	q20, q21, [x0, #(FPSIMD_V0 + 320)]
	stp	q22, q23, [x0, #(FPSIMD_V0 + 352)]
	stp	q24, q25, [x0, #(FPSIMD_V0 + 384)]
	stp	q26, q27, [x0, #(FPSIMD_V0 + 416)]
	stp	q28, q29, [x0, #(FPSIMD_V0 + 448)]
	stp	q30, q31, [x0, #(FPSIMD_V0 + 480)]
	mrs	x1, fpsr
	mrs	x2, fpcr
	str	w1, [x0, #FPSIMD_FPSR]
	str	w2, [x0, #FPSIMD_FPCR]
	ret

	.global fpsimd_restore
fpsimd_restore:
	ldp	q0, q1, [x0, #FPSIMD_V0]
	ldp	q2, q3, [x0, #(FPSIMD_V0 + 32)]
	ldp	q4, q5, [x0, #(FPSIMD_V0 + 64)]
	ldp	q6, q7, [x0, #(FPSIMD_V0 + 96)]
	ldp	q8, q9, [x0, #(FPSIMD_V0 + 128)]
	ldp	q10, q11, [x0, #(FPSIMD_V0 + 160)]
	ldp	q12, q13, [x0, #(FPSIMD_V0 + 192)]
	ldp	q14, q15, [x0, #(FPSIMD_V0 + 224)]
	ldp	q16, q17, [x0, #(FPSIMD_V0 + 256)]
	ldp	q18, q19, [x0, #(FPSIMD_V0 + 288)]
	ldp	q20, q21, [x0, #(FPSIMD_V0 + 320)]
	ldp	q22, q23, [x0, #(FPSIMD_V0 + 352)]
	ldp	q24, q25, [x0, #(FPSIMD_V0 + 384)]
	ldp	q26, q27, [x0, #(FPSIMD_V0 + 416)]
	ldp	q28, q29, [x0, #(FPSIMD_V0 + 448)]
	ldp	q30, q31, [x0, #(FPSIMD_V0 + 480)]
	ldr	w1, [x0, #FPSIMD_FPSR]
	ldr	w2, [x0, #FPSIMD_FPCR]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
