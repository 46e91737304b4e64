/*
 * The page allocator over the memory maps of the real Debian DTBs, the way
 * boot builds them: DT memory minus /memreserve/, /reserved-memory, a kernel
 * image, the DTB and an initrd. Every page is allocated, checked against the
 * reservations, and freed; the allocator must return to its initial state.
 * Usage: test_mm_dtb DTB_DIR
 */
#include "boot/boot_info.h"
#include "mm/memmap.h"
#include "mm/page_alloc.h"
#include "tests/host/check.h"
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RANGES 64

static int bug_calls;

void page_alloc_bug(const char *what, phys_addr_t pa)
{
	(void)what;
	(void)pa;
	bug_calls++;
}

static void *load(const char *dir, const char *name, size_t extra, size_t *size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = calloc(1, n + extra);
	if (fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = n + extra;
	return buf;
}

/* What the Pi 4 firmware writes into /memory on a 4 GiB board. */
static void fill_pi4_memory(void *fdt)
{
	fdt32_t reg[] = {
		cpu_to_fdt32(0), cpu_to_fdt32(0), cpu_to_fdt32(0x3b400000),
		cpu_to_fdt32(0), cpu_to_fdt32(0x40000000), cpu_to_fdt32(0xbc000000),
		cpu_to_fdt32(1), cpu_to_fdt32(0), cpu_to_fdt32(0x80000000),
	};
	int node = fdt_path_offset(fdt, "/memory@0");
	if (node < 0 || fdt_setprop(fdt, node, "reg", reg, sizeof(reg)) < 0)
		abort();
}

static bool overlaps(uint64_t a, uint64_t alen, const struct phys_range *r)
{
	return a < r->base + r->size && r->base < a + alen;
}

/* Allocates every page, checks each against the reservations, frees all. */
static void exercise(const char *name, const struct boot_info *bi,
		     const struct phys_range *rsv, int nrsv)
{
	struct phys_range usable[MAX_RANGES];
	char what[128];
	int n = memmap_subtract(bi->mem, bi->nmem, rsv, nrsv, usable, MAX_RANGES);

	snprintf(what, sizeof(what), "mm-dtb.%s.subtract", name);
	if (!check(n > 0, what, "memmap_subtract returned %d", n))
		return;
	size_t meta_size = page_alloc_meta_size(usable, n);
	void *meta = malloc(meta_size);
	snprintf(what, sizeof(what), "mm-dtb.%s.init", name);
	if (!check(page_alloc_init(usable, n, meta, meta_size) == 0, what, "init failed")) {
		free(meta);
		return;
	}
	struct page_stats before, after;
	page_alloc_stats(&before);
	uint64_t expect = 0;
	for (int i = 0; i < n; i++)
		expect += usable[i].size / PAGE_SIZE;
	if (usable[0].base == 0)
		expect--;   /* page 0 is never handed out */
	snprintf(what, sizeof(what), "mm-dtb.%s.total", name);
	check(before.total_pages == expect, what, "%lu pages, expected %lu",
	      (unsigned long)before.total_pages, (unsigned long)expect);

	/* Mixed orders, until exhaustion. */
	phys_addr_t *blocks = malloc(sizeof(*blocks) * (before.total_pages + 1));
	unsigned *orders = malloc(sizeof(*orders) * (before.total_pages + 1));
	uint64_t nb = 0, pages = 0, bad = 0;
	for (unsigned order = PAGE_MAX_ORDER + 1; order-- > 0;) {
		phys_addr_t pa;
		while ((pa = alloc_pages(order))) {
			uint64_t len = PAGE_SIZE << order;
			for (int r = 0; r < nrsv; r++)
				bad += overlaps(pa, len, &rsv[r]);
			bad += pa % len != 0;
			blocks[nb] = pa;
			orders[nb++] = order;
			pages += 1UL << order;
		}
	}
	snprintf(what, sizeof(what), "mm-dtb.%s.no-reserved-page", name);
	check(bad == 0, what, "%lu blocks overlap a reservation or are misaligned", (unsigned long)bad);
	snprintf(what, sizeof(what), "mm-dtb.%s.exhausts-exactly", name);
	check(pages == before.total_pages && alloc_pages(0) == 0, what,
	      "handed out %lu of %lu pages", (unsigned long)pages, (unsigned long)before.total_pages);
	for (uint64_t i = nb; i-- > 0;)
		free_pages(blocks[i], orders[i]);
	page_alloc_stats(&after);
	snprintf(what, sizeof(what), "mm-dtb.%s.restored", name);
	check(memcmp(&before, &after, sizeof(before)) == 0 && bug_calls == 0, what,
	      "free %lu vs %lu after freeing everything", (unsigned long)after.free_pages,
	      (unsigned long)before.free_pages);
	free(blocks);
	free(orders);
	free(meta);
}

static void board(const char *dir, const char *file, bool pi4)
{
	size_t size;
	void *fdt = load(dir, file, 4096, &size);
	struct boot_info bi;
	const char *err = NULL;
	char what[128];

	snprintf(what, sizeof(what), "mm-dtb.%s.load", file);
	if (!check(fdt && fdt_open_into(fdt, fdt, (int)size) == 0, what, "cannot load"))
		return;
	if (pi4)
		fill_pi4_memory(fdt);
	snprintf(what, sizeof(what), "mm-dtb.%s.parse", file);
	if (!check(dt_parse(fdt, size, 0x2600000, &bi, &err) == 0, what, "%s", err)) {
		free(fdt);
		return;
	}
	/* Boot's reservations: the DT's, then the image, the DTB and an initrd. */
	struct phys_range rsv[BI_MAX_RSV + 3];
	int nrsv = 0;
	for (int i = 0; i < bi.nrsv; i++)
		rsv[nrsv++] = bi.rsv[i];
	rsv[nrsv++] = (struct phys_range){ 0x80000, 0x61000 };       /* kernel image */
	rsv[nrsv++] = (struct phys_range){ 0x2600000, bi.dtb_size };  /* the DTB */
	rsv[nrsv++] = (struct phys_range){ 0x2700000, 0x6b9c00 };     /* an initrd */
	exercise(file, &bi, rsv, nrsv);
	free(fdt);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "build/dtb";

	board(dir, "bcm2837-rpi-3-b.dtb", false);
	board(dir, "bcm2837-rpi-3-b-plus.dtb", false);
	board(dir, "bcm2837-rpi-3-a-plus.dtb", false);
	board(dir, "bcm2711-rpi-4-b.dtb", true);
	return check_exit_status();
}
