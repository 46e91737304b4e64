/*
 * The structure offsets vectors.S and switch.S use, taken from the C
 * structs: compiled with -S, each DEFINE becomes a "->NAME value" line that
 * the Makefile turns into build/gen/asm-offsets.h (as Linux's asm-offsets.c).
 */
#include <stddef.h>
#include "arch/arm64/trap_frame.h"
#include "kernel/proc.h"
#include "kernel/smp.h"
#include "syscall/syscall.h"

#define DEFINE(sym, val) \
	__asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

/* Fields the assembly moves as one pair with stp/ldp. */
#define PAIR(type, a, b) \
	_Static_assert(offsetof(type, b) == offsetof(type, a) + 8, #type ": " #a ", " #b)
PAIR(struct trap_frame, x[30], sp);
PAIR(struct trap_frame, elr, spsr);
PAIR(struct trap_frame, esr, far);
PAIR(struct syscall_entry, fn, kind);
_Static_assert(sizeof(struct syscall_entry) == 16, "vectors.S indexes the table by nr << 4");
PAIR(struct context, x19, x20);
PAIR(struct context, x21, x22);
PAIR(struct context, x23, x24);
PAIR(struct context, x25, x26);
PAIR(struct context, x27, x28);
PAIR(struct context, fp, lr);

void asm_offsets(void);
void asm_offsets(void)
{
	DEFINE(TF_X0,      offsetof(struct trap_frame, x));
	DEFINE(TF_SP,      offsetof(struct trap_frame, sp));
	DEFINE(TF_ELR,     offsetof(struct trap_frame, elr));
	DEFINE(TF_SPSR,    offsetof(struct trap_frame, spsr));
	DEFINE(TF_ESR,     offsetof(struct trap_frame, esr));
	DEFINE(TF_FAR,     offsetof(struct trap_frame, far));
	DEFINE(TF_SIZE,    sizeof(struct trap_frame));
	DEFINE(EL0_SYSCALL_FRAME, EL0_SYSCALL_FRAME);

	DEFINE(SYSCALL_TABLE_SIZE,      SYSCALL_TABLE_SIZE);
	DEFINE(SYSCALL_KIND_LOCKED,     SYSCALL_LOCKED);
	DEFINE(SYSCALL_KIND_LOCKLESS,   SYSCALL_LOCKLESS);

	DEFINE(CTX_X19,    offsetof(struct context, x19));
	DEFINE(CTX_X21,    offsetof(struct context, x21));
	DEFINE(CTX_X23,    offsetof(struct context, x23));
	DEFINE(CTX_X25,    offsetof(struct context, x25));
	DEFINE(CTX_X27,    offsetof(struct context, x27));
	DEFINE(CTX_FP,     offsetof(struct context, fp));
	DEFINE(CTX_SP,     offsetof(struct context, sp));

	DEFINE(CPU_CURR,   offsetof(struct cpu, curr));
	DEFINE(CPU_ID,     offsetof(struct cpu, id));
	DEFINE(SECONDARY_TTBR1, offsetof(struct secondary_boot, ttbr1));
	DEFINE(SECONDARY_STACK, offsetof(struct secondary_boot, stack_top));
	DEFINE(SECONDARY_MPIDR, offsetof(struct secondary_boot, mpidr));
	DEFINE(SECONDARY_CPU,   offsetof(struct secondary_boot, cpu));

	DEFINE(FPSIMD_V0,   offsetof(struct fpsimd_state, v));
	DEFINE(FPSIMD_FPSR, offsetof(struct fpsimd_state, fpsr));
	DEFINE(FPSIMD_FPCR, offsetof(struct fpsimd_state, fpcr));
}
