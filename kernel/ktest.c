/*
 * Deterministic triggers, chosen with bootarg test=NAME, for the QEMU tests
 * and for anyone who wants to see a dump:
 *   kheap-exhaust   allocate must-succeed memory until the kernel-heap OOM panic
 *   write-text      write to kernel text: a permission fault into the dump
 *   panic           a plain panic()
 *   double-free     free a page twice: the page allocator's bug report
 *   vm-check        an address space with a broken count: vm_check's panic
 *   bench-alloc     instruction counts of the allocators (make bench)
 *   stack-smash     overflow a local array: the stack protector's panic
 *   stack-canary    print a fingerprint of the canary (two boots compare it)
 *   stack-overflow  recurse in the first process until its kernel stack's guard
 *   boot-stack-overflow  the same on the boot stack (CPU 0's idle thread)
 *   kernel-exec     map a page executable outside the text: the kernel-table check
 *   kernel-el0-exec map a kernel page without UXN: the same check
 *   user-pxn        a user page without PXN: vm_check's panic
 */
#include "kernel/ktest.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "lib/printk.h"
#include "kernel/panic.h"
#include "mm/kalloc.h"
#include "mm/page_alloc.h"
#include "mm/vm.h"
#include "mm/mmu.h"
#include "mm/uvm.h"
#include "kernel/proc.h"
#include "kernel/stackprotector.h"
#include "lib/format.h"
#include <string.h>

static void __attribute__((noinline)) test_kheap_exhaust(void)
{
	size_t n = 0;

	printk("test: allocating 4 KiB kernel-heap blocks that must succeed\n");
	for (;;) {
		kmalloc_or_panic(4096, 16);
		n++;
	}
}

static void __attribute__((noinline)) test_double_free(void)
{
	phys_addr_t pa = alloc_pages(0);

	printk("test: freeing page 0x%lx twice\n", (unsigned long)pa);
	free_pages(pa, 0);
	free_pages(pa, 0);
	printk("test: FAILED: a double free went unnoticed\n");
}

static void __attribute__((noinline)) test_write_text(void)
{
	volatile uint32_t *text = (volatile uint32_t *)(uintptr_t)&run_kernel_test;

	printk("test: writing to kernel text at %p\n", (void *)text);
	*text = 0xd503201f;   /* a NOP; W^X must stop it */
	printk("test: FAILED: kernel text is writable\n");
}

static void report(const char *what, uint64_t t0, unsigned rounds)
{
	uint64_t dt = uptime_ns() - t0;
	printk("bench: %s: %lu instructions\n", what, (unsigned long)(dt / rounds));
}

static void bench_alloc(void)
{
	const unsigned rounds = 20000;
	uint64_t t0 = uptime_ns();

	for (unsigned i = 0; i < rounds; i++)
		free_pages(alloc_pages(0), 0);
	report("alloc_pages(0)+free_pages", t0, rounds);

	static const size_t sizes[] = { 32, 256, 2048 };
	for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++) {
		char what[48];
		t0 = uptime_ns();
		for (unsigned i = 0; i < rounds; i++)
			kfree(kmalloc(sizes[s]));
		ksnprintf(what, sizeof(what), "kmalloc(%lu)+kfree", (unsigned long)sizes[s]);
		report(what, t0, rounds);
	}
}

/* A mapping whose page count is then broken: vm_check must say so. */
static void __attribute__((noinline)) test_vm_check(void)
{
	struct rlimits_view lim = { UINT64_MAX, UINT64_MAX };
	struct mm *mm = vm_create();

	if (!mm || vm_mmap(mm, 0, 4 * PAGE_SIZE, PROT_READ, 0x22 /* private|anon */, NULL, 0, 0,
			   &lim) < 0)
		panic("test=vm-check: no address space to break");
	vm_check(mm);
	printk("test: vm_check passes a sound address space; breaking its count\n");
	mm->total_vm++;
	vm_check(mm);
	printk("test: vm_check missed a broken count\n");
}

static void __attribute__((noinline)) test_panic(void)
{
	panic("test=panic asked for a panic");
}

static volatile int smp_panicking = -1;

static void panic_here(void *arg)
{
	(void)arg;
	smp_panicking = smp_processor_id();
	panic("test=smp-panic: CPU%d panics", smp_processor_id());
}

/* The other CPUs panic (each runs panic_here by IPI, kernel/smp.c) and, as
 * soon as one does, this one too: one CPU dumps, with what each CPU ran;
 * one that panics meanwhile prints one line and stops. */
static void __attribute__((noinline)) test_smp_panic(void)
{
	if (nr_cpus_online < 2)
		panic("test=smp-panic needs two CPUs online");
	smp_call_others_nowait(panic_here, NULL);
	while (smp_panicking < 0)
		;
	panic("test=smp-panic: CPU%d panics too", smp_processor_id());
}

/* With lock checks on (vm_check=on): a second lock of the kernel lock's
 * rank, taken while holding it, breaks the lock order: a panic. */
static void __attribute__((noinline)) test_lock_order(void)
{
	static struct spinlock rank1 = SPINLOCK_INIT("test_rank1", LOCK_ORDER_KERNEL);

	if (!lock_checks)
		panic("test=lock-order needs vm_check=on");
	spin_lock(&rank1);
	panic("test=lock-order: the lock order check missed it");
}

/* A protected function (it has a local array) that writes past the end of
 * it, over the canary above: its return must not happen. The length comes
 * through a volatile so the compiler cannot see the overflow. */
static volatile size_t smash_len = 32;

static void __attribute__((noinline)) smash_local_array(void)
{
	char buf[16];

	printk("test: writing %lu bytes into a %lu-byte local array\n",
	       (unsigned long)smash_len, (unsigned long)sizeof(buf));
	memset(buf, 0x5a, smash_len);
	__asm__ volatile("" : : "r"(buf) : "memory");
}

static void __attribute__((noinline)) test_stack_smash(void)
{
	smash_local_array();
	printk("test: FAILED: the stack protector missed a smashed canary\n");
}

/* The canary must not be the build-time value; the fingerprint lets two
 * boots with different entropy show that it differs between them. */
static void __attribute__((noinline)) test_stack_canary(void)
{
	if (__stack_chk_guard == STACK_CANARY_BUILD_VALUE)
		printk("test: FAILED: the stack canary is the build-time value\n");
	printk("test: stack canary fingerprint %08x\n", stack_canary_fingerprint());
}

/* A few hundred bytes a frame, until the guard below the stack stops it.
 * Not a tail call (the frame is read after the return), so every level
 * keeps its frame. */
static unsigned __attribute__((noinline)) recurse_on_stack(unsigned depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth == 0)
		return 0;
	unsigned r = recurse_on_stack(depth - 1);
	__asm__ volatile("" : : : "memory");
	return r + (unsigned char)frame[0];
}

static void __attribute__((noinline)) test_stack_overflow(void)
{
	char cur[48];

	describe_current(cur, sizeof(cur));
	printk("test: recursing in %s until its kernel stack overflows\n", cur);
	unsigned r = recurse_on_stack(4 * KSTACK_SIZE / 256);
	printk("test: FAILED: four stacks' worth of recursion without a fault (%u)\n", r);
}

/* The kernel-table walk (mm/mmu.c) must catch a page executable by EL1
 * outside the text, or by EL0 anywhere: one mapped so in the last guard of
 * the kernel-stack area, which nothing else ever maps. */
static void map_bad_kernel_page(uint64_t prot)
{
	uint64_t va = KSTACK_AREA_BASE + KSTACK_AREA_SIZE - 2 * KSTACK_SIZE;
	phys_addr_t pa = alloc_pages(0);

	mmu_check_kernel_tables();
	printk("test: the kernel tables pass; mapping %lx with prot %lx\n", (unsigned long)va,
	       (unsigned long)prot);
	if (!pa || mmu_map_kernel_pages(va, pa, PAGE_SIZE, prot) < 0)
		panic("test: no page to map");
	mmu_check_kernel_tables();
	printk("test: FAILED: the kernel-table check missed an executable page\n");
}

static void __attribute__((noinline)) test_kernel_exec(void)
{
	map_bad_kernel_page(PROT_KERNEL_RX);
}

/* Read-only kernel data without UXN (the hardware bit, on purpose). */
static void __attribute__((noinline)) test_kernel_el0_exec(void)
{
	map_bad_kernel_page(PROT_KERNEL_RO & ~PTE_UXN);
}

/* vm_check must catch a user page the kernel could execute: a sound one
 * installed, then its PXN bit cleared (the hardware bit, on purpose). */
static void __attribute__((noinline)) test_user_pxn(void)
{
	struct rlimits_view lim = { UINT64_MAX, UINT64_MAX };
	struct mm *mm = vm_create();
	phys_addr_t pa = alloc_pages(0);
	long addr;

	if (!mm || !pa ||
	    (addr = vm_mmap(mm, 0, PAGE_SIZE, PROT_READ | PROT_EXEC, 0x22 /* private|anon */,
			    NULL, 0, 0, &lim)) < 0)
		panic("test=user-pxn: no address space");
	uvm_install(mm, (uint64_t)addr, pa, PROT_READ | PROT_EXEC, false);
	vm_check(mm);
	printk("test: vm_check passes a user page; clearing its PXN at %lx\n", (unsigned long)addr);
	*uvm_pte(mm, (uint64_t)addr) &= ~PTE_PXN;
	vm_check(mm);
	printk("test: FAILED: vm_check missed a user page without PXN\n");
}

static void __attribute__((noinline)) test_boot_stack_overflow(void)
{
	printk("test: recursing on the boot stack until it overflows\n");
	unsigned r = recurse_on_stack(4 * KSTACK_SIZE / 256);
	printk("test: FAILED: four stacks' worth of recursion without a fault (%u)\n", r);
}

static const struct {
	const char *name;
	void (*run)(void);
	enum ktest_phase phase;
} tests[] = {
	{ "kheap-exhaust", test_kheap_exhaust, KTEST_EARLY },
	{ "write-text", test_write_text, KTEST_EARLY },
	{ "double-free", test_double_free, KTEST_EARLY },
	{ "panic", test_panic, KTEST_EARLY },
	{ "bench-alloc", bench_alloc, KTEST_EARLY },
	{ "vm-check", test_vm_check, KTEST_EARLY },
	{ "stack-smash", test_stack_smash, KTEST_EARLY },
	{ "stack-canary", test_stack_canary, KTEST_EARLY },
	{ "stack-overflow", test_stack_overflow, KTEST_TASK },
	{ "kernel-exec", test_kernel_exec, KTEST_SMP },
	{ "kernel-el0-exec", test_kernel_el0_exec, KTEST_SMP },
	{ "boot-stack-overflow", test_boot_stack_overflow, KTEST_SMP },
	{ "user-pxn", test_user_pxn, KTEST_EARLY },
	{ "smp-panic", test_smp_panic, KTEST_SMP },
	{ "lock-order", test_lock_order, KTEST_SMP },
};

void run_kernel_test(const char *name, enum ktest_phase phase)
{
	for (size_t i = 0; i < ARRAY_SIZE(tests); i++)
		if (strcmp(name, tests[i].name) == 0) {
			if (tests[i].phase == phase)
				tests[i].run();
			return;
		}
	if (phase == KTEST_EARLY)
		printk("test=%s: no such kernel test\n", name);
}

static const char *task_test;

/* The first process's first instructions when a test runs in it. */
static void __attribute__((noreturn)) task_test_entry(void)
{
	run_kernel_test(task_test, KTEST_TASK);
	panic("test=%s: returned in the first process", task_test);
}

void run_kernel_test_in_task(const char *name, struct proc *p)
{
	for (size_t i = 0; i < ARRAY_SIZE(tests); i++)
		if (strcmp(name, tests[i].name) == 0 && tests[i].phase == KTEST_TASK) {
			task_test = name;
			p->ctx.lr = (uint64_t)task_test_entry;
		}
}
