/* SYS_EXIT through semihosting: QEMU exits with the given status. */
#include "kernel/semihost.h"
#include <stdint.h>

#define SYS_EXIT                  0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

void semihost_exit(int status)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint64_t)(uint32_t)status };
	register uint64_t w0 __asm__("x0") = SYS_EXIT;
	register uint64_t *x1 __asm__("x1") = block;

	__asm__ volatile("hlt #0xf000" : : "r"(w0), "r"(x1) : "memory");
	for (;;)
		__asm__ volatile("wfe");
}
