/* Exception routing: what each vector means, and the dump for the unexpected. */
#include "kernel/trap_frame.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "mm/vm.h"
#include "syscall/syscall.h"
#include "kernel/tick.h"

#define ESR_EC(esr)   (((esr) >> 26) & 0x3f)

const char *esr_class_name(uint64_t esr)
{
	switch (ESR_EC(esr)) {
	case 0x00: return "unknown reason / undefined instruction";
	case 0x01: return "WFI/WFE trapped";
	case 0x07: return "FP/SIMD access trapped";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC from AArch64";
	case 0x18: return "MSR/MRS/system instruction trapped";
	case 0x20: return "instruction abort from a lower EL";
	case 0x21: return "instruction abort at the same EL";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from a lower EL";
	case 0x25: return "data abort at the same EL";
	case 0x26: return "SP alignment fault";
	case 0x2c: return "FP exception";
	case 0x2f: return "SError";
	case 0x30: case 0x31: return "breakpoint";
	case 0x32: case 0x33: return "software step";
	case 0x34: case 0x35: return "watchpoint";
	case 0x3c: return "BRK instruction";
	default:   return "unrecognised exception class";
	}
}

/* For aborts: the fault status code in words. */
static const char *abort_status_name(uint64_t esr)
{
	uint64_t fsc = esr & 0x3f;

	if (fsc == 0x21)
		return "alignment fault";
	if (fsc == 0x10)
		return "synchronous external abort";
	switch (fsc & 0x3c) {
	case 0x00: return "address size fault";
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	default:   return "other fault";
	}
}

static bool is_abort(uint64_t esr)
{
	uint64_t ec = ESR_EC(esr);
	return ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
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
			abort_status_name(tf->esr), tf->esr & 3,
			(tf->esr & (1 << 6)) ? "writing" : "reading", tf->far);
	panic_dump_regs(tf);
	panic_backtrace(tf->elr, tf->x[29]);
	panic_end();
}

/* A fault from EL0: demand paging, or the process dies with a signal. */
static void user_abort(struct trap_frame *tf, bool exec)
{
	uint64_t esr = tf->esr, fsc = esr & 0x3f;
	bool write = !exec && (esr & (1 << 6)) && !(esr & (1 << 8)); /* WnR, not a cache op */
	bool pageable = (fsc & 0x3c) == 0x04 || (fsc & 0x3c) == 0x08 || (fsc & 0x3c) == 0x0c;

	int r = (pageable && tf->far < USER_TOP) ? vm_fault(current->mm, tf->far, write, exec)
						 : VM_FAULT_SIGSEGV;

	if (r == VM_FAULT_OK)
		return;
	if (r == VM_FAULT_SIGBUS)
		proc_fault_kill(SIGBUS, "access past the end of its object", tf->far);
	if (fsc == 0x21)
		proc_fault_kill(SIGBUS, "unaligned access", tf->far);
	proc_fault_kill(SIGSEGV, exec ? "bad instruction fetch" :
			write ? "bad write" : "bad read", tf->far);
}

static void user_sync(struct trap_frame *tf)
{
	switch (ESR_EC(tf->esr)) {
	case 0x15:                                   /* SVC */
		tf->x[0] = (uint64_t)syscall_dispatch(tf);
		return;
	case 0x24:
		user_abort(tf, false);
		return;
	case 0x20:
		user_abort(tf, true);
		return;
	case 0x22: case 0x26:
		proc_fault_kill(SIGBUS, "misaligned pc or sp", tf->elr);
	case 0x2c:
		proc_fault_kill(SIGFPE, "floating-point exception", tf->elr);
	case 0x30: case 0x32: case 0x34: case 0x3c:
		proc_fault_kill(SIGTRAP, "breakpoint", tf->elr);
	default:
		proc_fault_kill(SIGILL, "illegal instruction", tf->elr);
	}
}

static bool handle_user_trap(struct trap_frame *tf, enum trap_kind kind)
{
	if (kind == TRAP_EL0_SERROR)
		proc_fault_kill(SIGBUS, "SError", tf->far);
	if (kind == TRAP_EL0_IRQ) {
		if (tick_irq()) {
			current->utime_ticks++;   /* ticks only come from EL0: user time */
			yield();
		}          /* preemption: the tick ended this time slice */
	} else if (kind == TRAP_EL0_SYNC) {
		user_sync(tf);
	} else {
		return false;
	}
	/* A signal sent while it ran (or to itself) ends it on the way out. */
	if (current->killed)
		proc_exit(current->killed);
	return true;
}

/* The kernel runs with interrupts masked, so anything taken at EL1 is a bug. */
void trap_dispatch(struct trap_frame *tf, enum trap_kind kind)
{
	if (kind >= TRAP_EL0_SYNC && kind <= TRAP_EL0_SERROR && handle_user_trap(tf, kind))
		return;
	unexpected_trap(tf, kind);
}
