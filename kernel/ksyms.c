/*
 * The kernel symbol table, as Linux's kallsyms does it: the first link leaves
 * it empty, scripts/gen-ksyms writes the text symbols of that link into an
 * assembly file, and the second link embeds it at the end of .rodata, where
 * it moves no code.
 */
#include "kernel/ksyms.h"
#include "arch/arm64/memory.h"

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addr[];     /* sorted ascending */
extern const uint32_t ksyms_name_off[];
extern const char ksyms_names[];
extern const char _etext[];

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;

	if (!hi || addr < ksyms_addr[0] || addr >= (uintptr_t)_etext)
		return 0;
	/* The last symbol at or below addr. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksyms_addr[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_addr[lo];
	return ksyms_names + ksyms_name_off[lo];
}
