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
#endif
