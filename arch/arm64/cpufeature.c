/* What the CPU implements, read from its ID registers. */
#include "arch/arm64/hwcap.h"
#include "arch/arm64/sysreg.h"
#include <stddef.h>

uint64_t cpu_hwcaps(void)
{
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1), pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t hw = 0;
	unsigned fp = ID_FIELD(pfr0, ID_AA64PFR0_FP_SHIFT);
	unsigned simd = ID_FIELD(pfr0, ID_AA64PFR0_ASIMD_SHIFT);
	unsigned aes = ID_FIELD(isar0, ID_AA64ISAR0_AES_SHIFT);

	if (fp != 0xf)
		hw |= HWCAP_FP;
	if (simd != 0xf)
		hw |= HWCAP_ASIMD;
	if (aes >= 1)
		hw |= HWCAP_AES;
	if (aes >= 2)
		hw |= HWCAP_PMULL;
	if (ID_FIELD(isar0, ID_AA64ISAR0_SHA1_SHIFT) >= 1)
		hw |= HWCAP_SHA1;
	if (ID_FIELD(isar0, ID_AA64ISAR0_SHA2_SHIFT) >= 1)
		hw |= HWCAP_SHA2;
	if (ID_FIELD(isar0, ID_AA64ISAR0_CRC32_SHIFT) >= 1)
		hw |= HWCAP_CRC32;
	if (ID_FIELD(isar0, ID_AA64ISAR0_ATOMIC_SHIFT) >= 2)
		hw |= HWCAP_ATOMICS;
	if (fp == 1)
		hw |= HWCAP_FPHP;
	if (simd == 1)
		hw |= HWCAP_ASIMDHP;
	return hw;
}

const char *cpu_hwcap_name(unsigned bit)
{
	static const char *const names[] = {
		"fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32",
		"atomics", "fphp", "asimdhp",
	};

	return bit < sizeof(names) / sizeof(names[0]) ? names[bit] : NULL;
}

uint64_t cpu_midr(void)
{
	return read_sysreg(midr_el1);
}
