/* Exception routing: what each vector means, and the dump for the unexpected. */
#include "arch/arm64/trap_frame.h"
#include "kernel/panic.h"
#include "lib/printk.h"
#include "kernel/proc.h"
#include "mm/vm.h"
#include "syscall/syscall.h"
#include "kernel/tick.h"
#include "arch/arm64/esr.h"
#include "kernel/signal.h"
#include "kernel/spinlock.h"
#include "kernel/irq_window.h"

const char *esr_class_name(uint64_t esr)
{
	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_UNKNOWN:     return "unknown reason / undefined instruction";
	case ESR_ELx_EC_WFx:         return "WFI/WFE trapped";
	case ESR_ELx_EC_FP_ASIMD:    return "FP/SIMD access trapped";
	case ESR_ELx_EC_ILL:         return "illegal execution state";
	case ESR_ELx_EC_SVC64:       return "SVC from AArch64";
	case ESR_ELx_EC_SYS64:       return "MSR/MRS/system instruction trapped";
	case ESR_ELx_EC_IABT_LOW:    return "instruction abort from a lower EL";
	case ESR_ELx_EC_IABT_CUR:    return "instruction abort at the same EL";
	case ESR_ELx_EC_PC_ALIGN:    return "PC alignment fault";
	case ESR_ELx_EC_DABT_LOW:    return "data abort from a lower EL";
	case ESR_ELx_EC_DABT_CUR:    return "data abort at the same EL";
	case ESR_ELx_EC_SP_ALIGN:    return "SP alignment fault";
	case ESR_ELx_EC_FP_EXC64:    return "FP exception";
	case ESR_ELx_EC_SERROR:      return "SError";
	case ESR_ELx_EC_BREAKPT_LOW: case ESR_ELx_EC_BREAKPT_CUR: return "breakpoint";
	case ESR_ELx_EC_SOFTSTP_LOW: case ESR_ELx_EC_SOFTSTP_CUR: return "software step";
	case ESR_ELx_EC_WATCHPT_LOW: case ESR_ELx_EC_WATCHPT_CUR: return "watchpoint";
	case ESR_ELx_EC_BRK64:       return "BRK instruction";
	default:   return "unrecognised exception class";
	}
}

/* For aborts: the fault status code in words. */
static const char *abort_status_name(uint64_t esr)
{
	uint64_t fsc = esr & ESR_ELx_FSC;

	if (fsc == ESR_ELx_FSC_ALIGN)
		return "alignment fault";
	if (fsc == ESR_ELx_FSC_EXTABT)
		return "synchronous external abort";
	switch (fsc & ESR_ELx_FSC_TYPE) {
	case ESR_ELx_FSC_ADDRSZ: return "address size fault";
	case ESR_ELx_FSC_FAULT:  return "translation fault";
	case ESR_ELx_FSC_ACCESS: return "access flag fault";
	case ESR_ELx_FSC_PERM:   return "permission fault";
	default:   return "other fault";
	}
}

static bool is_abort(uint64_t esr)
{
	uint64_t ec = ESR_ELx_EC(esr);
	return ec == ESR_ELx_EC_IABT_LOW || ec == ESR_ELx_EC_IABT_CUR ||
	       ec == ESR_ELx_EC_DABT_LOW || ec == ESR_ELx_EC_DABT_CUR;
}

static const char *const trap_kind_names[] = {
	"EL1t sync", "EL1t IRQ", "EL1t FIQ", "EL1t SError",
	"EL1h sync", "EL1h IRQ", "EL1h FIQ", "EL1h SError",
	"EL0 sync", "EL0 IRQ", "EL0 FIQ", "EL0 SError",
	"EL0 (AArch32) sync", "EL0 (AArch32) IRQ", "EL0 (AArch32) FIQ", "EL0 (AArch32) SError",
};

/* Anything the kernel did not expect: the full dump, then halt. */
static void __attribute__((noreturn)) unexpected_trap(struct trap_frame *tf, enum trap_kind kind)
{
	panic_begin();
	kprintf("KERNEL PANIC: unexpected exception: %s, %s\n",
		trap_kind_names[kind], esr_class_name(tf->esr));
	if (is_abort(tf->esr))
		kprintf("  %s at level %lu, %s address %016lx\n",
			abort_status_name(tf->esr), tf->esr & ESR_ELx_FSC_LEVEL,
			(tf->esr & ESR_ELx_WNR) ? "writing" : "reading", tf->far);
	panic_dump_regs(tf);
	panic_backtrace(tf->elr, tf->x[29]);
	panic_end();
}

/* A fault from EL0: demand paging, or a signal (a handler, or death). */
static void user_abort(struct trap_frame *tf, bool exec)
{
	uint64_t esr = tf->esr, fsc = esr & ESR_ELx_FSC, type = fsc & ESR_ELx_FSC_TYPE;
	bool write = !exec && (esr & ESR_ELx_WNR) && !(esr & ESR_ELx_CM);   /* not a cache op */
	bool pageable = type == ESR_ELx_FSC_FAULT || type == ESR_ELx_FSC_ACCESS ||
			type == ESR_ELx_FSC_PERM;

	int r = (pageable && tf->far < USER_TOP) ? vm_fault(current->mm, tf->far, write, exec)
						 : VM_FAULT_SIGSEGV;

	if (r == VM_FAULT_OK)
		return;
	if (r == VM_FAULT_SIGBUS)
		force_sig_fault(SIGBUS, BUS_ADRERR, tf->far, "access past the end of its object");
	else if (fsc == ESR_ELx_FSC_ALIGN)
		force_sig_fault(SIGBUS, BUS_ADRALN, tf->far, "unaligned access");
	else
		force_sig_fault(SIGSEGV, tf->far < USER_TOP && vm_find(current->mm, tf->far)
				? SEGV_ACCERR : SEGV_MAPERR, tf->far,
				exec ? "bad instruction fetch" : write ? "bad write" : "bad read");
}

static void user_sync(struct trap_frame *tf)
{
	switch (ESR_ELx_EC(tf->esr)) {     /* SVC is taken in trap_dispatch */
	case ESR_ELx_EC_DABT_LOW:
		user_abort(tf, false);
		return;
	case ESR_ELx_EC_IABT_LOW:
		user_abort(tf, true);
		return;
	case ESR_ELx_EC_PC_ALIGN:
		force_sig_fault(SIGBUS, BUS_ADRALN, tf->elr, "misaligned pc or sp");
		return;
	case ESR_ELx_EC_SP_ALIGN:
		force_sig_fault(SIGBUS, BUS_ADRALN, tf->sp, "misaligned pc or sp");
		return;
	case ESR_ELx_EC_FP_EXC64:
		force_sig_fault(SIGFPE, 0, tf->elr, "floating-point exception");
		return;
	case ESR_ELx_EC_BREAKPT_LOW: case ESR_ELx_EC_SOFTSTP_LOW: case ESR_ELx_EC_WATCHPT_LOW:
	case ESR_ELx_EC_BRK64:
		force_sig_fault(SIGTRAP, TRAP_BRKPT, tf->elr, "breakpoint");
		return;
	default:
		force_sig_fault(SIGILL, ILL_ILLOPC, tf->elr, "illegal instruction");
		return;
	}
}

/* Whether the return to EL0 has signal work: an unblocked signal pending,
 * a mask to restore, a CPU-time itimer, the process stopped. Most returns
 * have none, and skip signal_return_to_user. */
static inline bool signal_work(const struct proc *p)
{
	/* What signal_return_to_user acts on (kernel/signal.c), and nothing
	 * else: the process's CPU itimers and stop are its leader's. */
	return (p->sig.pending & ~(p->sig.blocked & ~SIG_UNBLOCKABLE)) || p->sig.restore_blocked ||
	       (p->leader->cpu_timer[0] | p->leader->cpu_timer[1]) || p->leader->stopped;
}

/* Signals sent while an exception was taken (or by it), on the way out. */
static inline void exception_return_work(struct trap_frame *tf)
{
	if (signal_work(current))
		signal_return_to_user(tf, false, 0);
}

static bool handle_user_trap(struct trap_frame *tf, enum trap_kind kind)
{
	if (kind == TRAP_EL0_SERROR) {
		force_sig_fault(SIGBUS, 0, tf->far, "SError");
	} else if (kind == TRAP_EL0_IRQ) {
		if (tick_irq())           /* preemption: the tick ended this time slice */
			yield();
	} else if (kind == TRAP_EL0_SYNC) {
		user_sync(tf);
		irq_window_resched();
	} else {
		return false;
	}
	exception_return_work(tf);
	return true;
}

#define NR_RT_SIGRETURN 139

/* The same for a system call's return, which may also have a restart code
 * (-ERESTARTSYS .. -ERESTART_RESTARTBLOCK) to resolve. */
static inline bool syscall_signal_work(const struct proc *p, uint64_t ret)
{
	return signal_work(p) || ret + ERESTART_RESTARTBLOCK <= ERESTART_RESTARTBLOCK - ERESTARTSYS;
}

/* A call and its return work, the same with the lock or without. */
static inline void run_syscall(struct trap_frame *tf, uint64_t nr)
{
	uint64_t orig_x0 = tf->x[0];

	tf->x[0] = (uint64_t)syscall_dispatch(tf);
	irq_window_resched();
	if (syscall_signal_work(current, tf->x[0]))
		signal_return_to_user(tf, nr != NR_RT_SIGRETURN, orig_x0);
}

/* A locked call: under the kernel lock from its start to the return. */
static void __attribute__((noinline)) syscall_locked(struct trap_frame *tf, uint64_t nr)
{
	lock_kernel_live();
	run_syscall(tf, nr);
	/* After a switch, kernel_lock_live is still true: it never goes off. */
	unlock_kernel_live();
}

/* A lockless call's signal work: it takes the lock for it. Such a call
 * returns no restart code, so there is nothing to restart. */
static void __attribute__((noinline, cold)) lockless_signal_work(struct trap_frame *tf)
{
	lock_kernel();
	signal_return_to_user(tf, false, 0);
	unlock_kernel();
}

/* One CPU online: no lock at all. */
static void __attribute__((noinline)) syscall_alone(struct trap_frame *tf, uint64_t nr)
{
	run_syscall(tf, nr);
}

/*
 * Everything from EL0 runs under the kernel lock (kernel/spinlock.h), taken
 * here and let go just before the return to EL0, whichever task returns:
 * a sleep in between hands the lock to the CPU's next task. System calls
 * come to trap_syscall straight from the vectors; every other exception
 * to trap_dispatch. A lockless call (getpid) has the shortest path: no
 * lock, nothing saved for a restart; it reads the pending signals
 * unlocked, and a signal sent meanwhile is seen at the sender's IPI
 * (sched_kick).
 */
void trap_syscall(struct trap_frame *tf)
{
	uint64_t nr = tf->x[8];

	if (!kernel_lock_live) {
		syscall_alone(tf, nr);
		return;
	}
	if (!syscall_is_lockless(nr)) {
		syscall_locked(tf, nr);
		return;
	}
	tf->x[0] = (uint64_t)syscall_dispatch(tf);
	if (signal_work(current))
		lockless_signal_work(tf);
}

/* A data abort from EL0, straight from the vectors: the demand fault every
 * first touch of a page takes, without trap_dispatch's sorting. */
void trap_el0_data_abort(struct trap_frame *tf)
{
	lock_kernel();
	user_abort(tf, false);
	irq_window_resched();
	exception_return_work(tf);
	unlock_kernel();
}

void trap_dispatch(struct trap_frame *tf, enum trap_kind kind)
{
	if (kind >= TRAP_EL0_SYNC && kind <= TRAP_EL0_SERROR) {
		lock_kernel();
		if (handle_user_trap(tf, kind)) {
			unlock_kernel();
			return;
		}
	}
	unexpected_trap(tf, kind);
}
