/* How a run ends: init's exit, with the memory balance a reader can check. */
#include "kernel/run_end.h"
#include "lib/printk.h"
#include "kernel/panic.h"
#include "kernel/tick.h"
#include "mm/page_alloc.h"
#include "mm/commit.h"
#include "mm/kheap.h"

static uint64_t free_at_start, commit_at_start;
static size_t kheap_at_start;

void run_end_note_start(void)
{
	struct page_stats st;
	struct kheap_stats h;

	page_alloc_stats(&st);
	kheap_stats(&h);
	free_at_start = st.free_pages;
	commit_at_start = commit_used();
	kheap_at_start = h.used;
}

void run_end_init_exited(int wait_status)
{
	struct page_stats st;
	struct kheap_stats h;
	int status;

	if ((wait_status & 0x7f) == 0) {
		status = (wait_status >> 8) & 0xff;
		printk("init exited with status %d\n", status);
	} else {
		status = 128 + (wait_status & 0x7f);
		printk("init killed by signal %d\n", wait_status & 0x7f);
	}
	/* init's own address space is gone; its kernel stack is all it holds. */
	page_alloc_stats(&st);
	kheap_stats(&h);
	printk("Memory balance: %lu free pages (%lu before init), %lu pages committed "
	       "(%lu before init), kernel heap %lu bytes used (%lu before init)\n",
	       (unsigned long)st.free_pages, (unsigned long)free_at_start,
	       (unsigned long)commit_used(), (unsigned long)commit_at_start,
	       (unsigned long)h.used, (unsigned long)kheap_at_start);
	uint64_t idle_ms, wakeups;
	tick_idle_stats(&idle_ms, &wakeups);
	printk("CPU idle: %lu ms in %lu wake-ups\n", (unsigned long)idle_ms,
	       (unsigned long)wakeups);
	printk("Bramble: run complete\n");
	kprintf("System halted.\n");
	halt_system(status);
}
