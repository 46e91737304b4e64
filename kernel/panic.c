/* The panic dump: registers, a symbolized backtrace, then halt. */
#include "kernel/panic.h"
#include "lib/printk.h"
#include "kernel/ksyms.h"
#include "kernel/semihost.h"
#include "arch/arm64/memory.h"
#include <stdarg.h>
#include "arch/arm64/irqflags.h"
#include "arch/arm64/processor.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "kernel/console.h"

static bool exit_semihosting;
static volatile int panic_depth;
static int panic_cpu = -1;      /* the CPU dumping; the others stop */

void set_exit_semihosting(bool on)
{
	exit_semihosting = on;
}

void halt_system(int status)
{
	local_daif_mask();
	if (exit_semihosting)
		semihost_exit(status);
	for (;;)
		wfe();
}

__attribute__((weak)) void describe_current(char *buf, size_t size)
{
	if (size >= 5) {
		buf[0] = 'b'; buf[1] = 'o'; buf[2] = 'o'; buf[3] = 't'; buf[4] = 0;
	}
}

/*
 * One CPU dumps: the first to get here. Another that panics meanwhile
 * prints one line and stops; the dumping CPU stops every other (by IPI,
 * kernel/smp.c) before its dump, which then says what each ran.
 */
bool panic_begin(void)
{
	int self, first = -1;

	local_daif_mask();
	self = smp_processor_id();
	if (!__atomic_compare_exchange_n(&panic_cpu, &first, self, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE) && first != self) {
		kprintf("\nKERNEL PANIC on CPU%d while CPU%d panics: CPU%d stops\n", self, first, self);
		smp_stop_self();
	}
	if (panic_depth++) {
		kprintf("\nKERNEL PANIC during panic dump; System halted.\n");
		halt_system(PANIC_EXIT_STATUS);
	}
	console_bust_lock();
	smp_stop_others();
	kprintf("\n");
	return true;
}

void panic_dump_regs(const struct trap_frame *tf)
{
	char cur[48];

	describe_current(cur, sizeof(cur));
	kprintf("  current: %s\n", cur);
	kprintf("  on CPU%d of %d online\n", smp_processor_id(), nr_cpus_online);
	smp_dump_cpus();
	for (int i = 0; i < 30; i += 3)
		kprintf("  x%-2d %016lx  x%-2d %016lx  x%-2d %016lx\n",
			i, tf->x[i], i + 1, tf->x[i + 1], i + 2, tf->x[i + 2]);
	kprintf("  x30 %016lx  sp  %016lx\n", tf->x[30], tf->sp);
	kprintf("  elr %016lx  spsr %08lx  esr %08lx (%s)  far %016lx\n",
		tf->elr, tf->spsr, tf->esr, esr_class_name(tf->esr), tf->far);
}

static void print_symbol(int n, uintptr_t pc)
{
	uintptr_t off;
	const char *name = ksym_lookup(pc, &off);

	if (name)
		kprintf("    #%d %s+0x%lx (%016lx)\n", n, name, (unsigned long)off, pc);
	else
		kprintf("    #%d %016lx\n", n, pc);
}

/* Only frame records inside the kernel's own stacks are followed. */
static bool plausible_frame(uintptr_t fp)
{
	return fp >= PAGE_OFFSET && (fp & 0xf) == 0;
}

void panic_backtrace(uintptr_t pc, uintptr_t fp)
{
	int n = 0;

	kprintf("  backtrace:\n");
	if (pc)
		print_symbol(n++, pc);
	while (fp && n < 32) {
		if (!plausible_frame(fp)) {
			kprintf("    (frame pointer %016lx looks wrong; stopping)\n", fp);
			break;
		}
		const uintptr_t *rec = (const uintptr_t *)fp;
		uintptr_t lr = rec[1];
		if (!lr)
			break;
		/* lr is the return address: the call was the instruction before. */
		print_symbol(n++, lr - 4);
		fp = rec[0];
	}
}

void panic_end(void)
{
	kprintf("System halted.\n");
	halt_system(PANIC_EXIT_STATUS);
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	struct trap_frame tf;
	va_list ap;

	save_current_regs(&tf);
	panic_begin();
	kprintf("KERNEL PANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n  at %s:%d\n", file, line);
	panic_dump_regs(&tf);
	panic_backtrace((uintptr_t)__builtin_return_address(0) - 4,
			CALLER_FP());
	panic_end();
}

void panic_stack_smashed(uintptr_t where)
{
	uintptr_t off = 0;
	const char *name = ksym_lookup(where, &off);

	if (name)
		panic("stack protector: stack smashed in %s+0x%lx", name, (unsigned long)off);
	panic("stack protector: stack smashed at %016lx", (unsigned long)where);
}
