/*
 * Fuzz target: boot/dt.c's dt_parse over any blob (libFuzzer, or
 * tests/fuzz/driver.c over the seeds). The blob is placed, as the boot's
 * is, 8-byte aligned, with its 8-rounded end against an unmapped page: a
 * read past max_size faults even inside libfdt, which is not instrumented.
 * dt_parse must return 0 or -1 with a reason, and what it returns on
 * success must hold together (the memory ranges, the initrd, the counts).
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "boot/boot_info.h"

#define FUZZ_DT_MAX (256 * 1024)   /* the largest blob tried; bigger inputs are cut */

static uint8_t *region;            /* FUZZ_DT_MAX bytes, then a PROT_NONE page */

static void setup(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	region = mmap(NULL, FUZZ_DT_MAX + page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED || mprotect(region + FUZZ_DT_MAX, page, PROT_NONE))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_info bi;
	const char *err = NULL;

	if (!region)
		setup();
	if (size > FUZZ_DT_MAX)
		size = FUZZ_DT_MAX;
	size_t rounded = (size + 7) & ~(size_t)7;
	uint8_t *blob = region + FUZZ_DT_MAX - rounded;
	memcpy(blob, data, size);
	memset(blob + size, 0, rounded - size);

	int rc = dt_parse(blob, size, 0x8000000, &bi, &err);
	if (rc != 0 && rc != -1)
		abort();
	if (!err || (rc < 0 && !*err))
		abort();                  /* a failure always says why */
	if (rc < 0)
		return 0;
	if (bi.dtb_size > size || memchr(bi.model, 0, sizeof(bi.model)) == NULL)
		abort();
	if (bi.nmem < 0 || bi.nmem > BI_MAX_MEM || bi.nrsv < 0 || bi.nrsv > BI_MAX_RSV ||
	    bi.ncpu < 0 || bi.ncpu > BI_MAX_CPUS)
		abort();
	/* A range may end at 2^64 exactly (dt.c clamps one that wraps), no further. */
	for (int i = 0; i < bi.nmem; i++) {
		uint64_t end = bi.mem[i].base + bi.mem[i].size;
		if (bi.mem[i].size == 0 || (end != 0 && end < bi.mem[i].base))
			abort();
	}
	if (bi.initrd_end < bi.initrd_start)
		abort();
	const char *strs[] = { bi.bootargs, bi.console.path, bi.pl011.path, bi.mini.path,
			       bi.intc.compatible, bi.intc.path, bi.timer.path };
	const size_t lens[] = { sizeof(bi.bootargs), BI_NAME_LEN, BI_NAME_LEN, BI_NAME_LEN,
				BI_NAME_LEN, BI_NAME_LEN, BI_NAME_LEN };
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		if (memchr(strs[i], 0, lens[i]) == NULL)
			abort();                  /* every string ends inside its field */
	return 0;
}
