/*
 * Fuzz target: kernel/elf.c's elf_check_head over any file, with every
 * head length exec might read (the whole file, and its first page as
 * kernel/exec.c reads it). On success the result must be what the loader
 * trusts without further checks: loads ascending and disjoint, each inside
 * the file and below the limit, filesz <= memsz, the span page-aligned
 * around them, the entry in an executable load's file bytes; for a
 * dynamic program, an interpreter path of a size Linux would read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/elf.h"
#include "lib/uapi/errno.h"

#define LIMIT (1ULL << 39)          /* the user address space, as the kernel's */

static void check_info(const struct elf_info *in, uint64_t size)
{
	bool entry_ok = false;

	if (in->nloads < 1 || in->nloads > ELF_MAX_LOADS)
		abort();
	if (in->span_start % ELF_PAGE_SIZE || in->span_end % ELF_PAGE_SIZE ||
	    in->span_end > LIMIT || in->span_start > in->span_end)
		abort();
	for (int i = 0; i < in->nloads; i++) {
		const struct elf_load *l = &in->loads[i];

		if (l->filesz > l->memsz || l->offset > size || l->filesz > size - l->offset)
			abort();
		if (l->vaddr < in->span_start || l->memsz > in->span_end - l->vaddr)
			abort();
		if (i > 0 && l->vaddr < in->loads[i - 1].vaddr + in->loads[i - 1].memsz)
			abort();
		if ((l->prot & PROT_X) && in->entry >= l->vaddr && in->entry - l->vaddr < l->filesz)
			entry_ok = true;
	}
	if (!entry_ok || in->entry % 4)
		abort();
}

static void try_head(const uint8_t *data, uint64_t head, uint64_t size)
{
	struct elf_info info;
	int rc = elf_check_head(data, head, size, LIMIT, &info);

	if (rc == 0)
		check_info(&info, size);
	else if (rc == ELF_INTERP) {
		if (info.interp_len < 2 || info.interp_len > ELF_INTERP_MAX)
			abort();
	} else if (rc != -ENOEXEC && rc != -ENOMEM && rc != -EINVAL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	try_head(data, size, size);
	if (size > 4096)
		try_head(data, 4096, size);
	/* The same headers in a file said to be larger (exec reads one page). */
	try_head(data, size, (uint64_t)size + (1ULL << 32));
	return 0;
}
