/*
 * The allocation sites as files (mm/alloc_site.h): /proc/kheapinfo, who
 * holds the kernel heap, and /proc/allocsites, every site the kernel has
 * with the failures injected there (what the fail-nth sweeps count).
 */
#include "fs/proc/internal.h"
#include "mm/alloc_site.h"
#include "mm/kalloc.h"
#include "mm/kheap.h"
#include "lib/uapi/errno.h"

static void put_site(struct seq *s, const struct alloc_site *site, unsigned tag)
{
	if (site)
		seq_printf(s, "%s (%s:%u)\n", site->func, site->file, (unsigned)site->line);
	else
		seq_puts(s, tag ? "(sites past the last tag)\n" : "(untagged)\n");
}

/* The heap's totals, then every holder, most bytes first. */
int proc_show_kheapinfo(struct seq *s, long id)
{
	struct kheap_stats h;
	struct alloc_holder *top = kalloc(KHEAP_TAGS * sizeof(*top));

	(void)id;
	if (!top)
		return -ENOMEM;
	kheap_stats(&h);
	size_t n = alloc_heap_holders(top, KHEAP_TAGS);
	seq_printf(s, "total %lu used %lu free %lu largest_free %lu live %lu\n",
		   (unsigned long)h.total, (unsigned long)h.used, (unsigned long)h.free,
		   (unsigned long)h.largest_free, (unsigned long)h.live);
	seq_puts(s, "   bytes objects site\n");
	for (size_t i = 0; i < n; i++) {
		seq_printf(s, "%8lu %7lu ", (unsigned long)top[i].bytes, (unsigned long)top[i].count);
		put_site(s, top[i].site, top[i].tag);
	}
	kfree(top);
	return 0;
}

/* A summary line, then one line per site in link order. */
int proc_show_allocsites(struct seq *s, long id)
{
	size_t n = alloc_sites_count(), injectable = 0, failed = 0;

	(void)id;
	for (size_t i = 0; i < n; i++) {
		const struct alloc_site *site = alloc_site_at(i);
		if (alloc_kind_injectable(site->kind)) {
			injectable++;
			failed += site->injected != 0;
		}
	}
	seq_printf(s, "sites %lu injectable %lu failed %lu\n", (unsigned long)n,
		   (unsigned long)injectable, (unsigned long)failed);
	seq_puts(s, "kind   failed objects site\n");
	for (size_t i = 0; i < n; i++) {
		const struct alloc_site *site = alloc_site_at(i);
		struct kheap_owner o = { 0, 0 };
		if (site->tag && alloc_site_of_tag(site->tag) == site)
			kheap_owner(site->tag, &o);
		seq_printf(s, "%-5s %7lu %7lu ", alloc_kind_name(site->kind),
			   (unsigned long)site->injected, (unsigned long)o.count);
		put_site(s, site, site->tag);
	}
	return 0;
}
