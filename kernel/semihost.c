/* SYS_EXIT through semihosting: QEMU exits with the given status. */
#include "kernel/semihost.h"
#include "arch/arm64/semihosting.h"
#include "arch/arm64/processor.h"
#include <stdint.h>

#define SYS_EXIT                  0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

void semihost_exit(int status)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint64_t)(uint32_t)status };

	semihosting_call(SYS_EXIT, block);
	for (;;)
		wfe();
}
