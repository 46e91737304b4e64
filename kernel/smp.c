/*
 * Bringing up the other CPUs, and the messages between CPUs (kernel/smp.h).
 *
 * Bring-up is one CPU at a time. The boot CPU allocates the next one's idle
 * stack, puts it and the CPU's struct cpu in secondary_data, and releases
 * the CPU by the device tree's enable-method:
 *   spin-table  write the physical address of secondary_entry (boot/start.S)
 *               to its cpu-release-addr, clean the line to the point of
 *               coherency (the CPU polls it with caches off), then SEV;
 *   psci        PSCI CPU_ON(mpidr, secondary_entry) through /psci's conduit.
 * The CPU drops to EL1 as the boot CPU did, turns the MMU on with the
 * kernel's tables, reads secondary_data (now coherent), marks itself online
 * and waits for the kernel lock; the boot CPU waits for that mark (at most
 * BRINGUP_TIMEOUT_MS), logs the result and starts the next. A CPU that does
 * not come up is logged and left out; a late one finds its start claimed
 * (claim_start) and parks.
 */
#include "kernel/smp.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/cpu.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/tick.h"
#include "lib/printk.h"
#include "kernel/panic.h"
#include "mm/mmu.h"
#include "mm/kalloc.h"
#include "kernel/kstack.h"
#include "mm/vm.h"
#include "arch/arm64/psci.h"

#define BRINGUP_TIMEOUT_MS 1000
#define STOP_TIMEOUT_MS 100
#define CALL_TIMEOUT_MS 1000

struct cpu cpus[NR_CPUS];
int nr_cpus_online = 1;

struct secondary_boot secondary_data;

extern char secondary_entry[], secondary_park[];
void secondary_start(struct cpu *c) __attribute__((noreturn));

uint64_t cpu_online_mask(void)
{
	return nr_cpus_online >= 64 ? ~0ULL : (1ULL << nr_cpus_online) - 1;
}

void smp_init_boot_cpu(uint64_t mpidr)
{
	struct cpu *c = &cpus[0];

	c->id = 0;
	c->mpidr = mpidr;
	c->online = true;
	c->started_by = "boot";
	arch_set_this_cpu(c);
	arch_set_current_task(0);
}

static bool in_ram(const struct boot_info *bi, phys_addr_t pa)
{
	for (int i = 0; i < bi->nmem; i++)
		if (pa >= bi->mem[i].base && pa + 8 <= bi->mem[i].base + bi->mem[i].size)
			return true;
	return false;
}

static const char *psci_error(int64_t r)
{
	switch (r) {
	case PSCI_RET_NOT_SUPPORTED:  return "not supported";
	case PSCI_RET_INVALID_PARAMS: return "invalid parameters";
	case PSCI_RET_DENIED:         return "denied";
	case PSCI_RET_ALREADY_ON:     return "already on";
	case PSCI_RET_ON_PENDING:     return "on pending";
	case PSCI_RET_INVALID_ADDRESS: return "invalid address";
	default:                      return "internal failure";
	}
}

/* Sends a spin-table CPU to entry: its release slot written, the line
 * cleaned to the point of coherency (it polls with caches off), SEV.
 * False when the DT gives it no usable slot. */
static bool spin_table_send(const struct boot_info *bi, const struct cpu_info *ci,
			    phys_addr_t entry)
{
	if (ci->method != CPU_ENABLE_SPIN_TABLE || !ci->release || (ci->release & 7) ||
	    !in_ram(bi, ci->release))
		return false;
	volatile uint64_t *slot = phys_to_virt(ci->release);
	*slot = entry;
	cpu_clean_line_and_sev((const void *)slot);
	return true;
}

/* Releases one CPU toward secondary_entry; NULL, or why it cannot be. */
static const char *release_cpu(const struct boot_info *bi, const struct cpu_info *ci)
{
	phys_addr_t entry = kimage_to_phys(secondary_entry);

	if (ci->method == CPU_ENABLE_SPIN_TABLE)
		return spin_table_send(bi, ci, entry) ? NULL : "no usable cpu-release-addr";
	if (ci->method == CPU_ENABLE_PSCI) {
		int64_t r;
		if (bi->psci == PSCI_HVC)
			r = psci_call_hvc(PSCI_0_2_FN64_CPU_ON, ci->mpidr, entry, 0);
		else if (bi->psci == PSCI_SMC)
			r = psci_call_smc(PSCI_0_2_FN64_CPU_ON, ci->mpidr, entry, 0);
		else
			return "enable-method psci, but no /psci conduit";
		return r == PSCI_RET_SUCCESS ? NULL : psci_error(r);
	}
	return "no enable-method Bramble knows";
}

/*
 * A spin-table CPU left out (maxcpus=, nosmp) goes from the firmware's
 * WFE loop to secondary_park's WFI (boot/start.S): under QEMU's TCG a WFE
 * loop runs (WFE is a yield), and would cost every other CPU's time.
 */
static void park_cpu(const struct boot_info *bi, const struct cpu_info *ci)
{
	spin_table_send(bi, ci, kimage_to_phys(secondary_park));
}

/*
 * The start belongs to whoever takes secondary_data.cpu first: the CPU
 * itself (secondary_start), or the boot CPU giving up (cancel_start). A CPU
 * that comes too late finds it taken and parks, and never shares a struct
 * cpu with the next one.
 */
static bool claim_start(struct cpu *c)
{
	struct cpu *expect = c;

	return __atomic_compare_exchange_n(&secondary_data.cpu, &expect, NULL, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* False: cancelled; true: the CPU had claimed its start, and comes. */
static bool cancel_start(struct cpu *c)
{
	if (claim_start(c)) {
		dc_civac(&secondary_data);   /* a CPU with caches off reads it too */
		dsb(sy);
		return false;
	}
	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE))
		wfe();
	return true;
}

static bool wait_online(struct cpu *c)
{
	uint64_t t0 = timer_count(), limit = timer_freq() / 1000 * BRINGUP_TIMEOUT_MS;

	/* WFE: the starter's SEV, or the event stream, ends it; under QEMU's
	 * TCG it is a yield, which lets the starting vCPU run. */
	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
		if (timer_count() - t0 > limit)
			return false;
		wfe();
	}
	return true;
}

static const char *method_name(enum cpu_enable m)
{
	return m == CPU_ENABLE_SPIN_TABLE ? "spin-table" : m == CPU_ENABLE_PSCI ? "psci" : "none";
}

static void boot_one(const struct boot_info *bi, const struct cpu_info *ci)
{
	struct cpu *c = &cpus[nr_cpus_online];
	void *stack = kstack_alloc();
	const char *why;

	if (!stack) {
		printk("CPU (MPIDR 0x%lx): no memory for its stack; left out\n",
		       (unsigned long)ci->mpidr);
		return;
	}
	c->id = nr_cpus_online;
	c->mpidr = ci->mpidr;
	c->started_by = method_name(ci->method);
	kernel_lock_live = true;   /* from now on two CPUs may enter the kernel */
	secondary_data.ttbr1 = mmu_kernel_root_phys();
	secondary_data.stack_top = (uint64_t)stack + KSTACK_SIZE;
	secondary_data.mpidr = ci->mpidr;
	secondary_data.cpu = c;
	dc_civac(&secondary_data);   /* read with the MMU and caches off */
	dsb(sy);
	c->online = false;
	why = release_cpu(bi, ci);
	if (!why && !wait_online(c) && !cancel_start(c))
		why = "did not come up in time";
	if (why) {
		printk("CPU%d: MPIDR 0x%lx (%s): failed, %s; going on without it\n", c->id,
		       (unsigned long)ci->mpidr, c->started_by, why);
		/* The stack stays allocated: a CPU that is late may still be on it. */
		return;
	}
	nr_cpus_online++;
	printk("CPU%d: MPIDR 0x%lx, started by %s\n", c->id, (unsigned long)ci->mpidr,
	       c->started_by);
}

void smp_boot_secondaries(const struct boot_info *bi, int max_cpus)
{
	uint64_t self = cpus[0].mpidr;

	printk("CPU0: MPIDR 0x%lx, the boot CPU\n", (unsigned long)self);
	for (int i = 0; i < bi->ncpu && nr_cpus_online < NR_CPUS; i++) {
		if (bi->cpu[i].mpidr == self)
			continue;
		if (nr_cpus_online >= max_cpus) {
			park_cpu(bi, &bi->cpu[i]);
			printk("CPU (MPIDR 0x%lx): not started (maxcpus=%d)\n",
			       (unsigned long)bi->cpu[i].mpidr, max_cpus);
			continue;
		}
		boot_one(bi, &bi->cpu[i]);
	}
	printk("SMP: %d CPU%s online\n", nr_cpus_online, nr_cpus_online == 1 ? "" : "s");
}

/* The C side of secondary_entry: MMU on, on its idle stack, TPIDR_EL1 set. */
void secondary_start(struct cpu *c)
{
	/* Too late (the boot CPU gave up on it): this CPU parks. */
	if (!claim_start(c))
		for (;;)
			cpu_wait_for_interrupt();
	arch_set_current_task(0);
	vm_activate(NULL);
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
	tick_arm_while_spinning();
	lock_kernel();
	tick_init_cpu();
	cpu_idle_loop();
}

/* ---- messages ------------------------------------------------------------- */

static void (*volatile call_fn)(void *);
static void *volatile call_arg;
static volatile int call_waiting;   /* CPUs that have yet to run call_fn */
static volatile int stopping_cpu = -1;

void smp_send(int cpu, enum ipi_message m)
{
	__atomic_fetch_or(&cpus[cpu].ipi_pending, 1u << m, __ATOMIC_RELEASE);
	dsb(ishst);   /* the message is visible before the interrupt is */
	tick_send_ipi(1u << (cpus[cpu].mpidr & 0xff));
}

void smp_kick_idle(uint64_t mask)
{
	int self = smp_processor_id();

	for (int i = 0; i < nr_cpus_online; i++)
		if (i != self && (mask >> i & 1) && cpus[i].idle) {
			cpus[i].idle = false;   /* claimed: the next kick goes elsewhere */
			smp_send(i, IPI_RESCHEDULE);
			return;
		}
}

void smp_stop_self(void)
{
	struct cpu *c = this_cpu();

	c->stopped_running = c->curr;
	__atomic_store_n(&c->stopped, true, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
	for (;;)
		cpu_wait_for_interrupt();
}

/* The messages that need no lock: a stop, and a function call. */
static void handle_unlocked(uint32_t bits)
{
	if (bits & (1u << IPI_STOP))
		smp_stop_self();
	if (bits & (1u << IPI_CALL_FUNC)) {
		call_fn(call_arg);
		__atomic_fetch_sub(&call_waiting, 1, __ATOMIC_RELEASE);
		sev();
	}
}

void smp_poll_while_spinning(void)
{
	struct cpu *c = this_cpu();
	const uint32_t unlocked = (1u << IPI_STOP) | (1u << IPI_CALL_FUNC);

	if (stopping_cpu >= 0 && stopping_cpu != c->id)
		smp_stop_self();
	if (c->ipi_pending & unlocked)
		handle_unlocked(__atomic_fetch_and(&c->ipi_pending, ~unlocked, __ATOMIC_ACQUIRE) &
				unlocked);
}

uint32_t smp_handle_ipi(void)
{
	uint32_t bits = __atomic_exchange_n(&this_cpu()->ipi_pending, 0, __ATOMIC_ACQUIRE);

	handle_unlocked(bits);
	return bits & ((1u << IPI_RESCHEDULE) | (1u << IPI_TIMER));
}

static bool wait_until_zero(volatile int *n, uint64_t ms)
{
	uint64_t t0 = timer_count(), limit = timer_freq() / 1000 * ms;

	while (__atomic_load_n(n, __ATOMIC_ACQUIRE) > 0) {
		if (timer_count() - t0 > limit)
			return false;
		wfe();
		smp_poll_while_spinning();   /* a panic elsewhere stops this CPU too */
	}
	return true;
}

void smp_call_others_nowait(void (*fn)(void *), void *arg)
{
	int self = smp_processor_id(), n = 0;

	assert_kernel_locked();   /* one call at a time */
	call_fn = fn;
	call_arg = arg;
	for (int i = 0; i < nr_cpus_online; i++)
		n += i != self && !cpus[i].stopped;
	call_waiting = n;
	for (int i = 0; i < nr_cpus_online; i++)
		if (i != self && !cpus[i].stopped)
			smp_send(i, IPI_CALL_FUNC);
}

void smp_call_others(void (*fn)(void *), void *arg)
{
	smp_call_others_nowait(fn, arg);
	if (!wait_until_zero(&call_waiting, CALL_TIMEOUT_MS))
		panic("smp: %d CPU(s) did not answer a function call", call_waiting);
}

/* ---- panics ---------------------------------------------------------------- */

void smp_stop_others(void)
{
	int self = smp_processor_id(), n = 0;
	static volatile int running;

	stopping_cpu = self;
	for (int i = 0; i < nr_cpus_online; i++)
		if (i != self && !cpus[i].stopped) {
			n++;
			smp_send(i, IPI_STOP);
		}
	sev();   /* lock waiters look again */
	running = n;
	for (uint64_t t0 = timer_count(); running > 0 &&
	     timer_count() - t0 < timer_freq() / 1000 * STOP_TIMEOUT_MS;) {
		/* No WFE here: the CPUs stopped in WFI arm no timer, and QEMU's
		 * -icount round robin never reruns a WFE that yields then. */
		running = 0;
		for (int i = 0; i < nr_cpus_online; i++)
			running += i != self && !cpus[i].stopped;
	}
}

static void print_task(const char *what, const struct proc *p)
{
	if (p)
		kprintf("%s pid %d \"%s\"\n", what, p->pid, p->name);
	else
		kprintf("%s nothing (idle)\n", what);
}

void smp_dump_cpus(void)
{
	int self = smp_processor_id();

	for (int i = 0; i < nr_cpus_online; i++) {
		struct cpu *c = &cpus[i];
		kprintf("  CPU%d (MPIDR 0x%lx): ", i, (unsigned long)c->mpidr);
		if (i == self)
			print_task("panicked, running", c->curr);
		else if (c->stopped)
			print_task("stopped, was running", c->stopped_running);
		else
			print_task("did not stop; last ran", c->curr);
	}
}
