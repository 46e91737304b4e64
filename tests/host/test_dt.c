/*
 * Host tests for boot/dt.c: the four Debian Raspberry Pi DTBs as shipped,
 * firmware-like and QEMU-like edits of them made with libfdt, and corrupt
 * blobs. Every blob dt_parse sees sits at the very end of an mmap'd region
 * followed by a PROT_NONE page, so a read past max_size (rounded up to 8)
 * crashes the test instead of passing silently.
 *
 * usage: test_dt <directory holding the .dtb files>
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <libfdt.h>
#include "boot/boot_info.h"
#include "tests/host/check.h"

static const char *dtb_dir;

/* ---- helpers -------------------------------------------------------- */

/* Reads dir/name into a malloc'd buffer, or NULL. */
static void *load_dtb(const char *name, size_t *size)
{
	char path[1024];
	FILE *f;
	long n;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s", dtb_dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* A copy of blob placed so that its 8-rounded end abuts an unmapped page. */
struct guarded {
	unsigned char *map;
	size_t maplen;
	unsigned char *data;
};

static void guard_put(struct guarded *g, const void *blob, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t rounded = (n + 7) & ~(size_t)7;
	size_t body = (rounded + page - 1) / page * page;

	g->maplen = body + page;
	g->map = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->map == MAP_FAILED) {
		perror("mmap");
		exit(125);
	}
	mprotect(g->map + body, page, PROT_NONE);
	g->data = g->map + body - rounded;
	memcpy(g->data, blob, n);
}

static void guard_free(struct guarded *g)
{
	munmap(g->map, g->maplen);
}

/* dt_parse on a guarded copy of the first n bytes of blob, telling it max_size. */
static int parse_sized(const void *blob, size_t n, size_t max_size,
		       struct boot_info *bi, const char **err)
{
	struct guarded g;
	int rc;

	guard_put(&g, blob, n);
	rc = dt_parse(g.data, max_size, 0x2eff0000, bi, err);
	guard_free(&g);
	return rc;
}

static int parse_blob(const void *blob, struct boot_info *bi, const char **err)
{
	return parse_sized(blob, fdt_totalsize(blob), fdt_totalsize(blob), bi, err);
}

/* An editable copy of blob with room to grow; aborts the run on libfdt failure. */
static void *edit_copy(const void *blob)
{
	int size = (int)fdt_totalsize(blob) + 16384;
	void *buf = malloc((size_t)size);

	if (!buf || fdt_open_into(blob, buf, size) != 0) {
		fprintf(stderr, "fdt_open_into failed\n");
		exit(125);
	}
	return buf;
}

/* Applies a libfdt edit and dies loudly if it fails (a broken test, not a dt.c bug). */
static void must(int rc, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "test setup failed: %s: %s\n", what, fdt_strerror(rc));
		exit(125);
	}
}

static int node(void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	must(off, path);
	return off;
}

/* Stores a list of 32-bit cells as a property. */
static void set_cells(void *fdt, const char *path, const char *prop,
		      const uint32_t *cells, int n)
{
	fdt32_t be[32];

	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	must(fdt_setprop(fdt, node(fdt, path), prop, be, n * 4), prop);
}

static void set_str(void *fdt, const char *path, const char *prop, const char *v)
{
	must(fdt_setprop_string(fdt, node(fdt, path), prop, v), prop);
}

static bool err_has(const char *err, const char *word)
{
	return err && strstr(err, word) != NULL;
}

static char name_buf[256];

/* "<board>: <what>" as a test name. */
static const char *tn(const char *board, const char *what)
{
	snprintf(name_buf, sizeof(name_buf), "%s: %s", board, what);
	return name_buf;
}

/* ---- expectations for the shipped blobs ----------------------------- */

struct board {
	const char *file, *tag, *model;
	int nmem;
	struct phys_range mem[3];
	enum uart_kind con_kind;
	uint64_t con_phys;
	const char *con_path;
	uint64_t pl011, mini;
	const char *intc_compat;
	uint64_t intc_phys, intc_size;
	const char *timer_compat;
	const char *tintc_compat;     /* where the timer's interrupts go */
	uint64_t tintc_phys, tintc_phys2;
	uint32_t timer_virq;
};

static const struct board boards[] = {
	{ "bcm2837-rpi-3-b.dtb", "rpi-3-b", "Raspberry Pi 3 Model B",
	  1, { { 0, 0x40000000 } }, UART_MINI, 0x3f215040, "/soc/serial@7e215040",
	  0x3f201000, 0x3f215040, "brcm,bcm2836-armctrl-ic", 0x3f00b200, 0x200,
	  "arm,armv7-timer", "brcm,bcm2836-l1-intc", 0x40000000, 0, 3 },
	{ "bcm2837-rpi-3-b-plus.dtb", "rpi-3-b-plus", "Raspberry Pi 3 Model B+",
	  1, { { 0, 0x40000000 } }, UART_MINI, 0x3f215040, "/soc/serial@7e215040",
	  0x3f201000, 0x3f215040, "brcm,bcm2836-armctrl-ic", 0x3f00b200, 0x200,
	  "arm,armv7-timer", "brcm,bcm2836-l1-intc", 0x40000000, 0, 3 },
	{ "bcm2837-rpi-3-a-plus.dtb", "rpi-3-a-plus", "Raspberry Pi 3 Model A+",
	  1, { { 0, 0x20000000 } }, UART_MINI, 0x3f215040, "/soc/serial@7e215040",
	  0x3f201000, 0x3f215040, "brcm,bcm2836-armctrl-ic", 0x3f00b200, 0x200,
	  "arm,armv7-timer", "brcm,bcm2836-l1-intc", 0x40000000, 0, 3 },
	/* Pi 4: checked after firmware-like memory is written in (raw has reg <0 0 0>) */
	{ "bcm2711-rpi-4-b.dtb", "rpi-4-b+fw", "Raspberry Pi 4 Model B",
	  3, { { 0, 0x3b400000 }, { 0x40000000, 0xbc000000 }, { 0x100000000, 0x80000000 } },
	  UART_MINI, 0xfe215040, "/soc/serial@7e215040",
	  0xfe201000, 0xfe215040, "arm,gic-400", 0xff841000, 0x1000,
	  "arm,armv8-timer", "arm,gic-400", 0xff841000, 0xff842000, 27 },
};

/* Everything a board's parse must report; rsv is checked by the caller. */
static void check_board(const struct board *b, int rc, const char *err,
			const struct boot_info *bi, uint32_t size)
{
	bool mem_ok = bi->nmem == b->nmem;

	if (!check(rc == 0, tn(b->tag, "parse ok"), "rc=%d err=\"%s\"", rc, err))
		return;
	check(bi->dtb_phys == 0x2eff0000 && bi->dtb_size == size, tn(b->tag, "dtb_phys/size"),
	      "phys=%#llx size=%u", (unsigned long long)bi->dtb_phys, bi->dtb_size);
	check(strcmp(bi->model, b->model) == 0, tn(b->tag, "model"), "got \"%s\"", bi->model);
	for (int i = 0; mem_ok && i < b->nmem; i++)
		mem_ok = bi->mem[i].base == b->mem[i].base && bi->mem[i].size == b->mem[i].size;
	check(mem_ok, tn(b->tag, "memory ranges"), "nmem=%d first=%#llx+%#llx", bi->nmem,
	      (unsigned long long)bi->mem[0].base, (unsigned long long)bi->mem[0].size);
	check(bi->console.kind == b->con_kind && bi->console.phys == b->con_phys &&
	      strcmp(bi->console.path, b->con_path) == 0, tn(b->tag, "console from stdout-path"),
	      "kind=%d phys=%#llx path=\"%s\"", bi->console.kind,
	      (unsigned long long)bi->console.phys, bi->console.path);
	check(bi->pl011.kind == UART_PL011 && bi->pl011.phys == b->pl011 &&
	      bi->pl011.size == 0x200 && bi->pl011.clock_hz == 0, tn(b->tag, "pl011"),
	      "kind=%d phys=%#llx size=%#llx clk=%u", bi->pl011.kind,
	      (unsigned long long)bi->pl011.phys, (unsigned long long)bi->pl011.size,
	      bi->pl011.clock_hz);
	check(bi->mini.kind == UART_MINI && bi->mini.phys == b->mini && bi->mini.size == 0x40,
	      tn(b->tag, "mini uart"), "kind=%d phys=%#llx", bi->mini.kind,
	      (unsigned long long)bi->mini.phys);
	check(bi->intc.found && strcmp(bi->intc.compatible, b->intc_compat) == 0 &&
	      bi->intc.phys == b->intc_phys && bi->intc.size == b->intc_size,
	      tn(b->tag, "intc"), "found=%d compat=\"%s\" phys=%#llx size=%#llx",
	      bi->intc.found, bi->intc.compatible, (unsigned long long)bi->intc.phys,
	      (unsigned long long)bi->intc.size);
	check(bi->timer.found && strcmp(bi->timer.compatible, b->timer_compat) == 0 &&
	      bi->timer.phys == 0 && strcmp(bi->timer.path, "/timer") == 0,
	      tn(b->tag, "timer"), "found=%d compat=\"%s\" path=\"%s\"", bi->timer.found,
	      bi->timer.compatible, bi->timer.path);
	check(bi->timer_virq_found && bi->timer_virq == b->timer_virq &&
	      strcmp(bi->timer_intc.compatible, b->tintc_compat) == 0 &&
	      bi->timer_intc.phys == b->tintc_phys && bi->timer_intc.phys2 == b->tintc_phys2,
	      tn(b->tag, "virtual timer interrupt"), "found=%d virq=%u intc=\"%s\" %#llx/%#llx",
	      bi->timer_virq_found, bi->timer_virq, bi->timer_intc.compatible,
	      (unsigned long long)bi->timer_intc.phys, (unsigned long long)bi->timer_intc.phys2);
	check(bi->bootargs[0] == '\0' && bi->initrd_start == 0 && bi->initrd_end == 0,
	      tn(b->tag, "chosen: no bootargs, no initrd"), "bootargs=\"%s\"", bi->bootargs);
	/* The UARTs' interrupts: on a Pi 3 the ARMCTRL's <bank n>, chained to the
	 * local controller's GPU interrupt (8); on a Pi 4 GIC SPIs. */
	const struct irq_info *mq = &bi->mini.irq, *pq = &bi->pl011.irq;
	if (b->timer_virq == 3) {
		check(mq->found && mq->ncells == 2 && mq->cell[0] == 1 && mq->cell[1] == 29 &&
		      strcmp(mq->ctl.compatible, "brcm,bcm2836-armctrl-ic") == 0 &&
		      mq->ctl.phys == 0x3f00b200 && mq->chained &&
		      strcmp(mq->parent.compatible, "brcm,bcm2836-l1-intc") == 0 &&
		      mq->parent.phys == 0x40000000 && mq->parent_irq == 8,
		      tn(b->tag, "mini uart interrupt"), "found=%d cells=%u <%u %u> ctl=\"%s\" "
		      "chained=%d parent=\"%s\" irq %u", mq->found, mq->ncells, mq->cell[0],
		      mq->cell[1], mq->ctl.compatible, mq->chained, mq->parent.compatible,
		      mq->parent_irq);
		check(pq->found && pq->ncells == 2 && pq->cell[0] == 2 && pq->cell[1] == 25 &&
		      pq->chained, tn(b->tag, "pl011 interrupt"), "found=%d <%u %u>", pq->found,
		      pq->cell[0], pq->cell[1]);
	} else {
		check(mq->found && mq->ncells == 3 && mq->cell[0] == 0 && mq->cell[1] == 93 &&
		      strcmp(mq->ctl.compatible, "arm,gic-400") == 0 && !mq->chained,
		      tn(b->tag, "mini uart interrupt"), "found=%d cells=%u <%u %u> ctl=\"%s\" "
		      "chained=%d", mq->found, mq->ncells, mq->cell[0], mq->cell[1],
		      mq->ctl.compatible, mq->chained);
		check(pq->found && pq->ncells == 3 && pq->cell[1] == 121 && !pq->chained,
		      tn(b->tag, "pl011 interrupt"), "found=%d <%u %u>", pq->found, pq->cell[0],
		      pq->cell[1]);
	}
	/* Every Pi parks cores 0-3 on the firmware's spin table at 0xd8. */
	bool spin_ok = bi->ncpu == 4;
	for (int i = 0; spin_ok && i < 4; i++)
		spin_ok = bi->cpu[i].mpidr == (uint64_t)i &&
			  bi->cpu[i].method == CPU_ENABLE_SPIN_TABLE &&
			  bi->cpu[i].release == 0xd8 + 8 * (uint64_t)i;
	check(spin_ok, tn(b->tag, "spin-table cpus"), "n=%d first mpidr=%#llx method=%d release=%#llx",
	      bi->ncpu, (unsigned long long)bi->cpu[0].mpidr, bi->cpu[0].method,
	      (unsigned long long)bi->cpu[0].release);
	check(bi->psci == PSCI_NONE, tn(b->tag, "no psci"), "psci=%d", bi->psci);
}

/* The Pi 3 blobs as shipped: one /memreserve/ (0+0x1000); linux,cma has no reg. */
static void test_pi3_raw(const struct board *b)
{
	struct boot_info bi;
	const char *err;
	size_t n;
	void *blob = load_dtb(b->file, &n);

	if (!check(blob != NULL, tn(b->tag, "load"), "cannot read %s/%s", dtb_dir, b->file))
		return;
	int rc = parse_blob(blob, &bi, &err);
	check_board(b, rc, err, &bi, (uint32_t)n);
	check(rc == 0 && bi.nrsv == 1 && bi.rsv[0].base == 0 && bi.rsv[0].size == 0x1000,
	      tn(b->tag, "reservations"), "nrsv=%d", bi.nrsv);
	free(blob);
}

/* The Pi 4 blob as shipped: /memory@0 reg = <0 0 0> until firmware fills it. */
static void test_pi4(void)
{
	struct boot_info bi;
	const char *err;
	size_t n;
	void *blob = load_dtb("bcm2711-rpi-4-b.dtb", &n);
	const struct board *b = &boards[3];

	if (!check(blob != NULL, "rpi-4-b: load", "cannot read %s", dtb_dir))
		return;
	int rc = parse_blob(blob, &bi, &err);
	check(rc == -1 && err_has(err, "no usable memory"), "rpi-4-b: raw fails with no usable memory",
	      "rc=%d err=\"%s\"", rc, err);

	/* what the firmware does: real RAM (one range above 4 GiB), plus reservations */
	void *fw = edit_copy(blob);
	const uint32_t reg[] = { 0, 0, 0x3b400000, 0, 0x40000000, 0xbc000000, 1, 0, 0x80000000 };
	const uint32_t nv[] = { 0, 0x30000000, 0x1000 };
	const uint32_t rm[] = { 0, 0x20000000, 0x200000 };
	set_cells(fw, "/memory@0", "reg", reg, 9);
	must(fdt_add_mem_rsv(fw, 0x3b300000, 0x100000), "add_mem_rsv");
	set_cells(fw, "/reserved-memory/nvram@0", "reg", nv, 3);  /* stays status disabled */
	must(fdt_add_subnode(fw, node(fw, "/reserved-memory"), "fw@20000000"), "add fw@");
	set_cells(fw, "/reserved-memory/fw@20000000", "reg", rm, 3);
	rc = parse_blob(fw, &bi, &err);
	check_board(b, rc, err, &bi, fdt_totalsize(fw));
	check(rc == 0 && bi.nrsv == 3 &&
	      bi.rsv[0].base == 0 && bi.rsv[0].size == 0x1000 &&
	      bi.rsv[1].base == 0x3b300000 && bi.rsv[1].size == 0x100000 &&
	      bi.rsv[2].base == 0x20000000 && bi.rsv[2].size == 0x200000,
	      "rpi-4-b+fw: memreserve + /reserved-memory (disabled nvram skipped)",
	      "nrsv=%d [1]=%#llx+%#llx [2]=%#llx", bi.nrsv,
	      (unsigned long long)bi.rsv[1].base, (unsigned long long)bi.rsv[1].size,
	      (unsigned long long)bi.rsv[2].base);
	free(fw);
	free(blob);
}

/* ---- edited Pi 3 B blobs --------------------------------------------- */

static void *pi3;  /* the shipped Pi 3 B blob, loaded once */

/* QEMU raspi3b style: its own memory, one memreserve, bootargs, initrd. */
static void test_qemu_like(void)
{
	struct boot_info bi;
	const char *err;
	void *q = edit_copy(pi3);
	const uint32_t mem[] = { 0, 0x3c000000 };
	const uint32_t start32[] = { 0x08000000 };
	const uint32_t end64[] = { 0, 0x08123456 };

	while (fdt_num_mem_rsv(q) > 0)
		must(fdt_del_mem_rsv(q, 0), "del_mem_rsv");
	must(fdt_add_mem_rsv(q, 0, 0x1000), "add_mem_rsv");
	set_cells(q, "/memory@0", "reg", mem, 2);
	set_str(q, "/chosen", "bootargs", "console=ttyAMA0 foo");
	set_cells(q, "/chosen", "linux,initrd-start", start32, 1);  /* 1 cell */
	set_cells(q, "/chosen", "linux,initrd-end", end64, 2);      /* 2 cells */
	int rc = parse_blob(q, &bi, &err);
	check(rc == 0, "qemu-like: parse ok", "rc=%d err=\"%s\"", rc, err);
	check(bi.nmem == 1 && bi.mem[0].base == 0 && bi.mem[0].size == 0x3c000000,
	      "qemu-like: memory 0..0x3c000000", "nmem=%d size=%#llx", bi.nmem,
	      (unsigned long long)bi.mem[0].size);
	check(bi.nrsv == 1 && bi.rsv[0].base == 0 && bi.rsv[0].size == 0x1000,
	      "qemu-like: memreserve 0+0x1000", "nrsv=%d", bi.nrsv);
	check(strcmp(bi.bootargs, "console=ttyAMA0 foo") == 0, "qemu-like: bootargs",
	      "got \"%s\"", bi.bootargs);
	check(bi.initrd_start == 0x08000000 && bi.initrd_end == 0x08123456,
	      "qemu-like: initrd (1-cell start, 2-cell end)", "start=%#llx end=%#llx",
	      (unsigned long long)bi.initrd_start, (unsigned long long)bi.initrd_end);
	check(bi.seed_bytes == 0 && bi.rng_seed == 0, "qemu-like: no random seed",
	      "seed_bytes=%u", bi.seed_bytes);

	/* QEMU virt's seeds: every byte counts, so one changed changes the seed. */
	const uint32_t seed[] = { 0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10 };
	const uint32_t kaslr[] = { 0xdeadbeef, 0x12345678 };
	set_cells(q, "/chosen", "rng-seed", seed, 4);
	set_cells(q, "/chosen", "kaslr-seed", kaslr, 2);
	rc = parse_blob(q, &bi, &err);
	uint64_t first = bi.rng_seed;
	check(rc == 0 && bi.seed_bytes == 24 && first != 0, "qemu-like: rng-seed and kaslr-seed",
	      "rc=%d seed_bytes=%u seed=%#llx", rc, bi.seed_bytes, (unsigned long long)first);
	const uint32_t other[] = { 0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f11 };
	set_cells(q, "/chosen", "rng-seed", other, 4);
	rc = parse_blob(q, &bi, &err);
	check(rc == 0 && bi.rng_seed != first, "qemu-like: another rng-seed, another seed",
	      "seed=%#llx both times", (unsigned long long)first);
	free(q);
}

/* QEMU virt's way: enable-method "psci" and a /psci node naming the conduit;
 * a disabled CPU and one with no known method are kept out or kept unstartable. */
static void test_psci_cpus(void)
{
	struct boot_info bi;
	const char *err;
	void *q = edit_copy(pi3);

	set_str(q, "/cpus/cpu@0", "enable-method", "psci");
	set_str(q, "/cpus/cpu@1", "enable-method", "psci");
	set_str(q, "/cpus/cpu@2", "status", "disabled");
	set_str(q, "/cpus/cpu@3", "enable-method", "acpi-parking");
	must(fdt_add_subnode(q, 0, "psci"), "add /psci");
	set_str(q, "/psci", "method", "hvc");
	int rc = parse_blob(q, &bi, &err);
	check(rc == 0, "psci: parse ok", "rc=%d err=\"%s\"", rc, err);
	check(bi.psci == PSCI_HVC, "psci: conduit hvc", "psci=%d", bi.psci);
	check(bi.ncpu == 3 && bi.cpu[0].method == CPU_ENABLE_PSCI && bi.cpu[1].method == CPU_ENABLE_PSCI &&
	      bi.cpu[1].mpidr == 1 && bi.cpu[2].mpidr == 3 && bi.cpu[2].method == CPU_ENABLE_NONE,
	      "psci: cpus (disabled left out, unknown method kept unstartable)",
	      "n=%d methods %d %d %d", bi.ncpu, bi.cpu[0].method, bi.cpu[1].method, bi.cpu[2].method);
	set_str(q, "/psci", "method", "smc");
	rc = parse_blob(q, &bi, &err);
	check(rc == 0 && bi.psci == PSCI_SMC, "psci: conduit smc", "psci=%d", bi.psci);
	set_str(q, "/psci", "method", "smcx");
	rc = parse_blob(q, &bi, &err);
	check(rc == 0 && bi.psci == PSCI_NONE, "psci: unknown conduit is none", "psci=%d", bi.psci);
	free(q);
}

/* Parses pi3 after one stdout-path edit; returns the console. */
static struct uart_info console_for(const char *prop, const char *value, int *rc)
{
	struct boot_info bi;
	const char *err;
	void *e = edit_copy(pi3);

	if (strcmp(prop, "stdout-path") != 0)
		must(fdt_delprop(e, node(e, "/chosen"), "stdout-path"), "delprop");
	set_str(e, "/chosen", prop, value);
	*rc = parse_blob(e, &bi, &err);
	free(e);
	return bi.console;
}

static void test_stdout_paths(void)
{
	struct uart_info c;
	int rc;

	c = console_for("stdout-path", "/soc/serial@7e201000:115200n8", &rc);
	check(rc == 0 && c.kind == UART_PL011 && c.phys == 0x3f201000,
	      "stdout-path: full path with options", "rc=%d kind=%d phys=%#llx", rc, c.kind,
	      (unsigned long long)c.phys);
	c = console_for("stdout-path", "serial0", &rc);
	check(rc == 0 && c.kind == UART_PL011 && strcmp(c.path, "/soc/serial@7e201000") == 0,
	      "stdout-path: alias without options", "rc=%d kind=%d path=%s", rc, c.kind, c.path);
	c = console_for("linux,stdout-path", "serial1", &rc);
	check(rc == 0 && c.kind == UART_MINI && c.phys == 0x3f215040,
	      "stdout-path: legacy linux,stdout-path", "rc=%d kind=%d", rc, c.kind);
	c = console_for("stdout-path", "serial7:115200", &rc);
	check(rc == 0 && c.kind == UART_NONE, "stdout-path: unknown alias -> NONE, not an error",
	      "rc=%d kind=%d", rc, c.kind);
	c = console_for("stdout-path", "/soc/gpio@7e200000", &rc);
	check(rc == 0 && c.kind == UART_NONE, "stdout-path: non-UART node -> NONE",
	      "rc=%d kind=%d", rc, c.kind);
	c = console_for("stdout-path", "/nonexistent/serial", &rc);
	check(rc == 0 && c.kind == UART_NONE, "stdout-path: missing path -> NONE",
	      "rc=%d kind=%d", rc, c.kind);
}

/* Alias forms: alias/sub/path, and an alias naming another alias. */
static void test_alias_forms(void)
{
	struct boot_info bi;
	const char *err;
	void *e = edit_copy(pi3);

	set_str(e, "/aliases", "mysoc", "/soc");
	set_str(e, "/aliases", "hop", "serial0");
	set_str(e, "/chosen", "stdout-path", "mysoc/serial@7e215040:115200");
	int rc = parse_blob(e, &bi, &err);
	check(rc == 0 && bi.console.kind == UART_MINI && bi.console.phys == 0x3f215040,
	      "stdout-path: alias/sub/path", "rc=%d kind=%d", rc, bi.console.kind);
	set_str(e, "/chosen", "stdout-path", "hop");
	rc = parse_blob(e, &bi, &err);
	check(rc == 0 && bi.console.kind == UART_PL011, "stdout-path: alias -> alias -> path",
	      "rc=%d kind=%d", rc, bi.console.kind);
	free(e);
}

/* A disabled mini UART is not bi->mini, but is still the console if stdout-path says so. */
static void test_disabled_console(void)
{
	struct boot_info bi;
	const char *err;
	void *e = edit_copy(pi3);

	set_str(e, "/soc/serial@7e215040", "status", "disabled");
	int rc = parse_blob(e, &bi, &err);
	check(rc == 0 && bi.console.kind == UART_MINI && bi.console.phys == 0x3f215040 &&
	      bi.mini.kind == UART_NONE && bi.pl011.kind == UART_PL011,
	      "disabled mini uart: still console, not bi->mini",
	      "rc=%d console=%d mini=%d", rc, bi.console.kind, bi.mini.kind);
	free(e);
}

/* A UART or interrupt controller at a misaligned address is not found: a
 * 32-bit access there is an alignment fault (a corrupt reg). */
static void test_misaligned_devices(void)
{
	struct boot_info bi;
	const char *err;
	const uint32_t reg[] = { 0x7e215043, 0x40 }, ic[] = { 0x7e00b203, 0x200 };
	void *e = edit_copy(pi3);

	set_cells(e, "/soc/serial@7e215040", "reg", reg, 2);
	set_cells(e, "/soc/interrupt-controller@7e00b200", "reg", ic, 2);
	int rc = parse_blob(e, &bi, &err);
	check(rc == 0 && bi.console.kind == UART_NONE && bi.mini.kind == UART_NONE &&
	      bi.pl011.kind == UART_PL011 && !bi.pl011.irq.found && !bi.intc.found,
	      "misaligned uart and irq controller dropped",
	      "rc=%d console=%d mini=%d pl011 irq=%d", rc, bi.console.kind, bi.mini.kind,
	      bi.pl011.irq.found);
	free(e);
}

/* clock-frequency is reported; bootargs longer than the buffer are truncated. */
static void test_clock_and_long_bootargs(void)
{
	struct boot_info bi;
	const char *err;
	char longargs[700];
	const uint32_t clk[] = { 48000000 };
	void *e = edit_copy(pi3);

	memset(longargs, 'x', sizeof(longargs) - 1);
	longargs[sizeof(longargs) - 1] = '\0';
	set_cells(e, "/soc/serial@7e201000", "clock-frequency", clk, 1);
	set_str(e, "/chosen", "bootargs", longargs);
	int rc = parse_blob(e, &bi, &err);
	check(rc == 0 && bi.pl011.clock_hz == 48000000, "pl011 clock-frequency",
	      "rc=%d clk=%u", rc, bi.pl011.clock_hz);
	check(rc == 0 && strlen(bi.bootargs) == sizeof(bi.bootargs) - 1,
	      "bootargs truncated to buffer", "len=%zu", strlen(bi.bootargs));
	free(e);
}

/* Adds a chain of depth nested buses under / (identity ranges) ending in a pl011. */
static void add_chain(void *fdt, int depth, char *path, size_t pathsz)
{
	const uint32_t one[] = { 1 };
	const uint32_t reg[] = { 0x1000, 0x100 };
	int off = node(fdt, "/");

	snprintf(path, pathsz, "%s", "");
	for (int i = 0; i < depth; i++) {
		off = fdt_add_subnode(fdt, off, "b");
		must(off, "add chain");
		must(fdt_setprop(fdt, off, "ranges", NULL, 0), "ranges");
		fdt32_t be = cpu_to_fdt32(one[0]);
		must(fdt_setprop(fdt, off, "#address-cells", &be, 4), "ac");
		must(fdt_setprop(fdt, off, "#size-cells", &be, 4), "sc");
		strncat(path, "/b", pathsz - strlen(path) - 1);
	}
	off = fdt_add_subnode(fdt, off, "serial@1000");
	must(off, "add serial");
	must(fdt_setprop_string(fdt, off, "compatible", "arm,pl011"), "compat");
	fdt32_t be[2] = { cpu_to_fdt32(reg[0]), cpu_to_fdt32(reg[1]) };
	must(fdt_setprop(fdt, off, "reg", be, 8), "reg");
	strncat(path, "/serial@1000", pathsz - strlen(path) - 1);
}

/* Address translation walks every parent, with a bound; a parent without ranges stops it. */
static void test_translation_depth(void)
{
	struct boot_info bi;
	const char *err;
	char path[512];
	void *e = edit_copy(pi3);
	int rc;

	add_chain(e, 20, path, sizeof(path));
	set_str(e, "/chosen", "stdout-path", path);
	rc = parse_blob(e, &bi, &err);
	check(rc == 0 && bi.console.kind == UART_PL011 && bi.console.phys == 0x1000,
	      "translate through 20 identity buses", "rc=%d kind=%d phys=%#llx", rc,
	      bi.console.kind, (unsigned long long)bi.console.phys);
	free(e);

	e = edit_copy(pi3);
	add_chain(e, 60, path, sizeof(path));
	set_str(e, "/chosen", "stdout-path", path);
	rc = parse_blob(e, &bi, &err);
	check(rc == 0 && bi.console.kind == UART_NONE && bi.pl011.phys == 0x3f201000,
	      "absurd depth (60): bounded, node untranslatable", "rc=%d kind=%d pl011=%#llx",
	      rc, bi.console.kind, (unsigned long long)bi.pl011.phys);
	free(e);

	e = edit_copy(pi3);
	add_chain(e, 1, path, sizeof(path));
	must(fdt_delprop(e, node(e, "/b"), "ranges"), "delprop ranges");
	set_str(e, "/chosen", "stdout-path", path);
	rc = parse_blob(e, &bi, &err);
	check(rc == 0 && bi.console.kind == UART_NONE, "parent without ranges: untranslatable",
	      "rc=%d kind=%d phys=%#llx", rc, bi.console.kind,
	      (unsigned long long)bi.console.phys);
	free(e);
}

/* Memory by node name only; two-cell sizes; zero-size entries dropped. */
static void test_memory_forms(void)
{
	struct boot_info bi;
	const char *err;
	void *e = edit_copy(pi3);
	const uint32_t two[] = { 2 };
	const uint32_t reg[] = { 0x1000, 0, 0, 0x2000, 1, 0x10000000 };  /* <addr size-hi size-lo> x2 */

	must(fdt_delprop(e, node(e, "/memory@0"), "device_type"), "delprop");
	int rc = parse_blob(e, &bi, &err);
	check(rc == 0 && bi.nmem == 1 && bi.mem[0].size == 0x40000000,
	      "memory found by node name alone", "rc=%d nmem=%d", rc, bi.nmem);
	/* root #size-cells = 2: reg is <addr1 size2> pairs */
	set_cells(e, "/", "#size-cells", two, 1);
	set_cells(e, "/memory@0", "reg", reg, 6);
	rc = parse_blob(e, &bi, &err);
	check(rc == 0 && bi.nmem == 1 && bi.mem[0].base == 0x2000 &&
	      bi.mem[0].size == 0x110000000, "2-cell sizes, zero-size entries dropped",
	      "rc=%d nmem=%d base=%#llx size=%#llx err=%s", rc, bi.nmem,
	      (unsigned long long)bi.mem[0].base, (unsigned long long)bi.mem[0].size, err);
	free(e);
}

/* Reservations can't be silently dropped; bad initrd is reported. */
static void test_limits(void)
{
	struct boot_info bi;
	const char *err;
	void *e = edit_copy(pi3);
	const uint32_t s[] = { 0x9000000 }, en[] = { 0x8000000 };

	for (int i = 0; i < BI_MAX_RSV; i++)
		must(fdt_add_mem_rsv(e, 0x10000000 + (uint64_t)i * 0x1000, 0x1000), "rsv");
	int rc = parse_blob(e, &bi, &err);
	check(rc == -1 && err_has(err, "too many"), "more than BI_MAX_RSV reservations -> error",
	      "rc=%d err=\"%s\"", rc, err);
	free(e);

	e = edit_copy(pi3);
	set_cells(e, "/chosen", "linux,initrd-start", s, 1);
	set_cells(e, "/chosen", "linux,initrd-end", en, 1);
	rc = parse_blob(e, &bi, &err);
	check(rc == -1 && err && err[0], "initrd end before start -> error",
	      "rc=%d err=\"%s\"", rc, err);
	must(fdt_setprop(e, node(e, "/chosen"), "linux,initrd-end", "ab", 3), "setprop");
	rc = parse_blob(e, &bi, &err);
	check(rc == -1 && err && err[0], "initrd-end of 3 bytes -> error",
	      "rc=%d err=\"%s\"", rc, err);
	free(e);
}

/* ---- corrupt blobs --------------------------------------------------- */

/* Expects dt_parse to fail with a non-empty message containing want (if given). */
static void expect_fail(const char *name, const void *blob, size_t n, size_t max,
			const char *want)
{
	struct boot_info bi;
	const char *err = NULL;
	int rc = parse_sized(blob, n, max, &bi, &err);

	check(rc == -1 && err && err[0] && (!want || err_has(err, want)), name,
	      "rc=%d err=\"%s\"", rc, err ? err : "(null)");
}

/* An exact copy of pi3 with the header word at byte offset off set to v. */
static void *with_header(size_t off, uint32_t v)
{
	void *c = malloc(fdt_totalsize(pi3));

	memcpy(c, pi3, fdt_totalsize(pi3));
	fdt32_t be = cpu_to_fdt32(v);
	memcpy((char *)c + off, &be, 4);
	return c;
}

static void test_corrupt(void)
{
	size_t n = fdt_totalsize(pi3);
	struct boot_info bi;
	const char *err;
	void *c;

	expect_fail("corrupt: max_size 0", pi3, n, 0, "truncated");
	expect_fail("corrupt: max_size < header", pi3, n, 16, "truncated");
	expect_fail("corrupt: max_size < totalsize", pi3, n, n - 8, "truncated");

	c = with_header(offsetof(struct fdt_header, totalsize), (uint32_t)n + 4096);
	expect_fail("corrupt: totalsize field > buffer", c, n, n, "truncated");
	free(c);

	c = with_header(offsetof(struct fdt_header, magic), 0xedfe0dd0);
	expect_fail("corrupt: bad magic", c, n, n, "bad magic");
	free(c);

	c = with_header(offsetof(struct fdt_header, version), 99);
	memcpy((char *)c + offsetof(struct fdt_header, last_comp_version),
	       (char *)c + offsetof(struct fdt_header, version), 4);
	expect_fail("corrupt: unsupported version", c, n, n, "version");
	free(c);

	/* pre-v17 layouts are refused (libfdt 1.6.1's fdt_check_full crashed on a fuzzed v9 blob) */
	c = with_header(offsetof(struct fdt_header, version), 9);
	memcpy((char *)c + offsetof(struct fdt_header, last_comp_version), "\0\0\0\3", 4);
	expect_fail("corrupt: old version 9 refused", c, n, n, "version");
	free(c);

	c = with_header(offsetof(struct fdt_header, off_dt_struct), (uint32_t)n + 64);
	expect_fail("corrupt: off_dt_struct past end", c, n, n, NULL);
	free(c);

	c = with_header(offsetof(struct fdt_header, off_dt_struct), fdt_off_dt_struct(pi3) + 4);
	expect_fail("corrupt: off_dt_struct shifted by 4", c, n, n, NULL);
	free(c);

	c = with_header(offsetof(struct fdt_header, off_dt_struct), fdt_off_dt_struct(pi3) + 2);
	expect_fail("corrupt: off_dt_struct misaligned", c, n, n, NULL);
	free(c);

	c = with_header(offsetof(struct fdt_header, off_dt_strings), (uint32_t)n + 64);
	expect_fail("corrupt: off_dt_strings past end", c, n, n, NULL);
	free(c);

	c = with_header(offsetof(struct fdt_header, size_dt_strings), 4);
	expect_fail("corrupt: strings block too small for property names", c, n, n, NULL);
	free(c);

	c = with_header(offsetof(struct fdt_header, size_dt_struct), 64);
	expect_fail("corrupt: structure block cut short", c, n, n, NULL);
	free(c);

	/* overwrite 64 bytes from a node's BEGIN_NODE tag in the middle of the struct block */
	c = edit_copy(pi3);
	int off = node(c, "/soc/serial@7e215040");
	memset((char *)c + fdt_off_dt_struct(c) + off, 0xff, 64);
	expect_fail("corrupt: garbled structure block", c, fdt_totalsize(c), fdt_totalsize(c),
		    "structure");
	free(c);

	/* an unterminated node: END tag where a BEGIN_NODE's END_NODE should be */
	c = edit_copy(pi3);
	fdt32_t end = cpu_to_fdt32(FDT_END);
	must(fdt_pack(c), "pack");
	memcpy((char *)c + fdt_off_dt_struct(c) + fdt_size_dt_struct(c) - 8, &end, 4);
	expect_fail("corrupt: premature FDT_END", c, fdt_totalsize(c), fdt_totalsize(c), NULL);
	free(c);

	/* alias loop: must return, as an error */
	c = edit_copy(pi3);
	set_str(c, "/aliases", "a", "b");
	set_str(c, "/aliases", "b", "a");
	set_str(c, "/chosen", "stdout-path", "a:115200");
	expect_fail("corrupt: alias loop a->b->a", c, fdt_totalsize(c), fdt_totalsize(c), "alias");
	set_str(c, "/aliases", "a", "a");
	expect_fail("corrupt: self-referencing alias", c, fdt_totalsize(c), fdt_totalsize(c),
		    "alias");
	free(c);

	/* an alias value without a terminating NUL must not be read past */
	c = edit_copy(pi3);
	must(fdt_setprop(c, node(c, "/aliases"), "serial1", "/soc/serial@7e215040", 20), "alias");
	int rc = parse_blob(c, &bi, &err);
	check(rc == 0 && bi.console.kind == UART_NONE, "unterminated alias value -> NONE",
	      "rc=%d kind=%d", rc, bi.console.kind);
	free(c);

	/* a misaligned pointer is refused (the kernel faults on unaligned loads early) */
	unsigned char *m = malloc(n + 8);
	memcpy(m + 4, pi3, n);
	rc = dt_parse(m + 4, n, 0, &bi, &err);
	check(rc == -1 && err && err[0], "corrupt: misaligned blob pointer", "rc=%d", rc);
	free(m);

	rc = dt_parse(NULL, 0, 0, &bi, &err);
	check(rc == -1 && err && err[0], "corrupt: NULL blob", "rc=%d", rc);
}

/* ---- mutation fuzzing ---------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* What a successful parse must always look like, whatever the input. */
static bool sane(const struct boot_info *bi)
{
	if (bi->nmem < 1 || bi->nmem > BI_MAX_MEM || bi->nrsv < 0 || bi->nrsv > BI_MAX_RSV)
		return false;
	for (int i = 0; i < bi->nmem; i++)
		if (bi->mem[i].size == 0)
			return false;
	if (!memchr(bi->model, 0, sizeof(bi->model)) || !memchr(bi->bootargs, 0, sizeof(bi->bootargs)) ||
	    !memchr(bi->console.path, 0, BI_NAME_LEN) || !memchr(bi->intc.compatible, 0, BI_NAME_LEN) ||
	    !memchr(bi->timer.path, 0, BI_NAME_LEN) || !memchr(bi->pl011.path, 0, BI_NAME_LEN))
		return false;
	return bi->console.kind <= UART_MINI && bi->pl011.kind <= UART_MINI &&
	       bi->initrd_end >= bi->initrd_start;
}

/* Mutates one byte, bit, or 32-bit word (with a boundary value) somewhere in blob. */
static void mutate(unsigned char *b, size_t n, uint32_t struct_off, uint32_t struct_size)
{
	static const uint32_t vals[] = { 0, 1, 2, 3, 4, 9, 0xffffffff, 0x7fffffff, 0x80000000,
					 0xfffffff8, 0x1000, 0x40 };
	uint32_t kind = rnd() % 4;

	if (kind == 0) {  /* bit flips anywhere */
		for (uint32_t k = 0, f = 1 + rnd() % 4; k < f; k++)
			b[rnd() % n] ^= (unsigned char)(1u << (rnd() % 8));
	} else if (kind == 1) {  /* random byte anywhere */
		b[rnd() % n] = (unsigned char)rnd();
	} else {  /* boundary word into the header (kind 2) or the struct block (kind 3) */
		size_t at = kind == 2 ? (rnd() % 10) * 4 : struct_off + (rnd() % (struct_size / 4)) * 4;
		fdt32_t v = cpu_to_fdt32(vals[rnd() % (sizeof(vals) / sizeof(vals[0]))]);

		if (at + 4 <= n)
			memcpy(b + at, &v, 4);
	}
}

static void test_fuzz(void **blobs, int nblobs)
{
	const int iterations = 2000;
	int ok = 0, failed = 0, insane = 0, empty_err = 0;

	for (int i = 0; i < iterations; i++) {
		void *src = blobs[i % nblobs];
		size_t n = fdt_totalsize(src);
		struct guarded g;
		struct boot_info bi;
		const char *err = NULL;

		guard_put(&g, src, n);
		for (uint32_t k = 0, muts = 1 + rnd() % 3; k < muts; k++)
			mutate(g.data, n, fdt_off_dt_struct(src), fdt_size_dt_struct(src));
		int rc = dt_parse(g.data, n, 0, &bi, &err);
		guard_free(&g);
		if (rc == 0) {
			ok++;
			insane += !sane(&bi);
		} else {
			failed++;
			empty_err += !(err && err[0]);
		}
	}
	fprintf(stderr, "# fuzz: %d parsed, %d rejected\n", ok, failed);
	check(ok + failed == iterations && insane == 0 && empty_err == 0,
	      "fuzz: 2000 mutations, no crash, sane results, messages on error",
	      "insane=%d empty_err=%d", insane, empty_err);
}

int main(int argc, char **argv)
{
	size_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <dtb-dir>\n", argv[0]);
		return 125;
	}
	dtb_dir = argv[1];

	for (int i = 0; i < 3; i++)
		test_pi3_raw(&boards[i]);
	test_pi4();

	pi3 = load_dtb("bcm2837-rpi-3-b.dtb", &n);
	if (!check(pi3 != NULL, "rpi-3-b: load for edited tests", "missing"))
		return check_exit_status();
	test_qemu_like();
	test_psci_cpus();
	test_stdout_paths();
	test_alias_forms();
	test_disabled_console();
	test_misaligned_devices();
	test_clock_and_long_bootargs();
	test_translation_depth();
	test_memory_forms();
	test_limits();
	test_corrupt();

	/* fuzz the shipped Pi 3 blobs and a firmware-filled Pi 4 (the raw one stops early) */
	void *blobs[4];
	int nb = 0;
	for (int i = 0; i < 3; i++) {
		void *b = load_dtb(boards[i].file, &n);
		if (b)
			blobs[nb++] = b;
	}
	void *p4 = load_dtb("bcm2711-rpi-4-b.dtb", &n);
	if (p4) {
		void *fw = edit_copy(p4);
		const uint32_t reg[] = { 0, 0, 0x3b400000, 1, 0, 0x80000000 };
		set_cells(fw, "/memory@0", "reg", reg, 6);
		must(fdt_pack(fw), "pack");
		blobs[nb++] = fw;
		free(p4);
	}
	if (nb > 0)
		test_fuzz(blobs, nb);
	for (int i = 0; i < nb; i++)
		free(blobs[i]);
	free(pi3);
	return check_exit_status();
}
