/* kmain: the boot sequence, and nothing else. */
#include "boot/boot_info.h"
#include "boot/bootargs.h"
#include "mm/vm.h"
#include "kernel/boot_log.h"
#include "kernel/console.h"
#include "lib/printk.h"
#include "kernel/panic.h"
#include "arch/arm64/memory.h"
#include "kernel/version.h"
#include "kernel/ktest.h"
#include "mm/mmu.h"
#include "mm/boot_mem.h"
#include "mm/kalloc.h"
#include "kernel/kstack.h"
#include "kernel/proc.h"
#include "kernel/random.h"
#include "kernel/stackprotector.h"
#include "kernel/tick.h"
#include "kernel/smp.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/cpu.h"
#include "kernel/vdso.h"
#include "fs/rootfs.h"
#include "fs/initramfs.h"
#include "lib/uapi/errno.h"

static struct boot_info boot_info;
static struct bootargs bootargs;

/* Without a device tree there is nothing to stand on: say why, then stop. */
static void __attribute__((noreturn)) no_device_tree(phys_addr_t dtb, const char *why)
{
	kprintf("\nBramble %s: cannot use the device tree at 0x%lx: %s\n",
		BRAMBLE_VERSION, (unsigned long)dtb, why);
	kprintf("Bramble needs a DTB in x0 (QEMU: -dtb FILE; U-Boot: booti ... ${fdt_addr}).\n");
	kprintf("System halted.\n");
	halt_system(PANIC_EXIT_STATUS);
}

/* The DTB is reached through the fixmap start.S made (2 MiB blocks, 4 MiB). */
static void read_device_tree(phys_addr_t dtb)
{
	const char *err = "not 8-byte aligned";
	uintptr_t off = dtb & (FDT_MAX_SIZE - 1);

	if ((dtb & 7) == 0 &&
	    dt_parse((const void *)(FIXMAP_FDT_VA + off), 2 * FDT_MAX_SIZE - off,
		     dtb, &boot_info, &err) == 0)
		return;
	no_device_tree(dtb, err);
}

static const struct uart_info *console_uart;

/* Leaves the early console for the UART the DT (or console=) names. */
static void switch_console(void)
{
	bool override_failed;
	const struct uart_info *u = console_choose(&boot_info, bootargs.console,
						   &override_failed);
	uintptr_t va;

	if (!u) {
		/* The final page tables drop the early console's fixmap: map
		 * its UART like any device, or the next line faults, and the
		 * fault's report faults again, silently (a DT cut short). */
		va = ioremap(EARLYCON_PHYS & ~(uint64_t)0xfff, 0x1000);
		if (va)
			console_use(EARLYCON_KIND, va + (EARLYCON_PHYS & 0xfff));
		printk("No UART in the device tree; staying on the early console\n");
		return;
	}
	va = ioremap(u->phys, u->size ? u->size : 0x1000);
	if (!va)
		panic("cannot map the console UART at 0x%lx", (unsigned long)u->phys);
	console_use(u->kind, va);
	console_uart = u;
	if (override_failed)
		printk("console=%s: no such UART in the device tree\n", bootargs.console);
	printk("Console: %s at 0x%lx (%s)\n", console_name(), (unsigned long)u->phys, u->path);
}

/* The initramfs the DT names: without one there is nothing to run. */
static void mount_initramfs(void)
{
	phys_addr_t s = boot_info.initrd_start, e = boot_info.initrd_end;
	int err;

	if (e <= s) {
		printk("No initramfs (/chosen linux,initrd-start): nothing to run\n");
		printk("Bramble: boot complete\n");
		kprintf("System halted.\n");
		halt_system(0);
	}
	int files;
	boot_mem_hold_initrd();
	err = rootfs_init(phys_to_virt(s), e - s, &files);
	if (err < 0) {
		/* Bad input from outside, not a kernel fault: say what is wrong
		 * with it and stop as a boot without an initramfs does. */
		struct cpio_fault f;
		if (err == -ENAMETOOLONG)
			printk("Initramfs: cannot unpack the archive at 0x%lx: entry %d is a symlink "
			       "whose target is longer than PATH_MAX\n", (unsigned long)s, files);
		else if (err == -ENOSPC)
			printk("Initramfs: cannot unpack the archive at 0x%lx: entry %d does not fit in "
			       "the root tmpfs (its inodes are bounded by the kernel heap: kheap=)\n",
			       (unsigned long)s, files);
		else if (cpio_check(phys_to_virt(s), e - s, &f) < 0)
			printk("Initramfs: cannot unpack the archive at 0x%lx: %s (the entry at byte %lu)\n",
			       (unsigned long)s, f.why, (unsigned long)f.off);
		else
			printk("Initramfs: cannot unpack the archive at 0x%lx: an entry clashes with an "
			       "earlier one (a path through a file, or a file over a directory that has entries)\n",
			       (unsigned long)s);
		printk("Initramfs: nothing to run\n");
		kprintf("System halted.\n");
		halt_system(1);
	}
	printk("Initramfs: %d files and directories unpacked into tmpfs on /\n", files);
	printk("Initramfs: freed %luK\n", (unsigned long)(boot_mem_release_initrd() >> 10));
}

/* The CPUs the DT names, unless the command line says fewer; each needs
 * the interrupt controller to be woken (IPIs). */
static void start_other_cpus(void)
{
	if (bootargs.max_cpus > 1 && !tick_can_ipi()) {
		printk("SMP: the interrupt controller cannot send IPIs; the boot CPU alone\n");
		return;
	}
	smp_boot_secondaries(&boot_info, bootargs.max_cpus);
}

/* Not protected: its frame is live when stack_protector_init changes the
 * canary (kernel/stackprotector.c), and it never returns to compare it. */
__attribute__((no_stack_protector))
void kmain(phys_addr_t dtb, uint64_t entry_el, phys_addr_t phys_base)
{
	/* This CPU's struct cpu, and the kernel lock, before anything needs them. */
	smp_init_boot_cpu(cpu_mpidr());
	kernel_lock_boot();
	console_use_early();
	mmu_set_image_base(phys_base);
	read_device_tree(dtb);
	/* The first moment boot entropy exists: the canary from it. */
	random_seed(boot_info.rng_seed ^ boot_info.dtb_size ^ boot_info.initrd_end);
	stack_protector_init();
	bootargs_parse(boot_info.bootargs, &bootargs);
	set_exit_semihosting(bootargs.exit_semihosting);
	vm_debug_checks = bootargs.vm_check;
	if (bootargs.vm_check)
		lock_checks_enable();
	switch_console();
	log_boot_info(&boot_info, (unsigned)entry_el);
	if (bootargs.bad[0])
		printk("Ignoring bad boot argument: %s\n", bootargs.bad);
	if (boot_info.seed_bytes)
		printk("Random: %u bytes of seed from /chosen (rng-seed, kaslr-seed)\n",
		       boot_info.seed_bytes);

	boot_mem_init(&boot_info, &bootargs);
	kstack_init();

	if (bootargs.test[0])
		run_kernel_test(bootargs.test, KTEST_EARLY);

	mount_initramfs();
	tick_init(&boot_info);
	vdso_init();
	tick_console_irq(console_uart);
	start_other_cpus();
	if (bootargs.vm_check) {
		mmu_check_kernel_tables();
		printk("MMU: kernel tables checked: UXN everywhere, PXN outside the text\n");
	}
	if (bootargs.test[0])
		run_kernel_test(bootargs.test, KTEST_SMP);
	struct proc *init = proc_start_init(bootargs.init, bootargs.init_argc, bootargs.init_argv,
					    bootargs.fail_alloc);
	if (bootargs.test[0])
		run_kernel_test_in_task(bootargs.test, init);
	cpu_idle_loop();   /* kmain's stack is now CPU 0's idle thread */
}
