/* The registers saved on exception entry (arch/arm64/vectors.S builds it). */
#ifndef BRAMBLE_TRAP_FRAME_H
#define BRAMBLE_TRAP_FRAME_H

#ifdef __ASSEMBLER__
#include "asm-offsets.h"       /* TF_*, generated from struct trap_frame */
#define TF_X(n)     (TF_X0 + (n) * 8)
#else
#include <stdint.h>
struct trap_frame {
	uint64_t x[31];
	uint64_t sp;      /* SP_EL0 for traps from EL0, else the interrupted SP_EL1 */
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

/* Which of the 16 vectors was taken. */
enum trap_kind {
	TRAP_EL1T_SYNC, TRAP_EL1T_IRQ, TRAP_EL1T_FIQ, TRAP_EL1T_SERROR,
	TRAP_EL1H_SYNC, TRAP_EL1H_IRQ, TRAP_EL1H_FIQ, TRAP_EL1H_SERROR,
	TRAP_EL0_SYNC, TRAP_EL0_IRQ, TRAP_EL0_FIQ, TRAP_EL0_SERROR,
	TRAP_EL0_32_SYNC, TRAP_EL0_32_IRQ, TRAP_EL0_32_FIQ, TRAP_EL0_32_SERROR,
};

void trap_dispatch(struct trap_frame *tf, enum trap_kind kind);
/* An SVC from EL0 (arch/arm64/vectors.S sends those here directly). */
void trap_syscall(struct trap_frame *tf);
/* A data abort from EL0 (likewise). */
void trap_el0_data_abort(struct trap_frame *tf);
/* Fills *tf with the caller's registers (x0..x30, sp, and the current
 * ELR/SPSR/ESR/FAR system registers) for a dump. */
void save_current_regs(struct trap_frame *tf);
const char *esr_class_name(uint64_t esr);
#endif
#endif
