/* Exception routing: what each vector means, and the dump for the unexpected. */
#include "arch/arm64/trap_frame.h"
#include "kernel/panic.h"
#include "lib/panic.h"
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

/* A fault vm_fault could not make good, or could not try: the signal
 * (a handler, or death). Out of line: the demand fault needs none of it. */
static void __attribute__((noinline)) user_abort_signal(const struct trap_frame *tf, bool exec,
							 bool write, int r)
{
	if (r == VM_FAULT_SIGBUS)
		force_sig_fault(SIGBUS, BUS_ADRERR, tf->far, "access past the end of its object");
	else if ((tf->esr & ESR_ELx_FSC) == ESR_ELx_FSC_ALIGN)
		force_sig_fault(SIGBUS, BUS_ADRALN, tf->far, "unaligned access");
	else
		force_sig_fault(SIGSEGV, tf->far < USER_TOP && vm_find(current->mm, tf->far)
				? SEGV_ACCERR : SEGV_MAPERR, tf->far,
				exec ? "bad instruction fetch" : write ? "bad write" : "bad read");
}

/* A fault from EL0: demand paging, or a signal. */
static inline void user_abort(const struct trap_frame *tf, bool exec)
{
	uint64_t esr = tf->esr, type = esr & ESR_ELx_FSC_TYPE;
	bool write = !exec && (esr & ESR_ELx_WNR) && !(esr & ESR_ELx_CM);   /* not a cache op */
	bool pageable = type == ESR_ELx_FSC_FAULT || type == ESR_ELx_FSC_ACCESS ||
			type == ESR_ELx_FSC_PERM;

	int r = (pageable && tf->far < USER_TOP) ? vm_fault(current->mm, tf->far, write, exec)
						 : VM_FAULT_SIGSEGV;
	if (__builtin_expect(r != VM_FAULT_OK, 0))
		user_abort_signal(tf, exec, write, r);
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
 * a mask to restore, a CPU-time itimer, the process stopped. */
static inline bool signal_work_now(const struct proc *p)
{
	/* What signal_return_to_user acts on (kernel/signal.c), and nothing
	 * else: the process's CPU itimers and stop are its leader's. The
	 * blocked mask never holds the unblockable signals (kernel/signal.h). */
	return (p->sig.pending & ~p->sig.blocked) || p->sig.restore_blocked ||
	       (p->leader->cpu_timer[0] | p->leader->cpu_timer[1]) || p->leader->stopped;
}

/* What a return to EL0 tests: the word of noted work (kernel/signal.h),
 * one load. Most returns have none, and skip signal_return_to_user. With
 * lock checks on (vm_check=on, as every test boots) a return whose work
 * went unnoted panics. */
static inline bool signal_work(const struct proc *p)
{
	if (__builtin_expect(lock_checks, 0) && !p->sig.work && signal_work_now(p))
		panic("pid %d: signal work not noted", p->pid);
	return p->sig.work;
}

/* The work noted, done; the word then says whether any is left. */
static void signal_work_done(struct trap_frame *tf, bool from_syscall, uint64_t orig_x0)
{
	struct proc *p = current;

	signal_return_to_user(tf, from_syscall, orig_x0);
	p->sig.work = signal_work_now(p);
}

/* Signals sent while an exception was taken (or by it), on the way out. */
static inline void exception_return_work(struct trap_frame *tf)
{
	if (signal_work(current))
		signal_work_done(tf, false, 0);
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

/*
 * Everything from EL0 runs under the kernel lock (kernel/spinlock.h), taken
 * here and let go just before the return to EL0, whichever task returns:
 * a sleep in between hands the lock to the CPU's next task. A locked system
 * call comes here straight from the vectors with its thunk, on a light
 * frame (arch/arm64/trap_frame.h); a frame call, and the signal work of any
 * call, go on in trap_el0_slow once the entry path has made the frame
 * whole. (A lockless call, getpid, vectors.S runs itself.)
 */
enum el0_next trap_syscall(struct trap_frame *tf, long (*fn)(struct trap_frame *tf))
{
	lock_kernel();
	uint64_t ret = (uint64_t)fn(tf);
	irq_window_resched();
	/* x0 is the first argument until the result replaces it. */
	if (__builtin_expect(syscall_signal_work(current, ret), 0)) {
		tf->orig_x0 = tf->x[0];
		tf->x[0] = ret;
		return EL0_SYSCALL_WORK;              /* the lock still held */
	}
	tf->x[0] = ret;
	unlock_kernel();
	return EL0_RETURN;
}

/* A frame call, or an unknown one: the whole frame saved, under the lock. */
static void syscall_with_frame(struct trap_frame *tf)
{
	uint64_t nr = tf->x[8], orig_x0 = tf->x[0];

	lock_kernel();
	tf->x[0] = (uint64_t)syscall_dispatch(tf);
	irq_window_resched();
	if (syscall_signal_work(current, tf->x[0]))
		signal_work_done(tf, nr != NR_RT_SIGRETURN, orig_x0);
	/* After a switch, kernel_lock_live is still true: it never goes off. */
	unlock_kernel();
}

/* A data abort from EL0, straight from the vectors: the demand fault every
 * first touch of a page takes, without trap_dispatch's sorting. */
enum el0_next trap_el0_data_abort(struct trap_frame *tf)
{
	lock_kernel();
	user_abort(tf, false);
	irq_window_resched();
	if (__builtin_expect(signal_work(current), 0))
		return EL0_EXCEPTION_WORK;            /* the lock still held */
	unlock_kernel();
	return EL0_RETURN;
}

void trap_el0_slow(struct trap_frame *tf, enum el0_next what)
{
	switch (what) {
	case EL0_SYSCALL_FRAME:
		syscall_with_frame(tf);
		return;
	case EL0_SYSCALL_WORK:
		signal_work_done(tf, true, tf->orig_x0);
		break;
	case EL0_EXCEPTION_WORK:
		signal_work_done(tf, false, 0);
		break;
	case EL0_RETURN:
		return;
	}
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
