/* Parking the secondary CPUs (see kernel/smp.h). */
#include "kernel/smp.h"
#include "kernel/cpu.h"
#include "lib/printk.h"
#include "mm/mmu.h"

extern char secondary_park[];

static bool in_ram(const struct boot_info *bi, phys_addr_t pa)
{
	for (int i = 0; i < bi->nmem; i++)
		if (pa >= bi->mem[i].base && pa + 8 <= bi->mem[i].base + bi->mem[i].size)
			return true;
	return false;
}

void smp_park_secondaries(const struct boot_info *bi)
{
	uint64_t self = cpu_mpidr(), entry = kimage_to_phys(secondary_park);
	int n = 0;

	for (int i = 0; i < bi->nspin_cpu; i++) {
		phys_addr_t rel = bi->spin_cpu[i].release;
		if (bi->spin_cpu[i].mpidr == self || (rel & 7) || !in_ram(bi, rel))
			continue;
		volatile uint64_t *slot = phys_to_virt(rel);
		*slot = entry;
		cpu_clean_line_and_sev((const void *)slot);
		n++;
	}
	if (n)
		printk("Secondary CPUs: %d parked in WFI\n", n);
}
