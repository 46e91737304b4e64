/* Arm semihosting: HLT #0xf000 with the operation in x0, its block in x1. */
#ifndef BRAMBLE_ARM64_SEMIHOSTING_H
#define BRAMBLE_ARM64_SEMIHOSTING_H
#include <stdint.h>

static inline void semihosting_call(uint64_t op, void *block)
{
	register uint64_t x0 __asm__("x0") = op;
	register void *x1 __asm__("x1") = block;

	__asm__ volatile("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
}
#endif
