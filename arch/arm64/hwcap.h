/* Linux's AT_HWCAP bits for arm64, and what this CPU has of them. */
#ifndef BRAMBLE_ARM64_HWCAP_H
#define BRAMBLE_ARM64_HWCAP_H
#include <stdint.h>

#define HWCAP_FP        (1 << 0)
#define HWCAP_ASIMD     (1 << 1)
#define HWCAP_AES       (1 << 3)
#define HWCAP_PMULL     (1 << 4)
#define HWCAP_SHA1      (1 << 5)
#define HWCAP_SHA2      (1 << 6)
#define HWCAP_CRC32     (1 << 7)
#define HWCAP_ATOMICS   (1 << 8)
#define HWCAP_FPHP      (1 << 9)
#define HWCAP_ASIMDHP   (1 << 10)

/* From the ID registers (no CPUID emulation: not set). */
uint64_t cpu_hwcaps(void);
/* The name /proc/cpuinfo's Features line gives AT_HWCAP bit `bit`
 * (Linux's hwcap_str), or NULL for a bit Bramble never sets. */
const char *cpu_hwcap_name(unsigned bit);

/* MIDR_EL1 of the CPU running this, and its fields (Linux's cputype.h). */
uint64_t cpu_midr(void);
#define MIDR_REVISION(m)    ((unsigned)((m) & 0xf))
#define MIDR_PARTNUM(m)     ((unsigned)(((m) >> 4) & 0xfff))
#define MIDR_ARCHITECTURE(m) ((unsigned)(((m) >> 16) & 0xf))
#define MIDR_VARIANT(m)     ((unsigned)(((m) >> 20) & 0xf))
#define MIDR_IMPLEMENTOR(m) ((unsigned)(((m) >> 24) & 0xff))
#endif
