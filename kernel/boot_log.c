/* What the kernel prints about the machine at boot. */
#include "kernel/boot_log.h"
#include "lib/printk.h"
#include "kernel/console.h"
#include "kernel/version.h"

static void log_range(const char *what, const struct phys_range *r)
{
	printk("  %s [0x%08lx-0x%08lx] %lu KiB\n", what, (unsigned long)r->base,
	       (unsigned long)(r->base + r->size - 1), (unsigned long)(r->size >> 10));
}

static const char *dev_name(const struct dev_info *d)
{
	return d->found ? d->compatible : "none";
}

void log_boot_info(const struct boot_info *bi, unsigned entry_el)
{
	printk("Bramble %s (%s) on %s\n", BRAMBLE_VERSION, BRAMBLE_GIT_SHA,
	       bi->model[0] ? bi->model : "an unnamed board");
	printk("Entered at EL%u, running at EL1\n", entry_el);
	printk("DTB at 0x%lx, %u bytes\n", (unsigned long)bi->dtb_phys, bi->dtb_size);
	printk("Memory ranges:\n");
	for (int i = 0; i < bi->nmem; i++)
		log_range("memory  ", &bi->mem[i]);
	printk("Reserved ranges:\n");
	for (int i = 0; i < bi->nrsv; i++)
		log_range("reserved", &bi->rsv[i]);
	printk("Command line: %s\n", bi->bootargs);
	if (bi->initrd_end > bi->initrd_start)
		printk("Initrd: [0x%08lx-0x%08lx] %lu bytes\n", (unsigned long)bi->initrd_start,
		       (unsigned long)bi->initrd_end - 1,
		       (unsigned long)(bi->initrd_end - bi->initrd_start));
	else
		printk("Initrd: none\n");
	printk("Interrupt controller: %s at 0x%lx\n", dev_name(&bi->intc),
	       (unsigned long)bi->intc.phys);
	printk("Timer: %s, %lu Hz\n", dev_name(&bi->timer), (unsigned long)timer_freq());
}
