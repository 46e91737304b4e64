/*
 * The registers saved on exception entry (arch/arm64/vectors.S builds it).
 * A system call or a data abort from EL0 first saves a light frame: every
 * register but x20..x28, which the kernel's C code preserves (AAPCS64) and
 * so still holds when it returns. The entry path stores them too before
 * anything that reads or rewrites the whole frame (a frame call, signal
 * work, any other exception): only the frame's owner, running its own
 * system call or fault, ever sees a light frame.
 */
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
	uint64_t esr;      /* ESR and FAR: not saved for a system call */
	uint64_t far;
	uint64_t orig_x0;  /* a system call's first argument, kept for a restart */
	uint64_t pad;      /* the frame is a multiple of 16 bytes (SP alignment) */
};

/* What the EL0 entry path does after a light call returns (vectors.S):
 * return at once, or save x20..x28 and call trap_el0_slow with it. */
enum el0_next {
	EL0_RETURN,            /* nothing more: the light return */
	EL0_SYSCALL_FRAME,     /* a frame call (or an unknown one), not yet run */
	EL0_SYSCALL_WORK,      /* the call ran; signal work, orig_x0 saved, lock held */
	EL0_EXCEPTION_WORK,    /* signal work after a fault, lock held */
};

/* Which of the 16 vectors was taken. */
enum trap_kind {
	TRAP_EL1T_SYNC, TRAP_EL1T_IRQ, TRAP_EL1T_FIQ, TRAP_EL1T_SERROR,
	TRAP_EL1H_SYNC, TRAP_EL1H_IRQ, TRAP_EL1H_FIQ, TRAP_EL1H_SERROR,
	TRAP_EL0_SYNC, TRAP_EL0_IRQ, TRAP_EL0_FIQ, TRAP_EL0_SERROR,
	TRAP_EL0_32_SYNC, TRAP_EL0_32_IRQ, TRAP_EL0_32_FIQ, TRAP_EL0_32_SERROR,
};

void trap_dispatch(struct trap_frame *tf, enum trap_kind kind);
/* A locked system call from EL0 and its handler's thunk, on a light frame
 * (arch/arm64/vectors.S sends those here directly). */
enum el0_next trap_syscall(struct trap_frame *tf, long (*fn)(struct trap_frame *tf));
/* A data abort from EL0, on a light frame (likewise). */
enum el0_next trap_el0_data_abort(struct trap_frame *tf);
/* The rest of either, on the frame made whole. */
void trap_el0_slow(struct trap_frame *tf, enum el0_next what);
/* Fills *tf with the caller's registers (x0..x30, sp, and the current
 * ELR/SPSR/ESR/FAR system registers) for a dump. */
void save_current_regs(struct trap_frame *tf);
const char *esr_class_name(uint64_t esr);
#endif
#endif
